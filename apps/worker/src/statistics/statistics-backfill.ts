import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@app/common';
import { AppConfig } from '@app/config';
import { inTransaction } from '@app/db';
import { lastLocalDays } from './statistics-period';
import { StatisticsQueue } from './statistics-queue';

/**
 * A database that has bookings but has never compiled statistics (a fresh deployment, the demo on
 * its first `npm start`) gets the last STATISTICS_BACKFILL_DAYS local days compiled at once, so
 * staff see real figures without waiting for nights to pass. Several workers booting together
 * create one run: the check and the insert happen under one advisory lock. A booting worker also
 * re-enqueues runs still queued, whose job Redis lost.
 */
@Injectable()
export class StatisticsBackfill implements OnApplicationBootstrap {
  private readonly logger = new Logger(StatisticsBackfill.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: StatisticsQueue,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    void this.requeueWaitingRuns().catch((error: Error) => this.logger.warn(`queued statistics runs not re-enqueued: ${error.message}`));
    if (this.config.STATISTICS_BACKFILL_DAYS === 0) return;
    void this.backfillIfNeverCompiled().catch((error: Error) => this.logger.warn(`statistics backfill not started: ${error.message}`));
  }

  /** Runs still queued lost their job (Redis away when they were made, or emptied since): enqueued again (same job id). */
  async requeueWaitingRuns(): Promise<number> {
    const waiting: { id: string }[] = await this.dataSource.query(`SELECT id FROM statistics_run WHERE state = 'queued' AND created_at < now() - interval '1 minute'`);
    for (const { id } of waiting) await this.queue.enqueueRun(Number(id));
    return waiting.length;
  }

  /** Queues the backfill run when none was ever made; returns its id, or null. */
  async backfillIfNeverCompiled(): Promise<number | null> {
    const range = lastLocalDays(this.clock.now(), this.config.STATISTICS_NIGHTLY_TZ, this.config.STATISTICS_BACKFILL_DAYS);
    const runId = await inTransaction(this.dataSource, async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('statistics-backfill', 0))`);
      const [{ needed }]: { needed: boolean }[] = await manager.query(
        `SELECT NOT EXISTS (SELECT 1 FROM statistics_run) AND EXISTS (SELECT 1 FROM booking) AS needed`,
      );
      if (!needed) return null;
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO statistics_run (trigger, first_day, last_day, days_total) VALUES ('schedule', $1, $2, $3) RETURNING id`,
        [range.firstDay, range.lastDay, range.days],
      );
      return Number(id);
    });
    if (runId === null) return null;
    await this.queue.enqueueRun(runId);
    this.logger.log(`compiling the statistics of ${range.firstDay} to ${range.lastDay} (run ${runId}; GET /statistics/compilations/${runId})`);
    return runId;
  }
}
