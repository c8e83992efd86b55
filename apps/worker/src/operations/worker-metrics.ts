import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { withTimeout } from '@app/common';
import { MonitoredQueues } from './monitored-queues';

const JOB_STATES = ['waiting', 'delayed', 'active', 'failed', 'completed'] as const;

/**
 * The worker's Prometheus metrics: queue depth per queue and state, notification sends and send
 * failures, notifications waiting or given up (from PostgreSQL, the source of truth), statistics
 * compile durations, and the process defaults (memory, event loop lag).
 */
@Injectable()
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly sent = new Counter({ name: 'marketplace_notifications_sent_total', help: 'Notifications accepted by their channel', labelNames: ['channel', 'kind'], registers: [this.registry] });
  private readonly sendFailures = new Counter({
    name: 'marketplace_notification_send_failures_total',
    help: 'Sends the channel refused or that timed out (each attempt)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  private readonly compileSeconds = new Histogram({
    name: 'marketplace_statistics_compile_seconds',
    help: 'Duration of statistics compiles',
    labelNames: ['trigger'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 40, 80],
    registers: [this.registry],
  });

  constructor(
    private readonly queues: MonitoredQueues,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'marketplace_worker_' });
    const monitored = this.queues;
    const database = this.dataSource;
    // Collected at scrape time, so the figures are current and nothing polls in between.
    new Gauge({
      name: 'marketplace_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const queue of monitored.all()) {
          const counts = await withTimeout(queue.getJobCounts(...JOB_STATES), 2_000).catch(() => null);
          if (counts) for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'marketplace_notifications',
      help: 'Notifications by state (pending, sending, failed)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const rows: { state: string; count: number }[] = await database.query(
          `SELECT state, count(*)::int AS count FROM notification WHERE state IN ('pending', 'sending', 'failed') GROUP BY state`,
        );
        for (const state of ['pending', 'sending', 'failed']) this.set({ state }, rows.find((row) => row.state === state)?.count ?? 0);
      },
    });
  }

  notificationSent(channel: string, kind: string): void {
    this.sent.inc({ channel, kind });
  }

  notificationSendFailed(kind: string): void {
    this.sendFailures.inc({ kind });
  }

  statisticsCompiled(trigger: string, seconds: number): void {
    this.compileSeconds.observe({ trigger }, seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
