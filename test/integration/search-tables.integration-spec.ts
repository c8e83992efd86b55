import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { buildDataSourceOptions } from '@app/db';
import { seedDemoData } from '@app/db/setup/seed-demo-data';
import { plainToInstance } from 'class-transformer';
import { SearchInstrumentsQuery } from '../../apps/catalog/src/instruments/dto/search-instruments.query';
import { runTextStatement } from '../../apps/catalog/src/instruments/instrument-search.service';
import { buildTextSearchStatement } from '../../apps/catalog/src/instruments/instrument-search.statements';
import { createTestDatabase, TestDatabase } from '@app/testing';

/**
 * The search side tables copy columns of instrument; triggers keep the copies equal whoever
 * writes instrument (the API, the demo loader, a staff decision, a hand-written UPDATE).
 */
describe('search side tables (integration)', () => {
  let database: TestDatabase;
  let client: Client;
  let instrumentId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
    const { rows: [institution] } = await client.query(
      `INSERT INTO institution (name_zh, kind, region_code) VALUES ('触发器测试大学', 'university', '330106') RETURNING id`,
    );
    const { rows: [instrument] } = await client.query(
      `INSERT INTO instrument (institution_id, name_zh, category_code, original_value_fen, source, funding_source, purpose,
                               service_modes, region_code, external_price_fen)
       VALUES ($1, '扫描电子显微镜', '010102', 300000000, 'purchased', 'central_government', 'general',
               ARRAY['sample_submission'], '330106', 50000) RETURNING id`,
      [institution.id],
    );
    instrumentId = instrument.id;
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  const entry = async () =>
    (await client.query(`SELECT * FROM instrument_search_entry WHERE instrument_id = $1`, [instrumentId])).rows[0];
  const text = async () =>
    (await client.query(`SELECT * FROM instrument_search_text WHERE instrument_id = $1`, [instrumentId])).rows[0];

  it('creates the entry with derived columns when an instrument is inserted', async () => {
    expect(await entry()).toMatchObject({
      category_l1_code: '010000',
      category_l2_code: '010100',
      city_code: '330100',
      province_code: '330000',
      sharing_mode: 'external',
      offers_self_operated: false,
      offers_sample_submission: true,
      external_price_fen: '50000',
    });
  });

  it('fills the narrow columns of a text row written with its vectors only', async () => {
    await client.query(
      `INSERT INTO instrument_search_text (instrument_id, title, document) VALUES ($1, to_tsvector('simple', '扫描'), to_tsvector('simple', '扫描 电镜'))`,
      [instrumentId],
    );
    expect(await text()).toMatchObject({ city_code: '330100', category_l1_code: '010000', sharing_mode: 'external' });
  });

  it('updates both copies when the instrument changes', async () => {
    await client.query(
      `UPDATE instrument SET region_code = '330203', sharing_mode = 'internal_only', service_modes = ARRAY['self_operated'] WHERE id = $1`,
      [instrumentId],
    );
    for (const row of [await entry(), await text()]) {
      expect(row).toMatchObject({
        region_code: '330203',
        city_code: '330200',
        sharing_mode: 'internal_only',
        offers_self_operated: true,
        offers_sample_submission: false,
      });
    }
  });

  it('removes both rows with the instrument', async () => {
    await client.query(`DELETE FROM instrument WHERE id = $1`, [instrumentId]);
    expect(await entry()).toBeUndefined();
    expect(await text()).toBeUndefined();
  });
});

describe('search document storage (integration)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadAppConfig({ NODE_ENV: 'test', DATABASE_URL: database.url });
    dataSource = await new DataSource({ ...buildDataSourceOptions(config, { url: database.url, poolSize: 1 }) }).initialize();
    await dataSource.transaction((manager) => seedDemoData(manager, config, { instrumentCount: 400, seed: 7 }));
    await dataSource.query('VACUUM ANALYZE instrument_search_text');
  }, 60_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('keeps documents out of line, so the rows a text query visits stay small', async () => {
    const [row] = await dataSource.query(
      `SELECT pg_relation_size('instrument_search_text') / count(*) AS heap_bytes_per_row,
              pg_relation_size((SELECT reltoastrelid FROM pg_class WHERE relname = 'instrument_search_text')) AS toast_bytes,
              avg(pg_column_size(document))::int AS document_bytes
       FROM instrument_search_text`,
    );
    expect(Number(row.document_bytes)).toBeGreaterThan(500);
    expect(Number(row.heap_bytes_per_row)).toBeLessThan(500);
    expect(Number(row.toast_bytes)).toBeGreaterThan(400 * 500);
  });

  it('answers a text search through the GIN index, never by scanning the documents', async () => {
    const query = plainToInstance(SearchInstrumentsQuery, { q: '显微镜' });
    const statement = buildTextSearchStatement({ sql: `i.sharing_mode = 'external'`, params: [] }, query)!;
    const plan: { 'QUERY PLAN': string }[] = await runTextStatement(dataSource.manager, {
      sql: `EXPLAIN ${statement.sql}`,
      params: statement.params,
    });
    const text = plan.map((line) => line['QUERY PLAN']).join('\n');
    expect(text).toContain('Bitmap Index Scan on instrument_search_text_document_idx');
    expect(text).not.toMatch(/Seq Scan on instrument_search_text/);
  });

  it('keeps them out of line when a document is rewritten', async () => {
    const [{ instrument_id: id }] = await dataSource.query(`SELECT instrument_id FROM instrument_search_text LIMIT 1`);
    const before = Number((await dataSource.query(`SELECT pg_relation_size('instrument_search_text') AS size`))[0].size);
    for (let round = 0; round < 50; round++) {
      await dataSource.query(
        `UPDATE instrument_search_text SET document = document || to_tsvector('simple', $2), toast_filler = DEFAULT WHERE instrument_id = $1`,
        [id, `round${round}`],
      );
    }
    const after = Number((await dataSource.query(`SELECT pg_relation_size('instrument_search_text') AS size`))[0].size);
    // 50 new row versions of a few hundred bytes fit in a few pages; inline documents would need ~10.
    expect(after - before).toBeLessThanOrEqual(4 * 8192);
  });
});
