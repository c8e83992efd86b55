import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SERVICE_MODES } from '@app/db';
import type { ServiceMode } from '@app/db';
import { FreeSlotsQuery } from '../../bookings/dto/booking.dto';

const MAX_FEN = 10_000_000_000_000;

/** GET /slots/search: the earliest free time across every instrument matching catalog filters. */
export class SlotSearchQuery extends FreeSlotsQuery {
  @ApiPropertyOptional({ example: '010200', description: 'Category code at any level' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'category must be a six-digit category code' })
  category?: string;

  @ApiPropertyOptional({ example: '330100', description: 'Province, city or county code (GB/T 2260)' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'region must be a six-digit GB/T 2260 code' })
  region?: string;

  @ApiPropertyOptional({ enum: SERVICE_MODES })
  @IsOptional()
  @IsIn(SERVICE_MODES)
  serviceMode?: ServiceMode;

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

  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  page = 1;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  pageSize = 20;
}

export class EarliestSlotDto {
  @ApiProperty({ format: 'uuid' })
  instrumentId: string;

  @ApiProperty({ example: '核磁共振波谱仪' })
  instrumentNameZh: string;

  @ApiProperty({ format: 'uuid' })
  institutionId: string;

  @ApiProperty({ example: '浙江大学' })
  institutionNameZh: string;

  @ApiProperty({ example: '330106' })
  regionCode: string;

  @ApiProperty({ example: 'Asia/Shanghai' })
  timeZone: string;

  @ApiProperty({ format: 'date-time', description: 'The earliest free start' })
  start: string;

  @ApiProperty({ format: 'date-time' })
  end: string;

  @ApiProperty({ example: '2026-12-01T09:00:00.000+08:00' })
  startLocal: string;

  @ApiProperty({ type: [String], description: 'The next few free starts after it (UTC)' })
  nextStarts: string[];

  @ApiPropertyOptional({ nullable: true, description: 'External rate of the primary fee line, fen' })
  externalPriceFen: number | null;

  @ApiPropertyOptional({ nullable: true, example: 'hour' })
  priceUnit: string | null;
}

export class SlotSearchPageDto {
  @ApiProperty({ type: [EarliestSlotDto], description: 'Ranked by earliest start, then price' })
  items: EarliestSlotDto[];

  @ApiProperty({ description: 'Instruments with free time in the range' })
  total: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  pageSize: number;
}
