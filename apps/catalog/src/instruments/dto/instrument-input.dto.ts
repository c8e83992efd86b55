import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsEmail,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  FEE_UNITS,
  FUNDING_SOURCES,
  INSTRUMENT_CONDITIONS,
  INSTRUMENT_PURPOSES,
  INSTRUMENT_SOURCES,
  SERVICE_MODES,
  SHARING_MODES,
} from '@app/db';
import type {
  FeeUnit,
  FundingSource,
  InstrumentCondition,
  InstrumentPurpose,
  InstrumentSource,
  ServiceMode,
  SharingMode,
} from '@app/db';

/** 100 billion yuan in fen: far above any instrument, far below 2^53. */
const MAX_FEN = 10_000_000_000_000;

export class FeeLineDto {
  @ApiProperty({ enum: FEE_UNITS, description: 'What one unit of service is: an hour, a sample, a day or a run' })
  @IsIn(FEE_UNITS)
  unit: FeeUnit;

  @ApiProperty({ example: 30000, description: 'Rate for members of the owner institution, in fen (1 yuan = 100 fen)' })
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  internalRateFen: number;

  @ApiProperty({ example: 60000, description: 'Rate for everyone else, in fen' })
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  externalRateFen: number;

  @ApiPropertyOptional({ example: '含常规制样' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class ContactDto {
  @ApiProperty({ example: '王老师' })
  @IsString()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '0571-87950000' })
  @IsString()
  @Matches(/^[0-9+\-() ]{3,30}$/, { message: 'phone may hold digits, spaces and + - ( ) only' })
  phone: string;

  @ApiProperty({ example: 'instruments@lab.example' })
  @IsEmail()
  @MaxLength(254)
  email: string;
}

/** The national platform's instrument record, as a lab manager submits it. */
export class CreateInstrumentDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Admins only; lab managers always create for their own institution' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ example: '2019-004512', description: "Owner's asset number" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  assetNumber?: string;

  @ApiProperty({ example: '场发射透射电子显微镜' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  nameZh: string;

  @ApiPropertyOptional({ example: 'Field-emission transmission electron microscope' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  nameEn?: string;

  @ApiPropertyOptional({ example: 'JEM-2100F' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string;

  @ApiPropertyOptional({ example: 'JEOL' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  manufacturer?: string;

  @ApiPropertyOptional({ example: 'JP', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @IsISO31661Alpha2()
  countryOfOrigin?: string;

  @ApiProperty({ example: '010101', description: 'Six-digit category code (see GET /categories)' })
  @Matches(/^[0-9]{6}$/, { message: 'categoryCode must be a six-digit category code' })
  categoryCode: string;

  @ApiProperty({ example: 1_280_000_000, description: 'Original value in fen (12,800,000 yuan here)' })
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  originalValueFen: number;

  @ApiPropertyOptional({ example: '2019-06-01', description: 'Date put into service (YYYY-MM-DD)' })
  @IsOptional()
  @IsDateString({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'inServiceDate must be a date as YYYY-MM-DD' })
  inServiceDate?: string;

  @ApiProperty({ enum: INSTRUMENT_SOURCES })
  @IsIn(INSTRUMENT_SOURCES)
  source: InstrumentSource;

  @ApiProperty({ enum: FUNDING_SOURCES, description: 'central_government and local_government count as public funding' })
  @IsIn(FUNDING_SOURCES)
  fundingSource: FundingSource;

  @ApiPropertyOptional({ example: '分析测试中心' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  department?: string;

  @ApiProperty({ enum: INSTRUMENT_PURPOSES, description: 'general-purpose or special-purpose' })
  @IsIn(INSTRUMENT_PURPOSES)
  purpose: InstrumentPurpose;

  @ApiPropertyOptional({ type: [String], example: ['材料科学', '化学'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  subjectAreas?: string[];

  @ApiPropertyOptional({ description: 'Main technical specifications' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  specs?: string;

  @ApiPropertyOptional({ description: 'Main functions' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  functions?: string;

  @ApiPropertyOptional({ description: 'Services offered' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  serviceContent?: string;

  @ApiProperty({ enum: SERVICE_MODES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(SERVICE_MODES, { each: true })
  serviceModes: ServiceMode[];

  @ApiProperty({ type: [FeeLineDto], description: 'Fee schedule; the first line is the primary one, used for price search' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => FeeLineDto)
  fees: FeeLineDto[];

  @ApiPropertyOptional({ enum: INSTRUMENT_CONDITIONS, default: 'normal' })
  @IsOptional()
  @IsIn(INSTRUMENT_CONDITIONS)
  condition?: InstrumentCondition;

  @ApiPropertyOptional({
    enum: SHARING_MODES,
    default: 'external',
    description:
      'Publicly funded instruments at or above the threshold must be shared externally: asking for internal_only or not_shared ' +
      'records a request (with sharingExemptionReason) that department staff of the region approve before it applies.',
  })
  @IsOptional()
  @IsIn(SHARING_MODES)
  sharingMode?: SharingMode;

  @ApiPropertyOptional({ description: 'Why sharing should be restricted; required when the rule above applies' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  sharingExemptionReason?: string;

  @ApiPropertyOptional({ description: 'Sharing rules shown to users' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  sharingRules?: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', default: 'Asia/Shanghai', description: 'IANA time zone' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;

  @ApiProperty({ example: '330106', description: 'County-level GB/T 2260 code of the location' })
  @Matches(/^[0-9]{6}$/, { message: 'regionCode must be a six-digit GB/T 2260 code' })
  regionCode: string;

  @ApiPropertyOptional({ example: '杭州市西湖区余杭塘路866号' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ example: 30.2936 })
  @IsOptional()
  @IsNumber()
  @IsLatitude()
  latitude?: number;

  @ApiPropertyOptional({ example: 120.0868 })
  @IsOptional()
  @IsNumber()
  @IsLongitude()
  longitude?: number;

  @ApiPropertyOptional({ type: ContactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @ApiPropertyOptional({ type: [String], example: ['https://images.example.org/instruments/tem.jpg'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { each: true })
  @MaxLength(500, { each: true })
  photoUrls?: string[];
}

export class UpdateInstrumentDto extends PartialType(OmitType(CreateInstrumentDto, ['institutionId'] as const)) {
  @ApiPropertyOptional({ description: 'The version you edited; a stale one is refused with 409 VERSION_CONFLICT' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
