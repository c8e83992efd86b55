import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PageQuery } from '@app/common';
import { FEE_UNITS, SERVICE_MODES } from '@app/db';
import type { FeeUnit, ServiceMode } from '@app/db';
import { INSTANT } from '../../opening-rules/dto/opening-rules.dto';
import { BookingVoucherDto, VoucherUseDto } from '../../vouchers/dto/voucher.dto';

export const BOOKING_STATUSES = ['held', 'pending', 'confirmed', 'in_use', 'completed', 'rejected', 'cancelled', 'no_show', 'expired', 'lapsed'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** The statuses whose bookings take the instrument's time. */
export const BLOCKING_STATUSES = ['held', 'pending', 'confirmed', 'in_use'] as const satisfies readonly BookingStatus[];

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A time span on one instrument, as instants with a UTC offset. */
export class BookingTimeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  instrumentId: string;

  @ApiProperty({ example: '2026-12-01T09:00:00+08:00', description: 'ISO-8601 instant with a UTC offset' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'start must be an ISO-8601 instant with a UTC offset' })
  start: string;

  @ApiProperty({ example: '2026-12-01T11:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'end must be an ISO-8601 instant with a UTC offset' })
  end: string;

  @ApiProperty({ enum: SERVICE_MODES, description: 'self_operated needs a recorded qualification; sample_submission does not' })
  @IsIn(SERVICE_MODES)
  mode: ServiceMode;
}

export class CreateHoldDto extends BookingTimeDto {
  @ApiPropertyOptional({ type: () => VoucherUseDto, description: 'Firm members: pay partly by voucher; reserved with the hold, released if it lapses' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VoucherUseDto)
  voucher?: VoucherUseDto;
}

export class CreateBookingDto extends BookingTimeDto {
  @ApiProperty({ example: '测定样品的分子量', maxLength: 2000 })
  @Transform(trimmed)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  purpose: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10000, description: 'Samples brought (sample_submission; fees per sample)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  sampleCount?: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A hold of yours on exactly this time, turned into the request' })
  @IsOptional()
  @IsUUID()
  holdId?: string;

  @ApiPropertyOptional({
    type: () => VoucherUseDto,
    description: 'Firm members: pay partly by voucher (see GET /bookings/quote); reserved now, redeemed on completion, released if the booking ends unused',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VoucherUseDto)
  voucher?: VoucherUseDto;
}

export class CreateRecurringBookingDto extends CreateBookingDto {
  @ApiProperty({ minimum: 2, maximum: 12, description: 'Occurrences, one a week at the same local time; all or none' })
  @IsInt()
  @Min(2)
  @Max(12)
  weeks: number;
}

export class RecurringBookingResponseDto {
  @ApiProperty({ format: 'uuid' })
  recurrenceId: string;

  @ApiProperty({ type: () => [BookingResponseDto] })
  bookings: BookingResponseDto[];
}

export class RescheduleBookingDto {
  @ApiProperty({ example: '2026-12-02T09:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'start must be an ISO-8601 instant with a UTC offset' })
  start: string;

  @ApiProperty({ example: '2026-12-02T11:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'end must be an ISO-8601 instant with a UTC offset' })
  end: string;
}

export class DecisionDto {
  @ApiPropertyOptional({ maxLength: 1000, description: 'Required to reject; shown to the user' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class RatingDto {
  @ApiProperty({ minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class ListBookingsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true'], description: 'Your own bookings' })
  @IsOptional()
  @IsIn(['true', 'false'])
  mine?: 'true' | 'false';

  @ApiPropertyOptional({ format: 'uuid', description: 'Bookings of one instrument (its lab managers and staff of its region)' })
  @IsOptional()
  @IsUUID()
  instrumentId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Bookings of every instrument of one institution (its lab managers, staff of its region)' })
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @ApiPropertyOptional({ enum: BOOKING_STATUSES })
  @IsOptional()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;

  @ApiPropertyOptional({ description: 'Bookings ending after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'from must be an ISO-8601 instant with a UTC offset' })
  from?: string;

  @ApiPropertyOptional({ description: 'Bookings starting before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'to must be an ISO-8601 instant with a UTC offset' })
  to?: string;
}

export class FeeQuoteDto {
  @ApiProperty({ enum: FEE_UNITS })
  unit: FeeUnit;

  @ApiProperty({ description: 'Rate per unit, fen' })
  rateFen: number;

  @ApiProperty({ description: 'Quoted amount, fen' })
  amountFen: number;

  @ApiProperty({ description: 'True when the internal rate applies (member of the owner institution)' })
  internal: boolean;
}

export class BookingResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  instrumentId: string;

  @ApiProperty({ enum: BOOKING_STATUSES })
  status: BookingStatus;

  @ApiProperty({ enum: SERVICE_MODES })
  mode: ServiceMode;

  @ApiProperty({ format: 'date-time', example: '2026-12-01T01:00:00.000Z' })
  start: string;

  @ApiProperty({ format: 'date-time' })
  end: string;

  @ApiProperty({ example: 'Asia/Shanghai', description: 'The instrument’s zone' })
  timeZone: string;

  @ApiProperty({ example: '2026-12-01T09:00:00.000+08:00', description: 'start on the instrument’s local clock' })
  startLocal: string;

  @ApiProperty({ example: '2026-12-01T11:00:00.000+08:00' })
  endLocal: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When a hold lapses unless turned into a request' })
  holdExpiresAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The booker: shown only to them, the lab managers and staff of the region' })
  userId?: string;

  @ApiPropertyOptional({ description: 'The booker’s name, to the same people' })
  userName?: string;

  @ApiPropertyOptional()
  purpose?: string;

  @ApiPropertyOptional()
  sampleCount?: number;

  @ApiPropertyOptional()
  notes?: string;

  @ApiPropertyOptional({ type: FeeQuoteDto, nullable: true })
  quote?: FeeQuoteDto | null;

  @ApiPropertyOptional({ description: 'Fee from actual usage, fen (after check-out)' })
  finalFeeFen?: number;

  @ApiPropertyOptional({ description: 'Late cancellation fee, fen' })
  cancellationFeeFen?: number;

  @ApiPropertyOptional({ format: 'date-time' })
  actualStart?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  actualEnd?: string;

  @ApiPropertyOptional({ description: 'Why a request was rejected, or a note on approval' })
  decisionReason?: string;

  @ApiPropertyOptional()
  cancellationReason?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  recurrenceId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5 })
  rating?: number;

  @ApiPropertyOptional()
  ratingComment?: string;

  @ApiPropertyOptional({ type: () => BookingVoucherDto, description: 'The voucher part of the payment, if any' })
  voucher?: BookingVoucherDto;

  @ApiProperty()
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class BookingPageDto {
  @ApiProperty({ type: [BookingResponseDto] })
  items: BookingResponseDto[];

  @ApiProperty()
  total: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  pageSize: number;
}

export class SlotRangeQuery {
  @ApiProperty({ example: '2026-12-01T00:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'from must be an ISO-8601 instant with a UTC offset' })
  from: string;

  @ApiProperty({ example: '2026-12-08T00:00:00+08:00', description: 'At most 90 days after from' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'to must be an ISO-8601 instant with a UTC offset' })
  to: string;
}

export class FreeSlotsQuery extends SlotRangeQuery {
  @ApiProperty({ example: 60 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10080)
  durationMinutes: number;
}

export class FreeSlotDto {
  @ApiProperty({ format: 'date-time' })
  start: string;

  @ApiProperty({ format: 'date-time' })
  end: string;

  @ApiProperty({ example: '2026-12-01T09:00:00.000+08:00' })
  startLocal: string;
}

export class FreeSlotsDto {
  @ApiProperty({ format: 'uuid' })
  instrumentId: string;

  @ApiProperty({ example: 'Asia/Shanghai' })
  timeZone: string;

  @ApiProperty()
  durationMinutes: number;

  @ApiProperty({ type: [FreeSlotDto] })
  slots: FreeSlotDto[];
}

export class BusyPeriodDto {
  @ApiProperty({ format: 'date-time' })
  start: string;

  @ApiProperty({ format: 'date-time', description: 'Includes the set-up and cleaning buffer' })
  end: string;

  @ApiProperty({ enum: ['booked', 'held', 'maintenance'] })
  kind: 'booked' | 'held' | 'maintenance';
}

/** The booking rules every instrument shares (settings of the booking service), for pages that explain them. */
export class BookingPolicyDto {
  @ApiProperty({ description: 'Cancelling by the booker is free until this many hours before the start' }) freeCancellationHours: number;
  @ApiProperty({ description: 'Later, this share of the quote is charged' }) lateCancellationFeePercent: number;
  @ApiProperty({ description: 'Check-in opens this many minutes before the start' }) checkInOpensMinutesBefore: number;
  @ApiProperty({ description: 'A no-show may be recorded this many minutes after the start' }) noShowGraceMinutes: number;
  @ApiProperty({ description: 'A hold lapses after this many minutes' }) holdMinutes: number;
  @ApiProperty({ description: 'This many no-shows within noShowWindowDays suspend self-service booking' }) noShowLimit: number;
  @ApiProperty() noShowWindowDays: number;
  @ApiProperty({ description: 'For this many days' }) suspensionDays: number;
}
