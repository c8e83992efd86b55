import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { SERVICE_MODES, SHARING_MODES } from '@app/db';
import type { ServiceMode, SharingMode } from '@app/db';

export const INSTRUMENT_SORTS = ['relevance', 'price_asc', 'price_desc', 'value_asc', 'value_desc', 'newest'] as const;
export type InstrumentSort = (typeof INSTRUMENT_SORTS)[number];

const MAX_FEN = 10_000_000_000_000;
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** GET /instruments: full-text search (simplified, traditional Chinese, English) with filters, facets and pages. */
export class SearchInstrumentsQuery {
  @ApiPropertyOptional({ example: '质谱', description: 'Words in simplified or traditional Chinese or English' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ example: '010200', description: 'Category code at any level' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'category must be a six-digit category code' })
  category?: string;

  @ApiPropertyOptional({ example: '330100', description: 'City or county code (a province code filters by province)' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'region must be a six-digit GB/T 2260 code' })
  region?: string;

  @ApiPropertyOptional({ enum: SERVICE_MODES })
  @IsOptional()
  @IsIn(SERVICE_MODES)
  serviceMode?: ServiceMode;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ description: 'Lowest external rate of the primary fee line, fen' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  minPriceFen?: number;

  @ApiPropertyOptional({ description: 'Highest external rate of the primary fee line, fen' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  maxPriceFen?: number;

  @ApiPropertyOptional({ description: 'Lowest original value, fen' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  minValueFen?: number;

  @ApiPropertyOptional({ description: 'Highest original value, fen' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  maxValueFen?: number;

  @ApiPropertyOptional({ enum: SHARING_MODES, description: 'Only modes the caller may see match anything' })
  @IsOptional()
  @IsIn(SHARING_MODES)
  sharingMode?: SharingMode;

  @ApiPropertyOptional({ enum: INSTRUMENT_SORTS, default: 'relevance', description: 'relevance falls back to newest without q' })
  @IsOptional()
  @IsIn(INSTRUMENT_SORTS)
  sort: InstrumentSort = 'relevance';

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  page = 1;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}
