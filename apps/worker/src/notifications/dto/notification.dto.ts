import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { NOTIFICATION_KINDS } from '../notification-templates';
import type { NotificationKind } from '../notification-templates';

export const NOTIFICATION_STATES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

export class ListNotificationsQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATES)
  state?: NotificationState;

  @ApiPropertyOptional({ description: 'Entries with a smaller id than this (the previous page\'s nextBefore)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class NotificationResponseDto {
  @ApiProperty()
  id: number;

  @ApiProperty({ enum: NOTIFICATION_KINDS })
  kind: NotificationKind;

  @ApiProperty({ format: 'uuid' })
  recipientId: string;

  @ApiPropertyOptional({ format: 'uuid' })
  bookingId: string | null;

  @ApiProperty({ enum: NOTIFICATION_STATES })
  state: NotificationState;

  @ApiProperty({ format: 'date-time', description: 'When it is (or was) due' })
  dueAt: string;

  @ApiPropertyOptional({ format: 'date-time' })
  sentAt: string | null;

  @ApiProperty({ description: 'Sends tried so far' })
  attempts: number;

  @ApiPropertyOptional({ example: 'email' })
  channel: string | null;

  @ApiPropertyOptional({ description: 'Subject as sent' })
  subject: string | null;

  @ApiPropertyOptional({ description: 'Text as sent' })
  body: string | null;

  @ApiPropertyOptional({ description: 'Why the last attempt failed, or why it was cancelled' })
  lastError: string | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationResponseDto] })
  items: NotificationResponseDto[];

  @ApiPropertyOptional({ description: 'Pass as `before` for the next page; absent on the last page' })
  nextBefore?: number;
}
