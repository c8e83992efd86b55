import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { QUEUES, queuePrefix } from '@app/queue';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { StatisticsCompiler } from '../../apps/worker/src/statistics/statistics-compiler';
import { NIGHTLY_SCHEDULER_ID } from '../../apps/worker/src/statistics/statistics-queue';
import { StatisticsRunsService } from '../../apps/worker/src/statistics/statistics-runs.service';
import { WorkerModule } from '../../apps/worker/src/worker.module';

const RANGE = { firstDay: '2026-03-28', lastDay: '2026-03-30' };

/** Columns of instrument_day_statistics in the order of the expected rows below. */
type DayRow = [
  day: string,
  open: number,
  booked: number,
  effective: number,
  external: number,
  services: number,
  users: number,
  firms: number,
  smallMicroFirms: number,
  revenueFen: number,
  noShows: number,
  ratingSum: number,
  ratingCount: number,
];

/**
 * Hand-computed statistics over Sat 2026-03-28 .. Mon 2026-03-30: Berlin springs forward on Sunday
 * 29 March (02:00 -> 03:00, a 23-hour day); Shanghai has no DST.
 *
 * A (Shanghai, U1, county 330106, general): daily 08:00-20:00, Saturday also 22:00-06:00 overnight;
 *   maintenance Sun 10:00-12:00; Monday closed by an exception.
 *   - completed, external small/micro firm: booked Sat 23:00 - Sun 01:00, used Sat 23:10 - Sun 01:30, 300 yuan, rated 5
 *   - completed, internal: booked Sun 14:00-16:00, used 14:05-15:35, 100 yuan
 *   - no-show, external firm: Sun 17:00-18:00
 *   - cancelled with a 50-yuan fee: Sun 18:00-19:00 (not booked time; the fee counts on Sunday)
 *   - pending Mon 09:00-10:00 (counts for nothing)
 * B (Berlin, U1, county 330106, special): daily 20:00-08:00 overnight.
 *   - completed, external researcher: booked Sat 22:00 CET - Sun 04:00 CEST (2 h + 3 h), used Sat 22:30 - Sun 03:30 CEST
 *     (1.5 h + 2.5 h), 800 yuan, rated 4
 *   - confirmed, internal: Mon 06:00-07:00 CEST
 * C (Shanghai, U2, county 330105, general): Mon-Fri 09:00-17:00, an 'open' exception Sat 10:00-12:00; U2 closed Mon-Tue.
 *   - completed, external (not small/micro) firm: booked Sat 10:00-12:00, used 10:00-11:00, 200 yuan
 * D (Shanghai, U3, Ningbo county 330203, special): daily 08:00-12:00, Sunday 10:00-11:00 closed by an exception.
 */
const EXPECTED: Record<'A' | 'B' | 'C' | 'D', DayRow[]> = {
  A: [
    ['2026-03-28', 720 + 120, 60, 50, 50, 1, 1, 1, 1, 30_000, 0, 5, 1],
    ['2026-03-29', 360 + 720 - 120, 60 + 120 + 60, 90 + 90, 90, 1, 1, 0, 0, 10_000 + 5_000, 1, 0, 0],
    ['2026-03-30', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ],
  B: [
    ['2026-03-28', 480 + 240, 120, 90, 90, 1, 1, 0, 0, 80_000, 0, 4, 1],
    ['2026-03-29', 420 + 240, 180, 150, 150, 0, 0, 0, 0, 0, 0, 0, 0],
    ['2026-03-30', 480 + 240, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ],
  C: [
    ['2026-03-28', 120, 120, 60, 60, 1, 1, 1, 0, 20_000, 0, 0, 0],
    ['2026-03-29', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ['2026-03-30', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ],
  D: [
    ['2026-03-28', 240, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ['2026-03-29', 180, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ['2026-03-30', 240, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  ],
};

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('statistics (e2e)', () => {
  let worker: TestApp;
  let dataSource: DataSource;
  let compiler: StatisticsCompiler;
  const ids: Record<'A' | 'B' | 'C' | 'D', string> = { A: '', B: '', C: '', D: '' };
  const institutions: Record<'U1' | 'U2' | 'U3', string> = { U1: '', U2: '', U3: '' };
  let provinceStaff: TestAccount;
  let hangzhouStaff: TestAccount;
  let gongshuStaff: TestAccount;
  let ningboStaff: TestAccount;
  let u1Manager: TestAccount;
  let researcher: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    const clock = new ManualClock('2026-04-02T03:00:00Z');
    worker = await startTestApp(WorkerModule, { clock, env: { NOTIFICATION_SWEEP_SECONDS: '0' } });
    dataSource = worker.app.get(DataSource);
    compiler = worker.app.get(StatisticsCompiler);
    const tokens = worker.app.get(AccessTokenService);
    const fixtures = new CatalogFixtures(dataSource, worker.http, (user) => tokens.sign(user));

    const u1 = await fixtures.institution({ regionCode: '330106' });
    const u2 = await fixtures.institution({ regionCode: '330105' });
    const u3 = await fixtures.institution({ regionCode: '330203', kind: 'research_institute' });
    const smallFirm = await fixtures.institution({ regionCode: '330106', kind: 'enterprise', isSmallMicro: true });
    const firm = await fixtures.institution({ regionCode: '330212', kind: 'enterprise' });
    Object.assign(institutions, { U1: u1.id, U2: u2.id, U3: u3.id });
    ids.A = (await fixtures.instrument(u1.id, { nameZh: 'A', regionCode: '330106' })).id;
    ids.B = (await fixtures.instrument(u1.id, { nameZh: 'B', regionCode: '330106', timeZone: 'Europe/Berlin' })).id;
    ids.C = (await fixtures.instrument(u2.id, { nameZh: 'C', regionCode: '330105' })).id;
    ids.D = (await fixtures.instrument(u3.id, { nameZh: 'D', regionCode: '330203' })).id;
    await dataSource.query(`UPDATE instrument SET purpose = 'special' WHERE id = ANY($1)`, [[ids.B, ids.D]]);

    const internal = await fixtures.account('researcher', { institutionId: u1.id });
    const outsider = await fixtures.account('researcher', { institutionId: u2.id });
    const smallFirmMember = await fixtures.account('firm_member', { institutionId: smallFirm.id });
    const firmMember = await fixtures.account('firm_member', { institutionId: firm.id });

    const windows = (instrument: string, weekdays: number[], opens: string, closes: string) =>
      Promise.all(weekdays.map((weekday) =>
        dataSource.query(`INSERT INTO opening_window (instrument_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)`, [instrument, weekday, opens, closes])));
    const everyDay = [1, 2, 3, 4, 5, 6, 7];
    await windows(ids.A, everyDay, '08:00', '20:00');
    await windows(ids.A, [6], '22:00', '06:00');
    await windows(ids.B, everyDay, '20:00', '08:00');
    await windows(ids.C, [1, 2, 3, 4, 5], '09:00', '17:00');
    await windows(ids.D, everyDay, '08:00', '12:00');
    await dataSource.query(
      `INSERT INTO availability_exception (instrument_id, on_date, kind, opens, closes) VALUES
         ($1, '2026-03-30', 'closed', NULL, NULL), ($2, '2026-03-28', 'open', '10:00', '12:00'), ($3, '2026-03-29', 'closed', '10:00', '11:00')`,
      [ids.A, ids.C, ids.D],
    );
    await dataSource.query(`INSERT INTO institution_closure (institution_id, starts_on, ends_on, reason) VALUES ($1, '2026-03-30', '2026-03-31', '校庆')`, [u2.id]);
    await dataSource.query(
      `INSERT INTO maintenance_period (instrument_id, starts_at, ends_at, reason) VALUES ($1, '2026-03-29T10:00+08', '2026-03-29T12:00+08', '年度保养')`,
      [ids.A],
    );

    const book = (values: Record<string, unknown>) => {
      const columns = Object.keys(values);
      return dataSource.query(
        `INSERT INTO booking (mode, ${columns.join(', ')}) VALUES ('self_operated', ${columns.map((_, index) => `$${index + 1}`).join(', ')})`,
        Object.values(values),
      );
    };
    const rated = { rated_at: '2026-03-31T00:00Z' };
    await book({ instrument_id: ids.A, user_id: smallFirmMember.id, status: 'completed', is_internal: false, starts_at: '2026-03-28T23:00+08', ends_at: '2026-03-29T01:00+08',
      actual_start_at: '2026-03-28T23:10+08', actual_end_at: '2026-03-29T01:30+08', final_fee_fen: 30_000, rating: 5, ...rated });
    await book({ instrument_id: ids.A, user_id: internal.id, status: 'completed', is_internal: true, starts_at: '2026-03-29T14:00+08', ends_at: '2026-03-29T16:00+08',
      actual_start_at: '2026-03-29T14:05+08', actual_end_at: '2026-03-29T15:35+08', final_fee_fen: 10_000 });
    await book({ instrument_id: ids.A, user_id: firmMember.id, status: 'no_show', is_internal: false, starts_at: '2026-03-29T17:00+08', ends_at: '2026-03-29T18:00+08' });
    await book({ instrument_id: ids.A, user_id: outsider.id, status: 'cancelled', is_internal: false, starts_at: '2026-03-29T18:00+08', ends_at: '2026-03-29T19:00+08',
      cancelled_at: '2026-03-28T12:00+08', cancellation_fee_fen: 5_000 });
    await book({ instrument_id: ids.A, user_id: outsider.id, status: 'pending', is_internal: false, starts_at: '2026-03-30T09:00+08', ends_at: '2026-03-30T10:00+08' });
    await book({ instrument_id: ids.B, user_id: outsider.id, status: 'completed', is_internal: false, starts_at: '2026-03-28T22:00+01', ends_at: '2026-03-29T04:00+02',
      actual_start_at: '2026-03-28T22:30+01', actual_end_at: '2026-03-29T03:30+02', final_fee_fen: 80_000, rating: 4, ...rated });
    await book({ instrument_id: ids.B, user_id: internal.id, status: 'confirmed', is_internal: true, starts_at: '2026-03-30T06:00+02', ends_at: '2026-03-30T07:00+02' });
    await book({ instrument_id: ids.C, user_id: firmMember.id, status: 'completed', is_internal: false, starts_at: '2026-03-28T10:00+08', ends_at: '2026-03-28T12:00+08',
      actual_start_at: '2026-03-28T10:00+08', actual_end_at: '2026-03-28T11:00+08', final_fee_fen: 20_000 });

    provinceStaff = await fixtures.account('department_staff', { regionCode: '330000' });
    hangzhouStaff = await fixtures.account('department_staff', { regionCode: '330100' });
    gongshuStaff = await fixtures.account('department_staff', { regionCode: '330105' });
    ningboStaff = await fixtures.account('department_staff', { regionCode: '330200' });
    u1Manager = await fixtures.account('lab_manager', { institutionId: u1.id });
    researcher = internal;
    admin = await fixtures.account('admin');
  });

  afterAll(async () => {
    await worker?.close();
  });

  const compiled = async (): Promise<Record<string, DayRow[]>> => {
    const rows: Record<string, unknown>[] = await dataSource.query(
      `SELECT i.name_zh, s.day::text, s.open_minutes, s.booked_minutes, s.effective_minutes, s.external_minutes, s.services, s.distinct_users,
              s.distinct_firms, s.distinct_small_micro_firms, s.revenue_fen::int, s.no_shows, s.rating_sum, s.rating_count
       FROM instrument_day_statistics s JOIN instrument i ON i.id = s.instrument_id ORDER BY i.name_zh, s.day`,
    );
    const byInstrument: Record<string, DayRow[]> = {};
    for (const row of rows) {
      const [name, ...values] = Object.values(row);
      (byInstrument[name as string] ??= []).push(values as DayRow);
    }
    return byInstrument;
  };

  it('resolves local wall-clock times in DST gaps and overlaps as the booking service does', async () => {
    const [row] = await dataSource.query(
      `SELECT statistics_local_instant('2026-03-29 02:30', 'Europe/Berlin') AS gap, statistics_local_instant('2026-10-25 02:30', 'Europe/Berlin') AS overlap,
              statistics_local_instant('2026-03-30 00:00', 'Europe/Berlin') AS midnight, statistics_local_instant('2026-03-29 00:00', 'Asia/Shanghai') AS shanghai`,
    );
    expect(row.gap.toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(row.overlap.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(row.midnight.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(row.shanghai.toISOString()).toBe('2026-03-28T16:00:00.000Z');
  });

  it('compiles every instrument and local day to the minute, and a re-run replaces instead of adding', async () => {
    expect(await compiler.compile(RANGE, new Date())).toBe(12);
    expect(await compiled()).toEqual(EXPECTED);
    expect(await compiler.compile(RANGE, new Date())).toBe(12);
    expect(await compiler.compile({ ...RANGE, instrumentId: ids.B }, new Date())).toBe(3);
    expect(await compiled()).toEqual(EXPECTED);
  });

  it('compiles some days of a month without touching its other days', async () => {
    await dataSource.query(`DELETE FROM instrument_month_statistics`);
    expect(await compiler.compile({ firstDay: '2026-03-30', lastDay: '2026-03-30' }, new Date())).toBe(4);
    const [{ days }] = await dataSource.query(`SELECT count(*)::int AS days FROM instrument_day_statistics`);
    expect(days).toBe(4);
    expect(await compiler.compile({ firstDay: '2026-03-28', lastDay: '2026-03-29' }, new Date())).toBe(8);
    expect(await compiled()).toEqual(EXPECTED);
    // One row per instrument and month, a figure per day of March, the days never compiled empty.
    const months: { month: string; days: number; compiled: number }[] = await dataSource.query(
      `SELECT month::text, cardinality(open_minutes) AS days, cardinality(array_remove(open_minutes, NULL)) AS compiled FROM instrument_month_statistics`,
    );
    expect(months).toEqual(Array.from({ length: 4 }, () => ({ month: '2026-03-01', days: 31, compiled: 3 })));
  });

  it('gives the same result when two compiles of overlapping ranges run at once', async () => {
    await Promise.all([
      compiler.compile(RANGE, new Date()),
      compiler.compile({ firstDay: '2026-03-29', lastDay: '2026-03-30' }, new Date()),
      compiler.compile(RANGE, new Date()),
    ]);
    expect(await compiled()).toEqual(EXPECTED);
  });

  const summary = async (groupBy: string, account: TestAccount, range = 'from=2026-03-28&to=2026-03-30') => {
    const response = await worker.http.get(`/statistics/summary?groupBy=${groupBy}&${range}`, { token: account.token });
    expect(response.status).toBe(200);
    return response.body as { rows: Record<string, any>[]; total: Record<string, any> };
  };
  const EXACT = ['instruments', 'instrumentDays', 'openMinutes', 'bookedMinutes', 'effectiveMinutes', 'externalMinutes', 'services', 'revenueFen', 'noShows', 'ratingCount'];
  const sumOf = (rows: Record<string, any>[]) => Object.fromEntries(EXACT.map((field) => [field, rows.reduce((sum, row) => sum + row[field], 0)]));
  const exact = (row: Record<string, any>) => Object.fromEntries(EXACT.map((field) => [field, row[field]]));

  it('rolls up by province, city, county, institution and category, each the sum of its parts', async () => {
    await compiler.compile(RANGE, new Date());
    const province = await summary('province', provinceStaff);
    expect(province.rows.map((row) => [row.key, row.name])).toEqual([['330000', '浙江省']]);
    const all = province.rows[0];
    expect(exact(all)).toEqual({
      instruments: 4,
      instrumentDays: 12,
      openMinutes: 840 + 960 + 720 + 660 + 720 + 120 + 240 + 180 + 240,
      bookedMinutes: 60 + 240 + 120 + 180 + 60 + 120,
      effectiveMinutes: 50 + 180 + 90 + 150 + 60,
      externalMinutes: 50 + 90 + 90 + 150 + 60,
      services: 4,
      revenueFen: 30_000 + 15_000 + 80_000 + 20_000,
      noShows: 1,
      ratingCount: 2,
    });
    expect(all.averageRating).toBe(4.5);
    // Rated hours: two general (1,400 h/year) and two special (800 h/year) instruments for 3 days of 365.
    expect(all.ratedHours).toBeCloseTo(((2 * 1400 + 2 * 800) * 3) / 365, 2);
    expect(all.sharingRate).toBeCloseTo(440 / 530, 4);
    expect(all.utilizationOpen).toBeCloseTo(530 / 4680, 4);
    expect(all.utilizationRated).toBeCloseTo(530 / 60 / (((2 * 1400 + 2 * 800) * 3) / 365), 4);
    expect(exact(province.total)).toEqual(exact(all));

    for (const groupBy of ['city', 'county', 'institution', 'category']) {
      const grouped = await summary(groupBy, provinceStaff);
      expect(sumOf(grouped.rows)).toEqual(exact(all));
    }
    const cities = await summary('city', provinceStaff);
    expect(cities.rows.map((row) => [row.key, row.name, row.instruments])).toEqual([['330100', '杭州市', 3], ['330200', '宁波市', 1]]);
    const counties = await summary('county', provinceStaff);
    expect(counties.rows.map((row) => [row.key, row.instruments])).toEqual([['330105', 1], ['330106', 2], ['330203', 1]]);
    const hangzhouCounties = counties.rows.filter((row) => row.key.startsWith('3301'));
    expect(sumOf(hangzhouCounties)).toEqual(exact(cities.rows[0]));
    const byInstitution = await summary('institution', provinceStaff);
    const u1 = byInstitution.rows.find((row) => row.key === institutions.U1)!;
    expect(exact(u1)).toMatchObject({ instruments: 2, openMinutes: 840 + 960 + 720 + 660 + 720, effectiveMinutes: 50 + 180 + 90 + 150 });
    expect(u1.sharingRate).toBeCloseTo(380 / 470, 4);

    // Drill-down: a city's counties, a county's institutions, each adding up to its parent row.
    const inHangzhou = await summary('county', provinceStaff, 'from=2026-03-28&to=2026-03-30&region=330100');
    expect(inHangzhou.rows.map((row) => row.key)).toEqual(['330105', '330106']);
    expect(exact(inHangzhou.total)).toEqual(exact(cities.rows[0]));
    const inXihu = await summary('institution', provinceStaff, 'from=2026-03-28&to=2026-03-30&region=330106');
    expect(exact(inXihu.total)).toEqual(exact(counties.rows.find((row) => row.key === '330106')!));
    expect((await worker.http.get('/statistics/summary?groupBy=county&period=2026-03&region=3301', { token: provinceStaff.token })).status).toBe(400);
  });

  it('reads a whole month from its totals as it reads the same days one by one', async () => {
    // Only 28-30 March are compiled: all of March (one total per instrument) and a range that
    // starts inside February (March then read whole) count the same days as 28-30 March by day.
    await dataSource.query(`DELETE FROM instrument_month_statistics`);
    await compiler.compile({ firstDay: '2026-03-30', lastDay: '2026-03-30' }, new Date());
    await compiler.compile({ firstDay: '2026-03-28', lastDay: '2026-03-29' }, new Date());
    const byDay = await summary('county', provinceStaff);
    const wholeMonth = await summary('county', provinceStaff, 'period=2026-03');
    const fromFebruary = await summary('county', provinceStaff, 'from=2026-02-15&to=2026-03-31');
    expect(exact(byDay.total)).toMatchObject({ instrumentDays: 12, services: 4 });
    expect(exact(wholeMonth.total)).toEqual(exact(byDay.total));
    expect(wholeMonth.rows.map(exact)).toEqual(byDay.rows.map(exact));
    expect(wholeMonth.total.ratedHours).toBeCloseTo(byDay.total.ratedHours, 6);
    expect(exact(fromFebruary.total)).toEqual(exact(byDay.total));
  });

  it('keeps each caller to their region or institution, and refuses researchers', async () => {
    await compiler.compile(RANGE, new Date());
    expect((await summary('county', gongshuStaff)).rows.map((row) => row.key)).toEqual(['330105']);
    expect((await summary('county', hangzhouStaff)).rows.map((row) => row.key)).toEqual(['330105', '330106']);
    expect((await summary('county', ningboStaff)).rows.map((row) => row.key)).toEqual(['330203']);
    expect((await summary('institution', u1Manager)).rows.map((row) => [row.key, row.instruments])).toEqual([[institutions.U1, 2]]);
    expect((await summary('province', admin)).rows[0].instruments).toBe(4);
    const refused = await worker.http.get('/statistics/summary?groupBy=county&period=2026-03', { token: researcher.token });
    expect(refused.status).toBe(403);
    expect((await worker.http.post('/statistics/compilations', { from: '2026-03-01', to: '2026-03-02' }, { token: u1Manager.token })).status).toBe(403);
  });

  it('accepts a month, quarter or year, refuses bad ranges with codes, and exports CSV', async () => {
    const month = await summary('province', admin, 'period=2026-03');
    const days = await summary('province', admin, 'from=2026-03-01&to=2026-03-31');
    expect(exact(month.total)).toEqual(exact(days.total));
    expect((await summary('province', admin, 'period=2026-Q1')).total.instruments).toBe(4);
    expect((await summary('province', admin, 'period=2026')).total.instruments).toBe(4);

    const bad = async (query: string) => {
      const response = await worker.http.get(`/statistics/summary?${query}`, { token: admin.token });
      return [response.status, response.body.code];
    };
    expect(await bad('groupBy=county&from=2026-03-30&to=2026-03-01')).toEqual([400, 'STATISTICS_RANGE_INVERTED']);
    expect(await bad('groupBy=county&from=2025-01-01&to=2026-03-01')).toEqual([400, 'STATISTICS_RANGE_TOO_LONG']);
    expect(await bad('groupBy=county&from=2026-02-30&to=2026-03-01')).toEqual([400, 'STATISTICS_INVALID_DATE']);
    expect(await bad('groupBy=county&from=2026-03-01')).toEqual([400, 'STATISTICS_RANGE_REQUIRED']);
    expect(await bad('groupBy=county&period=2026&from=2026-03-01')).toEqual([400, 'STATISTICS_RANGE_AMBIGUOUS']);
    expect(await bad('groupBy=town&period=2026')).toEqual([400, 'VALIDATION_FAILED']);
    expect(await bad('groupBy=county&period=2026-13')).toEqual([400, 'VALIDATION_FAILED']);
    expect(await bad('groupBy=county&period=2026&extra=1')).toEqual([400, 'VALIDATION_FAILED']);

    const csv = await worker.http.get('/statistics/summary?groupBy=county&from=2026-03-28&to=2026-03-30&format=csv', { token: provinceStaff.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0].split(',').slice(0, 5)).toEqual(['key', 'name', 'instruments', 'instrumentDays', 'openMinutes']);
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 3))).toEqual([['330105', '拱墅区', '1'], ['330106', '西湖区', '2'], ['330203', '海曙区', '1']]);
  });

  it('compiles on demand through HTTP, reports progress, and keeps the nightly scheduler', async () => {
    await dataSource.query(`DELETE FROM instrument_month_statistics`);
    const requested = await worker.http.post('/statistics/compilations', { from: RANGE.firstDay, to: RANGE.lastDay }, { token: provinceStaff.token });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ trigger: 'request', from: RANGE.firstDay, to: RANGE.lastDay, daysTotal: 3, requestedBy: provinceStaff.id });
    let run = requested.body;
    for (let waited = 0; run.state !== 'done' && run.state !== 'failed' && waited < 15_000; waited += 100) {
      await sleep(100);
      run = (await worker.http.get(`/statistics/compilations/${requested.body.id}`, { token: provinceStaff.token })).body;
    }
    expect(run).toMatchObject({ state: 'done', daysDone: 3, progress: 1, rowsWritten: 12, error: null });
    expect(run.durationMs).toEqual(expect.any(Number));
    expect(await compiled()).toEqual(EXPECTED);
    expect((await worker.http.get('/statistics/compilations/999999', { token: admin.token })).status).toBe(404);
    expect((await worker.http.post('/statistics/compilations', { from: '2026-03-02', to: '2026-03-01' }, { token: admin.token })).body.code).toBe('STATISTICS_RANGE_INVERTED');

    const connection = new Redis(worker.config.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.statistics, { connection, prefix: queuePrefix(worker.config) });
    try {
      const scheduler = await queue.getJobScheduler(NIGHTLY_SCHEDULER_ID);
      expect(scheduler).toMatchObject({ pattern: '0 2 * * *', tz: 'Asia/Shanghai' });
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('the nightly run compiles the last local days ending yesterday in Asia/Shanghai', async () => {
    // The clock says 2026-04-02 11:00 in Shanghai: the nightly run covers 30 March to 1 April.
    await worker.app.get(StatisticsRunsService).runNightly();
    const [run] = await dataSource.query(`SELECT trigger, first_day::text, last_day::text, state, rows_written FROM statistics_run ORDER BY id DESC LIMIT 1`);
    expect(run).toEqual({ trigger: 'schedule', first_day: '2026-03-30', last_day: '2026-04-01', state: 'done', rows_written: 12 });
    expect((await compiled()).A.slice(0, 3)).toEqual(EXPECTED.A);
  });

  it('measures progress towards the sharing goal by city and county, with non-compliant and idle instruments', async () => {
    // A, C: central government, 1,000,000 yuan; B: local government, 600,000 yuan; D: local government, 1,000,000 yuan.
    // C is internal only (non-compliant); D is shared but never used from outside (idle); E is below the 500,000-yuan threshold.
    await dataSource.query(`UPDATE instrument SET funding_source = 'central_government' WHERE id = ANY($1)`, [[ids.A, ids.C]]);
    await dataSource.query(`UPDATE instrument SET funding_source = 'local_government' WHERE id = ANY($1)`, [[ids.B, ids.D]]);
    await dataSource.query(`UPDATE instrument SET original_value_fen = 60000000 WHERE id = $1`, [ids.B]);
    await dataSource.query(`UPDATE instrument SET sharing_mode = 'internal_only' WHERE id = $1`, [ids.C]);
    const [below] = await dataSource.query(
      `INSERT INTO instrument (institution_id, name_zh, category_code, original_value_fen, source, funding_source, purpose, service_modes, region_code)
       VALUES ($1, 'E', '010102', 40000000, 'purchased', 'central_government', 'general', '{sample_submission}', '330203') RETURNING id`,
      [institutions.U3],
    );

    const response = await worker.http.get('/statistics/goal', { token: provinceStaff.token });
    expect(response.status).toBe(200);
    const goal = response.body;
    expect(goal).toMatchObject({
      thresholdFen: 50_000_000,
      goal: { instruments: 9000, originalValueFen: 450_000_000_000 },
      eligible: { instruments: 4, originalValueFen: 360_000_000 },
      shared: { instruments: 3, originalValueFen: 260_000_000 },
      instrumentProgress: 0.0003,
      valueProgress: 0.0006,
      idleSince: '2025-04-02',
    });
    const regionFigures = (rows: Record<string, any>[]) =>
      rows.map((row) => [row.code, row.eligibleInstruments, row.sharedInstruments, row.sharedValueFen, row.nonCompliantInstruments]);
    expect(regionFigures(goal.byCity)).toEqual([['330100', 3, 2, 160_000_000, 1], ['330200', 1, 1, 100_000_000, 0]]);
    expect(regionFigures(goal.byCounty)).toEqual([['330105', 1, 0, 0, 1], ['330106', 2, 2, 160_000_000, 0], ['330203', 1, 1, 100_000_000, 0]]);
    expect(goal.nonCompliant.map((row: { id: string; sharingMode: string }) => [row.id, row.sharingMode])).toEqual([[ids.C, 'internal_only']]);
    expect(goal.idle.map((row: { id: string; lastExternalDay: string | null }) => [row.id, row.lastExternalDay])).toEqual([[ids.D, null]]);
    expect(JSON.stringify(goal)).not.toContain(below.id);

    // An approved exemption for the mode in force makes C compliant, as the catalog counts it.
    await dataSource.query(
      `INSERT INTO sharing_exemption (instrument_id, requested_mode, reason, status, requested_by_id, decided_by_id, decided_at)
       VALUES ($1, 'internal_only', '涉密项目专用', 'approved', $2, $3, now())`,
      [ids.C, u1Manager.id, provinceStaff.id],
    );
    const exempted = (await worker.http.get('/statistics/goal', { token: provinceStaff.token })).body;
    expect(exempted.nonCompliant).toEqual([]);
    expect(regionFigures(exempted.byCounty)[0]).toEqual(['330105', 1, 0, 0, 0]);
    await dataSource.query(`DELETE FROM sharing_exemption WHERE instrument_id = $1`, [ids.C]);

    const gongshu = (await worker.http.get('/statistics/goal', { token: gongshuStaff.token })).body;
    expect([gongshu.eligible.instruments, gongshu.nonCompliant.length, gongshu.idle.length]).toEqual([1, 1, 0]);
    expect((await worker.http.get('/statistics/goal', { token: researcher.token })).status).toBe(403);
  });

  it('rounds a day\'s durations half up to the second, then to the minute, as exact decimal arithmetic does', async () => {
    // Sub-second times at the rounding edges: 29.5 s + 120 s booked = 149.5 s -> 150 s -> 2.5 min -> 3;
    // 89.499999 s effective -> 89 s -> 1.48 min -> 1. One rounding (149.5 s = 2.49 min -> 2) or truncated seconds would miss one.
    const tokens = worker.app.get(AccessTokenService);
    const fixtures = new CatalogFixtures(dataSource, worker.http, (user) => tokens.sign(user));
    const e = (await fixtures.instrument(institutions.U1, { nameZh: 'E', regionCode: '330106' })).id;
    try {
      await dataSource.query(`INSERT INTO opening_window (instrument_id, weekday, opens, closes) SELECT $1, d, '08:00', '20:00' FROM generate_series(1, 7) AS d`, [e]);
      await dataSource.query(
        `INSERT INTO booking (instrument_id, user_id, mode, status, is_internal, starts_at, ends_at, actual_start_at, actual_end_at, final_fee_fen) VALUES
           ($1, $2, 'self_operated', 'confirmed', false, '2026-03-28T10:00:00+08', '2026-03-28T10:00:29.5+08', NULL, NULL, NULL),
           ($1, $2, 'self_operated', 'completed', false, '2026-03-28T12:00:00+08', '2026-03-28T12:02:00+08', '2026-03-28T12:00:00+08', '2026-03-28T12:01:29.499999+08', 100)`,
        [e, researcher.id],
      );
      expect(await compiler.compile({ ...RANGE, instrumentId: e }, new Date())).toBe(3);
      expect((await compiled()).E[0]).toEqual(['2026-03-28', 720, 3, 1, 1, 1, 1, 0, 0, 100, 0, 0, 0]);
    } finally {
      await dataSource.query(`DELETE FROM booking WHERE instrument_id = $1`, [e]);
      await dataSource.query(`DELETE FROM instrument WHERE id = $1`, [e]);
    }
  });
});
