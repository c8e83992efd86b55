import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DATE_PATTERN, PERIOD_PATTERN } from '../statistics-period';

export const SUMMARY_GROUPS = ['institution', 'county', 'city', 'province', 'category'] as const;
export type SummaryGroup = (typeof SUMMARY_GROUPS)[number];

export class SummaryQuery {
  @ApiProperty({ enum: SUMMARY_GROUPS, description: 'category groups by the first level of the category code' })
  @IsIn(SUMMARY_GROUPS)
  groupBy: SummaryGroup;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'First local day (with to)' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'from must be a date (yyyy-MM-dd)' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Last local day, inclusive (with from)' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'to must be a date (yyyy-MM-dd)' })
  to?: string;

  @ApiPropertyOptional({ example: '2026-Q1', description: 'Instead of from/to: a year (2026), month (2026-03) or quarter (2026-Q1)' })
  @IsOptional()
  @Matches(PERIOD_PATTERN, { message: 'period must be a year (2026), month (2026-03) or quarter (2026-Q1)' })
  period?: string;

  @ApiPropertyOptional({ example: '330100', description: 'Only instruments located in this region (a city or county code): drill-down, within your own scope' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'region must be a six-digit GB/T 2260 code' })
  region?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** Figures of one group (or of all groups together). Minutes and fen are exact; hours and rates derived. */
export class SummaryFiguresDto {
  @ApiProperty({ description: 'Instruments with compiled days in the range' })
  instruments: number;

  @ApiProperty({ description: 'Compiled (instrument, day) rows' })
  instrumentDays: number;

  @ApiProperty()
  openMinutes: number;

  @ApiProperty()
  bookedMinutes: number;

  @ApiProperty()
  effectiveMinutes: number;

  @ApiProperty()
  externalMinutes: number;

  @ApiProperty()
  openHours: number;

  @ApiProperty()
  bookedHours: number;

  @ApiProperty()
  effectiveHours: number;

  @ApiProperty()
  externalHours: number;

  @ApiProperty({ description: 'Rated hours (定额机时) of the compiled days: yearly rated hours by purpose, pro-rated per day of its year' })
  ratedHours: number;

  @ApiPropertyOptional({ description: 'effective / rated hours; null without rated hours' })
  utilizationRated: number | null;

  @ApiPropertyOptional({ description: 'effective / open hours; null without open hours' })
  utilizationOpen: number | null;

  @ApiPropertyOptional({ description: 'Sharing rate (共享率): external / effective hours; null without effective hours' })
  sharingRate: number | null;

  @ApiProperty({ description: 'Completed services' })
  services: number;

  @ApiProperty({ description: 'Final fees of completed services plus cancellation fees, in fen' })
  revenueFen: number;

  @ApiProperty()
  noShows: number;

  @ApiProperty()
  ratingCount: number;

  @ApiPropertyOptional({ description: 'Average rating (1-5); null without ratings' })
  averageRating: number | null;
}

export class SummaryRowDto extends SummaryFiguresDto {
  @ApiProperty({ description: 'Institution id, region code or level-1 category code' })
  key: string;

  @ApiProperty({ description: 'Name of the institution, region or category' })
  name: string;
}

export class SummaryDto {
  @ApiProperty({ enum: SUMMARY_GROUPS })
  groupBy: SummaryGroup;

  @ApiProperty({ example: '2026-01-01' })
  from: string;

  @ApiProperty({ example: '2026-03-31' })
  to: string;

  @ApiProperty({ type: [SummaryRowDto] })
  rows: SummaryRowDto[];

  @ApiProperty({ type: SummaryFiguresDto, description: 'All rows together' })
  total: SummaryFiguresDto;
}
