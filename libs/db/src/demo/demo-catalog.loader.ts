import type { DemoCatalog, DemoInstitution, DemoInstrument, DemoInstrumentFee } from './demo-catalog.generator';

/** A pg-style query function: `(sql, params) => client.query(sql, params)`. */
export type SqlQueryFunction = (sql: string, parameters?: unknown[]) => Promise<unknown>;

/** Anything with a pg-style query method: a TypeORM EntityManager or QueryRunner, a pg Client or PoolClient. */
export interface SqlQueryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export type DemoCatalogTarget = SqlQueryable | SqlQueryFunction;

/**
 * Fills instrument_search_text (title and document vectors) batch by batch, right after each
 * batch of instruments. Shaped for @app/search: values(instrument) computes the text parts in
 * JavaScript, they travel as unnest(...) columns, and the two *SqlOver functions turn those
 * columns into the tsvectors.
 */
export interface SearchDocumentHook {
  /** The text values for one instrument; every instrument must yield the same number of them. */
  values(instrument: DemoInstrument): readonly string[];
  /** The document tsvector as SQL over the given column expressions, in values() order. */
  sqlOver(valueExpressions: readonly string[]): string;
  /** The title tsvector (for ranking) over the same column expressions. */
  titleSqlOver(valueExpressions: readonly string[]): string;
}

export interface LoadDemoCatalogOptions {
  /** Rows per INSERT statement (default 2,000). */
  batchSize?: number;
  /** Without it, no instrument_search_text rows are written (the instruments match no text query). */
  searchDocument?: SearchDocumentHook;
}

export interface LoadedDemoCatalog {
  institutions: number;
  instruments: number;
  fees: number;
}

export const DEMO_LOAD_BATCH_SIZE = 2_000;

/** column name and PostgreSQL type of every inserted property; `text[]` marks array columns. */
type ColumnMap<Row, Keys extends keyof Row = keyof Row> = { readonly [Key in Keys]-?: readonly [column: string, type: string] };

const INSTITUTION_COLUMNS: ColumnMap<DemoInstitution> = {
  id: ['id', 'uuid'],
  nameZh: ['name_zh', 'text'],
  nameEn: ['name_en', 'text'],
  kind: ['kind', 'text'],
  regionCode: ['region_code', 'char(6)'],
  isSmallMicro: ['is_small_micro', 'boolean'],
};

/**
 * Every insertable column of instrument. The generated columns (category_l1_code, category_l2_code,
 * is_publicly_funded, city_code, province_code) are absent on purpose: PostgreSQL refuses values for
 * them. A property added to the entity fails to compile here until it is mapped.
 */
const INSTRUMENT_COLUMNS: ColumnMap<DemoInstrument, Exclude<keyof DemoInstrument, 'fees'>> = {
  id: ['id', 'uuid'],
  institutionId: ['institution_id', 'uuid'],
  assetNumber: ['asset_number', 'text'],
  nameZh: ['name_zh', 'text'],
  nameEn: ['name_en', 'text'],
  model: ['model', 'text'],
  manufacturer: ['manufacturer', 'text'],
  countryOfOrigin: ['country_of_origin', 'char(2)'],
  categoryCode: ['category_code', 'char(6)'],
  originalValueFen: ['original_value_fen', 'bigint'],
  inServiceDate: ['in_service_date', 'date'],
  source: ['source', 'text'],
  fundingSource: ['funding_source', 'text'],
  department: ['department', 'text'],
  purpose: ['purpose', 'text'],
  subjectAreas: ['subject_areas', 'text[]'],
  specs: ['specs', 'text'],
  functions: ['functions', 'text'],
  serviceContent: ['service_content', 'text'],
  serviceModes: ['service_modes', 'text[]'],
  condition: ['condition', 'text'],
  sharingMode: ['sharing_mode', 'text'],
  sharingRules: ['sharing_rules', 'text'],
  timeZone: ['time_zone', 'text'],
  regionCode: ['region_code', 'char(6)'],
  address: ['address', 'text'],
  latitude: ['latitude', 'numeric'],
  longitude: ['longitude', 'numeric'],
  contactName: ['contact_name', 'text'],
  contactPhone: ['contact_phone', 'text'],
  contactEmail: ['contact_email', 'text'],
  photoUrls: ['photo_urls', 'text[]'],
  priceUnit: ['price_unit', 'text'],
  externalPriceFen: ['external_price_fen', 'bigint'],
  internalPriceFen: ['internal_price_fen', 'bigint'],
};

const FEE_COLUMNS: ColumnMap<DemoInstrumentFee> = {
  id: ['id', 'uuid'],
  instrumentId: ['instrument_id', 'uuid'],
  position: ['position', 'smallint'],
  unit: ['unit', 'text'],
  internalRateFen: ['internal_rate_fen', 'bigint'],
  externalRateFen: ['external_rate_fen', 'bigint'],
  description: ['description', 'text'],
};

/** `{"a","b"}`: unnest cannot take an array of arrays, so array cells travel as literals and are cast back. */
function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

interface Statement {
  sql: string;
  parameters: unknown[];
}

/**
 * INSERT ... SELECT FROM unnest($1::uuid[], $2::text[], ...): one statement and one parameter per
 * column for a whole batch, far faster than multi-VALUES inserts and free of the 65,535-parameter cap.
 */
function bulkInsert<Row, Keys extends keyof Row & string>(
  table: string,
  columns: ColumnMap<Row, Keys>,
  rows: readonly Row[],
): Statement {
  const keys = Object.keys(columns) as Keys[];
  const parameters: unknown[] = keys.map((key) => {
    const isArray = columns[key][1] === 'text[]';
    return rows.map((row) => {
      const value = row[key] as unknown;
      return isArray ? textArrayLiteral(value as string[]) : value;
    });
  });
  const sourceTypes = keys.map((key) => (columns[key][1] === 'text[]' ? 'text' : columns[key][1]));
  const sourceNames = keys.map((key) => columns[key][0]);
  const targetNames = keys.map((key) => columns[key][0]);
  const selected = keys.map((key) => `source.${columns[key][0]}${columns[key][1] === 'text[]' ? '::text[]' : ''}`);
  const sql =
    `INSERT INTO ${table} (${targetNames.join(', ')}) ` +
    `SELECT ${selected.join(', ')} ` +
    `FROM unnest(${sourceTypes.map((type, index) => `$${index + 1}::${type}[]`).join(', ')}) ` +
    `AS source(${sourceNames.join(', ')})`;
  return { sql, parameters };
}

/** INSERT INTO instrument_search_text for one batch: ids plus the hook's text values, turned into vectors in SQL. */
function searchTextInsert(hook: SearchDocumentHook, batch: readonly DemoInstrument[], valueCount: number): Statement {
  const sourceNames = Array.from({ length: valueCount }, (_, index) => `search_value_${index + 1}`);
  const columns: unknown[][] = sourceNames.map(() => []);
  for (const instrument of batch) {
    const values = hook.values(instrument);
    if (values.length !== valueCount) {
      throw new Error(`searchDocument.values gave ${values.length} values for instrument ${instrument.id}, expected ${valueCount}`);
    }
    values.forEach((value, index) => columns[index].push(value));
  }
  const expressions = sourceNames.map((name) => `source.${name}`);
  return {
    sql:
      `INSERT INTO instrument_search_text (instrument_id, title, document) ` +
      `SELECT source.id, ${hook.titleSqlOver(expressions)}, ${hook.sqlOver(expressions)} ` +
      `FROM unnest($1::uuid[], ${sourceNames.map((_, index) => `$${index + 2}::text[]`).join(', ')}) AS source(id, ${sourceNames.join(', ')})`,
    parameters: [batch.map((instrument) => instrument.id), ...columns],
  };
}

/** The instrument's price columns always mirror its primary fee line, whatever the row says. */
function withPrimaryPrice(instrument: DemoInstrument): DemoInstrument {
  const primary = instrument.fees.find((fee) => fee.position === 0);
  return {
    ...instrument,
    priceUnit: primary?.unit ?? null,
    externalPriceFen: primary?.externalRateFen ?? null,
    internalPriceFen: primary?.internalRateFen ?? null,
  };
}

function toQueryFunction(target: DemoCatalogTarget): SqlQueryFunction {
  return typeof target === 'function' ? target : (sql, parameters) => target.query(sql, parameters);
}

/**
 * Bulk-inserts a generated catalog: institutions, then instruments with their fee lines, in batches.
 * Runs on the caller's connection and inside the caller's transaction (it never begins or commits
 * one), so a failure leaves nothing half-loaded. The region and instrument_category tables must
 * already be filled (prepareDatabase does both).
 */
export async function loadDemoCatalog(
  target: DemoCatalogTarget,
  catalog: DemoCatalog,
  options: LoadDemoCatalogOptions = {},
): Promise<LoadedDemoCatalog> {
  const query = toQueryFunction(target);
  const batchSize = options.batchSize ?? DEMO_LOAD_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a whole number >= 1');
  const searchDocument = options.searchDocument;
  const searchValueCount = searchDocument && catalog.instruments.length > 0 ? searchDocument.values(catalog.instruments[0]).length : 0;

  // One statement in flight at a time, in order (fees reference their instruments); the next
  // batch's parameters are built while the previous statement runs.
  let inFlight: Promise<unknown> = Promise.resolve();
  const send = async (statement: Statement) => {
    await inFlight;
    inFlight = query(statement.sql, statement.parameters);
    // Awaited by the next send; this only keeps an early failure from being reported as unhandled.
    inFlight.catch(() => undefined);
  };

  for (let start = 0; start < catalog.institutions.length; start += batchSize) {
    await send(bulkInsert('institution', INSTITUTION_COLUMNS, catalog.institutions.slice(start, start + batchSize)));
  }
  let fees = 0;
  for (let start = 0; start < catalog.instruments.length; start += batchSize) {
    const batch = catalog.instruments.slice(start, start + batchSize).map(withPrimaryPrice);
    await send(bulkInsert('instrument', INSTRUMENT_COLUMNS, batch));
    if (searchDocument) await send(searchTextInsert(searchDocument, batch, searchValueCount));
    const feeRows = batch.flatMap((instrument) => instrument.fees);
    fees += feeRows.length;
    if (feeRows.length > 0) await send(bulkInsert('instrument_fee', FEE_COLUMNS, feeRows));
  }
  await inFlight;
  return { institutions: catalog.institutions.length, instruments: catalog.instruments.length, fees };
}
