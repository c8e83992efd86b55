import { codeLevel } from '@app/db';
import type { CodeLevel } from '@app/db';
import { buildSearchQuery } from '@app/search';
import { SearchInstrumentsQuery } from './dto/search-instruments.query';
import type { SqlCondition } from './instrument-access.policy';
import { INSTRUMENT_SUMMARY_SELECT } from './instrument-views';

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** Placeholders grow as conditions are added, so user input always travels as parameters. */
class SqlBuilder {
  readonly params: unknown[] = [];
  readonly conditions: string[] = [];

  add(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(condition: string): void {
    this.conditions.push(condition);
  }
}

/** The columns of instrument_search_entry and _text holding each level of a code. */
const CATEGORY_COLUMNS: Record<CodeLevel, string> = { 1: 'category_l1_code', 2: 'category_l2_code', 3: 'category_code' };
const REGION_COLUMNS: Record<CodeLevel, string> = { 1: 'province_code', 2: 'city_code', 3: 'region_code' };

const ORDER_BY: Record<Exclude<SearchInstrumentsQuery['sort'], 'relevance'>, string> = {
  price_asc: 'i.external_price_fen ASC NULLS LAST, i.instrument_id',
  price_desc: 'i.external_price_fen DESC NULLS LAST, i.instrument_id',
  value_asc: 'i.original_value_fen ASC, i.instrument_id',
  value_desc: 'i.original_value_fen DESC, i.instrument_id',
  newest: 'i.created_at DESC, i.instrument_id',
};

/**
 * FROM and WHERE shared by both statements, over alias i: the narrow instrument_search_entry,
 * or instrument_search_text (same columns plus the vectors) when there is text to match.
 */
function matchingRows(visibility: SqlCondition, query: SearchInstrumentsQuery): { sql: SqlBuilder; from: string; tsquery: string | null } {
  const sql = new SqlBuilder();
  visibility.params.forEach((param) => sql.add(param));
  sql.where(visibility.sql);
  if (query.category) sql.where(`i.${CATEGORY_COLUMNS[codeLevel(query.category)]} = ${sql.add(query.category)}`);
  if (query.region) sql.where(`i.${REGION_COLUMNS[codeLevel(query.region)]} = ${sql.add(query.region)}`);
  if (query.serviceMode) sql.where(query.serviceMode === 'self_operated' ? 'i.offers_self_operated' : 'i.offers_sample_submission');
  if (query.institutionId) sql.where(`i.institution_id = ${sql.add(query.institutionId)}`);
  if (query.minPriceFen !== undefined) sql.where(`i.external_price_fen >= ${sql.add(query.minPriceFen)}`);
  if (query.maxPriceFen !== undefined) sql.where(`i.external_price_fen <= ${sql.add(query.maxPriceFen)}`);
  if (query.minValueFen !== undefined) sql.where(`i.original_value_fen >= ${sql.add(query.minValueFen)}`);
  if (query.maxValueFen !== undefined) sql.where(`i.original_value_fen <= ${sql.add(query.maxValueFen)}`);
  if (query.sharingMode) sql.where(`i.sharing_mode = ${sql.add(query.sharingMode)}`);

  const textQuery = query.q ? buildSearchQuery(query.q, sql.params.length + 1) : null;
  if (!textQuery) return { sql, from: 'instrument_search_entry i', tsquery: null };
  textQuery.params.forEach((param) => sql.add(param));
  // The tsquery stays an expression over parameters (not a joined subquery), so the planner folds it
  // into a constant, estimates the matches from the GIN statistics and uses the index.
  sql.where(`i.document @@ ${textQuery.sql}`);
  // The text table carries its own copy of the narrow columns: one table, no join.
  return { sql, from: 'instrument_search_text i', tsquery: textQuery.sql };
}

/**
 * Total and both facets in one pass over the matches (GROUPING SETS), without materializing them.
 * Rows: (category, null, n, 1) per category, (null, region, n, 2) per region, (null, null, total, 3).
 */
export function buildSearchCountStatement(visibility: SqlCondition, query: SearchInstrumentsQuery): SqlStatement {
  const { sql, from } = matchingRows(visibility, query);
  const category = `i.${categoryFacetColumn(query.category)}`;
  const region = `i.${regionFacetColumn(query.region)}`;
  return {
    params: sql.params,
    sql: `
      SELECT ${category} AS category, ${region} AS region, count(*)::int AS n, GROUPING(${category}, ${region}) AS grouping_set
      FROM ${from}
      WHERE ${sql.conditions.join(' AND ')}
      GROUP BY GROUPING SETS ((${category}), (${region}), ())`,
  };
}

/**
 * The requested page, in order, with the summary columns of each instrument. Relevance ranks by
 * the small title vector (names, then model and maker), cheap even for thousands of matches.
 */
export function buildSearchPageStatement(visibility: SqlCondition, query: SearchInstrumentsQuery): SqlStatement {
  const { sql, from, tsquery } = matchingRows(visibility, query);
  const order =
    query.sort === 'relevance'
      ? tsquery
        ? `ts_rank(i.title, ${tsquery}) DESC, i.instrument_id`
        : ORDER_BY.newest
      : ORDER_BY[query.sort];
  const limit = sql.add(query.pageSize);
  const offset = sql.add((query.page - 1) * query.pageSize);
  return {
    params: sql.params,
    sql: `
      ${INSTRUMENT_SUMMARY_SELECT}
      JOIN unnest(ARRAY(
             SELECT i.instrument_id FROM ${from} WHERE ${sql.conditions.join(' AND ')}
             ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}
           )) WITH ORDINALITY AS page (instrument_id, position) ON page.instrument_id = i.id
      ORDER BY page.position`,
  };
}

/** Facet one level below the category filter: top level, then level 2, then leaves. */
function categoryFacetColumn(category?: string): string {
  return category ? CATEGORY_COLUMNS[Math.min(codeLevel(category) + 1, 3) as CodeLevel] : CATEGORY_COLUMNS[1];
}

/** Facet by city, or by county once a city or county is chosen. */
function regionFacetColumn(region?: string): string {
  return region && codeLevel(region) > 1 ? REGION_COLUMNS[3] : REGION_COLUMNS[2];
}

/**
 * With text to match, one pass over the matches serves both answers: the matching rows (narrow
 * columns and title rank) are materialized once, then counted by GROUPING SETS and ordered for
 * the page. Returns one row: counts (as in buildSearchCountStatement) and the page's ids in order.
 */
export function buildTextSearchStatement(visibility: SqlCondition, query: SearchInstrumentsQuery): SqlStatement | null {
  const { sql, from, tsquery } = matchingRows(visibility, query);
  if (!tsquery) return null;
  const category = categoryFacetColumn(query.category);
  const region = regionFacetColumn(query.region);
  const order = query.sort === 'relevance' ? 'i.rank DESC, i.instrument_id' : ORDER_BY[query.sort];
  const limit = sql.add(query.pageSize);
  const offset = sql.add((query.page - 1) * query.pageSize);
  return {
    params: sql.params,
    sql: `
      WITH matched AS MATERIALIZED (
        SELECT i.instrument_id, i.${category} AS category, i.${region} AS region, i.external_price_fen,
               i.original_value_fen, i.created_at, ts_rank(i.title, ${tsquery}) AS rank
        FROM ${from}
        WHERE ${sql.conditions.join(' AND ')}
      )
      SELECT
        (SELECT coalesce(json_agg(counted), '[]') FROM (
           SELECT category, region, count(*)::int AS n, GROUPING(category, region) AS grouping_set
           FROM matched GROUP BY GROUPING SETS ((category), (region), ())) counted) AS counts,
        ARRAY(SELECT i.instrument_id FROM matched i ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) AS page_ids`,
  };
}
