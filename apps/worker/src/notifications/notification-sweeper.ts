import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Clock, RedisClient } from '@app/common';
import { AppConfig } from '@app/config';
import { NotificationPlanner } from './notification-planner';
import { DueNotification, NotificationQueue } from './notification-queue';

/** Present in Redis while Redis still holds every delivery job enqueued; gone after a flush or restart. */
const QUEUE_INTACT_KEY = 'notifications:queue-intact';
const PAGE = 5_000;
/** A pending notification this late has lost its job (a live job runs within milliseconds of its due time). */
const OVERDUE_GRACE_MS = 10_000;

export interface SweepResult {
  replayed: number;
  recovered: number;
  enqueued: number;
  fullRestore: boolean;
}

/**
 * PostgreSQL is the source of truth and Redis may forget (these machines keep nothing across a
 * restart). Every NOTIFICATION_SWEEP_SECONDS, in every worker process:
 * - outbox messages relayed but never planned (their job was lost) are planned now;
 * - notifications whose sender died mid-send (lease expired) get a new generation and a new job;
 * - when Redis lost its state (the marker key is gone), every pending notification, due or
 *   future, is enqueued again; otherwise those overdue by more than OVERDUE_GRACE_MS get a new
 *   generation and a new job, their old one having been lost or having finished without sending. Job ids are deterministic, so offering a job that
 *   exists adds nothing.
 */
@Injectable()
export class NotificationSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RedisClient) private readonly redis: Redis,
    private readonly planner: NotificationPlanner,
    private readonly queue: NotificationQueue,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NOTIFICATION_SWEEP_SECONDS === 0) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.config.NOTIFICATION_SWEEP_SECONDS * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<SweepResult> {
    const replayed = await this.replayLostOutboxMessages();
    const recovered: DueNotification[] = await this.dataSource.query(
      `WITH recovered AS (
         UPDATE notification SET state = 'pending', generation = generation + 1, lease_until = NULL, updated_at = now()
         WHERE state = 'sending' AND lease_until < now()
         RETURNING id, due_at AS "dueAt", generation)
       SELECT * FROM recovered`,
    );
    await this.queue.schedule(recovered);
    const fullRestore = (await this.redis.exists(QUEUE_INTACT_KEY)) === 0;
    let enqueued = 0;
    if (!fullRestore) {
      // Overdue and still pending: its job is gone, or finished without sending (a database error).
      // A job id that finished stays taken for days, so the retry gets a new generation.
      const overdue: DueNotification[] = await this.dataSource.query(
        `WITH overdue AS (
           UPDATE notification SET generation = generation + 1, updated_at = now()
           WHERE state = 'pending' AND due_at <= $1
           RETURNING id, due_at AS "dueAt", generation)
         SELECT * FROM overdue`,
        [new Date(this.clock.now().getTime() - OVERDUE_GRACE_MS)],
      );
      await this.queue.schedule(overdue);
      return { replayed, recovered: recovered.length, enqueued: overdue.length, fullRestore };
    }
    let complete = true;
    for (let after = 0; ; ) {
      const page: DueNotification[] = await this.dataSource.query(
        `SELECT id, due_at AS "dueAt", generation FROM notification
         WHERE state = 'pending' AND id > $1
         ORDER BY id LIMIT ${PAGE}`,
        [after],
      );
      if (page.length === 0) break;
      complete = (await this.queue.schedule(page)) && complete;
      enqueued += page.length;
      after = Number(page[page.length - 1].id);
    }
    if (complete) await this.redis.set(QUEUE_INTACT_KEY, new Date().toISOString());
    return { replayed, recovered: recovered.length, enqueued, fullRestore };
  }

  private async replayLostOutboxMessages(): Promise<number> {
    let replayed = 0;
    const lost: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM outbox_message
       WHERE consumed_at IS NULL AND published_at < now() - make_interval(secs => $1)
       ORDER BY id LIMIT 1000`,
      [this.config.OUTBOX_REPLAY_AFTER_SECONDS],
    );
    for (const { id } of lost) {
      try {
        await this.queue.schedule(await this.planner.consume(Number(id)));
        replayed++;
      } catch (error) {
        // One message that cannot be planned must not stop the rest of the sweep.
        this.logger.warn(`outbox message ${id} not planned: ${(error as Error).message}`);
      }
    }
    return replayed;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.sweep()
      .then((result) => {
        if (result.replayed + result.recovered > 0 || result.fullRestore) {
          this.logger.log(
            `sweep: ${result.replayed} outbox message(s) replayed, ${result.recovered} crashed send(s) recovered, ${result.enqueued} job(s) offered${result.fullRestore ? ' (full restore)' : ''}`,
          );
        }
      })
      .catch((error: Error) => this.logger.warn(`notification sweep failed: ${error.message}`))
      .finally(() => (this.running = null));
  }
}
