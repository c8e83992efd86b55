import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { DeliverNotificationJobData, QUEUES, createWorkerConnection, queuePrefix } from '@app/queue';
import { DeliveryOutcome, NotificationSender } from './notification-sender';

/**
 * Runs the delayed delivery jobs. Retries are not BullMQ's: the sender records a failure in
 * PostgreSQL and enqueues the next attempt itself, so the row always says what happens next.
 */
@Injectable()
export class NotificationDeliveryProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationDeliveryProcessor.name);
  private connection: Redis | null = null;
  private worker: Worker<DeliverNotificationJobData, DeliveryOutcome> | null = null;

  constructor(
    private readonly sender: NotificationSender,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = createWorkerConnection(this.config);
    this.connection.on('error', () => undefined);
    this.worker = new Worker<DeliverNotificationJobData, DeliveryOutcome>(QUEUES.notifications, (job) => this.process(job), {
      connection: this.connection,
      prefix: queuePrefix(this.config),
      concurrency: this.config.NOTIFICATION_CONCURRENCY,
    });
    this.worker.on('error', (error) => this.logger.warn(`notifications worker: ${error.message}`));
    // The sender records its own failures; an error here is an unexpected one (the database away, say).
    this.worker.on('failed', (job, error) => this.logger.warn(`notification ${job?.data.notificationId} job failed: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }

  process(job: Job<DeliverNotificationJobData>): Promise<DeliveryOutcome> {
    return this.sender.deliver(job.data.notificationId, job.data.generation);
  }
}
