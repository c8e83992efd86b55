/**
 * bench/statistics: 9,000 instruments and 2,000,000 bookings over the last 365 local days, then,
 * in one run:
 * - the baseline: one bare SQL aggregate over the same bookings, booked seconds and bookings per
 *   (instrument, local day of the start), GROUP BY in the server (only its row count comes back);
 * - the full compile of that year through the production path: a department staff member's
 *   POST /statistics/compilations to a worker process, the BullMQ job, StatisticsRunsService
 *   in slices of instruments, polled at GET /statistics/compilations/:id until done;
 * - the compile's time beside the baseline's, and the worker's peak RSS (VmHWM).
 * Target on the 2-core machine: compile <= 2x the bare aggregate and <= 20 s, RSS <= 300 MB.
 *
 * The load: weekday hours 08:00-21:00 for all, Saturdays for some, overnight hours for a few, 1% of
 * the instruments in Europe/Berlin (a DST zone); closed and open exceptions, two week-long
 * institution closures, maintenance; bookings completed (checked in and out, fees, ratings),
 * no-show, cancelled (half of them with a fee), rejected and expired, by internal (about 30%) and
 * external users including firms; about 3% cross midnight.
 *
 *   npm run build && node dist/bench/statistics.js      (BENCH_BOOKINGS=200000 BENCH_INSTRUMENTS=1000 for a quicker run;
 *                                                        BENCH_KEEP_DATABASE=1 keeps the database for a closer look,
 *                                                        BENCH_LOAD_ONLY=1 loads and keeps it without measuring,
 *                                                        BENCH_DATABASE=<name> measures again on a kept one)
 */
import 'reflect-metadata';
import { sign } from 'jsonwebtoken';
import { DateTime } from 'luxon';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { buildDataSourceOptions, prepareDatabase, quoteIdentifier } from '@app/db';
import { seedDemoData } from '@app/db/setup/seed-demo-data';
import { benchDatabaseUrls, deleteRedisKeys, loadBookingsInParallel, log, memoryOf, sleep, startBenchApp, stepTimer } from './bench-support';

const INSTRUMENTS = Number(process.env.BENCH_INSTRUMENTS ?? 9_000);
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 2_000_000);
const DAYS = 365;
const USERS = 3_000;
const ZONE = 'Asia/Shanghai';
/** Connections loading bookings side by side, each for its own range of instruments. */
const LOADERS = 2;
/** Times the bare aggregate runs; the median counts. */
const BASELINE_RUNS = 3;

const TARGET_RATIO = 2;
const TARGET_SECONDS = 20;
const TARGET_PEAK_RSS_MB = 300;

const JWT_SECRET = 'bench-secret-bench-secret-bench-secret';

async function main(): Promise<void> {
  const config = loadAppConfig({ ...process.env, NODE_ENV: 'development' });
  const reused = process.env.BENCH_DATABASE;
  const keep = Boolean(reused || process.env.BENCH_KEEP_DATABASE || process.env.BENCH_LOAD_ONLY);
  const databaseName = reused ?? `im_bench_statistics_${Date.now().toString(36)}`;
  const { databaseUrl, maintenanceUrl } = benchDatabaseUrls(config.DATABASE_URL, databaseName);
  const admin = new Pool({ connectionString: maintenanceUrl, max: 1 });
  const { timed, seconds: loadSeconds } = stepTimer();
  // The year: the DAYS local days (Asia/Shanghai) ending yesterday, as the nightly run names them.
  const today = DateTime.now().setZone(ZONE).startOf('day');
  const firstDay = today.minus({ days: DAYS }).toISODate()!;
  const lastDay = today.minus({ days: 1 }).toISODate()!;
  try {
    log(`database ${databaseName}: ${INSTRUMENTS.toLocaleString('en')} instruments, ${BOOKINGS.toLocaleString('en')} bookings, ${firstDay} to ${lastDay}`);
    await timed('migrate', () => prepareDatabase(config, databaseUrl));
    const loader = new DataSource({ ...buildDataSourceOptions(config, { url: databaseUrl, poolSize: LOADERS }) });
    await loader.initialize();
    let staffToken: string;
    try {
      if (reused) {
        staffToken = staffTokenOf((await loader.query(`SELECT id FROM app_user WHERE email = 'bench-staff@bench.example'`))[0].id);
        await loader.query(`DELETE FROM instrument_month_statistics`);
        await loader.query(`VACUUM ANALYZE instrument_month_statistics`);
      } else {
        const demoOptions = { instrumentCount: INSTRUMENTS, seed: 9_000, bookings: false as const };
        const seeded = await timed('demo catalog', () => loader.transaction((manager) => seedDemoData(manager, config, demoOptions)));
        log(`  ${seeded.instruments} instruments of ${seeded.institutions} institutions`);
        await timed('hours, exceptions, closures, maintenance', () => publishSchedule(loader, firstDay, lastDay));
        staffToken = await timed('users', () => createUsers(loader));
        await loadBookingsInParallel(databaseUrl, { loaders: LOADERS, statement: LOAD_STATEMENT, params: [Math.floor(BOOKINGS / INSTRUMENTS), BOOKINGS % INSTRUMENTS, firstDay], step: 'bookings', timed });
        await timed('vacuum analyze + checkpoint', async () => {
          await loader.query('VACUUM ANALYZE');
          await loader.query('CHECKPOINT');
        });
        const [figures] = await loader.query(
          `SELECT (SELECT count(*) FROM booking)::int AS bookings,
                  (SELECT count(*) FROM booking WHERE status = 'completed')::int AS completed,
                  (SELECT count(*) FROM booking WHERE (starts_at AT TIME ZONE 'Asia/Shanghai')::date <> (ends_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS overnight,
                  (SELECT count(*) FROM availability_exception)::int AS exceptions,
                  (SELECT count(*) FROM institution_closure)::int AS closures,
                  (SELECT count(*) FROM maintenance_period)::int AS maintenance,
                  pg_size_pretty(pg_database_size(current_database())) AS size`,
        );
        log(
          `  ${figures.bookings.toLocaleString('en')} bookings (${figures.completed.toLocaleString('en')} completed, ${figures.overnight.toLocaleString('en')} across midnight), ` +
            `${figures.exceptions} exceptions, ${figures.closures} closures, ${figures.maintenance} maintenance periods, database ${figures.size}`,
        );
      }
    } finally {
      await loader.destroy();
    }
    if (process.env.BENCH_LOAD_ONLY) return;

    log(`bare aggregate, ${BASELINE_RUNS} runs ...`);
    const baseline = await measureBareAggregate(databaseUrl, firstDay, lastDay);

    const worker = await startBenchApp('worker', {
      JWT_SECRET,
      DATABASE_URL: databaseUrl,
      REDIS_KEY_PREFIX: `${databaseName}:`,
      STATISTICS_NIGHTLY_ENABLED: 'false',
      STATISTICS_BACKFILL_DAYS: '0',
      NOTIFICATION_SWEEP_SECONDS: '0',
    });
    let compile: CompileFigures;
    let memory: { rssMb: number; peakRssMb: number };
    try {
      const idle = memoryOf(worker.pid);
      log(`worker up (RSS ${idle.rssMb.toFixed(0)} MB); full compile ${firstDay} to ${lastDay} through POST /statistics/compilations ...`);
      compile = await compileThroughWorker(worker.port, staffToken, firstDay, lastDay);
      memory = memoryOf(worker.pid);
    } finally {
      await worker.stop();
    }
    const check = await checkRows(databaseUrl, firstDay, lastDay);

    const seconds = compile.wallMs / 1000;
    const ratio = compile.wallMs / baseline.medianMs;
    const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
    const expectedRows = check.instruments * DAYS;
    const report = [
      '',
      `bench/statistics: ${INSTRUMENTS.toLocaleString('en')} instruments, ${BOOKINGS.toLocaleString('en')} bookings, ${DAYS} local days ${firstDay} to ${lastDay}`,
      `load         ${Object.entries(loadSeconds).map(([step, s]) => `${step} ${s.toFixed(1)} s`).join(', ')}`,
      `bare SQL     ${(baseline.medianMs / 1000).toFixed(2)} s median of ${baseline.runsMs.map((ms) => (ms / 1000).toFixed(2)).join(' / ')} s: ` +
        `SELECT instrument_id, local day of starts_at, sum(ends_at - starts_at), count(*) FROM booking JOIN instrument ... GROUP BY 1, 2 ` +
        `over ${baseline.bookings.toLocaleString('en')} bookings -> ${baseline.groups.toLocaleString('en')} groups`,
      `compile      ${seconds.toFixed(2)} s from POST to done (run ${(compile.durationMs / 1000).toFixed(2)} s in the worker), ` +
        `${compile.rowsWritten.toLocaleString('en')} rows (${expectedRows.toLocaleString('en')} expected)`,
      `ratio        compile / bare SQL = ${ratio.toFixed(2)}x   (target <= ${TARGET_RATIO}x: ${verdict(ratio <= TARGET_RATIO)})`,
      `time         ${seconds.toFixed(2)} s   (target <= ${TARGET_SECONDS} s: ${verdict(seconds <= TARGET_SECONDS)})`,
      `worker RSS   peak ${memory.peakRssMb.toFixed(0)} MB, now ${memory.rssMb.toFixed(0)} MB   (target <= ${TARGET_PEAK_RSS_MB} MB: ${verdict(memory.peakRssMb <= TARGET_PEAK_RSS_MB)})`,
      `check        ${check.rows.toLocaleString('en')} rows; ${check.bookedHours.toLocaleString('en')} booked h, ${check.effectiveHours.toLocaleString('en')} effective h, ` +
        `${check.externalHours.toLocaleString('en')} external h, ${check.services.toLocaleString('en')} services, ${check.noShows.toLocaleString('en')} no-shows, ${check.openHours.toLocaleString('en')} open h`,
      `note         the machine is shared (2 cores): figures may be noisy`,
    ];
    process.stdout.write(`${report.join('\n')}\n`);
    if (compile.rowsWritten !== expectedRows) process.exitCode = 1;
  } finally {
    if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(databaseName)} WITH (FORCE)`);
    else log(`kept database ${databaseName}`);
    await admin.end();
    await deleteRedisKeys(config.REDIS_URL, `${databaseName}:`).catch(() => undefined);
  }
}

// --- loading ---------------------------------------------------------------------------------

/**
 * Hours, exceptions, closures and maintenance for every instrument, replacing the demo's. Choices
 * come from hashes of the instrument's position, so every run loads the same schedule.
 */
async function publishSchedule(dataSource: DataSource, firstDay: string, lastDay: string): Promise<void> {
  // The demo catalog comes without bookings; booking is left out because its CASCADE would reach
  // the voucher ledger, which refuses TRUNCATE (append-only).
  await dataSource.query(`TRUNCATE opening_window, booking_rules, availability_exception, institution_closure, maintenance_period, time_block CASCADE`);
  const numbered = `(SELECT id, institution_id, row_number() OVER (ORDER BY id) AS n FROM instrument)`;
  // 1% in Berlin, where spring-forward and fall-back days last 23 and 25 hours.
  await dataSource.query(
    `UPDATE instrument i SET time_zone = CASE WHEN x.n % 100 = 7 THEN 'Europe/Berlin' ELSE $1 END FROM ${numbered} x WHERE x.id = i.id`,
    [ZONE],
  );
  // Weekdays 08:00-21:00; a fifth also Saturday 09:00-17:00; 3% also overnight 21:00-06:00 every day.
  await dataSource.query(
    `INSERT INTO opening_window (instrument_id, weekday, opens, closes)
     SELECT x.id, d, time '08:00', time '21:00' FROM ${numbered} x CROSS JOIN generate_series(1, 5) d
     UNION ALL SELECT x.id, 6, time '09:00', time '17:00' FROM ${numbered} x WHERE x.n % 5 = 0
     UNION ALL SELECT x.id, d, time '21:00', time '06:00' FROM ${numbered} x CROSS JOIN generate_series(1, 7) d WHERE x.n % 33 = 0`,
  );
  // Per instrument: two whole closed days, two closed mornings, one extra open Sunday afternoon.
  await dataSource.query(
    `INSERT INTO availability_exception (instrument_id, on_date, kind, opens, closes, reason)
     SELECT x.id, $1::date + ((hashint8extended(x.n * 16 + k, 11) & 2147483647) % ($2::date - $1::date + 1))::int,
            CASE WHEN k < 4 THEN 'closed' ELSE 'open' END,
            CASE WHEN k < 2 THEN NULL WHEN k < 4 THEN time '08:00' ELSE time '13:00' END,
            CASE WHEN k < 2 THEN NULL WHEN k < 4 THEN time '12:00' ELSE time '17:00' END,
            'bench'
     FROM ${numbered} x CROSS JOIN generate_series(0, 4) k`,
    [firstDay, lastDay],
  );
  // Every institution: a week at the Spring Festival and a week at National Day, when they fall in the year.
  await dataSource.query(
    `INSERT INTO institution_closure (institution_id, starts_on, ends_on, reason)
     SELECT i.id, s.starts_on, s.starts_on + 6, 'bench holiday'
     FROM institution i CROSS JOIN (
       SELECT make_date(y, 2, 10) AS starts_on FROM generate_series(extract(year FROM $1::date)::int, extract(year FROM $2::date)::int) y
       UNION ALL SELECT make_date(y, 10, 1) FROM generate_series(extract(year FROM $1::date)::int, extract(year FROM $2::date)::int) y
     ) s
     WHERE s.starts_on + 6 >= $1::date AND s.starts_on <= $2::date`,
    [firstDay, lastDay],
  );
  // Per instrument: two half-day maintenance periods, 09:00-13:00 local.
  await dataSource.query(
    `INSERT INTO maintenance_period (instrument_id, starts_at, ends_at, reason)
     SELECT x.id, t, t + interval '4 hours', 'bench'
     FROM ${numbered} x CROSS JOIN generate_series(0, 1) k
     CROSS JOIN LATERAL (SELECT (($1::date + ((hashint8extended(x.n * 16 + k, 12) & 2147483647) % ($2::date - $1::date + 1))::int) + time '09:00')
                                AT TIME ZONE $3 AS t) m`,
    [firstDay, lastDay, ZONE],
  );
}

/** Users spread over the institutions (firm members at enterprises), and a province staff member; returns the staff member's token. */
async function createUsers(dataSource: DataSource): Promise<string> {
  await dataSource.query(
    `WITH inst AS (SELECT id, kind, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS c FROM institution)
     INSERT INTO app_user (email, password_hash, display_name, role, institution_id)
     SELECT 'bench' || n || '@bench.example', 'not-a-hash', 'Bench ' || n,
            CASE WHEN inst.kind = 'enterprise' THEN 'firm_member' ELSE 'researcher' END, inst.id
     FROM generate_series(0, $1 - 1) n JOIN inst ON inst.k = n % inst.c
     ORDER BY n`,
    [USERS],
  );
  const [staff] = await dataSource.query(
    `INSERT INTO app_user (email, password_hash, display_name, role, region_code)
     VALUES ('bench-staff@bench.example', 'not-a-hash', 'Bench staff', 'department_staff', '330000') RETURNING id`,
  );
  return staffTokenOf(staff.id);
}

function staffTokenOf(id: string): string {
  return sign({ sub: id, role: 'department_staff', inst: null, region: '330000' }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 6 * 3600 });
}

/**
 * The bookings of instruments $1 <= n < $2 (n: position by id), $3 each and one more for n < $4,
 * spread evenly over the DAYS local days from $5 in the instrument's zone. Each starts on the hour
 * or half hour between 08:00 and 19:30 and lasts 1 to 4 hours; 3% start between 20:00 and 23:30
 * and last 3 to 6 hours, across midnight. Statuses: 72% completed (checked in up to 15 minutes
 * late, out up to 30 minutes early, the quote as fee, 40% rated), 8% no-show, 10% cancelled (half
 * with a fee), 5% rejected, 5% expired. Ids are shaped like UUIDv7 and ordered as the rows go in.
 */
const LOAD_STATEMENT = `
  WITH ins AS (
    SELECT i.id, i.institution_id, i.time_zone, i.n, k.k AS institution_k, k.c AS institution_count,
           CASE WHEN 'sample_submission' = ANY (i.service_modes) THEN 'sample_submission' ELSE 'self_operated' END AS mode
    FROM (SELECT id, institution_id, time_zone, service_modes, row_number() OVER (ORDER BY id) - 1 AS n FROM instrument) i
    JOIN (SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS k, count(*) OVER ()::int AS c FROM institution) k ON k.id = i.institution_id
    WHERE i.n >= $1 AND i.n < $2
  ),
  users AS (
    SELECT array_agg(id ORDER BY position) AS ids, array_agg(institution_id ORDER BY position) AS institutions, count(*)::int AS n
    FROM (SELECT id, institution_id, substring(email FROM '^bench([0-9]+)@')::int AS position FROM app_user
          WHERE email ~ '^bench[0-9]+@bench[.]example$') u
  ),
  grid AS (
    SELECT ins.*, p, ins.n * 1000003 + p AS key, $3 + (ins.n < $4)::int AS per
    FROM ins CROSS JOIN LATERAL generate_series(0, $3 - 1 + (ins.n < $4)::int) p
  ),
  placed AS (
    SELECT g.*, lpad(to_hex(g.key), 30, '0') AS hex,
           u.ids[1 + x.user_index] AS user_id, u.institutions[1 + x.user_index] = g.institution_id AS internal,
           (hashint8extended(g.key, 2) & 2147483647) % 100 AS r_kind,
           (hashint8extended(g.key, 3) & 2147483647) % 1000 AS r_place,
           (hashint8extended(g.key, 4) & 2147483647) % 100 AS r_status,
           (hashint8extended(g.key, 5) & 2147483647) % 1000 AS r_extra
    FROM grid g CROSS JOIN users u
    -- User n belongs to institution n % (institutions): about 30% of the bookings by the owner's own people.
    CROSS JOIN LATERAL (
      SELECT CASE WHEN (hashint8extended(g.key, 6) & 2147483647) % 10 < 3 AND g.institution_k < u.n
                  THEN g.institution_k + g.institution_count * ((hashint8extended(g.key, 1) & 2147483647) % ((u.n - 1 - g.institution_k) / g.institution_count + 1))
                  ELSE (hashint8extended(g.key, 1) & 2147483647) % u.n END::int AS user_index
    ) x
  ),
  dated AS (
    SELECT p.*, s.starts_at, s.starts_at + s.half_hours * interval '30 minutes' AS ends_at, s.half_hours
    FROM placed p CROSS JOIN LATERAL (
      SELECT ($5::date + (p.p * ${DAYS} / p.per)::int
              + CASE WHEN p.r_kind < 3 THEN time '20:00' + (p.r_place % 8) * interval '30 minutes'
                     ELSE time '08:00' + (p.r_place % 24) * interval '30 minutes' END) AT TIME ZONE p.time_zone AS starts_at,
             CASE WHEN p.r_kind < 3 THEN 6 + p.r_extra % 7 ELSE 2 + p.r_extra % 7 END AS half_hours
    ) s
  ),
  booked AS (
    SELECT d.*,
           CASE WHEN d.r_status < 72 THEN 'completed' WHEN d.r_status < 80 THEN 'no_show' WHEN d.r_status < 90 THEN 'cancelled'
                WHEN d.r_status < 95 THEN 'rejected' ELSE 'expired' END AS status,
           (substr(d.hex, 1, 8) || '-' || substr(d.hex, 9, 4) || '-7' || substr(d.hex, 13, 3) || '-8' || substr(d.hex, 16, 3) || '-'
            || substr(d.hex, 19, 12))::uuid AS uid,
           CASE WHEN d.internal THEN 20000 ELSE 50000 END * d.half_hours / 2 AS quote
    FROM dated d
  )
  INSERT INTO booking (id, instrument_id, user_id, status, mode, purpose, starts_at, ends_at, is_internal, fee_unit, rate_fen, quote_fen,
                       final_fee_fen, cancellation_fee_fen, actual_start_at, actual_end_at, cancelled_at, rating, rated_at, created_at, updated_at)
  SELECT uid, id, user_id, status, mode, 'bench load', starts_at, ends_at, internal, 'hour', CASE WHEN internal THEN 20000 ELSE 50000 END, quote,
         CASE WHEN status = 'completed' THEN quote END,
         CASE WHEN status = 'cancelled' AND r_extra % 2 = 0 THEN quote / 5 END,
         CASE WHEN status = 'completed' THEN starts_at + (r_place % 16) * interval '1 minute' END,
         CASE WHEN status = 'completed' THEN ends_at - (r_extra % 31) * interval '1 minute' END,
         CASE WHEN status = 'cancelled' THEN starts_at - interval '1 day' END,
         CASE WHEN status = 'completed' AND r_place % 5 < 2 THEN 1 + r_extra % 5 END,
         CASE WHEN status = 'completed' AND r_place % 5 < 2 THEN ends_at + interval '1 day' END,
         starts_at - interval '7 days', ends_at
  FROM booked`;

// --- measuring -------------------------------------------------------------------------------

/**
 * The floor: one plain GROUP BY over the year's bookings, booked seconds and bookings per
 * (instrument, local day of the start), aggregated in the server; only the group count comes back.
 */
const BARE_AGGREGATE = `
  SELECT count(*)::int AS groups, sum(bookings)::int AS bookings
  FROM (
    SELECT b.instrument_id, (b.starts_at AT TIME ZONE i.time_zone)::date AS day,
           sum(extract(epoch FROM b.ends_at - b.starts_at)) AS booked_seconds, count(*) AS bookings
    FROM booking b JOIN instrument i ON i.id = b.instrument_id
    WHERE b.starts_at >= ($1::date - 1)::timestamp AT TIME ZONE 'UTC' AND b.starts_at < ($2::date + 2)::timestamp AT TIME ZONE 'UTC'
    GROUP BY 1, 2
  ) g`;

async function measureBareAggregate(databaseUrl: string, firstDay: string, lastDay: string) {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const runsMs: number[] = [];
    let result = { groups: 0, bookings: 0 };
    for (let run = 0; run < BASELINE_RUNS; run++) {
      const started = performance.now();
      result = (await pool.query(BARE_AGGREGATE, [firstDay, lastDay])).rows[0];
      runsMs.push(performance.now() - started);
    }
    const sorted = [...runsMs].sort((a, b) => a - b);
    return { runsMs, medianMs: sorted[Math.floor(sorted.length / 2)], ...result };
  } finally {
    await pool.end();
  }
}

interface CompileFigures {
  wallMs: number;
  durationMs: number;
  rowsWritten: number;
}

interface RunBody {
  id: number;
  state: string;
  daysDone: number;
  rowsWritten: number;
  durationMs: number | null;
  error: string | null;
}

async function compileThroughWorker(port: number, token: string, firstDay: string, lastDay: string): Promise<CompileFigures> {
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = performance.now();
  const response = await fetch(`${base}/statistics/compilations`, { method: 'POST', headers, body: JSON.stringify({ from: firstDay, to: lastDay }) });
  if (response.status !== 202) throw new Error(`POST /statistics/compilations: ${response.status} ${await response.text()}`);
  let run = (await response.json()) as RunBody;
  let progress = -1;
  while (run.state !== 'done' && run.state !== 'failed') {
    await sleep(50);
    run = (await (await fetch(`${base}/statistics/compilations/${run.id}`, { headers })).json()) as RunBody;
    if (run.daysDone !== progress) {
      progress = run.daysDone;
      log(`  ${run.state}: ${run.daysDone} days, ${run.rowsWritten.toLocaleString('en')} rows after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  const wallMs = performance.now() - started;
  if (run.state !== 'done') throw new Error(`the compile failed: ${run.error}`);
  return { wallMs, durationMs: run.durationMs ?? NaN, rowsWritten: run.rowsWritten };
}

/** Totals of what the compile wrote, to see at a glance that it counted something. */
async function checkRows(databaseUrl: string, firstDay: string, lastDay: string) {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS rows, count(DISTINCT instrument_id)::int AS instruments,
              (sum(open_minutes) / 60)::bigint AS "openHours", (sum(booked_minutes) / 60)::bigint AS "bookedHours",
              (sum(effective_minutes) / 60)::bigint AS "effectiveHours", (sum(external_minutes) / 60)::bigint AS "externalHours",
              sum(services)::bigint AS services, sum(no_shows)::bigint AS "noShows"
       FROM instrument_day_statistics WHERE day BETWEEN $1::date AND $2::date`,
      [firstDay, lastDay],
    );
    const [{ instruments }] = (await pool.query(`SELECT count(*)::int AS instruments FROM instrument`)).rows;
    const row = rows[0];
    return {
      rows: row.rows as number,
      instruments: instruments as number,
      openHours: Number(row.openHours),
      bookedHours: Number(row.bookedHours),
      effectiveHours: Number(row.effectiveHours),
      externalHours: Number(row.externalHours),
      services: Number(row.services),
      noShows: Number(row.noShows),
    };
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
