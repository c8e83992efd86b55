import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { AppConfig } from '@app/config';
import { QUEUES, QueueName, createProducerConnection, queuePrefix } from '@app/queue';

/** Read-side handles on every queue of the system, for the dashboard and /metrics; one shared connection. */
@Injectable()
export class MonitoredQueues implements OnApplicationShutdown {
  private connection: Redis | null = null;
  private queues: Queue[] | null = null;

  constructor(private readonly config: AppConfig) {}

  all(): Queue[] {
    if (!this.queues) {
      this.connection = createProducerConnection(this.config);
      this.connection.on('error', () => undefined);
      this.queues = (Object.values(QUEUES) as QueueName[]).map((name) => {
        const queue = new Queue(name, { connection: this.connection!, prefix: queuePrefix(this.config) });
        queue.on('error', () => undefined);
        return queue;
      });
    }
    return this.queues;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all((this.queues ?? []).map((queue) => queue.close().catch(() => undefined)));
    this.connection?.disconnect();
  }
}
