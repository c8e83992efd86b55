import { Test } from '@nestjs/testing';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { answerMalformedRequest, configureHttpApp } from '@app/common/http/create-http-app';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '@app/db/demo';
import { seedDemoData } from '@app/db/setup/seed-demo-data';
import { HttpClient, TestApp, instrumentBody, startTestApp, testAppConfig } from '@app/testing';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';

/**
 * The in-memory search index must answer exactly as the SQL search does, and stay current with
 * every write on every replica. Three catalog apps share one demo database: one searching in SQL,
 * two on their own indexes (two replicas). No result cache, so every answer is computed.
 */
describe('in-memory search index (e2e)', () => {
  let sqlApp: TestApp;
  let replicas: { app: NestFastifyApplication; http: HttpClient }[];
  const tokens: Record<string, string | undefined> = { anonymous: undefined };

  beforeAll(async () => {
    sqlApp = await startTestApp(CatalogModule, { env: { SEARCH_INDEX_ENABLED: 'false', SEARCH_CACHE_TTL_SECONDS: '0' } });
    const dataSource = sqlApp.app.get(DataSource);
    await dataSource.transaction((manager) => seedDemoData(manager, sqlApp.config, { instrumentCount: 3_000, seed: 7 }));
    await dataSource.query('ANALYZE');
    replicas = [await startReplica(sqlApp.config), await startReplica(sqlApp.config)];
    for (const account of DEMO_ACCOUNTS) {
      const login = await sqlApp.http.post('/auth/login', { email: account.email, password: DEMO_PASSWORD });
      expect(login.status).toBe(200);
      tokens[account.role] = login.body.accessToken;
    }
  }, 180_000);

  afterAll(async () => {
    for (const replica of replicas ?? []) await replica.app.close();
    await sqlApp?.close();
  });

  /** A second app on the same database, as another replica would run, once its index is loaded. */
  async function startReplica(base: AppConfig): Promise<{ app: NestFastifyApplication; http: HttpClient }> {
    const config = testAppConfig(base.DATABASE_URL, { SEARCH_INDEX_ENABLED: 'true', SEARCH_CACHE_TTL_SECONDS: '0', REDIS_KEY_PREFIX: base.REDIS_KEY_PREFIX });
    const moduleRef = await Test.createTestingModule({ imports: [CatalogModule] }).overrideProvider(AppConfig).useValue(config).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter({ bodyLimit: config.HTTP_BODY_LIMIT_BYTES, clientErrorHandler: answerMalformedRequest }),
      { logger: false, bodyParser: false },
    );
    configureHttpApp(app, { name: 'replica', description: 'replica' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const http = new HttpClient((await app.getUrl()).replace('[::1]', '127.0.0.1'));
    for (let attempt = 0; attempt < 200; attempt++) {
      const status = await http.get('/search-index');
      if (status.body.state === 'ready') return { app, http };
      if (status.body.state !== 'loading') throw new Error(`search index ${status.body.state}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('search index did not load');
  }

  const QUERIES = [
    'q=质谱',
    'q=質譜',
    'q=电镜',
    'q=mass spectrometer',
    'q=spectrom',
    'q=microscope&region=330100',
    'q=色谱&category=010000&sort=price_asc',
    'q=显微&serviceMode=sample_submission&sort=value_desc',
    'q=激光&maxPriceFen=60000',
    'q=the',
    'q=流式细胞仪&pageSize=5&page=2',
    'category=010200',
    'category=010201&sort=newest',
    'region=330200&sort=price_desc',
    'region=330106',
    'serviceMode=self_operated&minValueFen=100000000&sort=value_asc&page=3',
    'minPriceFen=10000&maxPriceFen=50000&sort=price_asc&pageSize=50',
    'sharingMode=internal_only',
    'sharingMode=not_shared&sort=value_desc',
    'sort=newest&page=20',
    '',
  ];

  it.each(['anonymous', 'researcher', 'lab_manager', 'department_staff', 'admin'])(
    'answers every query as the SQL search does, for %s',
    async (caller) => {
      for (const query of QUERIES) {
        const [viaSql, viaIndex] = await Promise.all([
          sqlApp.http.get(`/instruments?${query}`, { token: tokens[caller] }),
          replicas[0].http.get(`/instruments?${query}`, { token: tokens[caller] }),
        ]);
        expect({ query, status: viaIndex.status }).toEqual({ query, status: 200 });
        expect({ query, total: viaIndex.body.total, facets: viaIndex.body.facets }).toEqual({ query, total: viaSql.body.total, facets: viaSql.body.facets });
        const relevance = query.includes('q=') && !query.includes('sort=');
        const idsOf = (body: { items: { id: string }[] }) => body.items.map((item) => item.id);
        if (!relevance) {
          // Whole items: the index answers pages from its listings, not from the database.
          expect({ query, items: viaIndex.body.items }).toEqual({ query, items: viaSql.body.items });
        } else if (viaSql.body.total <= viaSql.body.pageSize) {
          // Relevance ranks differently (title lexemes, not ts_rank); the same matches must come back.
          expect({ query, ids: idsOf(viaIndex.body).sort() }).toEqual({ query, ids: idsOf(viaSql.body).sort() });
        }
      }
    },
    60_000,
  );

  it('ranks title matches first', async () => {
    const result = await replicas[0].http.get('/instruments?q=质谱&pageSize=5');
    expect(result.body.total).toBeGreaterThan(5);
    for (const item of result.body.items) expect(`${item.nameZh}`).toMatch(/质谱/);
  });

  it('shows a write made through one replica in the next search on the other, and forgets replaced text', async () => {
    const [writer, reader] = replicas;
    const token = tokens.lab_manager;
    const created = await writer.http.post('/instruments', instrumentBody({ nameZh: '太赫兹时域光谱仪', categoryCode: '010300' }), { token });
    expect(created.status).toBe(201);
    const found = await reader.http.get('/instruments?q=太赫兹');
    expect(found.body.total).toBe(1);
    expect(found.body.items[0].id).toBe(created.body.id);

    const renamed = await writer.http.patch(`/instruments/${created.body.id}`, { nameZh: '穆斯堡尔谱仪', version: created.body.version }, { token });
    expect(renamed.status).toBe(200);
    expect((await reader.http.get('/instruments?q=太赫兹')).body.total).toBe(0);
    expect((await reader.http.get('/instruments?q=穆斯堡尔')).body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    const status = await reader.http.get('/search-index');
    expect(status.body).toMatchObject({ state: 'ready', documents: 3_001 });
    expect(status.body.appended).toBeGreaterThanOrEqual(2);
  });

  it("shows an institution's new name in the next search on every replica", async () => {
    const admin = tokens.admin;
    const [{ id, name_zh }] = await sqlApp.app.get(DataSource).query(
      `SELECT inst.id, inst.name_zh FROM institution inst WHERE EXISTS (SELECT 1 FROM instrument i WHERE i.institution_id = inst.id AND i.sharing_mode = 'external') LIMIT 1`,
    );
    const renamed = await sqlApp.http.patch(`/institutions/${id}`, { nameZh: `${name_zh}（更名）` }, { token: admin });
    expect(renamed.status).toBe(200);
    for (const replica of replicas) {
      const result = await replica.http.get(`/instruments?institutionId=${id}&pageSize=5`);
      expect(result.body.total).toBeGreaterThan(0);
      for (const item of result.body.items) expect(item.institution.nameZh).toBe(`${name_zh}（更名）`);
    }
  });

  it('picks up a write whose version bump never reached Redis, within seconds', async () => {
    const dataSource = sqlApp.app.get(DataSource);
    // A direct database write, as if the writer crashed between commit and the Redis bump.
    const [{ id }] = await dataSource.query(`SELECT id FROM instrument WHERE sharing_mode = 'external' ORDER BY id LIMIT 1`);
    await dataSource.query(`UPDATE instrument SET original_value_fen = 987654321012 WHERE id = $1`, [id]);
    const deadline = Date.now() + 15_000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      const result = await replicas[1].http.get('/instruments?minValueFen=987654321012&maxValueFen=987654321012');
      seen = result.body.total === 1 && result.body.items[0].id === id;
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(seen).toBe(true);
  }, 30_000);
});
