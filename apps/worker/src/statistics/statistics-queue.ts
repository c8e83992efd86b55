import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { withTimeout } from '@app/common';
import { AppConfig } from '@app/config';
import { QUEUES, STATISTICS_JOBS, connectionReady, createProducerConnection, queuePrefix, statisticsRunJobId } from '@app/queue';
import type { CompileStatisticsJobData, NightlyStatisticsJobData } from '@app/queue';

/** Id of the nightly compile's job scheduler: upserting it again replaces it, never adds a second. */
export const NIGHTLY_SCHEDULER_ID = 'statistics-nightly';
const KEEP_FINISHED_SECONDS = 30 * 24 * 3600;

/** The producer side of the statistics queue: one job per run (deterministic id) and the nightly scheduler. */
@Injectable()
export class StatisticsQueue implements OnApplicationShutdown {
  private connection: Redis | null = null;
  private queue: Queue<CompileStatisticsJobData | NightlyStatisticsJobData> | null = null;

  constructor(private readonly config: AppConfig) {}

  /** Enqueues the compile of a statistics_run row; rejects when Redis does not take it. */
  async enqueueRun(runId: number): Promise<void> {
    const queue = await this.ready();
    await withTimeout(
      queue.add(STATISTICS_JOBS.compile, { runId }, {
        jobId: statisticsRunJobId(runId),
        attempts: 1,
        removeOnComplete: { age: KEEP_FINISHED_SECONDS },
        removeOnFail: { age: KEEP_FINISHED_SECONDS },
      }),
      5_000,
    );
  }

  /** Creates or updates the nightly job scheduler (cron pattern in its zone). */
  async upsertNightly(pattern: string, tz: string): Promise<void> {
    const queue = await this.ready();
    await withTimeout(
      queue.upsertJobScheduler(NIGHTLY_SCHEDULER_ID, { pattern, tz }, {
        name: STATISTICS_JOBS.nightly,
        data: {},
        opts: { removeOnComplete: { age: KEEP_FINISHED_SECONDS }, removeOnFail: { age: KEEP_FINISHED_SECONDS } },
      }),
      5_000,
    );
  }

  async removeNightly(): Promise<void> {
    const queue = await this.ready();
    await withTimeout(queue.removeJobScheduler(NIGHTLY_SCHEDULER_ID), 5_000);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
  }

  private async ready(): Promise<Queue<CompileStatisticsJobData | NightlyStatisticsJobData>> {
    if (!this.queue) {
      this.connection = createProducerConnection(this.config);
      this.connection.on('error', () => undefined);
      this.queue = new Queue(QUEUES.statistics, { connection: this.connection, prefix: queuePrefix(this.config) });
      this.queue.on('error', () => undefined);
    }
    await connectionReady(this.connection!);
    return this.queue;
  }
}
