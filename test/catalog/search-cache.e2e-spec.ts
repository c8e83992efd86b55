import { DataSource } from 'typeorm';
import { CatalogFixtures, TestApp, TestAccount, instrumentBody, startTestApp } from '@app/testing';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';

/**
 * Search results are cached in Redis while searches run in SQL (the index loading, disabled or
 * failed); the index, while it serves, bypasses the cache. Either way every catalog write must show
 * in the next search.
 */
describe.each([
  ['searches in SQL, through the cache', 'false'],
  ['the index serving, cache bypassed', 'true'],
])('search result cache (e2e): %s', (_title, indexEnabled) => {
  let testApp: TestApp;
  let labManager: TestAccount;
  let staff: TestAccount;

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule, { env: { SEARCH_CACHE_TTL_SECONDS: '600', SEARCH_INDEX_ENABLED: indexEnabled } });
    const fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http);
    labManager = await fixtures.account('lab_manager');
    staff = await fixtures.account('department_staff', { regionCode: '330000' });
  });
  afterAll(() => testApp?.close());

  const search = (query: string) => testApp.http.get(`/instruments?${query}`);

  it('shows a new instrument in a search answered from the cache a moment before', async () => {
    expect((await search('q=流式细胞仪')).body.total).toBe(0);
    expect((await search('q=流式细胞仪')).body.total).toBe(0);
    const created = await testApp.http.post('/instruments', instrumentBody({ nameZh: '流式细胞仪', categoryCode: '011000' }), { token: labManager.token });
    expect(created.status).toBe(201);
    const after = await search('q=流式细胞仪');
    expect(after.body.total).toBe(1);
    expect(after.body.items[0].id).toBe(created.body.id);
  });

  it('shows an edited name and price at once', async () => {
    const created = await testApp.http.post('/instruments', instrumentBody({ nameZh: '原子力显微镜', categoryCode: '010800' }), { token: labManager.token });
    expect((await search('q=原子力')).body.items[0].price.externalRateFen).toBe(50_000);
    await testApp.http.patch(
      `/instruments/${created.body.id}`,
      { fees: [{ unit: 'hour', internalRateFen: 30_000, externalRateFen: 70_000 }] },
      { token: labManager.token },
    );
    expect((await search('q=原子力')).body.items[0].price.externalRateFen).toBe(70_000);
  });

  it('drops an instrument from public results once staff approve restricting it', async () => {
    const created = await testApp.http.post(
      '/instruments',
      instrumentBody({ nameZh: '激光共聚焦显微镜', categoryCode: '010800', sharingMode: 'internal_only', sharingExemptionReason: '教学专用' }),
      { token: labManager.token },
    );
    expect((await search('q=共聚焦')).body.total).toBe(1);
    const exemptionId = created.body.sharingCompliance.exemption.id;
    const approved = await testApp.http.post(`/sharing/exemptions/${exemptionId}/approve`, {}, { token: staff.token });
    expect(approved.status).toBe(200);
    expect((await search('q=共聚焦')).body.total).toBe(0);
  });

  it('keeps scopes apart: the owner still sees its internal-only instrument', async () => {
    const owner = await testApp.http.get('/instruments?q=共聚焦', { token: labManager.token });
    expect(owner.body.total).toBe(1);
    expect((await search('q=共聚焦')).body.total).toBe(0);
  });
});

describe('search without Redis (e2e)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule, { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => testApp?.close());

  it('still answers from PostgreSQL when the cache cannot be reached', async () => {
    const started = Date.now();
    const response = await testApp.http.get('/instruments?q=%E8%B4%A8%E8%B0%B1');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 0, items: [] });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
