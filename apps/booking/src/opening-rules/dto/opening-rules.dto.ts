import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export const SLOT_MINUTES = [5, 10, 15, 20, 30, 60, 120, 240] as const;
const LOCAL_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** ISO-8601 with a UTC offset or Z: an instant, never a wall-clock time without a zone. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export class BookingRulesDto {
  @ApiProperty({ enum: SLOT_MINUTES, default: 30, description: 'Granularity: starts and durations are multiples of it, on the local clock' })
  @IsIn(SLOT_MINUTES)
  slotMinutes: number = 30;

  @ApiProperty({ default: 30 })
  @IsInt()
  @Min(1)
  @Max(10080)
  minDurationMinutes: number = 30;

  @ApiProperty({ default: 480 })
  @IsInt()
  @Min(1)
  @Max(10080)
  maxDurationMinutes: number = 480;

  @ApiProperty({ default: 0, description: 'Blocked after each booking for set-up and cleaning' })
  @IsInt()
  @Min(0)
  @Max(1440)
  bufferMinutes: number = 0;

  @ApiProperty({ default: 60, description: 'Earliest start: now plus this notice' })
  @IsInt()
  @Min(0)
  @Max(43200)
  minNoticeMinutes: number = 60;

  @ApiProperty({ default: 60, description: 'Latest start: now plus this many days' })
  @IsInt()
  @Min(1)
  @Max(366)
  maxAdvanceDays: number = 60;

  @ApiPropertyOptional({ nullable: true, description: 'Per user and local day on this instrument' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  maxMinutesPerDay?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'Per user and local week (Monday to Sunday) on this instrument' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10080)
  maxMinutesPerWeek?: number | null;

  @ApiProperty({ default: false, description: 'Requests wait for a lab manager to approve them' })
  @IsBoolean()
  requiresApproval: boolean = false;

  @ApiProperty({ type: [Number], default: [1440, 60], description: 'Reminders this many minutes before the start' })
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(5, { each: true })
  @Max(20160, { each: true })
  reminderOffsetsMinutes: number[] = [1440, 60];
}

export class WeeklyWindowDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 Monday ... 7 Sunday' })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  @ApiProperty({ example: '08:00', description: 'Local time in the instrument’s zone' })
  @Matches(LOCAL_TIME, { message: 'opens must be a local time HH:mm' })
  opens: string;

  @ApiProperty({ example: '21:00', description: 'Local time; before opens means overnight into the next day, equal to opens means 24 hours' })
  @Matches(LOCAL_TIME, { message: 'closes must be a local time HH:mm' })
  closes: string;
}

export class OpeningHoursDto {
  @ApiProperty({ type: [WeeklyWindowDto] })
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => WeeklyWindowDto)
  windows: WeeklyWindowDto[];
}

export class AvailabilityExceptionDto {
  @ApiProperty({ example: '2026-12-24', description: 'Local date' })
  @Matches(LOCAL_DATE, { message: 'date must be a date yyyy-MM-dd' })
  date: string;

  @ApiProperty({ enum: ['closed', 'open'], description: 'closed: shut (all day without times); open: an extra window' })
  @IsIn(['closed', 'open'])
  kind: 'closed' | 'open';

  @ApiPropertyOptional({ example: '13:00' })
  @IsOptional()
  @Matches(LOCAL_TIME, { message: 'opens must be a local time HH:mm' })
  opens?: string;

  @ApiPropertyOptional({ example: '17:00' })
  @IsOptional()
  @Matches(LOCAL_TIME, { message: 'closes must be a local time HH:mm' })
  closes?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class InstitutionClosureDto {
  @ApiProperty({ example: '2026-10-01', description: 'First closed local date' })
  @Matches(LOCAL_DATE, { message: 'startsOn must be a date yyyy-MM-dd' })
  startsOn: string;

  @ApiProperty({ example: '2026-10-07', description: 'Last closed local date (inclusive)' })
  @Matches(LOCAL_DATE, { message: 'endsOn must be a date yyyy-MM-dd' })
  endsOn: string;

  @ApiProperty({ example: '国庆节', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class MaintenancePeriodDto {
  @ApiProperty({ example: '2026-12-01T08:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'start must be an ISO-8601 instant with a UTC offset' })
  start: string;

  @ApiProperty({ example: '2026-12-01T12:00:00+08:00' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'end must be an ISO-8601 instant with a UTC offset' })
  end: string;

  @ApiProperty({ example: '年度保养', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class DryRunQuery {
  @ApiPropertyOptional({ description: 'Only report which bookings the change would affect; change nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

export class AffectedBookingDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['held', 'pending', 'confirmed'] })
  status: string;

  @ApiProperty({ format: 'date-time' })
  start: string;

  @ApiProperty({ format: 'date-time' })
  end: string;
}

export class OpeningRulesResponseDto {
  @ApiProperty({ format: 'uuid' })
  instrumentId: string;

  @ApiProperty({ example: 'Asia/Shanghai' })
  timeZone: string;

  @ApiProperty({ type: BookingRulesDto })
  rules: BookingRulesDto;

  @ApiProperty({ type: [WeeklyWindowDto] })
  weeklyHours: WeeklyWindowDto[];

  @ApiProperty({ type: [AffectedBookingDto], description: 'Upcoming bookings outside the published hours: the lab manager decides' })
  affectedBookings: AffectedBookingDto[];

  @ApiProperty({ description: 'True when the change was only simulated (dryRun)' })
  dryRun: boolean;
}

export class AvailabilityExceptionResponseDto extends AvailabilityExceptionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: [AffectedBookingDto] })
  affectedBookings: AffectedBookingDto[];
}

export class InstitutionClosureResponseDto extends InstitutionClosureDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  institutionId: string;

  @ApiProperty({ type: [AffectedBookingDto] })
  affectedBookings: AffectedBookingDto[];
}

export class MaintenancePeriodResponseDto extends MaintenancePeriodDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  instrumentId: string;
}
