import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FEE_UNITS,
  FUNDING_SOURCES,
  INSTITUTION_KINDS,
  INSTRUMENT_CONDITIONS,
  INSTRUMENT_PURPOSES,
  INSTRUMENT_SOURCES,
  RESTRICTED_SHARING_MODES,
  SERVICE_MODES,
  SHARING_EXEMPTION_STATUSES,
  SHARING_MODES,
} from '@app/db';
import type {
  FeeUnit,
  FundingSource,
  InstitutionKind,
  InstrumentCondition,
  InstrumentPurpose,
  InstrumentSource,
  RestrictedSharingMode,
  ServiceMode,
  SharingExemptionStatus,
  SharingMode,
} from '@app/db';

export class FeeLineResponseDto {
  @ApiProperty({ enum: FEE_UNITS })
  unit: FeeUnit;

  @ApiProperty({ description: 'fen' })
  internalRateFen: number;

  @ApiProperty({ description: 'fen' })
  externalRateFen: number;

  @ApiProperty()
  description: string;
}

export class NamedCodeDto {
  @ApiProperty()
  code: string;

  @ApiProperty()
  nameZh: string;

  @ApiPropertyOptional({ nullable: true })
  nameEn: string | null;
}

export class InstitutionSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  nameZh: string;

  @ApiPropertyOptional({ nullable: true })
  nameEn: string | null;

  @ApiProperty({ enum: INSTITUTION_KINDS })
  kind: InstitutionKind;
}

export class LocationDto {
  @ApiProperty({ description: 'County-level code' })
  regionCode: string;

  @ApiProperty()
  countyName: string;

  @ApiProperty()
  cityCode: string;

  @ApiProperty()
  cityName: string;

  @ApiProperty()
  address: string;

  @ApiPropertyOptional({ nullable: true })
  latitude: number | null;

  @ApiPropertyOptional({ nullable: true })
  longitude: number | null;
}

export class PriceDto {
  @ApiProperty({ enum: FEE_UNITS })
  unit: FeeUnit;

  @ApiProperty({ description: 'External rate of the primary fee line, fen' })
  externalRateFen: number;

  @ApiProperty({ description: 'Internal rate of the primary fee line, fen' })
  internalRateFen: number;
}

export class SharingExemptionSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: RESTRICTED_SHARING_MODES })
  requestedMode: RestrictedSharingMode;

  @ApiProperty({ enum: SHARING_EXEMPTION_STATUSES })
  status: SharingExemptionStatus;

  @ApiProperty()
  reason: string;

  @ApiProperty()
  requestedAt: string;

  @ApiPropertyOptional({ nullable: true })
  decidedAt: string | null;

  @ApiPropertyOptional({ nullable: true })
  decisionNote: string | null;
}

export class SharingComplianceDto {
  @ApiProperty({ description: 'Publicly funded and at or above the threshold: must be shared externally' })
  mustShareExternally: boolean;

  @ApiProperty({ description: 'False when sharing is restricted without an approved exemption' })
  compliant: boolean;

  @ApiPropertyOptional({ type: SharingExemptionSummaryDto, nullable: true, description: 'The open or approved exemption, if any' })
  exemption: SharingExemptionSummaryDto | null;
}

/** What search results show of an instrument. */
export class InstrumentSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  nameZh: string;

  @ApiPropertyOptional({ nullable: true })
  nameEn: string | null;

  @ApiPropertyOptional({ nullable: true })
  model: string | null;

  @ApiPropertyOptional({ nullable: true })
  manufacturer: string | null;

  @ApiProperty({ type: NamedCodeDto })
  category: NamedCodeDto;

  @ApiProperty({ type: InstitutionSummaryDto })
  institution: InstitutionSummaryDto;

  @ApiProperty({ type: LocationDto })
  location: LocationDto;

  @ApiProperty({ description: 'fen' })
  originalValueFen: number;

  @ApiProperty({ enum: SERVICE_MODES, isArray: true })
  serviceModes: ServiceMode[];

  @ApiPropertyOptional({ type: PriceDto, nullable: true })
  price: PriceDto | null;

  @ApiProperty({ enum: SHARING_MODES })
  sharingMode: SharingMode;

  @ApiProperty({ enum: INSTRUMENT_CONDITIONS })
  condition: InstrumentCondition;

  @ApiPropertyOptional({ type: [String] })
  photoUrls: string[];
}

export class ContactResponseDto {
  @ApiProperty()
  name: string;

  @ApiProperty()
  phone: string;

  @ApiProperty()
  email: string;
}

/** The whole record. */
export class InstrumentResponseDto extends InstrumentSummaryDto {
  @ApiPropertyOptional({ nullable: true })
  assetNumber: string | null;

  @ApiPropertyOptional({ nullable: true })
  countryOfOrigin: string | null;

  @ApiPropertyOptional({ nullable: true, example: '2019-06-01' })
  inServiceDate: string | null;

  @ApiProperty({ enum: INSTRUMENT_SOURCES })
  source: InstrumentSource;

  @ApiProperty({ enum: FUNDING_SOURCES })
  fundingSource: FundingSource;

  @ApiProperty()
  isPubliclyFunded: boolean;

  @ApiPropertyOptional({ nullable: true })
  department: string | null;

  @ApiProperty({ enum: INSTRUMENT_PURPOSES })
  purpose: InstrumentPurpose;

  @ApiProperty({ type: [String] })
  subjectAreas: string[];

  @ApiProperty()
  specs: string;

  @ApiProperty()
  functions: string;

  @ApiProperty()
  serviceContent: string;

  @ApiProperty({ type: [FeeLineResponseDto] })
  fees: FeeLineResponseDto[];

  @ApiProperty()
  sharingRules: string;

  @ApiProperty({ type: SharingComplianceDto })
  sharingCompliance: SharingComplianceDto;

  @ApiProperty({ example: 'Asia/Shanghai' })
  timeZone: string;

  @ApiProperty({ type: ContactResponseDto })
  contact: ContactResponseDto;

  @ApiProperty({ description: 'Send it back with PATCH to detect concurrent edits' })
  version: number;

  @ApiProperty()
  createdAt: string;

  @ApiProperty()
  updatedAt: string;
}
