import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import type Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { OutboxJobData, QUEUES, createWorkerConnection, queuePrefix } from '@app/queue';
import { NotificationPlanner } from './notification-planner';
import { NotificationQueue } from './notification-queue';

/**
 * Consumes booking events relayed from the outbox: plans their notifications (once, see
 * NotificationPlanner) and enqueues the delivery jobs. A failed job is retried by BullMQ; one lost
 * with Redis is replayed from the outbox by the sweeper.
 */
@Injectable()
export class BookingEventsProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BookingEventsProcessor.name);
  private connection: Redis | null = null;
  private worker: Worker<OutboxJobData> | null = null;

  constructor(
    private readonly planner: NotificationPlanner,
    private readonly queue: NotificationQueue,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.connection = createWorkerConnection(this.config);
    this.connection.on('error', () => undefined);
    this.worker = new Worker<OutboxJobData>(QUEUES.bookingEvents, (job) => this.process(job), {
      connection: this.connection,
      prefix: queuePrefix(this.config),
      concurrency: this.config.WORKER_CONCURRENCY,
    });
    this.worker.on('error', (error) => this.logger.warn(`booking-events worker: ${error.message}`));
    this.worker.on('failed', (job, error) => this.logger.warn(`booking event ${job?.name} (outbox ${job?.data.outboxId}) not planned yet: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    this.connection?.disconnect();
  }

  async process(job: Job<OutboxJobData>): Promise<number> {
    const planned = await this.planner.consume(job.data.outboxId);
    await this.queue.schedule(planned);
    return planned.length;
  }
}
