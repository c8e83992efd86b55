import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { CategoriesService } from '../categories/categories.service';
import { RegionsService } from '../regions/regions.service';
import { FacetBucketDto, InstrumentFacetsDto, InstrumentPageDto } from './dto/instrument-page.dto';
import { InstrumentSummaryDto } from './dto/instrument-response.dto';
import { SearchInstrumentsQuery } from './dto/search-instruments.query';
import { InstrumentAccessPolicy } from './instrument-access.policy';
import { buildSearchCountStatement, buildSearchPageStatement } from './instrument-search.statements';
import { InstrumentSummaryRow, toInstrumentSummary } from './instrument-views';
import { SearchResultCache } from '../search-cache/search-result.cache';

interface CountRow {
  category: string | null;
  region: string | null;
  n: number;
  grouping_set: number;
}

export interface SearchCounts {
  total: number;
  facets: InstrumentFacetsDto;
}

/**
 * Catalog search: two statements run side by side, one for the total and the facets, one for
 * the page; both results are cached per visibility scope until the catalog changes.
 */
@Injectable()
export class InstrumentSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: InstrumentAccessPolicy,
    private readonly categories: CategoriesService,
    private readonly regions: RegionsService,
    private readonly cache: SearchResultCache,
  ) {}

  async search(user: AuthUser | undefined, query: SearchInstrumentsQuery): Promise<InstrumentPageDto> {
    const visibility = this.access.readableCondition(user, 'i', 1);
    const cached = await this.cache.read<SearchCounts, InstrumentSummaryDto[]>(this.access.scopeKey(user), { ...query });
    const [counts, items] = await Promise.all([
      cached.counts ?? this.count(visibility, query),
      cached.items ?? this.page(visibility, query),
    ]);
    if (!cached.counts || !cached.items) await this.cache.write(cached, counts, items);
    return { items, total: counts.total, page: query.page, pageSize: query.pageSize, facets: counts.facets };
  }

  private async count(visibility: ReturnType<InstrumentAccessPolicy['readableCondition']>, query: SearchInstrumentsQuery): Promise<SearchCounts> {
    const statement = buildSearchCountStatement(visibility, query);
    const rows: CountRow[] = await this.dataSource.query(statement.sql, statement.params);
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

  private async page(visibility: ReturnType<InstrumentAccessPolicy['readableCondition']>, query: SearchInstrumentsQuery): Promise<InstrumentSummaryDto[]> {
    const statement = buildSearchPageStatement(visibility, query);
    const rows: InstrumentSummaryRow[] = await this.dataSource.query(statement.sql, statement.params);
    return rows.map(toInstrumentSummary);
  }
}
