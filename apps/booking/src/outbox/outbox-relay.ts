import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { withTimeout } from '@app/common';
import { AppConfig } from '@app/config';
import { QUEUES, connectionReady, createProducerConnection, outboxJobId, queuePrefix } from '@app/queue';

const BATCH = 200;
/** Jobs are kept this long after completion, so a message relayed twice in that window is added once. */
const KEEP_COMPLETED_SECONDS = 7 * 24 * 3600;

/**
 * Moves outbox messages, written in the same transaction as the booking changes they describe,
 * to the worker's queue after commit: a change rolled back never has a message; a change committed
 * while Redis is away stays in PostgreSQL until Redis is back. Each message becomes a job whose id
 * is derived from the message, so a relay that dies between adding jobs and marking them published
 * adds them again harmlessly. Replicas share the work with SKIP LOCKED.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private connection: Redis | null = null;
  private queue: Queue | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private failing = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.OUTBOX_RELAY_INTERVAL_MS === 0) return;
    this.timer = setInterval(() => this.tick(), this.config.OUTBOX_RELAY_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.queue?.close().catch(() => undefined);
    this.connection?.disconnect();
  }

  /** Relays every message waiting now; returns how many were delivered. */
  async relayAll(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const count = await this.relayBatch();
      delivered += count;
      if (count < BATCH) return delivered;
    }
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.relayAll()
      .then((delivered) => {
        if (this.failing) this.logger.log(`outbox relay recovered (${delivered} messages delivered)`);
        this.failing = false;
      })
      .catch((error: Error) => {
        if (!this.failing) this.logger.warn(`outbox relay waiting for Redis: ${error.message}`);
        this.failing = true;
      })
      .finally(() => (this.running = null));
  }

  private async relayBatch(): Promise<number> {
    const queue = this.bookingEvents();
    // Without Redis, do not even lock the messages: another replica may be able to deliver them.
    await connectionReady(this.connection!);
    let failure: Error | null = null;
    let ids: string[] = [];
    const delivered = await this.dataSource.transaction(async (manager) => {
      const messages: { id: string; topic: string; payload: Record<string, unknown> }[] = await manager.query(
        `SELECT id, topic, payload FROM outbox_message WHERE published_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      ids = messages.map((message) => message.id);
      if (messages.length === 0) return 0;
      try {
        await withTimeout(
          queue.addBulk(
            messages.map((message) => ({
              name: message.topic,
              data: { ...message.payload, outboxId: Number(message.id) },
              opts: { jobId: outboxJobId(message.id), removeOnComplete: { age: KEEP_COMPLETED_SECONDS }, removeOnFail: { age: KEEP_COMPLETED_SECONDS } },
            })),
          ),
          2_000,
        );
      } catch (error) {
        failure = error as Error;
        return 0;
      }
      await manager.query(`UPDATE outbox_message SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1)`, [ids]);
      return messages.length;
    });
    if (failure) {
      await this.dataSource
        .query(`UPDATE outbox_message SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1)`, [ids, String((failure as Error).message).slice(0, 500)])
        .catch(() => undefined);
      throw failure;
    }
    return delivered;
  }

  private bookingEvents(): Queue {
    if (!this.queue) {
      this.connection = createProducerConnection(this.config);
      // Connection trouble is reported by the failing adds; the client reconnects by itself.
      this.connection.on('error', () => undefined);
      this.queue = new Queue(QUEUES.bookingEvents, { connection: this.connection, prefix: queuePrefix(this.config) });
      this.queue.on('error', () => undefined);
    }
    return this.queue;
  }
}
