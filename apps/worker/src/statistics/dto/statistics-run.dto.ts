import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { DATE_PATTERN } from '../statistics-period';

export const STATISTICS_RUN_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type StatisticsRunState = (typeof STATISTICS_RUN_STATES)[number];

export class RequestCompilationDto {
  @ApiProperty({ example: '2026-03-01', description: 'First local day to compile' })
  @Matches(DATE_PATTERN, { message: 'from must be a date (yyyy-MM-dd)' })
  from: string;

  @ApiProperty({ example: '2026-03-31', description: 'Last local day to compile (inclusive)' })
  @Matches(DATE_PATTERN, { message: 'to must be a date (yyyy-MM-dd)' })
  to: string;
}

export class StatisticsRunDto {
  @ApiProperty()
  id: number;

  @ApiProperty({ enum: ['schedule', 'request'], description: 'Nightly job or a staff request' })
  trigger: 'schedule' | 'request';

  @ApiProperty({ example: '2026-03-01' })
  from: string;

  @ApiProperty({ example: '2026-03-31' })
  to: string;

  @ApiProperty({ enum: STATISTICS_RUN_STATES })
  state: StatisticsRunState;

  @ApiProperty({ description: 'Days in the range' })
  daysTotal: number;

  @ApiProperty({ description: 'Days compiled so far' })
  daysDone: number;

  @ApiProperty({ description: 'daysDone / daysTotal, 0 to 1' })
  progress: number;

  @ApiProperty({ description: '(instrument, day) rows written so far' })
  rowsWritten: number;

  @ApiPropertyOptional({ format: 'uuid' })
  requestedBy: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiPropertyOptional({ format: 'date-time' })
  startedAt: string | null;

  @ApiPropertyOptional({ format: 'date-time' })
  finishedAt: string | null;

  @ApiPropertyOptional({ description: 'Wall time of the compile, in milliseconds' })
  durationMs: number | null;

  @ApiPropertyOptional({ description: 'Why the run failed' })
  error: string | null;
}
