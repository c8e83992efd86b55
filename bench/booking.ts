/**
 * bench/booking: 9,000 instruments open Mon-Fri 08:00-21:00 (Asia/Shanghai) and 2,000,000 past and
 * future bookings, then, in one run:
 * - non-conflicting booking creation, POST /bookings by 32 clients, beside a raw-SQL baseline (the
 *   app's own write, INSERT INTO time_block ... ON CONFLICT DO NOTHING + INSERT INTO booking in one
 *   statement, so one transaction, through pg, 32 clients) on other free slots: bookings/s,
 *   p50/p95/p99 and the HTTP/SQL ratio;
 * - contention: 64 clients POSTing one slot, 20 rounds on fresh slots: answers/s, p99, one winner each;
 * - free slots of one instrument over 30 days (GET /instruments/:id/slots);
 * - the earliest-slot search over every instrument of one category in one city (GET /slots/search),
 *   for the widest first-level category and city (the target) and a typical second-level one;
 * - the booking app's peak RSS (VmHWM) after all of it.
 * Targets on the 2-core machine: HTTP creation >= 40% of raw SQL with p99 <= 100 ms; contention
 * >= 1,000 answers/s with p99 <= 100 ms; free slots p99 <= 15 ms; search p95 <= 150 ms; RSS <= 300 MB.
 *
 *   npm run build && node dist/bench/booking.js      (BENCH_BOOKINGS=200000 BENCH_INSTRUMENTS=2000 for a quicker run;
 *                                                     BENCH_KEEP_DATABASE=1 keeps the database for a closer look;
 *                                                     BENCH_ONLY=creation measures creation and contention alone;
 *                                                     BENCH_CPU_PROFILE=<dir> writes the app's CPU profile of each)
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { buildDataSourceOptions, prepareDatabase, quoteIdentifier } from '@app/db';
import type { FeeUnit } from '@app/db';
import { seedDemoData } from '@app/db/setup/seed-demo-data';
import { BOOKING_NODE_ARGUMENTS } from '../apps/booking/src/booking-node-arguments';
import { quoteFee } from '../apps/booking/src/bookings/fee-quote';
import {
  HttpAnswer,
  HttpClient,
  LatencySummary,
  Timed,
  benchDatabaseUrls,
  benchToken,
  cpuMsOf,
  cpuMsOfCommand,
  deleteRedisKeys,
  expectStatus,
  formatRow,
  loadBookingsInParallel,
  log,
  memoryOf,
  runConcurrently,
  seededRandom,
  startBookingBenchApp,
  stepTimer,
  summarize,
} from './bench-support';

const INSTRUMENTS = Number(process.env.BENCH_INSTRUMENTS ?? 9_000);
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 2_000_000);
const USERS = 2_000;
const ZONE = 'Asia/Shanghai';
/** Loaded bookings per instrument and open weekday, one in each third of the 08:00-21:00 day (about 6 of 13 hours taken). */
const BOOKINGS_PER_DAY = 3;
/** Share of the loaded weekdays from today on: those bookings are confirmed and block time. */
const FUTURE_SHARE = 1 / 3;
/** Connections loading bookings side by side, each for its own range of instruments. */
const LOADERS = 2;
/** The app's DATABASE_POOL_SIZE (its default); the SQL baseline runs with this pool and with one connection per client. */
const APP_POOL_SIZE = 8;

const CREATE_CLIENTS = 32;
const CREATE_REQUESTS = 4_000;
const CREATE_WARM_UP = 400;
const CONTENTION_CLIENTS = 64;
const CONTENTION_ROUNDS = 20;
const SLOTS_CLIENTS = 8;
const SLOTS_REQUESTS = 500;
const SEARCH_CLIENTS = 4;
const SEARCH_REQUESTS = 100;
const WARM_UP = 50;
const SLOTS_DAYS = 30;
const SEARCH_DAYS = 14;
const DURATION_MINUTES = 60;

/** Creation and contention alone (no free slots, no search): quicker runs while working on the write path. */
const CREATION_ONLY = process.env.BENCH_ONLY === 'creation';
/** A directory: the app's CPU profile over the HTTP creation run and over the contention run (bench/cpu-profile.ts). */
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE;

const TARGET_CREATE_RATIO = 0.4;
const TARGET_CREATE_P99_MS = 100;
const TARGET_CONTENTION_RATE = 1_000;
const TARGET_CONTENTION_P99_MS = 100;
const TARGET_SLOTS_P99_MS = 15;
const TARGET_SEARCH_P95_MS = 150;
const TARGET_PEAK_RSS_MB = 300;

interface BenchUser {
  id: string;
  institutionId: string;
  token: string;
}

interface BookableInstrument {
  id: string;
  institutionId: string;
  fee: { unit: FeeUnit; internalRateFen: number; externalRateFen: number } | null;
}

interface Slot {
  instrument: BookableInstrument;
  start: Date;
  end: Date;
}

interface LoadPlan {
  /** The open weekdays (local dates) that get bookings, oldest first; the last FUTURE_SHARE of them from today on. */
  days: DateTime[];
  ahead: number;
  /** The Monday after the last loaded day: every weekday from there on is free on every instrument. */
  freeFrom: DateTime;
}

async function main(): Promise<void> {
  const config = loadAppConfig({ ...process.env, NODE_ENV: 'development' });
  const databaseName = `im_bench_booking_${Date.now().toString(36)}`;
  const { databaseUrl, maintenanceUrl } = benchDatabaseUrls(config.DATABASE_URL, databaseName);
  const admin = new Pool({ connectionString: maintenanceUrl, max: 1 });
  const { timed, seconds: loadSeconds } = stepTimer();
  try {
    log(`database ${databaseName}: ${INSTRUMENTS.toLocaleString('en')} instruments, ${BOOKINGS.toLocaleString('en')} bookings`);
    await timed('migrate', () => prepareDatabase(config, databaseUrl));
    const loader = new DataSource({ ...buildDataSourceOptions(config, { url: databaseUrl, poolSize: LOADERS }) });
    await loader.initialize();
    const plan = planLoad();
    log(`bookings on ${plan.days.length} weekdays, ${plan.days[0].toISODate()} to ${plan.days[plan.days.length - 1].toISODate()} (${plan.ahead} from today on); new ones from ${plan.freeFrom.toISODate()}`);
    let users: BenchUser[];
    try {
      // The catalog alone: demo hours and bookings (bookings: false, where seedDemoData offers it) would be replaced below anyway.
      const demoOptions = { instrumentCount: INSTRUMENTS, seed: 9_000, bookings: false as const };
      const seeded = await timed('demo catalog', () => loader.transaction((manager) => seedDemoData(manager, config, demoOptions)));
      log(`  ${seeded.instruments} instruments of ${seeded.institutions} institutions`);
      await timed('hours and rules', () => publishHours(loader));
      users = await timed('users', () => createUsers(loader));
      await loadBookings(databaseUrl, plan, timed);
      await timed('vacuum analyze + checkpoint', async () => {
        await loader.query('VACUUM ANALYZE');
        await loader.query('CHECKPOINT');
      });
      const [{ bookings, blocks, size }] = await loader.query(
        `SELECT (SELECT count(*) FROM booking)::int AS bookings, (SELECT count(*) FROM time_block)::int AS blocks,
                pg_size_pretty(pg_database_size(current_database())) AS size`,
      );
      log(`  ${bookings.toLocaleString('en')} bookings, ${blocks.toLocaleString('en')} blocking (time_block), database ${size}`);
    } finally {
      await loader.destroy();
    }

    const pool = new Pool({ connectionString: databaseUrl, max: 4 });
    const instruments = await bookableInstruments(pool);
    const searches = { widest: await searchFilter(pool, 'category_l1_code'), typical: await searchFilter(pool, 'category_l2_code') };
    await pool.end();
    log(`${instruments.length.toLocaleString('en')} instruments open to outside sample submission`);
    const slots = slotAllocator(instruments, plan.freeFrom);

    // Raw-SQL baseline, before the app starts: the app's pool size, then one connection per client.
    // What the busy-time change log (the statement trigger on time_block the in-memory index reads) costs the raw claim, measured first.
    const sqlWithoutChangeLog = await withoutChangeLog(databaseUrl, () => measureSqlCreation(databaseUrl, APP_POOL_SIZE, users, slots));
    const sqlPooled = await measureSqlCreation(databaseUrl, APP_POOL_SIZE, users, slots);
    /** PostgreSQL's and Redis's CPU time per phase: what a booking costs the database, through the app (and raw: sqlPooled.postgresCpuMs). */
    const serviceCpuMs: Record<string, { postgres: number; redis: number }> = {};
    const sqlWide = await measureSqlCreation(databaseUrl, CREATE_CLIENTS, users, slots);

    const app = await startBookingBenchApp(databaseUrl, databaseName, { poolSize: APP_POOL_SIZE, maxSockets: CONTENTION_CLIENTS, nodeArguments: [...BOOKING_NODE_ARGUMENTS, ...(CPU_PROFILE ? ['--require', resolve(__dirname, 'cpu-profile.js')] : [])],
    });
    /** The app's CPU time (user + system) per phase, so a change shows in the app's own cost, not only in the shared machine's rate. */
    const appCpuMs: Record<string, number> = {};
    const measured = async <T>(phase: string, run: () => Promise<T>): Promise<T> => {
      if (CPU_PROFILE) {
        // Starting V8's profiler stalls the app for ~170 ms: let that pass before the phase, or it is the phase's p99.
        process.kill(app.pid, 'SIGWINCH');
        await new Promise((resolveDelay) => setTimeout(resolveDelay, 1_000));
      }
      const cpuBefore = cpuMsOf(app.pid);
      const servicesBefore = { postgres: cpuMsOfCommand('postgres'), redis: cpuMsOfCommand('redis-server') };
      const result = await run();
      appCpuMs[phase] = cpuMsOf(app.pid) - cpuBefore;
      serviceCpuMs[phase] = { postgres: cpuMsOfCommand('postgres') - servicesBefore.postgres, redis: cpuMsOfCommand('redis-server') - servicesBefore.redis };
      if (CPU_PROFILE) {
        process.kill(app.pid, 'SIGWINCH');
        await new Promise((resolveDelay) => setTimeout(resolveDelay, 1_000));
      }
      return result;
    };
    try {
      const http = app.http;
      // Warm-up: every route measured below, on slots and instruments outside the measured ones.
      await runConcurrently(CREATE_WARM_UP, CREATE_CLIENTS, async (i) => expectStatus(await postBooking(http, users[i % USERS], slots.next()), [201]));
      const random = seededRandom(30);
      const pickInstrument = () => instruments[Math.floor(random() * instruments.length)];
      const from = nextHalfHour(new Date());
      if (!CREATION_ONLY) {
        await runConcurrently(WARM_UP, SLOTS_CLIENTS, async () => expectStatus(await http.call('GET', freeSlotsPath(pickInstrument().id, from)), [200]));
        await runConcurrently(10, SEARCH_CLIENTS, async () => expectStatus(await http.call('GET', searchPath(searches.typical, from)), [200]));
      }

      log(`HTTP creation: ${CREATE_REQUESTS} bookings, ${CREATE_CLIENTS} clients ...`);
      const createStatuses = new Map<number, number>();
      const createRun = await measured('creation', () =>
        runConcurrently(CREATE_REQUESTS, CREATE_CLIENTS, async (i) => {
          const { status, body } = await postBooking(http, users[i % USERS], slots.next());
          if (status !== 201 && !createStatuses.has(status)) log(`  unexpected ${status}: ${body.slice(0, 300)}`);
          createStatuses.set(status, (createStatuses.get(status) ?? 0) + 1);
        }),
      );
      const created = createStatuses.get(201) ?? 0;
      const rssAfter: Record<string, number> = { creation: memoryOf(app.pid).rssMb };
      const httpCreate = { ...summarize(createRun.latencies, createRun.wallMs), bookingsPerSecond: (created / createRun.wallMs) * 1000 };

      log(`contention: ${CONTENTION_ROUNDS} rounds of ${CONTENTION_CLIENTS} clients on one slot ...`);
      const contention = await measured('contention', () => measureContention(http, databaseUrl, users, slots));
      rssAfter.contention = memoryOf(app.pid).rssMb;

      const reads = CREATION_ONLY ? null : await measureReads(http, pickInstrument, searches, from, measured, () => (rssAfter.freeSlots = memoryOf(app.pid).rssMb));
      if (reads) rssAfter.slotSearch = memoryOf(app.pid).rssMb;
      const memory = { ...memoryOf(app.pid), rssAfterMb: rssAfter };

      const bestSql = sqlPooled.bookingsPerSecond >= sqlWide.bookingsPerSecond ? sqlPooled : sqlWide;
      const ratio = httpCreate.bookingsPerSecond / bestSql.bookingsPerSecond;
      const createMet = ratio >= TARGET_CREATE_RATIO && httpCreate.p99 <= TARGET_CREATE_P99_MS && created === CREATE_REQUESTS;
      const contentionMet =
        contention.answersPerSecond >= TARGET_CONTENTION_RATE && contention.p99 <= TARGET_CONTENTION_P99_MS && contention.roundsWithOneWinner === CONTENTION_ROUNDS;
      const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
      const rate = (value: number) => `${value.toFixed(0)}/s`;
      const report = [
        '',
        `bench/booking: ${INSTRUMENTS.toLocaleString('en')} instruments, ${BOOKINGS.toLocaleString('en')} bookings, app pool ${APP_POOL_SIZE}, ${USERS} users`,
        `load         ${Object.entries(loadSeconds).map(([step, seconds]) => `${step} ${seconds.toFixed(1)} s`).join(', ')}`,
        `creation, ${CREATE_CLIENTS} clients, ${CREATE_REQUESTS} bookings each (distinct free slots):`,
        `${formatRow(`SQL pool ${APP_POOL_SIZE}`, sqlPooled)}  ${rate(sqlPooled.bookingsPerSecond)} bookings`,
        `${formatRow(`SQL pool ${CREATE_CLIENTS}`, sqlWide)}  ${rate(sqlWide.bookingsPerSecond)} bookings`,
        `${formatRow(`SQL pool ${APP_POOL_SIZE}, no change log`, sqlWithoutChangeLog)}  ${rate(sqlWithoutChangeLog.bookingsPerSecond)} bookings: the change log costs the raw claim ${((1 - sqlPooled.bookingsPerSecond / sqlWithoutChangeLog.bookingsPerSecond) * 100).toFixed(0)}%`,
        `${formatRow('HTTP', httpCreate)}  ${rate(httpCreate.bookingsPerSecond)} bookings (${[...createStatuses].map(([status, n]) => `${n} x ${status}`).join(', ')})`,
        `             CPU per booking: app ${(appCpuMs.creation / CREATE_REQUESTS).toFixed(2)} ms, PostgreSQL ${(serviceCpuMs.creation.postgres / CREATE_REQUESTS).toFixed(2)} ms ` +
          `(raw SQL pool ${APP_POOL_SIZE}: ${(sqlPooled.postgresCpuMs / CREATE_REQUESTS).toFixed(2)} ms), Redis ${(serviceCpuMs.creation.redis / CREATE_REQUESTS).toFixed(2)} ms`,
        `HTTP/SQL     ${(ratio * 100).toFixed(0)}% of the best raw-SQL rate (${((httpCreate.bookingsPerSecond / sqlPooled.bookingsPerSecond) * 100).toFixed(0)}% of pool ${APP_POOL_SIZE}, ${((httpCreate.bookingsPerSecond / sqlWide.bookingsPerSecond) * 100).toFixed(0)}% of pool ${CREATE_CLIENTS})`,
        `contention, ${CONTENTION_CLIENTS} clients on one slot, ${CONTENTION_ROUNDS} rounds:`,
        `${formatRow('HTTP', contention)}  winners per round ${contention.winnersPerRound.join(',')}; ${contention.statuses}; one booking per slot in the database: ${contention.oneRowPerSlot ? 'yes' : 'NO'}`,
        `             CPU per answer: app ${(appCpuMs.contention / (CONTENTION_ROUNDS * CONTENTION_CLIENTS)).toFixed(2)} ms, PostgreSQL ${(serviceCpuMs.contention.postgres / (CONTENTION_ROUNDS * CONTENTION_CLIENTS)).toFixed(2)} ms`,
        ...(reads
          ? [
              `free slots, ${SLOTS_DAYS} days, ${DURATION_MINUTES} min (${reads.freeSlots.averageSlots.toFixed(0)} starts per answer on average):`,
              formatRow('1 client', reads.freeSlotsSerial),
              formatRow(`${SLOTS_CLIENTS} clients`, reads.freeSlots),
              `             CPU per answer (${SLOTS_CLIENTS} clients): app ${(appCpuMs.freeSlots / SLOTS_REQUESTS).toFixed(2)} ms, PostgreSQL ${(serviceCpuMs.freeSlots.postgres / SLOTS_REQUESTS).toFixed(2)} ms`,
              ...([[reads.widestSearch, 'widestSearch'], [reads.typicalSearch, 'typicalSearch']] as const).flatMap(([{ filter, found, serial, concurrent }, phase]) => [
                `earliest-slot search, ${SEARCH_DAYS} days, ${DURATION_MINUTES} min, ${filter.label}: category ${filter.category}, city ${filter.city}, ${filter.candidates} candidate instruments, ${found} with a free slot:`,
                formatRow('1 client', serial),
                formatRow(`${SEARCH_CLIENTS} clients`, concurrent),
                `             CPU per search (${SEARCH_CLIENTS} clients): app ${(appCpuMs[phase] / SEARCH_REQUESTS).toFixed(2)} ms, PostgreSQL ${(serviceCpuMs[phase].postgres / SEARCH_REQUESTS).toFixed(2)} ms`,
              ]),
            ]
          : ['free slots and earliest-slot search: not measured (BENCH_ONLY=creation)']),
        `booking RSS  end ${memory.rssMb.toFixed(0)} MB, peak ${memory.peakRssMb.toFixed(0)} MB (after ${Object.entries(rssAfter).map(([phase, mb]) => `${phase} ${mb.toFixed(0)}`).join(', ')} MB)`,
        `targets      creation >= ${TARGET_CREATE_RATIO * 100}% of raw SQL and p99 <= ${TARGET_CREATE_P99_MS} ms: ${verdict(createMet)} (${(ratio * 100).toFixed(0)}%, p99 ${httpCreate.p99.toFixed(1)} ms)`,
        `             contention >= ${TARGET_CONTENTION_RATE} answers/s, p99 <= ${TARGET_CONTENTION_P99_MS} ms, one winner: ${verdict(contentionMet)} (${contention.answersPerSecond.toFixed(0)}/s, p99 ${contention.p99.toFixed(1)} ms, ${contention.roundsWithOneWinner}/${CONTENTION_ROUNDS} rounds with one winner)`,
        ...(reads
          ? [
              `             free slots p99 <= ${TARGET_SLOTS_P99_MS} ms: ${verdict(reads.freeSlots.p99 <= TARGET_SLOTS_P99_MS)} (${reads.freeSlots.p99.toFixed(1)} ms)`,
              `             search p95 <= ${TARGET_SEARCH_P95_MS} ms (widest, ${SEARCH_CLIENTS} clients): ${verdict(reads.widestSearch.concurrent.p95 <= TARGET_SEARCH_P95_MS)} (${reads.widestSearch.concurrent.p95.toFixed(1)} ms; typical ${reads.typicalSearch.concurrent.p95.toFixed(1)} ms)`,
            ]
          : []),
        `             peak RSS <= ${TARGET_PEAK_RSS_MB} MB: ${verdict(memory.peakRssMb <= TARGET_PEAK_RSS_MB)} (${memory.peakRssMb.toFixed(0)} MB)`,
        '',
      ].join('\n');
      process.stdout.write(report);
      mkdirSync(resolve(process.cwd(), 'bench/results'), { recursive: true });
      writeFileSync(
        resolve(process.cwd(), `bench/results/booking-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
        JSON.stringify(
          {
            instruments: INSTRUMENTS,
            bookings: BOOKINGS,
            users: USERS,
            appPoolSize: APP_POOL_SIZE,
            loadSeconds,
            creation: { clients: CREATE_CLIENTS, requests: CREATE_REQUESTS, sqlPooled, sqlWide, sqlWithoutChangeLog, http: httpCreate, statuses: Object.fromEntries(createStatuses), ratio, appCpuMs: appCpuMs.creation },
            contention: { ...contention, appCpuMs: appCpuMs.contention },
            freeSlots: reads && { days: SLOTS_DAYS, durationMinutes: DURATION_MINUTES, serial: reads.freeSlotsSerial, concurrent: { clients: SLOTS_CLIENTS, ...reads.freeSlots } },
            slotSearch: reads && { days: SEARCH_DAYS, durationMinutes: DURATION_MINUTES, clients: SEARCH_CLIENTS, widest: reads.widestSearch, typical: reads.typicalSearch },
            memory,
            targets: {
              creation: createMet,
              contention: contentionMet,
              freeSlots: reads && reads.freeSlots.p99 <= TARGET_SLOTS_P99_MS,
              slotSearch: reads && reads.widestSearch.concurrent.p95 <= TARGET_SEARCH_P95_MS,
              peakRss: memory.peakRssMb <= TARGET_PEAK_RSS_MB,
            },
          },
          null,
          2,
        ),
      );
    } finally {
      await app.stop();
    }
  } finally {
    if (process.env.BENCH_KEEP_DATABASE === '1') log(`BENCH_KEEP_DATABASE=1: ${databaseName} kept`);
    else await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(databaseName)} WITH (FORCE)`);
    await admin.end();
    // The app's outbox relay queued a job per booking under this run's key prefix.
    await deleteRedisKeys(config.REDIS_URL, `${databaseName}:`).catch((error: Error) => log(`Redis keys ${databaseName}:* not removed: ${error.message}`));
  }
}

// --- loading ---------------------------------------------------------------------------------

/** Loaded weekdays: as many as the busiest instrument needs at BOOKINGS_PER_DAY a day, a third of them from today on. */
function planLoad(): LoadPlan {
  const weekdays = Math.max(1, Math.ceil(Math.ceil(BOOKINGS / INSTRUMENTS) / BOOKINGS_PER_DAY));
  const ahead = Math.max(1, Math.round(weekdays * FUTURE_SHARE));
  const today = DateTime.now().setZone(ZONE).startOf('day');
  const days: DateTime[] = [];
  for (let day = today; days.length < ahead; day = day.plus({ days: 1 })) if (day.weekday <= 5) days.push(day);
  for (let day = today.minus({ days: 1 }); days.length < weekdays; day = day.minus({ days: 1 })) if (day.weekday <= 5) days.unshift(day);
  return { days, ahead, freeFrom: days[days.length - 1].startOf('week').plus({ weeks: 1 }) };
}

/**
 * Hours and rules for every instrument, replacing whatever the demo data published (and any demo
 * bookings), so the load below is exactly the one described.
 */
async function publishHours(dataSource: DataSource): Promise<void> {
  await dataSource.query(`TRUNCATE opening_window, booking_rules, availability_exception, institution_closure, maintenance_period, time_block CASCADE`);
  // Not TRUNCATE booking CASCADE: it would reach the voucher ledger, which refuses TRUNCATE (append-only).
  await dataSource.query(`DELETE FROM booking`);
  await dataSource.query(`UPDATE instrument SET time_zone = $1 WHERE time_zone <> $1`, [ZONE]);
  await dataSource.query(
    `INSERT INTO opening_window (instrument_id, weekday, opens, closes)
     SELECT i.id, d, '08:00', '21:00' FROM instrument i CROSS JOIN generate_series(1, 5) d ORDER BY i.id, d`,
  );
  await dataSource.query(
    `INSERT INTO booking_rules (instrument_id, slot_minutes, min_duration_minutes, max_duration_minutes, buffer_minutes,
                                min_notice_minutes, max_advance_days, requires_approval)
     SELECT id, 30, 30, 240, 0, 0, 366, false FROM instrument`,
  );
}

/** Researchers spread over the institutions; the password hash is never checked (tokens are signed here). */
async function createUsers(dataSource: DataSource): Promise<BenchUser[]> {
  const rows: { id: string; institution_id: string }[] = await dataSource.query(
    `WITH inst AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS c FROM institution)
     INSERT INTO app_user (email, password_hash, display_name, role, institution_id)
     SELECT 'bench' || n || '@bench.example', 'not-a-hash', 'Bench ' || n, 'researcher', inst.id
     FROM generate_series(0, $1 - 1) n JOIN inst ON inst.k = n % inst.c
     ORDER BY n
     RETURNING id, institution_id`,
    [USERS],
  );
  return rows.map((row) => ({
    id: row.id,
    institutionId: row.institution_id,
    token: benchToken({ id: row.id, role: 'researcher', institutionId: row.institution_id }),
  }));
}

/**
 * BOOKINGS bookings in set-based SQL, instrument by instrument in time order, on LOADERS connections
 * side by side (each its own range of instruments). Each loaded weekday is cut in three parts
 * (08:00-12:30, 12:30-17:00, 17:00-21:00) and each part holds one booking of 60 to 180 minutes at a
 * pseudo-random place, so one instrument's bookings never overlap. Those ended are completed, one
 * under way is in use, later ones are confirmed; the last two get their time_block row, each checked
 * by the exclusion constraint. Ids are shaped like UUIDv7 and ordered as the rows go in, so the key
 * indexes grow at their ends instead of taking millions of random inserts (the app's own inserts
 * stay random: gen_random_uuid).
 */
function loadBookings(databaseUrl: string, plan: LoadPlan, timed: Timed): Promise<void> {
  return loadBookingsInParallel(databaseUrl, {
    loaders: LOADERS,
    statement: LOAD_STATEMENT,
    params: [Math.floor(BOOKINGS / INSTRUMENTS), BOOKINGS % INSTRUMENTS, plan.days.map((day) => day.toISODate())],
    step: 'bookings and time blocks',
    timed,
  });
}

/**
 * The bookings of instruments $1 <= n < $2 (n: position by id), $3 each and one more for n < $4,
 * on the local dates $5. Pseudo-random choices come from hashes of (instrument, position): the same
 * data every run, whatever the number of loaders.
 */
const LOAD_STATEMENT = `
  WITH ins AS (
    SELECT i.id, i.institution_id, i.n,
           CASE WHEN 'sample_submission' = ANY (i.service_modes) THEN 'sample_submission' ELSE 'self_operated' END AS mode,
           f.unit, f.internal_rate_fen, f.external_rate_fen
    FROM (SELECT id, institution_id, service_modes, row_number() OVER (ORDER BY id) - 1 AS n FROM instrument) i
    LEFT JOIN instrument_fee f ON f.instrument_id = i.id AND f.position = 0
    WHERE i.n >= $1 AND i.n < $2
  ),
  users AS (
    SELECT array_agg(id ORDER BY email) AS ids, array_agg(institution_id ORDER BY email) AS institutions, count(*)::int AS n
    FROM app_user WHERE email LIKE '%@bench.example'
  ),
  grid AS (
    SELECT ins.*, p, ins.n * 1000003 + p AS key, p / ${BOOKINGS_PER_DAY} AS w, p % ${BOOKINGS_PER_DAY} AS part
    FROM ins CROSS JOIN LATERAL generate_series(0, $3 - 1 + (ins.n < $4)::int) p
  ),
  placed AS (
    SELECT g.*, lpad(to_hex(g.key), 30, '0') AS hex,
           u.ids[1 + ((hashint8extended(g.key, 1) & 2147483647) % u.n)::int] AS user_id,
           u.institutions[1 + ((hashint8extended(g.key, 1) & 2147483647) % u.n)::int] = g.institution_id AS internal,
           2 + (hashint8extended(g.key, 2) & 2147483647) % 5 AS slots,
           g.part * 9 AS part_start, CASE WHEN g.part = 2 THEN 8 ELSE 9 END AS part_slots,
           hashint8extended(g.key, 3) & 2147483647 AS r
    FROM grid g CROSS JOIN users u
  ),
  dated AS (
    SELECT p.*, s.starts_at, s.starts_at + p.slots * interval '30 minutes' AS ends_at,
           CASE WHEN p.internal THEN p.internal_rate_fen ELSE p.external_rate_fen END AS rate
    FROM placed p CROSS JOIN LATERAL (
      SELECT ((($5::date[])[p.w + 1]) + time '08:00'
              + (p.part_start + p.r % (p.part_slots - p.slots + 1)) * interval '30 minutes') AT TIME ZONE '${ZONE}' AS starts_at
    ) s
  ),
  booked AS (
    SELECT d.*,
           CASE WHEN d.ends_at <= now() THEN 'completed' WHEN d.starts_at <= now() THEN 'in_use' ELSE 'confirmed' END AS status,
           (substr(d.hex, 1, 8) || '-' || substr(d.hex, 9, 4) || '-7' || substr(d.hex, 13, 3) || '-8' || substr(d.hex, 16, 3) || '-'
            || substr(d.hex, 19, 12))::uuid AS uid,
           CASE d.unit WHEN 'hour' THEN d.rate * d.slots / 2 ELSE d.rate END AS quote
    FROM dated d
  ),
  inserted AS (
    INSERT INTO booking (id, instrument_id, user_id, status, mode, purpose, starts_at, ends_at, is_internal, fee_unit, rate_fen, quote_fen,
                         final_fee_fen, actual_start_at, actual_end_at, created_at, updated_at)
    SELECT uid, id, user_id, status, mode, 'bench load', starts_at, ends_at, internal, unit, rate, quote,
           CASE WHEN status = 'completed' THEN quote END,
           CASE WHEN status <> 'confirmed' THEN starts_at END,
           CASE WHEN status = 'completed' THEN ends_at END,
           least(now(), starts_at - interval '7 days'),
           CASE status WHEN 'completed' THEN ends_at WHEN 'in_use' THEN starts_at ELSE least(now(), starts_at - interval '7 days') END
    FROM booked
    RETURNING id, instrument_id, starts_at, ends_at, status
  )
  INSERT INTO time_block (id, instrument_id, during, booking_id)
  SELECT overlay(id::text PLACING '9' FROM 20 FOR 1)::uuid, instrument_id, tstzrange(starts_at, ends_at), id
  FROM inserted WHERE status IN ('in_use', 'confirmed')`;

/** Instruments anyone signed in may book by sample submission, with their primary fee line (for the SQL baseline's quote). */
async function bookableInstruments(pool: Pool): Promise<BookableInstrument[]> {
  const { rows } = await pool.query(
    `SELECT i.id, i.institution_id, f.unit, f.internal_rate_fen, f.external_rate_fen
     FROM instrument i LEFT JOIN instrument_fee f ON f.instrument_id = i.id AND f.position = 0
     WHERE i.sharing_mode = 'external' AND 'sample_submission' = ANY (i.service_modes)
     ORDER BY i.id`,
  );
  return rows.map((row) => ({
    id: row.id,
    institutionId: row.institution_id,
    fee: row.unit === null ? null : { unit: row.unit, internalRateFen: Number(row.internal_rate_fen), externalRateFen: Number(row.external_rate_fen) },
  }));
}

interface SearchFilter {
  label: string;
  category: string;
  city: string;
  /** Instruments the search considers (visible to an anonymous caller, with published hours). */
  candidates: number;
}

/**
 * The category and city with the most instruments an anonymous caller can see, at one category
 * level: first level for the widest search there is, second level for a typical one.
 */
async function searchFilter(pool: Pool, column: 'category_l1_code' | 'category_l2_code'): Promise<SearchFilter> {
  const { rows } = await pool.query(
    `SELECT e.${column} AS category, e.city_code AS city, count(*)::int AS candidates
     FROM instrument_search_entry e
     WHERE e.sharing_mode = 'external' AND e.${column} IS NOT NULL
       AND EXISTS (SELECT 1 FROM opening_window w WHERE w.instrument_id = e.instrument_id)
     GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1`,
  );
  return { label: column === 'category_l1_code' ? 'widest (first-level category)' : 'typical (second-level category)', ...rows[0] };
}

/**
 * Hands out distinct free slots after the loaded weeks: 60 minutes on the hour, 08:00-20:00 local,
 * one instrument after the other, then the next hour, then the next weekday. No two slots clash.
 */
function slotAllocator(instruments: BookableInstrument[], freeFrom: DateTime): { next(): Slot } {
  let index = 0;
  const perDay = instruments.length * 13;
  return {
    next(): Slot {
      const day = Math.floor(index / perDay);
      const hour = Math.floor((index % perDay) / instruments.length);
      const instrument = instruments[index % instruments.length];
      index++;
      const date = freeFrom.plus({ days: Math.floor(day / 5) * 7 + (day % 5) });
      const start = date.set({ hour: 8 + hour, minute: 0, second: 0, millisecond: 0 });
      return { instrument, start: start.toJSDate(), end: start.plus({ minutes: DURATION_MINUTES }).toJSDate() };
    },
  };
}

// --- measuring -------------------------------------------------------------------------------

/**
 * The write of the app's claim (BookingsService.tryClaim) without its audit entry and outbox
 * message: the time_block row, INSERT ... ON CONFLICT DO NOTHING under the exclusion constraint,
 * and the booking row it belongs to, in one statement, as a named (prepared) statement like the app's.
 */
const CLAIM_STATEMENT = `WITH block AS (
   INSERT INTO time_block (instrument_id, during, booking_id, expires_at)
   VALUES ($1, tstzrange($16, $17), $18, $10)
   ON CONFLICT DO NOTHING RETURNING booking_id),
 new_booking AS (
   INSERT INTO booking (id, instrument_id, user_id, status, mode, purpose, sample_count, notes, starts_at, ends_at, hold_expires_at,
                        is_internal, fee_unit, rate_fen, quote_fen, recurrence_id)
   SELECT booking_id, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 FROM block
   RETURNING *)
 SELECT * FROM new_booking`;

/**
 * That write alone through pg, as the app sends it: one statement, so one transaction of its own
 * (autocommit, as BookingsService.createWithoutKey). The floor under POST /bookings.
 */
/** Runs `measure` with time_block's change-log trigger off (nothing else uses the database meanwhile), then turns it back on. */
async function withoutChangeLog<T>(databaseUrl: string, measure: () => Promise<T>): Promise<T> {
  const client = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await client.query(`ALTER TABLE time_block DISABLE TRIGGER time_block_change_insert`);
    try {
      return await measure();
    } finally {
      await client.query(`ALTER TABLE time_block ENABLE TRIGGER time_block_change_insert`);
    }
  } finally {
    await client.end();
  }
}

async function measureSqlCreation(
  databaseUrl: string,
  poolSize: number,
  users: BenchUser[],
  slots: { next(): Slot },
): Promise<LatencySummary & { bookingsPerSecond: number; poolSize: number; postgresCpuMs: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  let created = 0;
  const insert = async (index: number) => {
    const slot = slots.next();
    const user = users[index % USERS];
    const internal = user.institutionId === slot.instrument.institutionId;
    const quote = quoteFee(slot.instrument.fee, { minutes: DURATION_MINUTES, sampleCount: null, internal });
    const { rows } = await pool.query({
      name: 'bench-claim',
      text: CLAIM_STATEMENT,
      values: [
        slot.instrument.id,
        user.id,
        'confirmed',
        'sample_submission',
        'bench',
        null,
        '',
        slot.start,
        slot.end,
        null,
        internal,
        quote?.unit ?? null,
        quote?.rateFen ?? null,
        quote?.amountFen ?? null,
        null,
        slot.start,
        slot.end,
        randomUUID(),
      ],
    });
    if (rows.length !== 1) throw new Error(`raw SQL: slot ${slot.start.toISOString()} on ${slot.instrument.id} was taken`);
    created++;
  };
  try {
    await runConcurrently(CREATE_WARM_UP, CREATE_CLIENTS, insert);
    created = 0;
    log(`SQL creation, pool ${poolSize}: ${CREATE_REQUESTS} bookings, ${CREATE_CLIENTS} clients ...`);
    // Read while the pool's backends live: their CPU time goes with them when they exit.
    const postgresBefore = cpuMsOfCommand('postgres');
    const run = await runConcurrently(CREATE_REQUESTS, CREATE_CLIENTS, insert);
    const postgresCpuMs = cpuMsOfCommand('postgres') - postgresBefore;
    return { ...summarize(run.latencies, run.wallMs), bookingsPerSecond: (created / run.wallMs) * 1000, poolSize, postgresCpuMs };
  } finally {
    await pool.end();
  }
}

/** Rounds of CONTENTION_CLIENTS users POSTing the same fresh slot at once: one 201, the rest 409. */
async function measureContention(http: HttpClient, databaseUrl: string, users: BenchUser[], slots: { next(): Slot }) {
  const latencies: number[] = [];
  const winnersPerRound: number[] = [];
  const statuses = new Map<number, number>();
  const contested: Slot[] = [];
  let wallMs = 0;
  for (let round = 0; round < CONTENTION_ROUNDS; round++) {
    const slot = slots.next();
    contested.push(slot);
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: CONTENTION_CLIENTS }, async (_, client) => {
        const begin = performance.now();
        const { status } = await postBooking(http, users[(round * CONTENTION_CLIENTS + client) % USERS], slot);
        latencies.push(performance.now() - begin);
        return status;
      }),
    );
    wallMs += performance.now() - started;
    for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    winnersPerRound.push(answers.filter((status) => status === 201).length);
  }
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  let oneRowPerSlot = true;
  try {
    for (const slot of contested) {
      const { rows } = await pool.query(
        `SELECT (SELECT count(*) FROM time_block WHERE instrument_id = $1 AND during && tstzrange($2, $3))::int AS blocks,
                (SELECT count(*) FROM booking WHERE instrument_id = $1 AND starts_at = $2 AND status = 'confirmed')::int AS bookings`,
        [slot.instrument.id, slot.start, slot.end],
      );
      if (rows[0].blocks !== 1 || rows[0].bookings !== 1) oneRowPerSlot = false;
    }
  } finally {
    await pool.end();
  }
  const summary = summarize(latencies, wallMs);
  return {
    ...summary,
    answersPerSecond: summary.requestsPerSecond,
    winnersPerRound,
    roundsWithOneWinner: winnersPerRound.filter((winners) => winners === 1).length,
    oneRowPerSlot,
    statuses: [...statuses].map(([status, n]) => `${n} x ${status}`).join(', '),
  };
}

/** Free slots of random instruments (1 client, then SLOTS_CLIENTS), then the typical and the widest search. */
async function measureReads(
  http: HttpClient,
  pickInstrument: () => BookableInstrument,
  searches: { widest: SearchFilter; typical: SearchFilter },
  from: Date,
  measured: <T>(phase: string, run: () => Promise<T>) => Promise<T>,
  afterFreeSlots: () => void,
) {
  log(`free slots: ${SLOTS_REQUESTS} requests (${SLOTS_DAYS} days, ${DURATION_MINUTES} min), 1 then ${SLOTS_CLIENTS} clients ...`);
  let slotsReturned = 0;
  const slotsRequest = async () => {
    const response = await http.call('GET', freeSlotsPath(pickInstrument().id, from));
    expectStatus(response, [200]);
    slotsReturned += (JSON.parse(response.body) as { slots: unknown[] }).slots.length;
  };
  const slotsSerialRun = await runConcurrently(SLOTS_REQUESTS / 2, 1, slotsRequest);
  slotsReturned = 0;
  const slotsRun = await measured('freeSlots', () => runConcurrently(SLOTS_REQUESTS, SLOTS_CLIENTS, slotsRequest));
  const freeSlots = { ...summarize(slotsRun.latencies, slotsRun.wallMs), averageSlots: slotsReturned / SLOTS_REQUESTS };
  const freeSlotsSerial = summarize(slotsSerialRun.latencies, slotsSerialRun.wallMs);
  afterFreeSlots();
  const typicalSearch = await measureSearch(http, searches.typical, from, (run) => measured('typicalSearch', run));
  const widestSearch = await measureSearch(http, searches.widest, from, (run) => measured('widestSearch', run));
  return { freeSlots, freeSlotsSerial, typicalSearch, widestSearch };
}

/** One search, sent SEARCH_REQUESTS / 4 times by one client, then SEARCH_REQUESTS times by SEARCH_CLIENTS (that run `measured`). */
async function measureSearch(http: HttpClient, filter: SearchFilter, from: Date, measured: <T>(run: () => Promise<T>) => Promise<T>) {
  log(`earliest-slot search, ${filter.label}: ${filter.candidates} candidates, 1 then ${SEARCH_CLIENTS} clients ...`);
  let found = 0;
  const search = async () => {
    const response = await http.call('GET', searchPath(filter, from));
    expectStatus(response, [200]);
    found = (JSON.parse(response.body) as { total: number }).total;
  };
  const serial = await runConcurrently(SEARCH_REQUESTS / 4, 1, search);
  const concurrent = await measured(() => runConcurrently(SEARCH_REQUESTS, SEARCH_CLIENTS, search));
  return { filter, found, serial: summarize(serial.latencies, serial.wallMs), concurrent: summarize(concurrent.latencies, concurrent.wallMs) };
}

function postBooking(http: HttpClient, user: BenchUser, slot: Slot): Promise<HttpAnswer> {
  return http.call(
    'POST',
    '/bookings',
    { instrumentId: slot.instrument.id, start: slot.start.toISOString(), end: slot.end.toISOString(), mode: 'sample_submission', purpose: 'bench' },
    user.token,
  );
}

function freeSlotsPath(instrumentId: string, from: Date): string {
  const to = new Date(from.getTime() + SLOTS_DAYS * 24 * 3600_000);
  return `/instruments/${instrumentId}/slots?${new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), durationMinutes: String(DURATION_MINUTES) })}`;
}

function searchPath(filter: { category: string; city: string }, from: Date): string {
  const to = new Date(from.getTime() + SEARCH_DAYS * 24 * 3600_000);
  return `/slots/search?${new URLSearchParams({
    from: from.toISOString(),
    to: to.toISOString(),
    durationMinutes: String(DURATION_MINUTES),
    category: filter.category,
    region: filter.city,
  })}`;
}

function nextHalfHour(date: Date): Date {
  const step = 30 * 60_000;
  return new Date(Math.ceil(date.getTime() / step) * step);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
