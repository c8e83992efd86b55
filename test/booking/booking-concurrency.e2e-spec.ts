import type { DataSource } from 'typeorm';
import { AppProcess, BookingTestRig, insertResearchers } from '@app/testing';

const JWT_SECRET = 'concurrency-test-secret-concurrency-test-secret';

/**
 * Conflict-freedom under load, with two booking-service processes on one database: PostgreSQL's
 * exclusion constraint must leave exactly one winner per slot, whatever the interleaving.
 * The clock is real: all bookings are a few days ahead, on an instrument open around the clock.
 */
describe('booking under concurrency, two processes (e2e)', () => {
  let rig: BookingTestRig;
  let dataSource: DataSource;
  let processes: AppProcess[];
  let instrumentId: string;
  let users: { id: string; token: string }[];

  beforeAll(async () => {
    rig = await BookingTestRig.open(JWT_SECRET);
    dataSource = rig.dataSource;
    const [institution] = await dataSource.query(`INSERT INTO institution (name_zh, kind, region_code) VALUES ('并发测试大学', 'university', '330106') RETURNING id`);
    const [instrument] = await dataSource.query(
      `INSERT INTO instrument (institution_id, name_zh, category_code, original_value_fen, source, funding_source, purpose, service_modes, region_code)
       VALUES ($1, '核磁共振波谱仪', '010601', 300000000, 'purchased', 'own_funds', 'general', '{sample_submission}', '330106') RETURNING id`,
      [institution.id],
    );
    instrumentId = instrument.id;
    await dataSource.query(`INSERT INTO instrument_fee (instrument_id, position, unit, internal_rate_fen, external_rate_fen) VALUES ($1, 0, 'hour', 10000, 30000)`, [instrumentId]);
    // Open around the clock every day: the test is about overlaps, not hours.
    for (let weekday = 1; weekday <= 7; weekday++) {
      await dataSource.query(`INSERT INTO opening_window (instrument_id, weekday, opens, closes) VALUES ($1, $2, '00:00', '00:00')`, [instrumentId, weekday]);
    }
    await dataSource.query(`INSERT INTO booking_rules (instrument_id, slot_minutes, min_duration_minutes, buffer_minutes, min_notice_minutes) VALUES ($1, 30, 30, 30, 0)`, [instrumentId]);
    users = await insertResearchers(dataSource, { institutionId: institution.id, count: 100, emailDomain: 'concurrency.example', jwtSecret: JWT_SECRET });
    processes = await rig.startProcesses(2);
  }, 60_000);

  afterAll(() => rig?.stop());

  /** A day a week ahead, at a local hour. */
  const at = (day: number, hour: number, minute = 0) => {
    const date = new Date(Date.now() + day * 24 * 3600_000);
    date.setUTCHours(hour, minute, 0, 0);
    return date;
  };
  const via = (index: number) => processes[index % 2].http;
  const bookingBody = (start: Date, end: Date) => ({ instrumentId, start: start.toISOString(), end: end.toISOString(), mode: 'sample_submission', purpose: 'concurrency' });

  /** Pairs of blocking rows of one instrument whose times overlap: must always be none. */
  const overlappingBlocks = async () =>
    (
      await dataSource.query(
        `SELECT count(*)::int AS n FROM time_block a JOIN time_block b
           ON a.instrument_id = b.instrument_id AND a.id < b.id AND a.during && b.during
         WHERE a.instrument_id = $1`,
        [instrumentId],
      )
    )[0].n;

  it('lets exactly one of 100 overlapping requests win, and leaves no overlapping rows', async () => {
    const base = at(7, 2);
    const responses = await Promise.all(
      users.map((user, index) => {
        // Every request overlaps the 02:00-03:00 hour; starts vary between 01:00 and 02:30.
        const start = new Date(base.getTime() + ((index % 4) - 2) * 30 * 60_000);
        return via(index).post('/bookings', bookingBody(start, new Date(start.getTime() + 90 * 60_000)), { token: user.token });
      }),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(99);
    for (const refused of responses.filter((response) => response.status === 409)) {
      expect(refused.body.code).toBe('SLOT_TAKEN');
      expect(refused.text).not.toMatch(/userId|concurrency@|purpose/);
    }
    expect(await overlappingBlocks()).toBe(0);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM booking WHERE instrument_id = $1 AND status = 'confirmed'`, [instrumentId]);
    expect(n).toBe(1);
  });

  it('lets exactly one of 20 concurrent reschedules into one slot win; the others keep their time', async () => {
    const movers = users.slice(0, 20);
    const originals = await Promise.all(
      movers.map((user, index) => {
        const start = at(8, 0, 0);
        start.setUTCHours(index, 0);
        return via(index).post('/bookings', bookingBody(start, new Date(start.getTime() + 30 * 60_000)), { token: user.token });
      }),
    );
    expect(originals.map((response) => response.status)).toEqual(movers.map(() => 201));
    const target = at(9, 10);
    const moved = await Promise.all(
      originals.map((original, index) =>
        via(index + 1).post(`/bookings/${original.body.id}/reschedule`, { start: target.toISOString(), end: new Date(target.getTime() + 60 * 60_000).toISOString() }, { token: movers[index].token }),
      ),
    );
    expect(moved.filter((response) => response.status === 200)).toHaveLength(1);
    expect(moved.filter((response) => response.status === 409).map((response) => response.body.code)).toEqual(Array(19).fill('SLOT_TAKEN'));
    for (const [index, response] of moved.entries()) {
      if (response.status !== 409) continue;
      const [row] = await dataSource.query(`SELECT starts_at FROM booking WHERE id = $1`, [originals[index].body.id]);
      expect(row.starts_at.toISOString()).toBe(originals[index].body.start);
    }
    expect(await overlappingBlocks()).toBe(0);
  });

  it('makes one booking of 20 concurrent requests with one Idempotency-Key', async () => {
    const user = users[50];
    const start = at(10, 4);
    const body = bookingBody(start, new Date(start.getTime() + 60 * 60_000));
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => via(index).post('/bookings', body, { token: user.token, headers: { 'Idempotency-Key': 'same-key-for-all' } })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM booking WHERE user_id = $1`, [user.id]);
    expect(n).toBe(1);
  });
});
