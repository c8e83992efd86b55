import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { buildSearchQuery } from '@app/search';
import { CategoriesService } from '../categories/categories.service';
import { RegionsService } from '../regions/regions.service';
import { InstrumentFacetsDto, InstrumentPageDto } from './dto/instrument-page.dto';
import { SearchInstrumentsQuery } from './dto/search-instruments.query';
import { InstrumentAccessPolicy, SqlCondition } from './instrument-access.policy';
import { loadInstrumentSummaries } from './instrument-views';

const ORDER_BY: Record<Exclude<SearchInstrumentsQuery['sort'], 'relevance'>, string> = {
  price_asc: 'external_price_fen ASC NULLS LAST, id',
  price_desc: 'external_price_fen DESC NULLS LAST, id',
  value_asc: 'original_value_fen ASC, id',
  value_desc: 'original_value_fen DESC, id',
  newest: 'created_at DESC, id',
};

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

/** Catalog search: the search statement, then the page's rows and the facets' names. */
@Injectable()
export class InstrumentSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: InstrumentAccessPolicy,
    private readonly categories: CategoriesService,
    private readonly regions: RegionsService,
  ) {}

  async search(user: AuthUser | undefined, query: SearchInstrumentsQuery): Promise<InstrumentPageDto> {
    const statement = buildSearchStatement(this.access.readableCondition(user, 'i', 1), query);
    const [row] = await this.dataSource.query(statement.sql, statement.params);
    const items = await loadInstrumentSummaries(this.dataSource.manager, row.page_ids);
    return {
      items,
      total: row.total,
      page: query.page,
      pageSize: query.pageSize,
      facets: await this.facetNames(row.category_facets, row.region_facets),
    };
  }

  private async facetNames(categoryCounts: [string, number][], regionCounts: [string, number][]): Promise<InstrumentFacetsDto> {
    const categories = await this.categories.all();
    const regionNames = await this.regions.nameMap();
    return {
      category: categoryCounts.map(([code, count]) => ({
        code,
        nameZh: categories.get(code)?.nameZh ?? code,
        nameEn: categories.get(code)?.nameEn ?? null,
        count,
      })),
      region: regionCounts.map(([code, count]) => ({ code, nameZh: regionNames.get(code) ?? code, nameEn: null, count })),
    };
  }
}


/**
 * The one search statement: the matches are computed once (visibility, filters, full text),
 * then the total, both facets and the page's ids come from them. Exported for the benchmark,
 * which runs the very same SQL without HTTP.
 */
export function buildSearchStatement(visibility: SqlCondition, query: SearchInstrumentsQuery): { sql: string; params: unknown[] } {
  const sql = new SqlBuilder();
  visibility.params.forEach((param) => sql.add(param));
  sql.where(visibility.sql);
  addFilters(sql, query);

  const textQuery = query.q ? buildSearchQuery(query.q, sql.params.length + 1) : null;
  let rankColumn = '0::real AS rank';
  if (textQuery) {
    textQuery.params.forEach((param) => sql.add(param));
    sql.where(`t.document @@ tsq.q`);
    // Ranked by the small title vector: names first, then model and maker; cheap for thousands of matches.
    rankColumn = `ts_rank(t.title, tsq.q) AS rank`;
  }
  const order = query.sort === 'relevance' ? (textQuery ? 'rank DESC, id' : ORDER_BY.newest) : ORDER_BY[query.sort];
  const categoryFacet = categoryFacetColumn(query.category);
  const regionFacet = regionFacetColumn(query.region);
  const limit = sql.add(query.pageSize);
  const offset = sql.add((query.page - 1) * query.pageSize);

  return {
    params: sql.params,
    sql: `
      WITH ${textQuery ? `tsq AS (SELECT ${textQuery.sql} AS q),` : ''}
      matched AS MATERIALIZED (
        SELECT i.instrument_id AS id, i.${categoryFacet} AS category_facet, i.${regionFacet} AS region_facet,
               i.external_price_fen, i.original_value_fen, i.created_at, ${rankColumn}
        FROM instrument_search_entry i
        ${textQuery ? 'JOIN instrument_search_text t ON t.instrument_id = i.instrument_id CROSS JOIN tsq' : ''}
        WHERE ${sql.conditions.join(' AND ')}
      )
      SELECT
        (SELECT count(*)::int FROM matched) AS total,
        (SELECT coalesce(json_agg(json_build_array(category_facet, n) ORDER BY n DESC, category_facet), '[]')
           FROM (SELECT category_facet, count(*)::int AS n FROM matched WHERE category_facet IS NOT NULL GROUP BY 1) f) AS category_facets,
        (SELECT coalesce(json_agg(json_build_array(region_facet, n) ORDER BY n DESC, region_facet), '[]')
           FROM (SELECT region_facet, count(*)::int AS n FROM matched GROUP BY 1) f) AS region_facets,
        (SELECT coalesce(json_agg(id), '[]') FROM (SELECT id FROM matched ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) p) AS page_ids`,
  };
}

function addFilters(sql: SqlBuilder, query: SearchInstrumentsQuery): void {
  if (query.category) {
    const column = query.category.endsWith('0000') ? 'category_l1_code' : query.category.endsWith('00') ? 'category_l2_code' : 'category_code';
    sql.where(`i.${column} = ${sql.add(query.category)}`);
  }
  if (query.region) {
    const column = query.region.endsWith('0000') ? 'province_code' : query.region.endsWith('00') ? 'city_code' : 'region_code';
    sql.where(`i.${column} = ${sql.add(query.region)}`);
  }
  if (query.serviceMode) sql.where(query.serviceMode === 'self_operated' ? 'i.offers_self_operated' : 'i.offers_sample_submission');
  if (query.institutionId) sql.where(`i.institution_id = ${sql.add(query.institutionId)}`);
  if (query.minPriceFen !== undefined) sql.where(`i.external_price_fen >= ${sql.add(query.minPriceFen)}`);
  if (query.maxPriceFen !== undefined) sql.where(`i.external_price_fen <= ${sql.add(query.maxPriceFen)}`);
  if (query.minValueFen !== undefined) sql.where(`i.original_value_fen >= ${sql.add(query.minValueFen)}`);
  if (query.maxValueFen !== undefined) sql.where(`i.original_value_fen <= ${sql.add(query.maxValueFen)}`);
  if (query.sharingMode) sql.where(`i.sharing_mode = ${sql.add(query.sharingMode)}`);
}


/** Facet one level below the category filter: top level, then level 2, then leaves. */
function categoryFacetColumn(category?: string): string {
  if (!category) return 'category_l1_code';
  if (category.endsWith('0000')) return 'category_l2_code';
  return 'category_code';
}

/** Facet by city, or by county once a city or county is chosen. */
function regionFacetColumn(region?: string): string {
  if (!region || region.endsWith('0000')) return 'city_code';
  return 'region_code';
}
