/**
 * bench/reminders: 10,000 reminders due within one minute, sent by the worker process over SMTP to
 * a real SMTP server (smtp-server) in this process. Lateness = the moment the SMTP server accepted
 * a message minus its due time. Beside it, in the same run, the baseline: the same 10,000 due
 * times as bare BullMQ delayed jobs whose handler does nothing but note the time (the floor any
 * BullMQ-scheduled delivery stands on). Checks that none is lost and none arrives twice.
 * Target: p99 lateness <= 1 s.
 *
 *   npm run build && node dist/bench/reminders.js      (BENCH_REMINDERS=2000 for a quicker run)
 */
import 'reflect-metadata';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { buildDataSourceOptions, prepareDatabase, quoteIdentifier } from '@app/db';
import { seedDemoData } from '@app/db/setup/seed-demo-data';
import { TestSmtpServer } from '@app/testing/test-smtp-server';
import { benchDatabaseUrls, deleteRedisKeys, log, memoryOf, percentile, sleep, startBenchApp } from './bench-support';

const REMINDERS = Number(process.env.BENCH_REMINDERS ?? 10_000);
/** The first reminder is due this long after loading ends; all fall due within the next minute. */
const LEAD_MS = 30_000;
const SPREAD_MS = 60_000;
const TARGET_P99_MS = 1_000;
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret';

interface Lateness {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

async function main(): Promise<void> {
  const config = loadAppConfig({ ...process.env, NODE_ENV: 'development' });
  const databaseName = `im_bench_reminders_${Date.now().toString(36)}`;
  const { databaseUrl, maintenanceUrl } = benchDatabaseUrls(config.DATABASE_URL, databaseName);
  const admin = new Pool({ connectionString: maintenanceUrl, max: 1 });
  const prefix = `${databaseName}:`;
  const smtp = await TestSmtpServer.start();
  try {
    log(`database ${databaseName}: ${REMINDERS.toLocaleString('en')} reminders due within ${SPREAD_MS / 1000} s`);
    await prepareDatabase(config, databaseUrl);
    const dataSource = new DataSource({ ...buildDataSourceOptions(config, { url: databaseUrl, poolSize: 2 }) });
    await dataSource.initialize();
    try {
      await dataSource.transaction((manager) => seedDemoData(manager, config, { instrumentCount: 200, seed: 4, bookings: false }));

      // Baseline: bare BullMQ delayed jobs at the same due times, a handler that only notes the time.
      const bare = await measureBareBullmq(config.REDIS_URL, `${prefix}bare:`);
      log(`bare BullMQ   ${formatLateness(bare.lateness)}  (${bare.received} of ${REMINDERS}, ${bare.duplicates} twice)`);

      const dueFrom = await loadReminders(dataSource);
      const worker = await startBenchApp(
        'worker',
        { JWT_SECRET, DATABASE_URL: databaseUrl, REDIS_KEY_PREFIX: prefix, SMTP_URL: smtp.url, STATISTICS_NIGHTLY_ENABLED: 'false' },
        process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [],
      );
      try {
        const deadline = dueFrom + SPREAD_MS + 120_000;
        while (smtp.mails.length < REMINDERS && Date.now() < deadline) await sleep(500);
        await sleep(3_000);
        const memory = memoryOf(worker.pid);
        const due = new Map<string, number>(
          (await dataSource.query(`SELECT id, due_at FROM notification`)).map((row: { id: string; due_at: Date }) => [
            `<notification-${row.id}@instrument-marketplace>`,
            row.due_at.getTime(),
          ]),
        );
        const ids = smtp.mails.map((mail) => mail.messageId);
        const unique = new Set(ids);
        const lateness = smtp.mails.filter((mail) => due.has(mail.messageId)).map((mail) => mail.acceptedAt - due.get(mail.messageId)!);
        const [{ sent }] = await dataSource.query(`SELECT count(*)::int AS sent FROM notification WHERE state = 'sent'`);
        const recorded: { lateness: number }[] = await dataSource.query(
          `SELECT extract(epoch FROM sent_at - due_at) * 1000 AS lateness FROM notification WHERE state = 'sent'`,
        );
        log(`recorded sent ${formatLateness(summarizeLateness(recorded.map((row) => Number(row.lateness))))}  (sent_at - due_at in PostgreSQL)`);
        const summary = summarizeLateness(lateness);
        log(`worker + SMTP ${formatLateness(summary)}  (${unique.size} of ${REMINDERS} arrived, ${ids.length - unique.size} twice, ${sent} recorded sent)`);
        log(`ratio p99 worker / bare BullMQ: ${(summary.p99 / Math.max(1, bare.lateness.p99)).toFixed(1)}x`);
        log(`worker RSS end ${memory.rssMb.toFixed(0)} MB, peak ${memory.peakRssMb.toFixed(0)} MB`);
        const lost = REMINDERS - unique.size;
        log(
          `target p99 <= ${TARGET_P99_MS} ms: ${summary.p99 <= TARGET_P99_MS ? 'met' : 'NOT met'}; none lost: ${lost === 0 ? 'yes' : `NO (${lost} lost)`}; none twice: ${ids.length === unique.size ? 'yes' : 'NO'}`,
        );
      } finally {
        await worker.stop();
      }
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await smtp.close();
    await deleteRedisKeys(config.REDIS_URL, prefix);
    if (!process.env.BENCH_KEEP_DATABASE) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(databaseName)} WITH (FORCE)`);
    await admin.end();
  }
}

/** Confirmed bookings an hour ahead, each with its 1-hour reminder due within the minute after LEAD_MS. Returns the first due instant. */
async function loadReminders(dataSource: DataSource): Promise<number> {
  const dueFrom = Date.now() + LEAD_MS;
  await dataSource.query(
    `WITH instruments AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM instrument),
          people AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM app_user),
          wanted AS (
            SELECT g AS n, to_timestamp(($1::bigint + (g::bigint * $3::bigint) / $2::bigint) / 1000.0) + interval '60 minutes' AS starts_at
            FROM generate_series(0, $2::int - 1) AS g),
          booked AS (
            INSERT INTO booking (instrument_id, user_id, status, mode, starts_at, ends_at, is_internal)
            SELECT i.id, p.id, 'confirmed', 'sample_submission', w.starts_at, w.starts_at + interval '1 hour', false
            FROM wanted w
            JOIN instruments i ON i.n = w.n % i.total
            JOIN people p ON p.n = w.n % p.total
            RETURNING id, user_id, starts_at)
     INSERT INTO notification (kind, recipient_id, booking_id, dedupe_key, due_at, data)
     SELECT 'reminder', user_id, id, 'reminder:' || id || ':' || floor(extract(epoch FROM starts_at))::bigint || ':60', starts_at - interval '60 minutes',
            jsonb_build_object('offsetMinutes', 60, 'startsEpoch', floor(extract(epoch FROM starts_at))::bigint)
     FROM booked`,
    [dueFrom, REMINDERS, SPREAD_MS],
  );
  return dueFrom;
}

async function measureBareBullmq(redisUrl: string, prefix: string): Promise<{ lateness: Lateness; received: number; duplicates: number }> {
  const producer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const consumer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bare', { connection: producer, prefix });
  const seen = new Map<string, number>();
  const lateness: number[] = [];
  const dueFrom = Date.now() + LEAD_MS;
  const worker = new Worker(
    'bare',
    async (job) => {
      lateness.push(Date.now() - job.data.dueAt);
      seen.set(job.id!, (seen.get(job.id!) ?? 0) + 1);
    },
    { connection: consumer, prefix, concurrency: 16 },
  );
  try {
    for (let from = 0; from < REMINDERS; from += 1000) {
      const now = Date.now();
      await queue.addBulk(
        Array.from({ length: Math.min(1000, REMINDERS - from) }, (_, offset) => {
          const index = from + offset;
          const dueAt = dueFrom + Math.floor((index * SPREAD_MS) / REMINDERS);
          return { name: 'bare', data: { dueAt }, opts: { jobId: `bare-${index}`, delay: dueAt - now, removeOnComplete: true } };
        }),
      );
    }
    const deadline = dueFrom + SPREAD_MS + 60_000;
    while (seen.size < REMINDERS && Date.now() < deadline) await sleep(250);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    producer.disconnect();
    consumer.disconnect();
  }
  const duplicates = [...seen.values()].filter((count) => count > 1).length;
  return { lateness: summarizeLateness(lateness), received: seen.size, duplicates };
}

function summarizeLateness(values: number[]): Lateness {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

function formatLateness(lateness: Lateness): string {
  const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
  return `lateness p50 ${ms(lateness.p50)}  p95 ${ms(lateness.p95)}  p99 ${ms(lateness.p99)}  max ${ms(lateness.max)}`;
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
