import type { DataSource } from 'typeorm';
import { AppProcess, BookingTestRig, insertResearchers } from '@app/testing';

const JWT_SECRET = 'schedule-index-test-secret-schedule-index-test';
const INSTRUMENTS = 3;
const BOOKINGS = 240;
const HALF_HOUR = 30 * 60_000;

/**
 * The in-memory busy-time index of each booking process (ScheduleIndex) must never miss a change:
 * two processes book and cancel concurrently on a few instruments while both keep answering free
 * slots (so their syncs interleave with commits); afterwards every process's free slots must be
 * exactly what the time_block table says; a pruned log makes them reload; and an hours change
 * made behind their backs must show.
 */
describe('in-memory busy time under concurrent writes, two processes (e2e)', () => {
  let rig: BookingTestRig;
  let dataSource: DataSource;
  let processes: AppProcess[];
  let instrumentIds: string[];
  let users: { id: string; token: string }[];

  beforeAll(async () => {
    rig = await BookingTestRig.open(JWT_SECRET);
    dataSource = rig.dataSource;
    const [institution] = await dataSource.query(`INSERT INTO institution (name_zh, kind, region_code) VALUES ('索引测试大学', 'university', '330106') RETURNING id`);
    const instruments: { id: string }[] = await dataSource.query(
      `INSERT INTO instrument (institution_id, name_zh, category_code, original_value_fen, source, funding_source, purpose, service_modes, region_code, time_zone)
       SELECT $1, '液相色谱仪 ' || n, '010601', 100000000, 'purchased', 'own_funds', 'general', '{sample_submission}', '330106', 'UTC'
       FROM generate_series(1, ${INSTRUMENTS}) n RETURNING id`,
      [institution.id],
    );
    instrumentIds = instruments.map(({ id }) => id);
    // UTC, so that local and UTC hours agree below. Open around the clock, half-hour slots, no notice, no buffer: free starts are exactly the half hours no block touches.
    await dataSource.query(
      `INSERT INTO opening_window (instrument_id, weekday, opens, closes) SELECT id, d, '00:00', '00:00' FROM unnest($1::uuid[]) id CROSS JOIN generate_series(1, 7) d`,
      [instrumentIds],
    );
    await dataSource.query(
      `INSERT INTO booking_rules (instrument_id, slot_minutes, min_duration_minutes, buffer_minutes, min_notice_minutes) SELECT id, 30, 30, 0, 0 FROM unnest($1::uuid[]) id`,
      [instrumentIds],
    );
    users = await insertResearchers(dataSource, { institutionId: institution.id, count: 40, emailDomain: 'index.example', jwtSecret: JWT_SECRET });
    processes = await rig.startProcesses(2);
  }, 60_000);

  afterAll(() => rig?.stop());

  // Two days from midnight UTC three days ahead: within every default rule, far from now.
  const rangeStart = Math.ceil((Date.now() + 3 * 24 * 3600_000) / (24 * 3600_000)) * 24 * 3600_000;
  const rangeEnd = rangeStart + 2 * 24 * 3600_000;
  const slotsPath = (instrumentId: string) =>
    `/instruments/${instrumentId}/slots?${new URLSearchParams({ from: new Date(rangeStart).toISOString(), to: new Date(rangeEnd).toISOString(), durationMinutes: '30' })}`;

  /** Free half-hour starts as the table says: those no blocking row (holds not lapsed) overlaps. */
  const freeStartsFromTable = async (instrumentId: string): Promise<string[]> => {
    const rows: { start: string }[] = await dataSource.query(
      `SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.000"Z"') AS start
       FROM generate_series($2::timestamptz, $3::timestamptz - interval '30 minutes', interval '30 minutes') t
       WHERE NOT EXISTS (SELECT 1 FROM time_block b WHERE b.instrument_id = $1 AND b.during && tstzrange(t, t + interval '30 minutes')
                                                    AND (b.expires_at IS NULL OR b.expires_at > now()))
       ORDER BY t`,
      [instrumentId, new Date(rangeStart), new Date(rangeEnd)],
    );
    return rows.map((row) => row.start);
  };

  const freeStartsOf = async (app: AppProcess, instrumentId: string): Promise<string[]> => {
    const response = await app.http.get(slotsPath(instrumentId));
    expect(response.status).toBe(200);
    return (response.body as { slots: { start: string }[] }).slots.map((slot) => slot.start);
  };

  it('answers exactly what the table holds after concurrent bookings and cancellations through both processes', async () => {
    // Both indexes hold the instruments before the writes start, so every later write reaches them as a change.
    for (const app of processes) for (const instrumentId of instrumentIds) await freeStartsOf(app, instrumentId);
    let writing = true;
    const readers = processes.map(async (app) => {
      let reads = 0;
      while (writing) {
        await freeStartsOf(app, instrumentIds[reads % INSTRUMENTS]);
        reads++;
      }
      return reads;
    });
    const halfHours = (rangeEnd - rangeStart) / HALF_HOUR;
    const writes = Array.from({ length: BOOKINGS }, async (_, index) => {
      const app = processes[index % 2];
      const user = users[index % users.length];
      // Pseudo-random places and lengths (30 to 120 minutes): many clash, which is part of the point.
      const start = rangeStart + ((index * 37) % (halfHours - 4)) * HALF_HOUR;
      const end = start + (1 + (index % 4)) * HALF_HOUR;
      const instrumentId = instrumentIds[(index * 7) % INSTRUMENTS];
      const created = await app.http.post(
        '/bookings',
        { instrumentId, start: new Date(start).toISOString(), end: new Date(end).toISOString(), mode: 'sample_submission', purpose: 'index' },
        { token: user.token },
      );
      expect([201, 409]).toContain(created.status);
      // Every third booking is cancelled again through the other process: its time comes back.
      if (created.status === 201 && index % 3 === 0) {
        const cancelled = await processes[(index + 1) % 2].http.post(`/bookings/${created.body.id}/cancel`, {}, { token: user.token });
        expect(cancelled.status).toBe(200);
      }
      // Every third other one moves an hour later through the other process (its block changes start).
      if (created.status === 201 && index % 3 === 1) {
        const moved = await processes[(index + 1) % 2].http.post(
          `/bookings/${created.body.id}/reschedule`,
          { start: new Date(start + 2 * HALF_HOUR).toISOString(), end: new Date(end + 2 * HALF_HOUR).toISOString() },
          { token: user.token },
        );
        expect([200, 409, 422]).toContain(moved.status);
      }
    });
    await Promise.all(writes);
    writing = false;
    const reads = await Promise.all(readers);
    expect(reads.every((count) => count > 0)).toBe(true);

    const [{ blocks }] = await dataSource.query(`SELECT count(*)::int AS blocks FROM time_block WHERE instrument_id = ANY($1)`, [instrumentIds]);
    expect(blocks).toBeGreaterThan(10);
    for (const instrumentId of instrumentIds) {
      const expected = await freeStartsFromTable(instrumentId);
      for (const app of processes) expect(await freeStartsOf(app, instrumentId)).toEqual(expected);
    }
  }, 120_000);

  it('follows blocks moved, shortened, lapsed and deleted directly in the database', async () => {
    const instrumentId = instrumentIds[2];
    const blocks: { id: string }[] = await dataSource.query(`SELECT id FROM time_block WHERE instrument_id = $1 ORDER BY lower(during) LIMIT 4`, [instrumentId]);
    expect(blocks.length).toBe(4);
    const expectBothToMatchTable = async () => {
      const expected = await freeStartsFromTable(instrumentId);
      for (const app of processes) expect(await freeStartsOf(app, instrumentId)).toEqual(expected);
      return expected;
    };
    await expectBothToMatchTable();
    const [{ empty }]: { empty: Date }[] = await dataSource.query(
      `SELECT t AS empty FROM generate_series($2::timestamptz, $3::timestamptz - interval '30 minutes', interval '30 minutes') t
       WHERE NOT EXISTS (SELECT 1 FROM time_block b WHERE b.instrument_id = $1 AND b.during && tstzrange(t, t + interval '30 minutes'))
       ORDER BY t DESC LIMIT 1`,
      [instrumentId, new Date(rangeStart), new Date(rangeEnd)],
    );
    const changes = [
      // Moved to a half hour where nothing is: its old start frees, its new one is taken.
      [`UPDATE time_block SET during = tstzrange($2, $2::timestamptz + interval '30 minutes') WHERE id = $1`, blocks[0].id, empty],
      // Shortened to its first half hour: same start, another end.
      [`UPDATE time_block SET during = tstzrange(lower(during), lower(during) + interval '30 minutes') WHERE id = $1`, blocks[1].id],
      // A hold that lapsed: it stays in the table but blocks nothing.
      [`UPDATE time_block SET expires_at = now() - interval '1 second' WHERE id = $1`, blocks[2].id],
      [`DELETE FROM time_block WHERE id = $1`, blocks[3].id],
    ] as const;
    let previous = await freeStartsFromTable(instrumentId);
    for (const [sql, ...parameters] of changes) {
      // Blocks alone, the booking rows stay as they are: only the index is under test.
      await dataSource.query(sql, parameters);
      const now = await expectBothToMatchTable();
      expect(now).not.toEqual(previous);
      previous = now;
    }
  });

  it('books time another process freed a moment ago, though the booking process last synced while it was taken', async () => {
    // A booking request first looks at its process's index as last synced; a refusal must sync
    // first. Five rounds, each faster than the background sync: refusing from the stale index
    // would answer 409 in nearly every round.
    const [first, other] = processes;
    const [user] = users;
    const instrumentId = instrumentIds[0];
    for (let round = 0; round < 5; round++) {
      const start = rangeEnd + round * 2 * HALF_HOUR;
      const body = { instrumentId, start: new Date(start).toISOString(), end: new Date(start + HALF_HOUR).toISOString(), mode: 'sample_submission', purpose: 'freed' };
      const booked = await first.http.post('/bookings', body, { token: user.token });
      expect(booked.status).toBe(201);
      // A read syncs the first process: its index now holds the block.
      await freeStartsOf(first, instrumentId);
      expect((await other.http.post(`/bookings/${booked.body.id}/cancel`, {}, { token: user.token })).status).toBe(200);
      const again = await first.http.post('/bookings', body, { token: user.token });
      expect(again.status).toBe(201);
    }
  });

  it('reloads a process whose log was pruned past its last sync, and misses nothing', async () => {
    const instrumentId = instrumentIds[1];
    const [block]: { id: string }[] = await dataSource.query(`SELECT id FROM time_block WHERE instrument_id = $1 LIMIT 1`, [instrumentId]);
    expect(block).toBeDefined();
    // A change the log never sees (triggers off), then a prune past every process's last sync:
    // only a full reload can show it.
    await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(`DELETE FROM time_block WHERE id = $1`, [block.id]);
    });
    await dataSource.query(`DELETE FROM time_block_change`);
    await dataSource.query(`UPDATE time_block_change_horizon SET pruned_below = pg_snapshot_xmax(pg_current_snapshot())`);
    const expected = await freeStartsFromTable(instrumentId);
    for (const app of processes) expect(await freeStartsOf(app, instrumentId)).toEqual(expected);
  });

  it('shows hours and closures changed directly in the database on the next request of every process', async () => {
    const [instrumentId] = instrumentIds;
    const before = await freeStartsOf(processes[0], instrumentId);
    expect(before.length).toBeGreaterThan(0);
    await dataSource.query(`UPDATE opening_window SET opens = '09:00', closes = '10:00' WHERE instrument_id = $1`, [instrumentId]);
    const hoursOnly = await freeStartsFromTable(instrumentId);
    for (const app of processes) {
      const starts = await freeStartsOf(app, instrumentId);
      expect(starts.every((start) => start.slice(11, 16) === '09:00' || start.slice(11, 16) === '09:30')).toBe(true);
      expect(starts).toEqual(hoursOnly.filter((start) => start.slice(11, 16) === '09:00' || start.slice(11, 16) === '09:30'));
    }
    // A closure of the institution over the whole range closes all its instruments.
    await dataSource.query(
      `INSERT INTO institution_closure (institution_id, starts_on, ends_on, reason)
       SELECT institution_id, $2::date - 2, $3::date + 2, 'index test' FROM instrument WHERE id = $1`,
      [instrumentId, new Date(rangeStart), new Date(rangeEnd)],
    );
    for (const app of processes) for (const id of instrumentIds) expect(await freeStartsOf(app, id)).toEqual([]);
  }, 60_000);
});
