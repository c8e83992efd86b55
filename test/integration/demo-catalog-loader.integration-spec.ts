import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { buildDataSourceOptions } from '@app/db';
import { quoteIdentifier } from '@app/db';
import { prepareDatabase } from '@app/db';
import { generateDemoCatalog } from '@app/db/demo';
import { loadDemoCatalog } from '@app/db/demo';

/** The PostgreSQL server the tests use (the same variable libs/testing reads). */
function serverUrl(database: string): string {
  const url = new URL(process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer(statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl('postgres') });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('loadDemoCatalog (PostgreSQL)', () => {
  const databaseName = `im_demo_test_${randomBytes(4).toString('hex')}`;
  const config = loadAppConfig({ NODE_ENV: 'test' });
  const catalog = generateDemoCatalog({ instrumentCount: 2_000 });
  let dataSource: DataSource;

  beforeAll(async () => {
    await onServer(`CREATE DATABASE ${quoteIdentifier(databaseName)}`);
    await prepareDatabase(config, serverUrl(databaseName));
    dataSource = new DataSource(buildDataSourceOptions(config, { url: serverUrl(databaseName), poolSize: 2 }));
    await dataSource.initialize();
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await onServer(`DROP DATABASE IF EXISTS ${quoteIdentifier(databaseName)} WITH (FORCE)`);
  }, 60_000);

  it('loads institutions, instruments and fee lines in the caller’s transaction', async () => {
    const started = performance.now();
    const loaded = await dataSource.transaction((manager) => loadDemoCatalog(manager, catalog));
    const elapsed = performance.now() - started;
    const feeCount = catalog.instruments.reduce((sum, instrument) => sum + instrument.fees.length, 0);
    expect(loaded).toEqual({ institutions: catalog.institutions.length, instruments: 2_000, fees: feeCount });

    const [counts] = await dataSource.query(
      `SELECT (SELECT count(*) FROM institution)::int AS institutions,
              (SELECT count(*) FROM instrument)::int AS instruments,
              (SELECT count(*) FROM instrument_fee)::int AS fees`,
    );
    expect(counts).toEqual({ institutions: catalog.institutions.length, instruments: 2_000, fees: feeCount });
    // A generous bound: the 2-core reference machine loads 2,000 instruments in well under a second.
    expect(elapsed).toBeLessThan(15_000);
  }, 60_000);

  it('lets the database compute the generated columns', async () => {
    const rows: {
      id: string;
      category_l1_code: string;
      category_l2_code: string | null;
      is_publicly_funded: boolean;
      city_code: string;
      province_code: string;
    }[] = await dataSource.query(
      `SELECT id, category_l1_code, category_l2_code, is_publicly_funded, city_code, province_code FROM instrument`,
    );
    const byId = new Map(catalog.instruments.map((instrument) => [instrument.id, instrument]));
    expect(rows).toHaveLength(2_000);
    for (const row of rows) {
      const instrument = byId.get(row.id)!;
      const code = instrument.categoryCode;
      expect(row.category_l1_code).toBe(`${code.slice(0, 2)}0000`);
      expect(row.category_l2_code).toBe(code.slice(2, 4) === '00' ? null : `${code.slice(0, 4)}00`);
      expect(row.is_publicly_funded).toBe(['central_government', 'local_government'].includes(instrument.fundingSource));
      expect(row.city_code).toBe(`${instrument.regionCode.slice(0, 4)}00`);
      expect(row.province_code).toBe('330000');
    }
  });

  it('stores every field as generated: arrays, money, dates, coordinates, primary price', async () => {
    const sample = catalog.instruments[123];
    const [row] = await dataSource.query(
      `SELECT asset_number, subject_areas, service_modes, photo_urls, original_value_fen::text AS value,
              to_char(in_service_date, 'YYYY-MM-DD') AS in_service_date, latitude::text AS latitude, longitude::text AS longitude,
              price_unit, external_price_fen::text AS external, internal_price_fen::text AS internal,
              NOT EXISTS (SELECT 1 FROM instrument_search_text t WHERE t.instrument_id = instrument.id) AS no_search_text, version
       FROM instrument WHERE id = $1`,
      [sample.id],
    );
    expect(row).toEqual({
      asset_number: sample.assetNumber,
      subject_areas: sample.subjectAreas,
      service_modes: sample.serviceModes,
      photo_urls: sample.photoUrls,
      value: String(sample.originalValueFen),
      in_service_date: sample.inServiceDate,
      latitude: sample.latitude!.toFixed(6),
      longitude: sample.longitude!.toFixed(6),
      price_unit: sample.fees[0].unit,
      external: String(sample.fees[0].externalRateFen),
      internal: String(sample.fees[0].internalRateFen),
      no_search_text: true,
      version: 1,
    });
    const fees = await dataSource.query(
      `SELECT position, unit, external_rate_fen::int AS external, internal_rate_fen::int AS internal
       FROM instrument_fee WHERE instrument_id = $1 ORDER BY position`,
      [sample.id],
    );
    expect(fees).toEqual(
      sample.fees.map((fee) => ({ position: fee.position, unit: fee.unit, external: fee.externalRateFen, internal: fee.internalRateFen })),
    );
  });

  it('fills instrument_search_text through the hook when one is given', async () => {
    const other = generateDemoCatalog({ instrumentCount: 50, seed: 7 });
    const queryRunner = dataSource.createQueryRunner();
    await queryRunner.startTransaction();
    try {
      await loadDemoCatalog(queryRunner.manager, other, {
        searchDocument: {
          values: (instrument) => [instrument.nameEn ?? '', instrument.manufacturer ?? ''],
          sqlOver: ([name, maker]) => `setweight(to_tsvector('english', ${name}), 'A') || to_tsvector('simple', ${maker})`,
          titleSqlOver: ([name]) => `to_tsvector('english', ${name})`,
        },
      });
      const [row] = await queryRunner.query(
        `SELECT count(*)::int AS filled FROM instrument_search_text
         WHERE instrument_id = ANY($1::uuid[]) AND document <> ''::tsvector AND title <> ''::tsvector`,
        [other.instruments.map((instrument) => instrument.id)],
      );
      expect(row.filled).toBe(50);
    } finally {
      await queryRunner.rollbackTransaction();
      await queryRunner.release();
    }
  }, 60_000);
});
