import { Client } from 'pg';
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
