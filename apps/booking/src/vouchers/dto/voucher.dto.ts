import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
} from 'class-validator';
import { SERVICE_MODES } from '@app/db';
import type { ServiceMode } from '@app/db';
import { FeeQuoteDto } from '../../bookings/dto/booking.dto';
import { INSTANT } from '../../opening-rules/dto/opening-rules.dto';

export const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** A calendar date, YYYY-MM-DD (China Standard Time where it bounds a period). */
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SIX_DIGITS = /^[0-9]{6}$/;
/** 10 billion yuan: more than any program holds; keeps sums far inside bigint and JS integers. */
const MAX_FEN = 1_000_000_000_000;

export const GRANT_STATUSES = ['applied', 'approved', 'rejected'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
export const PAYMENT_STATUSES = ['reserved', 'released', 'redeemed'] as const;
export type VoucherPaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const LEDGER_KINDS = ['grant', 'reserve', 'release', 'redeem', 'expire', 'adjust'] as const;

export class CreateVoucherProgramDto {
  @ApiProperty({ example: '2027年杭州市科技创新券', maxLength: 200 })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: '330100', description: 'GB/T 2260 code of the issuing bureau’s region; within your own region' })
  @Matches(SIX_DIGITS, { message: 'issuingRegionCode must be a six-digit GB/T 2260 code' })
  issuingRegionCode: string;

  @ApiProperty({ example: 50_000_000_00, description: 'Budget in fen' })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  budgetFen: number;

  @ApiProperty({ example: '2027-01-01', description: 'First valid day (China Standard Time)' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'validFrom must be a date YYYY-MM-DD' })
  validFrom: string;

  @ApiProperty({ example: '2027-12-31', description: 'Last valid day; unused quota expires when it ends' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'validUntil must be a date YYYY-MM-DD' })
  validUntil: string;

  @ApiPropertyOptional({ enum: SERVICE_MODES, isArray: true, description: 'Default: both modes' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(SERVICE_MODES, { each: true })
  eligibleServiceModes?: ServiceMode[];

  @ApiPropertyOptional({ type: [String], example: ['010000'], description: 'Category codes of any level; default: every category' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(SIX_DIGITS, { each: true, message: 'each category code must have six digits' })
  eligibleCategoryCodes?: string[];

  @ApiPropertyOptional({ type: [String], example: ['330100', '330200'], description: 'Regions whose providers accept the vouchers; default: the issuing region' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(SIX_DIGITS, { each: true, message: 'each region code must have six digits' })
  acceptedRegionCodes?: string[];

  @ApiPropertyOptional({ example: 2_000_000, description: 'Most one application may ask for, in fen (default 20,000 yuan)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  applicationCapFen?: number;

  @ApiPropertyOptional({ example: 10_000_000, description: 'Most one firm may be granted per year, in fen (default 100,000 yuan)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  firmYearCapFen?: number;

  @ApiPropertyOptional({ example: 1_000_000, description: 'Orders below this fee may be paid fully by voucher, in fen (default 10,000 yuan)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  fullCoverBelowFen?: number;

  @ApiPropertyOptional({ example: 50, description: 'Share of a larger order a voucher may pay, in percent (default 50)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  shareAbovePercent?: number;

  @ApiPropertyOptional({ default: false, description: 'Individuals (researchers without a firm, makers) may apply as well as small and micro firms' })
  @IsOptional()
  @IsBoolean()
  allowsIndividuals?: boolean;
}

export class VoucherProgramResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() issuingRegionCode: string;
  @ApiProperty() budgetFen: number;
  @ApiProperty({ description: 'Approved grants (and adjustments) so far' }) grantedFen: number;
  @ApiProperty() remainingFen: number;
  @ApiProperty() validFrom: string;
  @ApiProperty() validUntil: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ enum: SERVICE_MODES, isArray: true }) eligibleServiceModes: ServiceMode[];
  @ApiProperty({ type: [String] }) eligibleCategoryCodes: string[];
  @ApiProperty({ type: [String] }) acceptedRegionCodes: string[];
  @ApiProperty() applicationCapFen: number;
  @ApiProperty() firmYearCapFen: number;
  @ApiProperty() fullCoverBelowFen: number;
  @ApiProperty() shareAbovePercent: number;
  @ApiProperty({ description: 'Individuals may apply, not only firms' }) allowsIndividuals: boolean;
  @ApiProperty({ enum: ['open', 'closed'] }) status: 'open' | 'closed';
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class ApplyForVoucherDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId: string;

  @ApiProperty({ example: 2_000_000, description: 'Quota asked for, in fen' })
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen: number;

  @ApiPropertyOptional({ maxLength: 2000, example: '新材料研发检测' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(2000)
  purpose?: string;
}

export class GrantDecisionDto {
  @ApiPropertyOptional({ description: 'Approve less than asked, in fen (default: the amount asked)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen?: number;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Required to reject; shown to the firm' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason?: string;
}

export class GrantAdjustmentDto {
  @ApiProperty({ description: 'Fen added to (positive) or taken from (negative) the available quota' })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_FEN)
  @Max(MAX_FEN)
  amountFen: number;

  @ApiProperty({ maxLength: 2000 })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason: string;
}

export class ListGrantsQuery {
  @ApiPropertyOptional({ enum: GRANT_STATUSES })
  @IsOptional()
  @IsIn(GRANT_STATUSES)
  status?: GrantStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programId?: string;
}

export class VoucherBalancesDto {
  @ApiProperty() availableFen: number;
  @ApiProperty() reservedFen: number;
  @ApiProperty({ description: 'Spent on completed services' }) redeemedFen: number;
  @ApiProperty() expiredFen: number;
}

export class VoucherGrantResponseDto extends VoucherBalancesDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() programName: string;
  @ApiProperty({ enum: ['enterprise', 'individual'], description: 'Whose wallet the grant is in: a firm or one person' }) holderKind: 'enterprise' | 'individual';
  @ApiPropertyOptional({ format: 'uuid', description: 'The firm holding the grant (holderKind enterprise)' }) enterpriseId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The person holding the grant (holderKind individual)' }) holderUserId?: string;
  @ApiProperty({ description: 'The firm’s or the person’s name' }) holderName: string;
  @ApiPropertyOptional({ description: 'The firm’s name (holderKind enterprise)' }) enterpriseName?: string;
  @ApiProperty() requestedFen: number;
  @ApiPropertyOptional() approvedFen?: number;
  @ApiProperty() purpose: string;
  @ApiProperty({ enum: GRANT_STATUSES }) status: GrantStatus;
  @ApiPropertyOptional() decisionReason?: string;
  @ApiPropertyOptional({ format: 'date-time' }) decidedAt?: string;
  @ApiProperty({ format: 'date-time', description: 'Unused quota expires at this instant' }) expiresAt: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class VoucherWalletDto {
  @ApiProperty({ description: 'Sums over the approved grants' }) totals: VoucherBalancesDto;
  @ApiProperty({ type: [VoucherGrantResponseDto] }) grants: VoucherGrantResponseDto[];
}

export class VoucherLedgerEntryDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: LEDGER_KINDS }) kind: string;
  @ApiProperty() amountFen: number;
  @ApiPropertyOptional({ format: 'uuid' }) bookingId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) providerInstitutionId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Who moved the money; absent when the system did (expiry, a hold lapsing, a request expiring)' }) actorId?: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class VoucherLedgerDto {
  @ApiProperty({ description: 'The grant’s balances, as kept' }) balances: VoucherBalancesDto;
  @ApiProperty({ description: 'The same balances summed from the entries below' }) replayed: VoucherBalancesDto;
  @ApiProperty({ type: [VoucherLedgerEntryDto] }) entries: VoucherLedgerEntryDto[];
}

/** How a booking request pays by voucher. */
export class VoucherUseDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The grant to pay from (default: the one covering most, then expiring first)' })
  @IsOptional()
  @IsUUID()
  grantId?: string;

  @ApiPropertyOptional({ description: 'Fen to pay by voucher (default: as much as the caps and the balance allow)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen?: number;

  @ApiPropertyOptional({ description: 'If usage costs more than quoted, the voucher may cover more than reserved (within the caps)' })
  @IsOptional()
  @IsBoolean()
  allowTopUp?: boolean;
}

export class VoucherQuoteQuery {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  instrumentId: string;

  @ApiProperty({ example: '2026-12-01T09:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'start must be an ISO-8601 instant with a UTC offset' })
  start: string;

  @ApiProperty({ example: '2026-12-01T11:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'end must be an ISO-8601 instant with a UTC offset' })
  end: string;

  @ApiProperty({ enum: SERVICE_MODES })
  @IsIn(SERVICE_MODES)
  mode: ServiceMode;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  sampleCount?: number;
}

export class VoucherOptionDto {
  @ApiProperty({ format: 'uuid' }) grantId: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() programName: string;
  @ApiProperty() availableFen: number;
  @ApiProperty({ description: 'The most the program lets vouchers pay of this order' }) orderCapFen: number;
  @ApiProperty({ description: 'What this grant can pay of the order: the cap, within the balance' }) coverableFen: number;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiPropertyOptional({ description: 'Why this grant cannot pay for the order (coverableFen is then 0)' }) refusal?: string;
}

export class BookingQuoteDto {
  @ApiProperty({ type: () => FeeQuoteDto, nullable: true, description: 'null when the instrument publishes no fee' }) fee: FeeQuoteDto | null;
  @ApiProperty({ type: [VoucherOptionDto] }) voucherOptions: VoucherOptionDto[];
  @ApiPropertyOptional({ format: 'uuid', description: 'The grant a request without grantId would use' }) bestGrantId?: string;
  @ApiProperty({ description: 'The most vouchers may pay of this order' }) voucherFen: number;
  @ApiProperty({ description: 'Left to pay otherwise' }) payableOtherwiseFen: number;
}

export class BookingVoucherDto {
  @ApiProperty({ format: 'uuid' }) grantId: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() programName: string;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status: VoucherPaymentStatus;
  @ApiProperty() reservedFen: number;
  @ApiProperty() redeemedFen: number;
  @ApiProperty() allowTopUp: boolean;
}
