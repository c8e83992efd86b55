import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { SqlState, buildDataSourceOptions, isSqlState } from '@app/db';
import { DEMO_BLOCKING_STATUSES, DEMO_BOOKING_STATUSES } from '@app/db/demo';
import { SeededDemoData, seedDemoData } from '@app/db/setup/seed-demo-data';
import { TestDatabase, createTestDatabase } from '@app/testing';

/**
 * The whole demo as `npm start` loads it into an empty database (9,000 instruments, then the
 * booking part), against the migrated schema: the exclusion constraint, foreign keys and CHECKs
 * have to accept every row.
 */
describe('demo bookings (PostgreSQL)', () => {
  const config = loadAppConfig({ NODE_ENV: 'test' });
  // A Wednesday, 10:30 in Shanghai: instruments are in use.
  const now = new Date('2026-11-25T02:30:00Z');
  let database: TestDatabase;
  let dataSource: DataSource;
  let seeded: SeededDemoData;
  let seededMs: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource(buildDataSourceOptions(config, { url: database.url, poolSize: 2 }));
    await dataSource.initialize();
    const started = performance.now();
    seeded = await dataSource.transaction((manager) => seedDemoData(manager, config, { now }));
    seededMs = performance.now() - started;
  }, 180_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  }, 60_000);

  it('loads the booking part fast enough for the first npm start', () => {
    const bookings = seeded.bookings!;
    // eslint-disable-next-line no-console
    console.log(
      `demo data: ${seeded.instruments} instruments in ${Math.round(seededMs)} ms in all; booking part ${bookings.milliseconds} ms for ` +
        `${bookings.bookings} bookings (${JSON.stringify(bookings.bookingsByStatus)}), ${bookings.users} users, ` +
        `${bookings.rules} rules, ${bookings.openingWindows} weekly windows, ${bookings.closures} closures, ` +
        `${bookings.maintenancePeriods} maintenance periods, ${bookings.qualifications} qualifications, ${bookings.timeBlocks} time blocks`,
    );
    expect(seeded.instruments).toBe(9_000);
    expect(bookings.bookings).toBeGreaterThan(50_000);
    // The 2-core reference machine loads it in a few seconds; the bound leaves room for a busy machine.
    expect(bookings.milliseconds).toBeLessThan(30_000);
  });

  it('stores every row, with the counts per status the generator reported', async () => {
    const bookings = seeded.bookings!;
    const [counts] = await dataSource.query(
      `SELECT (SELECT count(*) FROM booking)::int AS bookings,
              (SELECT count(*) FROM booking_event)::int AS events,
              (SELECT count(*) FROM time_block)::int AS "timeBlocks",
              (SELECT count(*) FROM booking_rules)::int AS rules,
              (SELECT count(*) FROM opening_window)::int AS "openingWindows",
              (SELECT count(*) FROM institution_closure)::int AS closures,
              (SELECT count(*) FROM maintenance_period)::int AS "maintenancePeriods",
              (SELECT count(*) FROM qualification)::int AS qualifications,
              (SELECT count(*) FROM app_user)::int - $1::int AS users`,
      [seeded.accounts],
    );
    expect(counts).toEqual({
      bookings: bookings.bookings,
      events: bookings.bookings,
      timeBlocks: bookings.timeBlocks,
      rules: bookings.rules,
      openingWindows: bookings.openingWindows,
      closures: bookings.closures,
      maintenancePeriods: bookings.maintenancePeriods,
      qualifications: bookings.qualifications,
      users: bookings.users,
    });
    const rows: { status: string; count: number }[] = await dataSource.query(`SELECT status, count(*)::int AS count FROM booking GROUP BY status`);
    const byStatus = Object.fromEntries(rows.map((row) => [row.status, row.count]));
    expect(byStatus).toEqual(bookings.bookingsByStatus);
    expect(DEMO_BOOKING_STATUSES.filter((status) => !(byStatus[status] > 0))).toEqual([]);
  });

  it('gives every blocking booking and every maintenance period exactly one time block, [start, end + buffer)', async () => {
    const [check] = await dataSource.query(
      `SELECT
         (SELECT count(*) FROM booking b
           WHERE b.status = ANY($1::text[])
             AND (SELECT count(*) FROM time_block t
                   WHERE t.booking_id = b.id AND t.instrument_id = b.instrument_id
                     AND t.during = tstzrange(b.starts_at, b.ends_at + make_interval(mins => coalesce(
                           (SELECT r.buffer_minutes FROM booking_rules r WHERE r.instrument_id = b.instrument_id), 0)))
                     AND t.expires_at IS NOT DISTINCT FROM b.hold_expires_at) <> 1)::int AS "blockingWithoutBlock",
         (SELECT count(*) FROM time_block t JOIN booking b ON b.id = t.booking_id WHERE NOT b.status = ANY($1::text[]))::int AS "finishedWithBlock",
         (SELECT count(*) FROM maintenance_period m
           WHERE (SELECT count(*) FROM time_block t
                   WHERE t.maintenance_id = m.id AND t.instrument_id = m.instrument_id
                     AND t.during = tstzrange(m.starts_at, m.ends_at)) <> 1)::int AS "maintenanceWithoutBlock",
         (SELECT count(*) FROM booking b JOIN booking_event e ON e.booking_id = b.id WHERE e.to_status <> b.status)::int AS "eventsOffStatus"`,
      [DEMO_BLOCKING_STATUSES],
    );
    expect(check).toEqual({ blockingWithoutBlock: 0, finishedWithBlock: 0, maintenanceWithoutBlock: 0, eventsOffStatus: 0 });
  });

  it('keeps the exclusion constraint in force: a claim on a taken time is refused', async () => {
    const [taken] = await dataSource.query(
      `SELECT t.instrument_id, lower(t.during) AS start FROM time_block t JOIN booking b ON b.id = t.booking_id
       WHERE b.status = 'confirmed' ORDER BY b.starts_at LIMIT 1`,
    );
    // A finished booking has no block of its own, so only the overlap can refuse this one.
    const [finished] = await dataSource.query(`SELECT id FROM booking WHERE status = 'completed' LIMIT 1`);
    const queryRunner = dataSource.createQueryRunner();
    await queryRunner.startTransaction();
    try {
      const refusal = await queryRunner
        .query(
          `INSERT INTO time_block (instrument_id, during, booking_id)
           SELECT $1, tstzrange($2::timestamptz, $2::timestamptz + interval '30 minutes'), $3`,
          [taken.instrument_id, taken.start, finished.id],
        )
        .then(() => null, (error: unknown) => error);
      expect(isSqlState(refusal, SqlState.EXCLUSION_VIOLATION)).toBe(true);
    } finally {
      await queryRunner.rollbackTransaction();
      await queryRunner.release();
    }
  });

  it('gives the demo researcher and firm member past and future bookings in several states, under their real ids', async () => {
    const rows: { email: string; past: number; future: number; statuses: string[]; qualifications: number }[] = await dataSource.query(
      `SELECT u.email,
              count(*) FILTER (WHERE b.ends_at <= $1)::int AS past,
              count(*) FILTER (WHERE b.starts_at > $1)::int AS future,
              array_agg(DISTINCT b.status ORDER BY b.status) AS statuses,
              (SELECT count(*) FROM qualification q WHERE q.user_id = u.id)::int AS qualifications
       FROM app_user u JOIN booking b ON b.user_id = u.id
       WHERE u.email IN ('researcher@demo.example', 'firm@demo.example')
       GROUP BY u.id, u.email ORDER BY u.email`,
      [now],
    );
    expect(rows.map((row) => row.email)).toEqual(['firm@demo.example', 'researcher@demo.example']);
    for (const row of rows) {
      expect(row.past).toBeGreaterThanOrEqual(5);
      expect(row.future).toBeGreaterThanOrEqual(3);
      expect(row.statuses.length).toBeGreaterThanOrEqual(6);
    }
    expect(rows.find((row) => row.email === 'researcher@demo.example')!.qualifications).toBeGreaterThanOrEqual(2);
    // Generated users sign in with the demo password: they share the demo accounts' hash.
    const [hashes] = await dataSource.query(
      `SELECT count(DISTINCT password_hash)::int AS distinct_hashes FROM app_user WHERE email LIKE '%@users.demo.example' OR email LIKE '%@demo.example'`,
    );
    expect(hashes.distinct_hashes).toBe(1);
  });

  it('loads the vouchers through the ledger: every grant\'s balances are the sums of its entries, programs within budget', async () => {
    expect(seeded.vouchers).toMatchObject({ programs: 3, claims: 1 });
    const [check] = await dataSource.query(
      `SELECT
         (SELECT count(*) FROM voucher_grant g
           WHERE ROW(g.available_fen, g.reserved_fen, g.redeemed_fen, g.expired_fen) IS DISTINCT FROM (
             SELECT ROW(coalesce(sum(CASE WHEN e.kind IN ('grant', 'release', 'adjust') THEN e.amount_fen WHEN e.kind IN ('reserve', 'expire') THEN -e.amount_fen ELSE 0 END), 0)::bigint,
                    coalesce(sum(CASE e.kind WHEN 'reserve' THEN e.amount_fen WHEN 'release' THEN -e.amount_fen WHEN 'redeem' THEN -e.amount_fen ELSE 0 END), 0)::bigint,
                    coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'redeem'), 0)::bigint,
                    coalesce(sum(e.amount_fen) FILTER (WHERE e.kind = 'expire'), 0)::bigint)
             FROM voucher_ledger_entry e WHERE e.grant_id = g.id))::int AS "offLedger",
         (SELECT count(*) FROM voucher_program p
           WHERE p.granted_fen <> (SELECT coalesce(sum(approved_fen), 0) FROM voucher_grant WHERE program_id = p.id AND status = 'approved'))::int AS "offBudget",
         (SELECT count(*) FROM booking_voucher v
           WHERE v.reserved_fen <> (SELECT sum(amount_fen) FROM voucher_ledger_entry WHERE booking_id = v.booking_id AND kind = 'reserve')
              OR v.redeemed_fen <> (SELECT coalesce(sum(amount_fen), 0) FROM voucher_ledger_entry WHERE booking_id = v.booking_id AND kind = 'redeem'))::int AS "offPayments",
         (SELECT count(*) FROM booking_voucher v JOIN booking b ON b.id = v.booking_id JOIN instrument i ON i.id = b.instrument_id
           WHERE v.provider_institution_id <> i.institution_id
              OR (v.status = 'redeemed') <> (b.status = 'completed')
              OR (v.status = 'reserved' AND b.status NOT IN ('pending', 'confirmed')))::int AS "offBookings"`,
    );
    expect(check).toEqual({ offLedger: 0, offBudget: 0, offPayments: 0, offBookings: 0 });
    const [firm] = await dataSource.query(
      `SELECT g.approved_fen::int AS approved, g.reserved_fen::int > 0 AS reserving, g.redeemed_fen::int > 0 AS used,
              (SELECT count(*) FROM voucher_redemption_claim c JOIN booking_voucher v ON v.claim_id = c.id WHERE v.grant_id = g.id AND c.status = 'paid')::int AS "paidClaims"
       FROM voucher_grant g JOIN app_user u ON u.institution_id = g.enterprise_id
       WHERE u.email = 'firm@demo.example' AND g.status = 'approved'`,
    );
    expect(firm).toEqual({ approved: 2_000_000, reserving: true, used: true, paidClaims: 1 });
  });
});
