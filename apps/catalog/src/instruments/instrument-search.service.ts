import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { CategoriesService } from '../categories/categories.service';
import { RegionsService } from '../regions/regions.service';
import { FacetBucketDto, InstrumentFacetsDto, InstrumentPageDto } from './dto/instrument-page.dto';
import { InstrumentSummaryDto } from './dto/instrument-response.dto';
import { SearchInstrumentsQuery } from './dto/search-instruments.query';
import { InstrumentAccessPolicy } from './instrument-access.policy';
import { SqlStatement, buildSearchCountStatement, buildSearchPageStatement, buildTextSearchStatement } from './instrument-search.statements';
import { InstrumentSummaryRow, JsonText, SummaryNames, loadInstrumentSummaries, summaryJsonOfListing, toInstrumentSummary } from './instrument-views';
import { SearchResultCache } from '../search-cache/search-result.cache';
import { IndexSearchResult, InstrumentSearchIndex } from '../search-index/instrument-search-index';
import { InstrumentSearchIndexService } from '../search-index/instrument-search-index.service';

interface CountRow {
  category: string | null;
  region: string | null;
  n: number;
  grouping_set: number;
}

type Visibility = ReturnType<InstrumentAccessPolicy['readableCondition']>;

/**
 * Runs a text statement with sequential scans off: the documents live out of line, so a scan would
 * fetch every one of them, a cost the planner does not see; the GIN index never needs them.
 */
export async function runTextStatement<T>(manager: EntityManager, statement: SqlStatement): Promise<T[]> {
  return manager.transaction(async (transaction) => {
    await transaction.query('SET LOCAL enable_seqscan = off');
    return transaction.query(statement.sql, statement.params);
  });
}

export interface SearchCounts {
  total: number;
  facets: InstrumentFacetsDto;
}

/**
 * Catalog search. Served by the in-memory index when it is loaded (the page from the listings it
 * keeps per instrument); otherwise in SQL: without text, two statements side by side (total and facets; the
 * page), with text, one pass over the matches for both. SQL results are cached per visibility scope
 * until the catalog changes.
 */
@Injectable()
export class InstrumentSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: InstrumentAccessPolicy,
    private readonly categories: CategoriesService,
    private readonly regions: RegionsService,
    private readonly cache: SearchResultCache,
    private readonly searchIndex: InstrumentSearchIndexService,
  ) {}

  /** From the index, the page's JSON text, assembled from the listings' JSON without a parse and stringify round trip. */
  async search(user: AuthUser | undefined, query: SearchInstrumentsQuery): Promise<InstrumentPageDto | JsonText<InstrumentPageDto>> {
    // The index, while it serves, answers every search without the Redis result cache: it is
    // current with every committed write, and a search in it (about 0.7 ms) costs less than a cache
    // miss (an MGET, then about 15 KB written back) and no more than a hit (MGET and JSON.parse).
    // The cache keeps the SQL path cheap while the index loads, and where it is disabled or failed.
    const index = await this.searchIndex.current();
    if (index) return this.indexSearch(index, user, query);
    const [counts, items] = await this.sqlSearch(user, query);
    return { items, total: counts.total, page: query.page, pageSize: query.pageSize, facets: counts.facets };
  }

  private async sqlSearch(user: AuthUser | undefined, query: SearchInstrumentsQuery): Promise<[SearchCounts, InstrumentSummaryDto[]]> {
    const cached = await this.cache.read<SearchCounts, InstrumentSummaryDto[]>(this.access.scopeKey(user), { ...query });
    if (cached.counts && cached.items) return [cached.counts, cached.items];
    const visibility = this.access.readableCondition(user, 'i', 1);
    const textStatement = cached.counts ? null : buildTextSearchStatement(visibility, query);
    const [counts, items] = textStatement
      ? await this.textSearch(textStatement, cached.items)
      : await Promise.all([cached.counts ?? this.count(visibility, query), cached.items ?? this.page(visibility, query)]);
    this.cache.write(cached, counts, items);
    return [counts, items];
  }

  private async indexSearch(index: InstrumentSearchIndex, user: AuthUser | undefined, query: SearchInstrumentsQuery): Promise<JsonText<InstrumentPageDto>> {
    const text = query.q ? await this.searchIndex.textQuery(query.q) : undefined;
    const { q: _text, ...filters } = query;
    const result = index.search({ ...filters, scope: this.access.readableScope(user), text });
    const rows: CountRow[] = [
      ...[...result.categoryFacet].map(([category, n]) => ({ category, region: null, n, grouping_set: 1 })),
      ...[...result.regionFacet].map(([region, n]) => ({ category: null, region, n, grouping_set: 2 })),
      { category: null, region: null, n: result.total, grouping_set: 3 },
    ];
    const [counts, items] = await Promise.all([this.toCounts(rows), this.pageJson(result)]);
    // The keys in InstrumentPageDto's order, as the SQL path's object is serialized.
    return `{"items":${items},"total":${counts.total},"page":${query.page},"pageSize":${query.pageSize},"facets":${JSON.stringify(counts.facets)}}`;
  }

  /** The page from the index's listings, as a JSON array; from the database only if a name is unknown here (an institution created a moment ago). */
  private async pageJson(result: IndexSearchResult): Promise<JsonText<InstrumentSummaryDto[]>> {
    const [categories, regionNames] = await Promise.all([this.categories.all(), this.regions.nameMap()]);
    const names: SummaryNames = {
      category: (code) => categories.get(code),
      institution: (id) => this.searchIndex.institution(id),
      region: (code) => regionNames.get(code),
    };
    const summaries: string[] = [];
    for (let i = 0; i < result.pageIds.length; i++) {
      const summary = summaryJsonOfListing(result.pageIds[i], result.pageListings[i], names);
      if (summary === undefined) return JSON.stringify(await loadInstrumentSummaries(this.dataSource.manager, result.pageIds));
      summaries.push(summary);
    }
    return `[${summaries.join(',')}]`;
  }

  /** Text queries: counts and page ids from one pass over the matches, then the page's rows. */
  private async textSearch(statement: SqlStatement, cachedItems: InstrumentSummaryDto[] | undefined): Promise<[SearchCounts, InstrumentSummaryDto[]]> {
    const [row]: { counts: CountRow[]; page_ids: string[] }[] = await runTextStatement(this.dataSource.manager, statement);
    const counts = await this.toCounts(row.counts);
    return [counts, cachedItems ?? (await loadInstrumentSummaries(this.dataSource.manager, row.page_ids))];
  }

  private async count(visibility: Visibility, query: SearchInstrumentsQuery): Promise<SearchCounts> {
    const statement = buildSearchCountStatement(visibility, query);
    return this.toCounts(await this.dataSource.query(statement.sql, statement.params));
  }

  private async toCounts(rows: CountRow[]): Promise<SearchCounts> {
    const [categories, regionNames] = await Promise.all([this.categories.all(), this.regions.nameMap()]);
    const byCount = (a: FacetBucketDto, b: FacetBucketDto) => b.count - a.count || a.code.localeCompare(b.code);
    return {
      total: rows.find((row) => row.grouping_set === 3)?.n ?? 0,
      facets: {
        category: rows
          .filter((row) => row.grouping_set === 1 && row.category !== null)
          .map((row) => ({
            code: row.category!,
            nameZh: categories.get(row.category!)?.nameZh ?? row.category!,
            nameEn: categories.get(row.category!)?.nameEn ?? null,
            count: row.n,
          }))
          .sort(byCount),
        region: rows
          .filter((row) => row.grouping_set === 2 && row.region !== null)
          .map((row) => ({ code: row.region!, nameZh: regionNames.get(row.region!) ?? row.region!, nameEn: null, count: row.n }))
          .sort(byCount),
      },
    };
  }

  private async page(visibility: Visibility, query: SearchInstrumentsQuery): Promise<InstrumentSummaryDto[]> {
    const statement = buildSearchPageStatement(visibility, query);
    const rows: InstrumentSummaryRow[] = query.q
      ? await runTextStatement(this.dataSource.manager, statement)
      : await this.dataSource.query(statement.sql, statement.params);
    return rows.map(toInstrumentSummary);
  }
}
