import { generateDemoCatalog } from './demo-catalog.generator';
import { loadDemoCatalog } from './demo-catalog.loader';

interface RecordedQuery {
  sql: string;
  parameters: unknown[];
}

function recorder() {
  const queries: RecordedQuery[] = [];
  const query = async (sql: string, parameters: unknown[] = []) => {
    queries.push({ sql, parameters });
    return [];
  };
  return { queries, query };
}

const insertedColumns = (sql: string) => /^INSERT INTO \w+ \(([^)]*)\)/.exec(sql)![1].split(', ');
const tableOf = (sql: string) => /^INSERT INTO (\w+)/.exec(sql)![1];

describe('loadDemoCatalog (statements)', () => {
  const catalog = generateDemoCatalog({ instrumentCount: 1_200 });

  it('inserts institutions, then each instrument batch followed by its fee lines', async () => {
    const { queries, query } = recorder();
    const loaded = await loadDemoCatalog(query, catalog, { batchSize: 500 });
    expect(queries.map((recorded) => tableOf(recorded.sql))).toEqual([
      'institution',
      'instrument', 'instrument_fee',
      'instrument', 'instrument_fee',
      'instrument', 'instrument_fee',
    ]);
    const feeCount = catalog.instruments.reduce((sum, instrument) => sum + instrument.fees.length, 0);
    expect(loaded).toEqual({ institutions: 60, instruments: 1_200, fees: feeCount });
    const instrumentBatches = queries.filter((recorded) => tableOf(recorded.sql) === 'instrument');
    expect(instrumentBatches.map((recorded) => (recorded.parameters[0] as unknown[]).length)).toEqual([500, 500, 200]);
    // Never its own transaction: it runs inside the caller's.
    expect(queries.some((recorded) => /BEGIN|COMMIT|ROLLBACK/i.test(recorded.sql))).toBe(false);
  });

  it('binds one array per column and never inserts generated columns', async () => {
    const { queries, query } = recorder();
    await loadDemoCatalog({ query }, catalog);
    const instrumentInsert = queries.find((recorded) => tableOf(recorded.sql) === 'instrument')!;
    const columns = insertedColumns(instrumentInsert.sql);
    for (const generated of ['category_l1_code', 'category_l2_code', 'is_publicly_funded', 'city_code', 'province_code', 'search_document']) {
      expect(columns).not.toContain(generated);
    }
    expect(columns).toEqual(expect.arrayContaining(['price_unit', 'external_price_fen', 'internal_price_fen', 'service_modes']));
    expect(instrumentInsert.parameters).toHaveLength(columns.length);
    expect(instrumentInsert.sql).toContain('unnest($1::uuid[]');
  });

  it('sends array cells as quoted literals, cast back to text[]', async () => {
    const { queries, query } = recorder();
    const tricky = generateDemoCatalog({ instrumentCount: 1 });
    tricky.instruments[0].subjectAreas = ['a "quoted", {braced} \\ one', '材料科学'];
    await loadDemoCatalog(query, tricky);
    const insert = queries.find((recorded) => tableOf(recorded.sql) === 'instrument')!;
    const index = insertedColumns(insert.sql).indexOf('subject_areas');
    expect((insert.parameters[index] as string[])[0]).toBe('{"a \\"quoted\\", {braced} \\\\ one","材料科学"}');
    expect(insert.sql).toContain('source.subject_areas::text[]');
  });

  it('fills instrument_search_text through the hook, from values computed per instrument', async () => {
    const { queries, query } = recorder();
    await loadDemoCatalog(query, catalog, {
      searchDocument: {
        values: (instrument) => [instrument.nameZh, instrument.nameEn ?? ''],
        sqlOver: ([zh, en]) => `to_tsvector('simple', ${zh} || ' ' || ${en})`,
        titleSqlOver: ([zh]) => `to_tsvector('simple', ${zh})`,
      },
    });
    const insert = queries.find((recorded) => tableOf(recorded.sql) === 'instrument_search_text')!;
    expect(insertedColumns(insert.sql)).toEqual(['instrument_id', 'title', 'document']);
    expect(insert.sql).toContain("to_tsvector('simple', source.search_value_1 || ' ' || source.search_value_2)");
    expect(insert.sql).toContain("to_tsvector('simple', source.search_value_1)");
    expect(insert.parameters).toHaveLength(3);
    expect((insert.parameters[0] as string[])[0]).toBe(catalog.instruments[0].id);
    expect((insert.parameters[2] as string[])[0]).toBe(catalog.instruments[0].nameEn);
  });

  it('copies the primary fee line into the price columns', async () => {
    const { queries, query } = recorder();
    const single = generateDemoCatalog({ instrumentCount: 1 });
    const [instrument] = single.instruments;
    instrument.priceUnit = null;
    instrument.externalPriceFen = 1;
    await loadDemoCatalog(query, single);
    const insert = queries.find((recorded) => tableOf(recorded.sql) === 'instrument')!;
    const columns = insertedColumns(insert.sql);
    const valueOf = (column: string) => (insert.parameters[columns.indexOf(column)] as unknown[])[0];
    expect([valueOf('price_unit'), valueOf('external_price_fen'), valueOf('internal_price_fen')]).toEqual([
      instrument.fees[0].unit,
      instrument.fees[0].externalRateFen,
      instrument.fees[0].internalRateFen,
    ]);
  });

  it('passes a failing statement on to the caller', async () => {
    const failing = async () => {
      throw new Error('boom');
    };
    await expect(loadDemoCatalog(failing, catalog)).rejects.toThrow('boom');
  });
});
