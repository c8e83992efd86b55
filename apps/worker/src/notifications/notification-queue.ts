import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { Clock, withTimeout } from '@app/common';
import { AppConfig } from '@app/config';
import { DeliverNotificationJobData, NOTIFICATION_JOBS, QUEUES, connectionReady, createProducerConnection, notificationJobId, queuePrefix } from '@app/queue';

/** A notification row that needs a delivery job. */
export interface DueNotification {
  id: number;
  dueAt: Date;
  generation: number;
}

const KEEP_FINISHED_SECONDS = 7 * 24 * 3600;

/**
 * Turns notification rows into delayed BullMQ jobs with deterministic ids. Adding a job that exists
 * adds nothing, so the sweeper may offer every row again. When Redis is away nothing is lost: the
 * rows stay pending in PostgreSQL and the sweeper enqueues them later.
 */
@Injectable()
export class NotificationQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(NotificationQueue.name);
  private connection: Redis | null = null;
  private queue: Queue<DeliverNotificationJobData> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Enqueues delivery jobs; returns false (and logs) when Redis did not take them. */
  async schedule(notifications: DueNotification[]): Promise<boolean> {
    if (notifications.length === 0) return true;
    const now = this.clock.now().getTime();
    try {
      const queue = this.jobs();
      await connectionReady(this.connection!);
      for (let from = 0; from < notifications.length; from += 1000) {
        await withTimeout(
          queue.addBulk(
            notifications.slice(from, from + 1000).map((notification) => ({
              name: NOTIFICATION_JOBS.deliver,
              data: { notificationId: Number(notification.id), generation: notification.generation },
              opts: {
                jobId: notificationJobId(notification.id, notification.generation),
                delay: Math.max(0, new Date(notification.dueAt).getTime() - now),
                removeOnComplete: { age: KEEP_FINISHED_SECONDS },
                removeOnFail: { age: KEEP_FINISHED_SECONDS },
              },
            })),
          ),
          5_000,
        );
      }
      return true;
    } catch (error) {
      this.logger.warn(`${notifications.length} notification job(s) left to the sweeper: ${(error as Error).message}`);
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
  }

  private jobs(): Queue<DeliverNotificationJobData> {
    if (!this.queue) {
      this.connection = createProducerConnection(this.config);
      this.connection.on('error', () => undefined);
      this.queue = new Queue<DeliverNotificationJobData>(QUEUES.notifications, { connection: this.connection, prefix: queuePrefix(this.config) });
      this.queue.on('error', () => undefined);
    }
    return this.queue;
  }
}
