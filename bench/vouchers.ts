/**
 * bench/vouchers: reserving the voucher part of bookings (issue 5). A scratch database with a small
 * catalog, one province voucher program and FIRMS small/micro firms, each with a firm_member account
 * and an approved grant (inserted with its 'grant' ledger entry; the trigger moves the balance), and
 * confirmed, quoted bookings pre-created for every firm, so the measured operation is the
 * reservation alone. In one run:
 * - raw SQL: per reservation one transaction doing what the app's reservation writes (lock the grant
 *   row FOR UPDATE, INSERT booking_voucher, INSERT the 'reserve' ledger entry; the trigger moves the
 *   balance), FIRMS clients (one per firm, so each firm's grant row is its own hot row), with the
 *   app's pool size and with one connection per client;
 * - HTTP: POST /bookings/:id/voucher {grantId, amountFen} by each booking's firm member, FIRMS
 *   clients, one per firm, on other pre-created bookings;
 * - HTTP, what users do: POST /bookings with a voucher (claim + reservation in one transaction);
 * - the booking app's peak RSS, then the ledger check: every grant's entries replay to its
 *   balances, no balance is negative, every paid booking has exactly one 'reserve' entry and its
 *   booking_voucher row, and the reservations counted here are the ones in the ledger. An
 *   inconsistent ledger fails the run (exit code 1).
 * Target on the 2-core machine: HTTP reservations >= 40% of the raw-SQL rate with p99 <= 100 ms.
 *
 *   npm run build && node dist/bench/vouchers.js     (BENCH_RESERVATIONS=20 BENCH_CREATIONS=10 per firm for a quick
 *                                                     run; BENCH_FIRMS; BENCH_CPU_PROFILE=1 writes a CPU profile of
 *                                                     the app to bench/results/profiles; BENCH_KEEP_DATABASE=1)
 */
import { BOOKING_NODE_ARGUMENTS } from '../apps/booking/src/booking-node-arguments';
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DateTime } from 'luxon';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { buildDataSourceOptions, prepareDatabase, quoteIdentifier } from '@app/db';
import { seedDemoData } from '@app/db/setup/seed-demo-data';
import {
  HttpClient,
  LatencySummary,
  benchDatabaseUrls,
  benchToken,
  deleteRedisKeys,
  expectStatus,
  formatRow,
  log,
  memoryOf,
  runLanes,
  startBookingBenchApp,
  stepTimer,
  summarize,
} from './bench-support';

const FIRMS = Number(process.env.BENCH_FIRMS ?? 32);
/** Measured reservations per firm, for HTTP and for each raw-SQL run. */
const RESERVATIONS = Number(process.env.BENCH_RESERVATIONS ?? 200);
/** Measured bookings with a voucher per firm (POST /bookings). */
const CREATIONS = Number(process.env.BENCH_CREATIONS ?? 100);
/** Unmeasured calls per firm before each measured run. */
const WARM_UP = Math.max(1, Math.min(10, Math.ceil(RESERVATIONS / 10)));
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE === '1';
/** The app's DATABASE_POOL_SIZE (its default); the SQL baseline runs with this pool and with one connection per client. */
const APP_POOL_SIZE = 8;
/** The demo catalog the firms book from (one instrument per firm, all in its busiest province). */
const CATALOG_INSTRUMENTS = 300;
/** Each reservation pays 1 yuan of a booking by voucher: below every cap, so no refusal is expected. */
const AMOUNT_FEN = 100;
/** Each firm's grant: 20,000 yuan (the default per-application cap), far more than the run reserves. */
const GRANT_FEN = 2_000_000;
const BOOKING_HOURS = 1;
const ZONE = 'Asia/Shanghai';

const TARGET_RATIO = 0.4;
const TARGET_P99_MS = 100;

interface Firm {
  lane: number;
  userId: string;
  institutionId: string;
  grantId: string;
  token: string;
  instrumentId: string;
  /** The instrument's owner: the provider the voucher pays. */
  providerId: string;
  /** The firm's first hour on its instrument: its bookings and free slots follow one after the other. */
  firstHour: number;
}

/** The sets of pre-created bookings, per firm, in this order of time: each run takes its own. */
const BOOKING_SETS = [
  ['sql-pooled-warm-up', WARM_UP],
  ['sql-pooled', RESERVATIONS],
  ['sql-wide-warm-up', WARM_UP],
  ['sql-wide', RESERVATIONS],
  ['http-warm-up', WARM_UP],
  ['http', RESERVATIONS],
] as const;
type BookingSet = (typeof BOOKING_SETS)[number][0];
const PRECREATED_PER_FIRM = BOOKING_SETS.reduce((sum, [, count]) => sum + count, 0);
const HOURS_PER_FIRM = PRECREATED_PER_FIRM + WARM_UP + CREATIONS;

interface Counted {
  /** Reservations that succeeded: each must be in the ledger once. */
  reserved: number;
  statuses: Map<number, number>;
}

async function main(): Promise<void> {
  const config = loadAppConfig({ ...process.env, NODE_ENV: 'development' });
  const databaseName = `im_bench_vouchers_${Date.now().toString(36)}`;
  const { databaseUrl, maintenanceUrl } = benchDatabaseUrls(config.DATABASE_URL, databaseName);
  const admin = new Pool({ connectionString: maintenanceUrl, max: 1 });
  const { timed, seconds: loadSeconds } = stepTimer();
  let consistent = false;
  try {
    log(`database ${databaseName}: ${FIRMS} firms, ${RESERVATIONS} reservations per firm and run, ${CREATIONS} bookings with a voucher per firm`);
    await timed('migrate', () => prepareDatabase(config, databaseUrl));
    const loader = new DataSource({ ...buildDataSourceOptions(config, { url: databaseUrl, poolSize: 2 }) });
    await loader.initialize();
    let firms: Firm[];
    const base = DateTime.now().setZone(ZONE).startOf('day').plus({ days: 2 });
    try {
      const demoOptions = { instrumentCount: CATALOG_INSTRUMENTS, seed: 5_000, bookings: false as const };
      await timed('demo catalog', () => loader.transaction((manager) => seedDemoData(manager, config, demoOptions)));
      firms = await timed('program, firms, grants', () => createFirms(loader));
      await timed('bookings', async () => {
        let offset = 0;
        for (const [set, count] of BOOKING_SETS) {
          await loader.query(PRECREATE_STATEMENT, [...firmColumns(firms), base.toJSDate(), offset, count, set, BOOKING_HOURS]);
          offset += count;
        }
      });
      await loader.query('VACUUM ANALYZE');
      const [{ bookings, instruments }] = await loader.query(
        `SELECT count(*)::int AS bookings, count(DISTINCT instrument_id)::int AS instruments FROM booking`,
      );
      log(`  ${bookings.toLocaleString('en')} confirmed bookings on ${instruments} instruments, from ${base.toISODate()} on`);
    } finally {
      await loader.destroy();
    }
    const bookingsOf = await loadBookingSets(databaseUrl, firms);
    const slotOf = (firm: Firm, index: number) => {
      const start = base.plus({ hours: (firm.firstHour + PRECREATED_PER_FIRM + index) * BOOKING_HOURS });
      return { start: start.toISO()!, end: start.plus({ hours: BOOKING_HOURS }).toISO()! };
    };

    // Raw-SQL baseline, before the app starts: the app's pool size, then one connection per client.
    const sqlPooled = await measureSqlReservations(databaseUrl, APP_POOL_SIZE, firms, bookingsOf, 'sql-pooled');
    const sqlWide = await measureSqlReservations(databaseUrl, FIRMS, firms, bookingsOf, 'sql-wide');

    const profileDirectory = resolve(process.cwd(), 'bench/results/profiles');
    if (CPU_PROFILE) mkdirSync(profileDirectory, { recursive: true });
    const app = await startBookingBenchApp(databaseUrl, databaseName, {
      poolSize: APP_POOL_SIZE,
      maxSockets: FIRMS,
      // The booking app as users run it (its heap cap), profiled when asked.
      nodeArguments: [...BOOKING_NODE_ARGUMENTS, ...(CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`, `--cpu-prof-name=vouchers-booking-${Date.now()}.cpuprofile`] : [])],
    });
    let http: LatencySummary & Counted & { reservationsPerSecond: number };
    let creation: LatencySummary & Counted & { bookingsPerSecond: number };
    let memory: { rssMb: number; peakRssMb: number };
    try {
      const attach = (firm: Firm, bookingId: string) => app.http.call('POST', `/bookings/${bookingId}/voucher`, { grantId: firm.grantId, amountFen: AMOUNT_FEN }, firm.token);
      const book = (firm: Firm, index: number) =>
        app.http.call(
          'POST',
          '/bookings',
          { instrumentId: firm.instrumentId, ...slotOf(firm, index), mode: 'sample_submission', purpose: 'bench', voucher: { grantId: firm.grantId, amountFen: AMOUNT_FEN } },
          firm.token,
        );
      await runLanes(FIRMS, WARM_UP, async (lane, i) => expectStatus(await attach(firms[lane], bookingsOf[lane]['http-warm-up'][i]), [200]));
      await runLanes(FIRMS, WARM_UP, async (lane, i) => expectStatus(await book(firms[lane], i), [201]));

      log(`HTTP reservations: ${FIRMS} clients x ${RESERVATIONS} (POST /bookings/:id/voucher) ...`);
      const attached = await countedRun((lane, i) => attach(firms[lane], bookingsOf[lane].http[i]), 200);
      http = { ...attached, reservationsPerSecond: (attached.reserved / attached.wallMs) * 1000 };

      log(`HTTP bookings with a voucher: ${FIRMS} clients x ${CREATIONS} (POST /bookings) ...`);
      const created = await countedRun((lane, i) => book(firms[lane], WARM_UP + i), 201, CREATIONS);
      creation = { ...created, bookingsPerSecond: (created.reserved / created.wallMs) * 1000 };
      memory = memoryOf(app.pid);
    } finally {
      await app.stop();
    }

    const expectedReservations = FIRMS * WARM_UP * 4 + sqlPooled.reserved + sqlWide.reserved + http.reserved + creation.reserved;
    const check = await checkLedger(databaseUrl, expectedReservations);
    consistent = check.consistent;

    const bestSql = sqlPooled.reservationsPerSecond >= sqlWide.reservationsPerSecond ? sqlPooled : sqlWide;
    const ratio = http.reservationsPerSecond / bestSql.reservationsPerSecond;
    const met = ratio >= TARGET_RATIO && http.p99 <= TARGET_P99_MS && http.reserved === FIRMS * RESERVATIONS;
    const rate = (value: number) => `${value.toFixed(0)}/s`;
    const statuses = (counted: Counted) => [...counted.statuses].map(([status, n]) => `${n} x ${status}`).join(', ');
    const report = [
      '',
      `bench/vouchers: ${FIRMS} firms (one client each, own grant), ${RESERVATIONS} reservations of ${AMOUNT_FEN} fen per firm and run, app pool ${APP_POOL_SIZE}`,
      `load         ${Object.entries(loadSeconds).map(([step, seconds]) => `${step} ${seconds.toFixed(1)} s`).join(', ')}`,
      `reservation (lock grant, INSERT booking_voucher, INSERT ledger 'reserve'), ${FIRMS} clients:`,
      `${formatRow(`SQL pool ${APP_POOL_SIZE}`, sqlPooled)}  ${rate(sqlPooled.reservationsPerSecond)} reservations`,
      `${formatRow(`SQL pool ${FIRMS}`, sqlWide)}  ${rate(sqlWide.reservationsPerSecond)} reservations`,
      `${formatRow('HTTP', http)}  ${rate(http.reservationsPerSecond)} reservations (${statuses(http)}), POST /bookings/:id/voucher`,
      `HTTP/SQL     ${(ratio * 100).toFixed(0)}% of the best raw-SQL rate (${((http.reservationsPerSecond / sqlPooled.reservationsPerSecond) * 100).toFixed(0)}% of pool ${APP_POOL_SIZE}, ${((http.reservationsPerSecond / sqlWide.reservationsPerSecond) * 100).toFixed(0)}% of pool ${FIRMS})`,
      `what users do, booking with a voucher (claim + reservation), ${FIRMS} clients x ${CREATIONS}:`,
      `${formatRow('HTTP', creation)}  ${rate(creation.bookingsPerSecond)} bookings (${statuses(creation)}), POST /bookings {voucher}`,
      `booking RSS  end ${memory.rssMb.toFixed(0)} MB, peak ${memory.peakRssMb.toFixed(0)} MB`,
      `ledger       ${check.consistent ? 'consistent' : 'INCONSISTENT'}: ${check.summary}`,
      `target       reservations >= ${TARGET_RATIO * 100}% of raw SQL and p99 <= ${TARGET_P99_MS} ms: ${met ? 'met' : 'NOT met'} (${(ratio * 100).toFixed(0)}%, p99 ${http.p99.toFixed(1)} ms)`,
      '',
    ].join('\n');
    process.stdout.write(report);
    const plain = (counted: Counted & object) => ({ ...counted, statuses: Object.fromEntries(counted.statuses) });
    mkdirSync(resolve(process.cwd(), 'bench/results'), { recursive: true });
    writeFileSync(
      resolve(process.cwd(), `bench/results/vouchers-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
      JSON.stringify(
        {
          firms: FIRMS,
          reservationsPerFirm: RESERVATIONS,
          creationsPerFirm: CREATIONS,
          warmUpPerFirm: WARM_UP,
          amountFen: AMOUNT_FEN,
          appPoolSize: APP_POOL_SIZE,
          loadSeconds,
          reservation: { sqlPooled: plain(sqlPooled), sqlWide: plain(sqlWide), http: plain(http), ratio },
          creationWithVoucher: plain(creation),
          memory,
          ledger: check,
          target: met,
        },
        null,
        2,
      ),
    );
  } finally {
    if (process.env.BENCH_KEEP_DATABASE === '1') log(`BENCH_KEEP_DATABASE=1: ${databaseName} kept`);
    else await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(databaseName)} WITH (FORCE)`);
    await admin.end();
    // The app's outbox relay queued jobs for the bookings made over HTTP under this run's key prefix.
    await deleteRedisKeys(config.REDIS_URL, `${databaseName}:`).catch((error: Error) => log(`Redis keys ${databaseName}:* not removed: ${error.message}`));
  }
  if (!consistent) {
    process.stderr.write('bench/vouchers: the voucher ledger is INCONSISTENT after the run\n');
    process.exit(1);
  }
}

/** `perLane` calls on each firm's lane; every answer other than `ok` is logged once per status. */
async function countedRun(call: (lane: number, iteration: number) => Promise<{ status: number; body: string }>, ok: number, perLane = RESERVATIONS) {
  const statuses = new Map<number, number>();
  const run = await runLanes(FIRMS, perLane, async (lane, iteration) => {
    const { status, body } = await call(lane, iteration);
    if (status !== ok && !statuses.has(status)) log(`  unexpected ${status}: ${body.slice(0, 300)}`);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  });
  return { ...summarize(run.latencies, run.wallMs), wallMs: run.wallMs, reserved: statuses.get(ok) ?? 0, statuses };
}

// --- loading ---------------------------------------------------------------------------------

/**
 * A department staff member of the province with the most bookable instruments, its program (every
 * mode and category, its own providers, fully paid below 10,000 yuan), FIRMS small/micro firms of the
 * province with a member each, and per firm an approved grant of GRANT_FEN with its 'grant' entry.
 * Each firm books one instrument of its own (opened around the clock, no notice) while there are
 * enough; firms that share one take hours after each other.
 */
async function createFirms(dataSource: DataSource): Promise<Firm[]> {
  const instruments: { id: string; institution_id: string; province: string }[] = await dataSource.query(
    `WITH bookable AS (
       SELECT i.id, i.institution_id, left(i.region_code, 2) || '0000' AS province
       FROM instrument i JOIN instrument_fee f ON f.instrument_id = i.id AND f.position = 0
       WHERE i.sharing_mode = 'external' AND 'sample_submission' = ANY (i.service_modes) AND f.unit = 'hour' AND f.external_rate_fen >= $2)
     SELECT id, institution_id, province FROM bookable
     WHERE province = (SELECT province FROM bookable GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)
     ORDER BY id LIMIT $1`,
    [FIRMS, AMOUNT_FEN],
  );
  if (instruments.length === 0) throw new Error('the demo catalog has no instrument to book by sample submission at an hourly fee');
  const province = instruments[0].province;
  const ids = instruments.map((instrument) => instrument.id);
  await dataSource.query(`UPDATE instrument SET time_zone = $2, condition = 'normal' WHERE id = ANY ($1)`, [ids, ZONE]);
  await dataSource.query(`DELETE FROM opening_window WHERE instrument_id = ANY ($1)`, [ids]);
  await dataSource.query(`INSERT INTO opening_window (instrument_id, weekday, opens, closes) SELECT i, d, '00:00', '00:00' FROM unnest($1::uuid[]) i CROSS JOIN generate_series(1, 7) d`, [ids]);
  await dataSource.query(
    `INSERT INTO booking_rules (instrument_id, slot_minutes, min_duration_minutes, max_duration_minutes, min_notice_minutes, max_advance_days, requires_approval)
     SELECT i, 60, 60, 240, 0, 366, false FROM unnest($1::uuid[]) i
     ON CONFLICT (instrument_id) DO UPDATE SET slot_minutes = 60, min_duration_minutes = 60, max_duration_minutes = 240, min_notice_minutes = 0,
       max_advance_days = 366, requires_approval = false, max_minutes_per_day = NULL, max_minutes_per_week = NULL, buffer_minutes = 0`,
    [ids],
  );
  const [{ id: staffId }] = await dataSource.query(
    `INSERT INTO app_user (email, password_hash, display_name, role, region_code)
     VALUES ('voucher-staff@bench.example', 'not-a-hash', 'Bench staff', 'department_staff', $1) RETURNING id`,
    [province],
  );
  const [{ id: programId }] = await dataSource.query(
    `INSERT INTO voucher_program (name, issuing_region_code, budget_fen, granted_fen, valid_from, valid_until, expires_at, eligible_service_modes,
                                  accepted_region_codes, application_cap_fen, firm_year_cap_fen, full_cover_below_fen, share_above_percent, created_by)
     VALUES ('Bench province innovation vouchers', $1, $2, $3, current_date - 1, current_date + 730, current_date + 731,
             ARRAY['self_operated', 'sample_submission'], ARRAY[$1::char(6)], $4, $2, 1000000, 50, $5)
     RETURNING id`,
    [province, GRANT_FEN * FIRMS * 2, GRANT_FEN * FIRMS, GRANT_FEN, staffId],
  );
  const rows: { user_id: string; institution_id: string; grant_id: string; n: number }[] = await dataSource.query(
    `WITH firm AS (
       INSERT INTO institution (name_zh, kind, region_code, is_small_micro)
       SELECT 'Bench firm ' || n, 'enterprise', $1, true FROM generate_series(0, $2 - 1) n ORDER BY n RETURNING id, name_zh),
     member AS (
       INSERT INTO app_user (email, password_hash, display_name, role, institution_id)
       SELECT 'voucher-firm' || substr(name_zh, 12) || '@bench.example', 'not-a-hash', name_zh, 'firm_member', id FROM firm
       RETURNING id, institution_id),
     approved AS (
       INSERT INTO voucher_grant (program_id, enterprise_id, applicant_id, requested_fen, purpose, status, approved_fen, grant_year, decided_by, decided_at,
                                  expires_at)
       SELECT $3, m.institution_id, m.id, $4, 'bench', 'approved', $4, extract(year FROM now() AT TIME ZONE '${ZONE}')::int, $5, now(), current_date + 731
       FROM member m RETURNING id, enterprise_id, applicant_id, program_id),
     granted AS (
       INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, actor_id, reason, operation_key)
       SELECT id, program_id, enterprise_id, 'grant', $4, $5, 'approved', 'grant:' || id FROM approved)
     SELECT a.applicant_id AS user_id, a.enterprise_id AS institution_id, a.id AS grant_id, substr(f.name_zh, 12)::int AS n
     FROM approved a JOIN firm f ON f.id = a.enterprise_id ORDER BY n`,
    [province, FIRMS, programId, GRANT_FEN, staffId],
  );
  log(`  program in ${province}, ${rows.length} firms, ${ids.length} instruments`);
  return rows.map((row, lane) => ({
    lane,
    userId: row.user_id,
    institutionId: row.institution_id,
    grantId: row.grant_id,
    token: benchToken({ id: row.user_id, role: 'firm_member', institutionId: row.institution_id }),
    instrumentId: ids[lane % ids.length],
    providerId: instruments[lane % ids.length].institution_id,
    firstHour: Math.floor(lane / ids.length) * HOURS_PER_FIRM,
  }));
}

function firmColumns(firms: Firm[]): unknown[] {
  return [firms.map((firm) => firm.userId), firms.map((firm) => firm.instrumentId), firms.map((firm) => firm.firstHour)];
}

/**
 * $6 confirmed bookings per firm (users $1 on instruments $2, from hour $3 + $5 after $4), tagged
 * $7 in purpose, each with its external one-hour quote and its time_block (the exclusion constraint
 * checks every one).
 */
const PRECREATE_STATEMENT = `
  WITH planned AS (
    SELECT f.user_id, f.instrument_id, fee.unit, fee.external_rate_fen AS rate,
           $4::timestamptz + (f.first_hour + $5 + k) * $8 * interval '1 hour' AS starts_at
    FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS f(user_id, instrument_id, first_hour)
    JOIN instrument_fee fee ON fee.instrument_id = f.instrument_id AND fee.position = 0
    CROSS JOIN generate_series(0, $6 - 1) k
  ),
  inserted AS (
    INSERT INTO booking (instrument_id, user_id, status, mode, purpose, starts_at, ends_at, is_internal, fee_unit, rate_fen, quote_fen)
    SELECT instrument_id, user_id, 'confirmed', 'sample_submission', $7, starts_at, starts_at + $8 * interval '1 hour', false, unit, rate, rate * $8
    FROM planned ORDER BY starts_at
    RETURNING id, instrument_id, starts_at, ends_at
  )
  INSERT INTO time_block (instrument_id, during, booking_id)
  SELECT instrument_id, tstzrange(starts_at, ends_at), id FROM inserted`;

/** Per firm (by lane), the ids of its pre-created bookings in each set, in time order. */
async function loadBookingSets(databaseUrl: string, firms: Firm[]): Promise<Record<BookingSet, string[]>[]> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ user_id: string; purpose: BookingSet; ids: string[] }>(
      `SELECT user_id, purpose, array_agg(id ORDER BY starts_at) AS ids FROM booking GROUP BY 1, 2`,
    );
    return firms.map((firm) => {
      const sets = Object.fromEntries(BOOKING_SETS.map(([set]) => [set, [] as string[]])) as Record<BookingSet, string[]>;
      for (const row of rows) if (row.user_id === firm.userId) sets[row.purpose] = row.ids;
      return sets;
    });
  } finally {
    await pool.end();
  }
}

// --- measuring -------------------------------------------------------------------------------

/**
 * The writes of the app's reservation (VoucherPaymentsService.reserve) through pg, one transaction
 * each, as named (prepared) statements: the grant row locked as the app locks it (with its program's
 * terms), the booking_voucher row, the 'reserve' ledger entry (its trigger moves the balance). The
 * app's statements do more in fewer round trips (BEGIN; the booking locked with its instrument, voucher
 * part and the grant; payment and entry in one statement; COMMIT): the checks and the answer are not here.
 */
const LOCK_GRANT = `SELECT g.available_fen, p.full_cover_below_fen, p.share_above_percent, p.accepted_region_codes
  FROM voucher_grant g JOIN voucher_program p ON p.id = g.program_id WHERE g.id = $1 AND g.enterprise_id = $2 AND g.status = 'approved' FOR UPDATE OF g`;
const INSERT_PAYMENT = `INSERT INTO booking_voucher (booking_id, grant_id, status, reserved_fen, allow_top_up, provider_institution_id)
  VALUES ($1, $2, 'reserved', $3, false, $4)
  ON CONFLICT (booking_id) DO UPDATE SET attempt = booking_voucher.attempt + 1, status = 'reserved' WHERE booking_voucher.status = 'released' RETURNING attempt`;
const INSERT_RESERVE_ENTRY = `INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, booking_id, actor_id, reason, operation_key)
  SELECT g.id, g.program_id, g.enterprise_id, 'reserve', $2, $3, $4, 'reserved for a booking', $5 FROM voucher_grant g WHERE g.id = $1`;

async function measureSqlReservations(
  databaseUrl: string,
  poolSize: number,
  firms: Firm[],
  bookingsOf: Record<BookingSet, string[]>[],
  set: 'sql-pooled' | 'sql-wide',
): Promise<LatencySummary & Counted & { reservationsPerSecond: number; poolSize: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const reserve = async (firm: Firm, bookingId: string) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows: locked } = await client.query({ name: 'bench-lock-grant', text: LOCK_GRANT, values: [firm.grantId, firm.institutionId] });
      if (Number(locked[0].available_fen) < AMOUNT_FEN) throw new Error(`raw SQL: the grant of firm ${firm.lane} ran out`);
      const { rows: payment } = await client.query({ name: 'bench-insert-payment', text: INSERT_PAYMENT, values: [bookingId, firm.grantId, AMOUNT_FEN, firm.providerId] });
      await client.query({ name: 'bench-insert-reserve', text: INSERT_RESERVE_ENTRY, values: [firm.grantId, AMOUNT_FEN, bookingId, firm.userId, `reserve:${bookingId}:${payment[0].attempt}`] });
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  try {
    await runLanes(FIRMS, WARM_UP, (lane, i) => reserve(firms[lane], bookingsOf[lane][`${set}-warm-up`][i]));
    log(`SQL reservations, pool ${poolSize}: ${FIRMS} clients x ${RESERVATIONS} ...`);
    const run = await runLanes(FIRMS, RESERVATIONS, (lane, i) => reserve(firms[lane], bookingsOf[lane][set][i]));
    const reserved = run.latencies.length;
    return { ...summarize(run.latencies, run.wallMs), reserved, statuses: new Map(), reservationsPerSecond: (reserved / run.wallMs) * 1000, poolSize };
  } finally {
    await pool.end();
  }
}

// --- the ledger afterwards -------------------------------------------------------------------

/**
 * Replays every grant's entries and compares them with the balances the trigger kept; checks that no
 * balance is negative, that every paid booking has exactly one 'reserve' entry and one reserved
 * booking_voucher row of that amount, and that the ledger holds exactly the reservations this run
 * counted as made.
 */
async function checkLedger(databaseUrl: string, expectedReservations: number) {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query(
      `WITH replayed AS (
         SELECT grant_id,
                sum(CASE WHEN kind IN ('grant', 'release', 'adjust') THEN amount_fen WHEN kind IN ('reserve', 'expire') THEN -amount_fen ELSE 0 END) AS available,
                sum(CASE kind WHEN 'reserve' THEN amount_fen WHEN 'release' THEN -amount_fen WHEN 'redeem' THEN -amount_fen ELSE 0 END) AS reserved,
                sum(CASE kind WHEN 'redeem' THEN amount_fen ELSE 0 END) AS redeemed,
                sum(CASE kind WHEN 'expire' THEN amount_fen ELSE 0 END) AS expired
         FROM voucher_ledger_entry GROUP BY grant_id),
       reserves AS (
         SELECT booking_id, grant_id, count(*) AS entries, sum(amount_fen) AS amount FROM voucher_ledger_entry WHERE kind = 'reserve' GROUP BY 1, 2)
       SELECT
         (SELECT count(*) FROM voucher_grant)::int AS grants,
         (SELECT count(*) FROM voucher_grant g LEFT JOIN replayed r ON r.grant_id = g.id
          WHERE (coalesce(r.available, 0), coalesce(r.reserved, 0), coalesce(r.redeemed, 0), coalesce(r.expired, 0))
                IS DISTINCT FROM (g.available_fen, g.reserved_fen, g.redeemed_fen, g.expired_fen))::int AS not_replaying,
         (SELECT count(*) FROM voucher_grant WHERE least(available_fen, reserved_fen, redeemed_fen, expired_fen) < 0)::int AS negative,
         (SELECT count(*) FROM voucher_ledger_entry)::int AS entries,
         (SELECT count(*) FROM reserves)::int AS reserved_bookings,
         (SELECT count(*) FROM reserves WHERE entries <> 1)::int AS reserved_more_than_once,
         (SELECT count(*) FROM reserves r FULL JOIN booking_voucher v ON v.booking_id = r.booking_id
          WHERE v.booking_id IS NULL OR r.booking_id IS NULL OR v.status <> 'reserved' OR v.grant_id <> r.grant_id OR v.reserved_fen <> r.amount)::int AS payments_not_matching,
         (SELECT coalesce(sum(reserved_fen), 0) FROM voucher_grant)::bigint AS reserved_fen`,
    );
    const [row] = rows;
    const consistent =
      row.not_replaying === 0 &&
      row.negative === 0 &&
      row.reserved_more_than_once === 0 &&
      row.payments_not_matching === 0 &&
      row.reserved_bookings === expectedReservations &&
      Number(row.reserved_fen) === expectedReservations * AMOUNT_FEN;
    const summary =
      `${row.grants} grants, ${row.entries.toLocaleString('en')} entries; balances not replaying ${row.not_replaying}, negative ${row.negative}; ` +
      `${row.reserved_bookings.toLocaleString('en')} bookings reserved (expected ${expectedReservations.toLocaleString('en')}), ` +
      `more than once ${row.reserved_more_than_once}, payment rows not matching ${row.payments_not_matching}; ${Number(row.reserved_fen).toLocaleString('en')} fen reserved (expected ${(expectedReservations * AMOUNT_FEN).toLocaleString('en')})`;
    return { consistent, summary, ...row, reserved_fen: Number(row.reserved_fen), expectedReservations };
  } finally {
    await pool.end();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
