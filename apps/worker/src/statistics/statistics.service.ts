import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppConfig } from '@app/config';
import { compiledFiguresSql } from './compiled-figures';
import { CsvColumn, toCsv } from './csv';
import { SummaryDto, SummaryGroup, SummaryQuery, SummaryRowDto } from './dto/statistics-summary.dto';
import { resolveDayRange } from './statistics-period';
import { EMPTY_SUMS, SummarySums, addSums, figuresOf } from './statistics-rates';
import { regionCondition, scopeCondition, statisticsScope } from './statistics-scope';

/** Per group: the instrument column that keys it and where its name comes from. */
const GROUPS: Record<SummaryGroup, { key: string; name: string }> = {
  institution: { key: 'i.institution_id::text', name: '(SELECT name_zh FROM institution WHERE id = g.key::uuid)' },
  county: { key: 'i.region_code::text', name: '(SELECT name FROM region WHERE code = g.key)' },
  city: { key: 'i.city_code::text', name: '(SELECT name FROM region WHERE code = g.key)' },
  province: { key: 'i.province_code::text', name: '(SELECT name FROM region WHERE code = g.key)' },
  category: { key: 'i.category_l1_code::text', name: '(SELECT name_zh FROM instrument_category WHERE code = g.key)' },
};

interface SumsRow {
  key: string;
  name: string | null;
  instruments: string;
  instrument_days: string;
  open_minutes: string;
  booked_minutes: string;
  effective_minutes: string;
  external_minutes: string;
  rated_hours: string;
  services: string;
  revenue_fen: string;
  no_shows: string;
  rating_sum: string;
  rating_count: string;
}

function sumsOf(row: SumsRow): SummarySums {
  return {
    instruments: Number(row.instruments),
    instrumentDays: Number(row.instrument_days),
    openMinutes: Number(row.open_minutes),
    bookedMinutes: Number(row.booked_minutes),
    effectiveMinutes: Number(row.effective_minutes),
    externalMinutes: Number(row.external_minutes),
    ratedHours: Number(row.rated_hours),
    services: Number(row.services),
    revenueFen: Number(row.revenue_fen),
    noShows: Number(row.no_shows),
    ratingSum: Number(row.rating_sum),
    ratingCount: Number(row.rating_count),
  };
}

/** The columns of the summary CSV: the JSON row's fields, in its order. */
const SUMMARY_CSV: CsvColumn<SummaryRowDto>[] = (
  [
    'key', 'name', 'instruments', 'instrumentDays', 'openMinutes', 'bookedMinutes', 'effectiveMinutes', 'externalMinutes', 'openHours',
    'bookedHours', 'effectiveHours', 'externalHours', 'ratedHours', 'utilizationRated', 'utilizationOpen', 'sharingRate', 'services',
    'revenueFen', 'noShows', 'ratingCount', 'averageRating',
  ] as const
).map((field) => ({ header: field, value: (row: SummaryRowDto) => row[field] }));

/** Roll-ups of the compiled days: by institution, region or category, within the caller's scope. */
@Injectable()
export class StatisticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async summary(user: AuthUser, query: SummaryQuery): Promise<SummaryDto> {
    const scope = statisticsScope(user);
    const range = resolveDayRange(query, this.config.STATISTICS_MAX_RANGE_DAYS);
    const group = GROUPS[query.groupBy];
    const params: unknown[] = [range.firstDay, range.lastDay, this.config.RATED_HOURS_GENERAL, this.config.RATED_HOURS_SPECIAL];
    const condition = scopeCondition(scope, params) + regionCondition(query.region, params);
    // Rated hours: the instrument's yearly rated hours over the days of that year, for each compiled day (a month row counts its days).
    const rows: SumsRow[] = await this.dataSource.query(
      `SELECT g.*, ${group.name} AS name FROM (
         SELECT ${group.key} AS key,
                count(DISTINCT s.instrument_id) AS instruments,
                sum(s.days) AS instrument_days,
                sum(s.open_minutes) AS open_minutes,
                sum(s.booked_minutes) AS booked_minutes,
                sum(s.effective_minutes) AS effective_minutes,
                sum(s.external_minutes) AS external_minutes,
                sum(CASE i.purpose WHEN 'general' THEN $3::int ELSE $4::int END::numeric * s.days
                    / ((date_trunc('year', s.month) + interval '1 year')::date - date_trunc('year', s.month)::date)) AS rated_hours,
                sum(s.services) AS services,
                sum(s.revenue_fen) AS revenue_fen,
                sum(s.no_shows) AS no_shows,
                sum(s.rating_sum) AS rating_sum,
                sum(s.rating_count) AS rating_count
         FROM (${compiledFiguresSql('$1', '$2')}) s
         JOIN instrument i ON i.id = s.instrument_id
         WHERE true${condition}
         GROUP BY 1) g
       ORDER BY g.key`,
      params,
    );
    let total = EMPTY_SUMS;
    const summaryRows = rows.map((row) => {
      const sums = sumsOf(row);
      total = addSums(total, sums);
      return { key: row.key, name: row.name ?? row.key, ...figuresOf(sums) };
    });
    return { groupBy: query.groupBy, from: range.firstDay, to: range.lastDay, rows: summaryRows, total: figuresOf(total) };
  }

  summaryCsv(summary: SummaryDto): string {
    return toCsv(SUMMARY_CSV, summary.rows);
  }
}
