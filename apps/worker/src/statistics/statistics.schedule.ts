import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { StatisticsQueue } from './statistics-queue';

/**
 * When the statistics are compiled unasked: a BullMQ job scheduler (by default 02:00
 * Asia/Shanghai, every day). It only enqueues; StatisticsProcessor does the work. Every worker
 * process upserts the same scheduler id, so several workers still make one job a night.
 */
@Injectable()
export class StatisticsSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger(StatisticsSchedule.name);

  constructor(
    private readonly queue: StatisticsQueue,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      if (this.config.STATISTICS_NIGHTLY_ENABLED) await this.queue.upsertNightly(this.config.STATISTICS_NIGHTLY_CRON, this.config.STATISTICS_NIGHTLY_TZ);
      else await this.queue.removeNightly();
    } catch (error) {
      this.logger.warn(`nightly statistics schedule not set: ${(error as Error).message}`);
    }
  }
}
