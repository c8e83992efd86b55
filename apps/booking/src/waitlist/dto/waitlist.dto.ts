import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SERVICE_MODES } from '@app/db';
import type { ServiceMode } from '@app/db';
import { INSTANT } from '../../opening-rules/dto/opening-rules.dto';

export const WAITLIST_STATUSES = ['waiting', 'offered', 'booked', 'declined', 'expired', 'cancelled'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

export class JoinWaitlistDto {
  @ApiProperty({ example: '2026-12-01T08:00:00+08:00', description: 'Earliest start wanted' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'from must be an ISO-8601 instant with a UTC offset' })
  from: string;

  @ApiProperty({ example: '2026-12-03T21:00:00+08:00', description: 'Latest end wanted' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'to must be an ISO-8601 instant with a UTC offset' })
  to: string;

  @ApiProperty({ minimum: 5, maximum: 10080, example: 120 })
  @IsInt()
  @Min(5)
  @Max(10080)
  durationMinutes: number;

  @ApiProperty({ enum: SERVICE_MODES })
  @IsIn(SERVICE_MODES)
  mode: ServiceMode;

  @ApiPropertyOptional({ maxLength: 2000, example: '测定样品的分子量' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(2000)
  purpose?: string;
}

export class WaitlistEntryResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  instrumentId: string;

  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty()
  durationMinutes: number;

  @ApiProperty({ enum: SERVICE_MODES })
  mode: ServiceMode;

  @ApiProperty({ enum: WAITLIST_STATUSES, description: 'offered: a hold is yours (offeredBookingId) until holdExpiresAt; submit it as a booking with holdId' })
  status: WaitlistStatus;

  @ApiPropertyOptional({ format: 'uuid', description: 'The hold offered to you' })
  offeredBookingId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  holdExpiresAt?: string;

  @ApiPropertyOptional({ description: 'Place in line while waiting (1 = next)' })
  position?: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
