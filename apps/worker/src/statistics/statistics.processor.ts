import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { QUEUES, STATISTICS_JOBS, createWorkerConnection, queuePrefix } from '@app/queue';
import type { CompileStatisticsJobData, NightlyStatisticsJobData } from '@app/queue';
import { WorkerMetrics } from '../operations/worker-metrics';
import { StatisticsRunsService } from './statistics-runs.service';

type StatisticsJob = Job<CompileStatisticsJobData | NightlyStatisticsJobData>;

/**
 * Runs statistics compiles, one at a time per worker process (a compile is one heavy statement;
 * running several at once only makes each slower). Compiles of overlapping days in different
 * processes wait for each other on advisory locks (StatisticsCompiler).
 */
@Injectable()
export class StatisticsProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StatisticsProcessor.name);
  private connection: Redis | null = null;
  private worker: Worker<CompileStatisticsJobData | NightlyStatisticsJobData> | null = null;

  constructor(
    private readonly runs: StatisticsRunsService,
    private readonly metrics: WorkerMetrics,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = createWorkerConnection(this.config);
    this.connection.on('error', () => undefined);
    this.worker = new Worker(QUEUES.statistics, (job) => this.process(job), {
      connection: this.connection,
      prefix: queuePrefix(this.config),
      concurrency: 1,
    });
    this.worker.on('error', (error) => this.logger.warn(`statistics worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.logger.warn(`statistics job ${job?.name} ${job?.id} failed: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }

  async process(job: StatisticsJob): Promise<number> {
    const started = performance.now();
    let rows: number;
    if (job.name === STATISTICS_JOBS.nightly) rows = await this.runs.runNightly();
    else if (job.name === STATISTICS_JOBS.compile) rows = await this.runs.execute((job.data as CompileStatisticsJobData).runId);
    else throw new Error(`No handler for statistics job ${job.name}`);
    this.metrics.statisticsCompiled(job.name, (performance.now() - started) / 1000);
    return rows;
  }
}
