import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import { SummaryQuery } from '../../dto/statistics-summary.dto';
import { VOUCHER_REGION_LEVELS } from '../voucher-statistics-scope';
import type { VoucherRegionLevel } from '../voucher-statistics-scope';

export const VOUCHER_GROUPS = ['program', 'region', 'firm', 'holder', 'provider'] as const;
export type VoucherGroup = (typeof VOUCHER_GROUPS)[number];

/** The period as the other statistics (from/to, or a year, month or quarter; days in China Standard Time) and format=csv. */
export class VoucherStatisticsQuery extends OmitType(SummaryQuery, ['groupBy'] as const) {
  @ApiProperty({
    enum: VOUCHER_GROUPS,
    description: 'program; region = the issuing region (see level); firm = the enterprise holding the grants (grants of individuals count in the total only); holder = whoever holds the grants, firm or individual; provider = the owner institution of the instruments used',
  })
  @IsIn(VOUCHER_GROUPS)
  groupBy: VoucherGroup;

  @ApiPropertyOptional({
    enum: VOUCHER_REGION_LEVELS,
    default: 'city',
    description: 'With groupBy=region: roll issuing regions up to provinces, cities or counties; a program issued above the level keeps its own code',
  })
  @IsOptional()
  @IsIn(VOUCHER_REGION_LEVELS)
  @ValidateBy({
    name: 'onlyWithRegion',
    validator: {
      validate: (_value, args) => (args?.object as VoucherStatisticsQuery).groupBy === 'region',
      defaultMessage: () => 'level applies only with groupBy=region',
    },
  })
  level?: VoucherRegionLevel;
}

/**
 * Voucher money of one group (or of all groups together), in fen. Movements are ledger entries of
 * the period; reservedFen and availableFen are balances now. Granted, expired and available quota
 * belongs to no provider: null when figures are by provider or for a provider (lab managers).
 */
export class VoucherFiguresDto {
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Quota granted to firms (issued): grant and (signed) adjust entries of the period' })
  grantedFen: number | null;

  @ApiProperty({ description: 'Used on completed services: redeem entries of the period' })
  redeemedFen: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Quota lapsed at the end of validity: expire entries of the period' })
  expiredFen: number | null;

  @ApiProperty({ description: 'Reservations given back (cancelled, rejected or lapsed bookings; the unused part of completed ones): release entries of the period' })
  releasedFen: number;

  @ApiProperty({ description: 'Reserved now for bookings not yet completed' })
  reservedFen: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Available now in the firms\' wallets' })
  availableFen: number | null;

  @ApiProperty({ description: 'Distinct firms with a voucher used on a service in the period' })
  firmsServed: number;

  @ApiProperty({ description: 'Distinct individuals (holders without a firm) with a voucher used on a service in the period' })
  individualsServed: number;

  @ApiProperty({ description: 'Redeemed by the bureau: items of redemption claims marked paid in the period' })
  claimsPaidFen: number;
}

export class VoucherRowDto extends VoucherFiguresDto {
  @ApiProperty({ description: 'Program id, region code, institution id of the firm or provider, or (holder) the firm\'s or the individual\'s id' })
  key: string;

  @ApiProperty({ description: 'Name of the program, region, firm, holder or provider' })
  name: string;
}

export class VoucherTargetDto {
  @ApiProperty({ example: 200_000_000_000, description: "The province's target of quota granted (VOUCHER_TARGET_YUAN), in fen" })
  targetFen: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Granted within the caller\'s scope from the start up to the end of the period; null for a provider' })
  grantedToDateFen: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'grantedToDateFen / targetFen, to six decimals' })
  progress: number | null;
}

export class VoucherStatisticsDto {
  @ApiProperty({ enum: VOUCHER_GROUPS })
  groupBy: VoucherGroup;

  @ApiPropertyOptional({ enum: VOUCHER_REGION_LEVELS, description: 'With groupBy=region' })
  level?: VoucherRegionLevel;

  @ApiProperty({ example: '2026-01-01' })
  from: string;

  @ApiProperty({ example: '2026-03-31' })
  to: string;

  @ApiProperty({ type: VoucherTargetDto })
  target: VoucherTargetDto;

  @ApiProperty({ type: [VoucherRowDto] })
  rows: VoucherRowDto[];

  @ApiProperty({ type: VoucherFiguresDto, description: 'All rows together (firms served counted once)' })
  total: VoucherFiguresDto;
}
