import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '@app/common';
import { RESTRICTED_SHARING_MODES, SHARING_EXEMPTION_STATUSES, SHARING_MODES } from '@app/db';
import type { RestrictedSharingMode, SharingExemptionStatus, SharingMode } from '@app/db';

export class ListExemptionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SHARING_EXEMPTION_STATUSES, default: 'pending' })
  @IsOptional()
  @IsIn(SHARING_EXEMPTION_STATUSES)
  status: SharingExemptionStatus = 'pending';
}

export class NonCompliantQuery extends PageQuery {
  @ApiPropertyOptional({ example: '330100', description: 'Narrow to a city or county inside your region' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'region must be a six-digit GB/T 2260 code' })
  region?: string;
}

export class DecideExemptionDto {
  @ApiPropertyOptional({ description: 'Why; shown to the lab manager. Required when rejecting.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note?: string;
}

export class RejectExemptionDto {
  @ApiProperty({ description: 'Why the request is rejected; shown to the lab manager' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note: string;
}

export class ExemptionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  instrumentId: string;

  @ApiProperty()
  instrumentNameZh: string;

  @ApiProperty({ format: 'uuid' })
  institutionId: string;

  @ApiProperty()
  institutionNameZh: string;

  @ApiProperty()
  regionCode: string;

  @ApiProperty({ description: 'fen' })
  originalValueFen: number;

  @ApiProperty({ enum: SHARING_MODES, description: 'The mode in force now' })
  currentMode: SharingMode;

  @ApiProperty({ enum: RESTRICTED_SHARING_MODES })
  requestedMode: RestrictedSharingMode;

  @ApiProperty()
  reason: string;

  @ApiProperty({ enum: SHARING_EXEMPTION_STATUSES })
  status: SharingExemptionStatus;

  @ApiProperty()
  requestedAt: string;

  @ApiPropertyOptional({ nullable: true })
  decidedAt: string | null;

  @ApiPropertyOptional({ nullable: true })
  decisionNote: string | null;
}

export class ExemptionPageDto {
  @ApiProperty({ type: [ExemptionResponseDto] })
  items: ExemptionResponseDto[];

  @ApiProperty()
  total: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  pageSize: number;
}

export class NonCompliantInstrumentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  nameZh: string;

  @ApiProperty({ format: 'uuid' })
  institutionId: string;

  @ApiProperty()
  institutionNameZh: string;

  @ApiProperty()
  regionCode: string;

  @ApiProperty()
  cityCode: string;

  @ApiProperty({ description: 'fen' })
  originalValueFen: number;

  @ApiProperty({ enum: SHARING_MODES })
  sharingMode: SharingMode;

  @ApiProperty({ description: 'A restriction request is waiting for a decision' })
  hasPendingExemption: boolean;
}

export class NonCompliantPageDto {
  @ApiProperty({ type: [NonCompliantInstrumentDto] })
  items: NonCompliantInstrumentDto[];

  @ApiProperty()
  total: number;

  @ApiProperty({ description: 'Sum of original values of all non-compliant instruments, fen' })
  totalOriginalValueFen: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  pageSize: number;
}
