import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

import { DATE, trimmed } from './voucher.dto';

export const CLAIM_STATUSES = ['submitted', 'approved', 'rejected', 'paid'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export class ReceiptsQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programId?: string;

  @ApiPropertyOptional({ example: '2026-01-01', description: 'First day (China Standard Time) of redemption' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last day, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

export class SubmitClaimDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  programId: string;

  @ApiProperty({ example: '2026-10-01', description: 'First day of the period (China Standard Time)' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-12-31', description: 'Last day of the period, inclusive' })
  @IsISO8601({ strict: true })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to: string;
}

export class ClaimDecisionDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Required to reject' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason?: string;
}

export class ClaimPaymentDto {
  @ApiProperty({ maxLength: 200, example: 'ZJ-2026-000123', description: 'The bureau’s payment reference' })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  paymentReference: string;
}

export class ListClaimsQuery {
  @ApiPropertyOptional({ enum: CLAIM_STATUSES })
  @IsOptional()
  @IsIn(CLAIM_STATUSES)
  status?: ClaimStatus;
}

/** One service paid by voucher: the record behind a receipt or a claim. */
export class VoucherReceiptDto {
  @ApiProperty({ format: 'uuid' }) bookingId: string;
  @ApiProperty({ format: 'uuid' }) instrumentId: string;
  @ApiProperty() instrumentName: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() programName: string;
  @ApiProperty({ description: 'The voucher holder’s name: the firm’s, or the individual’s' }) holderName: string;
  @ApiProperty({ enum: ['enterprise', 'individual'] }) holderKind: 'enterprise' | 'individual';
  @ApiPropertyOptional({ description: 'The firm’s name (holderKind enterprise)' }) firmName?: string;
  @ApiProperty({ format: 'date-time' }) start: string;
  @ApiPropertyOptional({ description: 'Effective minutes, from check-in and check-out' }) effectiveMinutes?: number;
  @ApiPropertyOptional() finalFeeFen?: number;
  @ApiProperty({ description: 'Paid by voucher' }) amountFen: number;
  @ApiProperty({ format: 'date-time' }) redeemedAt: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The live claim it is part of' }) claimId?: string;
}

export class ReceiptsSummaryDto {
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() programName: string;
  @ApiProperty({ description: 'Received by voucher on completed services' }) receivedFen: number;
  @ApiProperty({ description: 'In a submitted or approved claim' }) claimedFen: number;
  @ApiProperty({ description: 'Paid by the bureau' }) paidFen: number;
  @ApiProperty({ description: 'Not yet in any claim' }) unclaimedFen: number;
}

export class VoucherReceiptsDto {
  @ApiProperty({ type: [ReceiptsSummaryDto] }) programs: ReceiptsSummaryDto[];
  @ApiProperty({ type: [VoucherReceiptDto] }) receipts: VoucherReceiptDto[];
}

export class RedemptionClaimDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) programId: string;
  @ApiProperty() programName: string;
  @ApiProperty({ format: 'uuid' }) providerInstitutionId: string;
  @ApiProperty() providerName: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() amountFen: number;
  @ApiProperty() itemCount: number;
  @ApiProperty({ enum: CLAIM_STATUSES }) status: ClaimStatus;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) decidedAt?: string;
  @ApiPropertyOptional() decisionReason?: string;
  @ApiPropertyOptional({ format: 'date-time' }) paidAt?: string;
  @ApiPropertyOptional() paymentReference?: string;
  @ApiPropertyOptional({ type: [VoucherReceiptDto], description: 'The service records behind the claim (single claim only)' }) items?: VoucherReceiptDto[];
}
