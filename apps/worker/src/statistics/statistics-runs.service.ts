import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, DomainError, NotFoundError } from '@app/common';
import { AppConfig } from '@app/config';
import { RequestCompilationDto, StatisticsRunDto } from './dto/statistics-run.dto';
import { INSTRUMENT_SLICES, StatisticsCompiler } from './statistics-compiler';
import { StatisticsErrorCode } from './statistics-error-code';
import { DayRange, lastLocalDays, resolveDayRange } from './statistics-period';
import { StatisticsQueue } from './statistics-queue';

/** Slices of instruments compiled side by side, each in its own transaction on its own connection (the machine's 2 cores). */
const COMPILE_CONCURRENCY = 2;

interface RunRow {
  id: string;
  trigger: StatisticsRunDto['trigger'];
  first_day: string;
  last_day: string;
  instrument_id: string | null;
  requested_by: string | null;
  state: StatisticsRunDto['state'];
  days_total: number;
  days_done: number;
  rows_written: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
  error: string | null;
}

const RUN_COLUMNS = `id, trigger, first_day::text, last_day::text, instrument_id, requested_by, state, days_total, days_done, rows_written,
  created_at, started_at, finished_at, duration_ms, error`;

function toResponse(row: RunRow): StatisticsRunDto {
  return {
    id: Number(row.id),
    trigger: row.trigger,
    from: row.first_day,
    to: row.last_day,
    state: row.state,
    daysTotal: row.days_total,
    daysDone: row.days_done,
    progress: Math.round((row.days_done / row.days_total) * 1000) / 1000,
    rowsWritten: row.rows_written,
    requestedBy: row.requested_by,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    durationMs: row.duration_ms,
    error: row.error,
  };
}

/**
 * Statistics runs: a row per compile (nightly or requested), executed in slices of instruments so
 * staff see progress, each slice its own idempotent transaction (StatisticsCompiler).
 */
@Injectable()
export class StatisticsRunsService {
  private readonly logger = new Logger(StatisticsRunsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly compiler: StatisticsCompiler,
    private readonly queue: StatisticsQueue,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** A staff request: the run row, then its job; answers before the compile starts. */
  async request(user: AuthUser, body: RequestCompilationDto): Promise<StatisticsRunDto> {
    const range = resolveDayRange({ from: body.from, to: body.to }, this.config.STATISTICS_MAX_RANGE_DAYS);
    const run = await this.create('request', range, user.id);
    try {
      await this.queue.enqueueRun(run.id);
    } catch (error) {
      await this.finish(run.id, 'failed', 0, `not queued: ${(error as Error).message}`);
      throw new DomainError(StatisticsErrorCode.QUEUE_UNAVAILABLE, 'The job queue is unavailable; try again shortly', HttpStatus.SERVICE_UNAVAILABLE);
    }
    return run;
  }

  async get(id: number): Promise<StatisticsRunDto> {
    const [row]: RunRow[] = await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM statistics_run WHERE id = $1`, [id]);
    if (!row) throw new NotFoundError('Statistics run', String(id));
    return toResponse(row);
  }

  /** The nightly job: a run over the last STATISTICS_NIGHTLY_DAYS local days, executed at once. */
  async runNightly(): Promise<number> {
    const range = lastLocalDays(this.clock.now(), this.config.STATISTICS_NIGHTLY_TZ, this.config.STATISTICS_NIGHTLY_DAYS);
    const run = await this.create('schedule', range, null);
    return this.execute(run.id);
  }

  /**
   * Compiles a run's days chunk by chunk and records progress; returns the rows written. A run
   * already done or failed is left alone (its job ran twice), a running one is taken over (its
   * worker died; the chunks are idempotent).
   */
  async execute(runId: number): Promise<number> {
    const [run]: RunRow[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE statistics_run SET state = 'running', started_at = coalesce(started_at, $2), attempts = attempts + 1, days_done = 0, rows_written = 0
         WHERE id = $1 AND state IN ('queued', 'running') RETURNING *)
       SELECT ${RUN_COLUMNS} FROM claimed`,
      [runId, this.clock.now()],
    );
    if (!run) return 0;
    const started = Date.now();
    let rows = 0;
    try {
      // Slices of instruments over the whole range: each reads its instruments' bookings once
      // (through booking (instrument_id, starts_at)), where chunks of days would read every booking
      // once per chunk. days_done advances by the share of the slices done.
      // COMPILE_CONCURRENCY slices at a time, each on its own connection (their locks differ).
      const slices = run.instrument_id ? [{ idFrom: null, idBelow: null }] : INSTRUMENT_SLICES;
      let next = 0;
      const compileSlices = async (): Promise<void> => {
        while (next < slices.length) {
          const index = next++;
          const written = await this.compiler
            .compile({ firstDay: run.first_day, lastDay: run.last_day, instrumentId: run.instrument_id, ...slices[index] }, this.clock.now())
            .catch((error: unknown) => {
              next = slices.length; // the other side stops after its current slice
              throw error;
            });
          rows += written;
          const days = Math.floor((run.days_total * (index + 1)) / slices.length) - Math.floor((run.days_total * index) / slices.length);
          await this.dataSource.query(`UPDATE statistics_run SET days_done = days_done + $2, rows_written = rows_written + $3 WHERE id = $1`, [
            runId,
            days,
            written,
          ]);
        }
      };
      const settled = await Promise.allSettled(Array.from({ length: Math.min(COMPILE_CONCURRENCY, slices.length) }, () => compileSlices()));
      const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
      await this.finish(runId, 'done', Date.now() - started, null);
      this.logger.log(`statistics run ${runId} (${run.first_day}..${run.last_day}): ${rows} rows in ${Date.now() - started} ms`);
      return rows;
    } catch (error) {
      await this.finish(runId, 'failed', Date.now() - started, (error as Error).message.slice(0, 2000));
      throw error;
    }
  }

  private async create(trigger: RunRow['trigger'], range: DayRange, requestedBy: string | null): Promise<StatisticsRunDto> {
    const [row]: RunRow[] = await this.dataSource.query(
      `INSERT INTO statistics_run (trigger, first_day, last_day, requested_by, days_total, created_at)
       VALUES ($1, $2::date, $3::date, $4, $5, $6) RETURNING ${RUN_COLUMNS}`,
      [trigger, range.firstDay, range.lastDay, requestedBy, range.days, this.clock.now()],
    );
    return toResponse(row);
  }

  private async finish(runId: number, state: 'done' | 'failed', durationMs: number, error: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE statistics_run SET state = $2, finished_at = $3, duration_ms = $4, error = $5 WHERE id = $1`, [
      runId,
      state,
      this.clock.now(),
      durationMs,
      error,
    ]);
  }
}
