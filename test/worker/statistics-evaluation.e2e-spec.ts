import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/**
 * Splits the CSV answers of these endpoints (CRLF, no quoted commas or line breaks in this fixture)
 * into cells. fetch's text() drops the byte-order mark; the raw bytes are checked apart.
 */
function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
}

/**
 * Year 2025, evaluated on 1 January 2026 (12:00 in Shanghai), so the last 12 months of the public
 * performance are the same year. Days are written straight into instrument_day_statistics (the
 * compiler has its own tests); services, decisions and outcomes are bookings.
 *
 * P (U1 甲大学, county 330106, general, 1,400 rated h, every record field filled):
 *   200 days x 300 min effective, 60 min external = 1,000 h / 200 h; 20 ratings summing 90 (4.5);
 *   completed: 20 outside researchers (self-operated) 1-20 March, 10 outside firm (sample submission) 21-30 March,
 *   5 internal from 1 April 00:30 local (= 31 March 16:30 UTC: April, not March).
 *   Scores: 71.4 (1000/1400), 73.3 (200/273), 100 (20% vs 16%), 60 (30/50), 100 (10/10), 90 (4.5/5), 100
 *   -> (25*71.43 + 20*73.26 + 15*100 + 10*60 + 10*100 + 10*90 + 10*100) / 100 = 82.5 良好.
 * Q (U1, 330106, special, 800 rated h, internal only, 10 of 27 fields): 100 days x 120 min = 200 h, nothing else.
 *   Scores: 25, 0, 0, 0, 0, no rating, 37.0 -> (25*25 + 10*37.04) / 90 = 11.1 较差.
 * R (U2 乙大学, county 330105, general, 10 of 27 fields): 180 days x 300 / 50 min = 900 h / 150 h; 5 ratings of 4;
 *   completed: 15 outside researchers and 5 outside firm in May.
 *   Scores: 64.3, 54.9, 100, 40, 50, 80, 37.0 -> (1607.1 + 1098.9 + 1500 + 400 + 500 + 800 + 370.4) / 100 = 62.8 合格.
 * S (U3 丙研究所, Ningbo 330203, general, put into service 2 July 2025, so 11 of 27 fields): rated 1,400 x 183/365 = 701.92 h;
 *   unused. Scores: 0 ... no rating, 40.7 -> 407.4 / 90 = 4.5 较差.
 * Not evaluated: T (below the 500,000-yuan threshold), V (put into service in 2026).
 * Institutions: U1 = P + Q: 1,200 of 2,200 rated h 54.5, 200 of 546 h 36.6, 16.7% 100, 30 of 100 30, 10 of 20 50, 90,
 *   completeness (1 + 10/27) / 2 68.5 -> 59.8 较差; U2 = R 62.8 合格; U3 = S 4.5 较差.
 */
describe('statistics: evaluation, performance and service records (e2e)', () => {
  let worker: TestApp;
  let dataSource: DataSource;
  const ids: Record<'P' | 'Q' | 'R' | 'S' | 'T' | 'V', string> = { P: '', Q: '', R: '', S: '', T: '', V: '' };
  const institutions: Record<'U1' | 'U2' | 'U3', string> = { U1: '', U2: '', U3: '' };
  let provinceStaff: TestAccount;
  let gongshuStaff: TestAccount;
  let ningboStaff: TestAccount;
  let u1Manager: TestAccount;
  let internal: TestAccount;
  let outsider: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    worker = await startTestApp(WorkerModule, { clock: new ManualClock('2026-01-01T04:00:00Z'), env: { NOTIFICATION_SWEEP_SECONDS: '0', STATISTICS_NIGHTLY_ENABLED: 'false' } });
    dataSource = worker.app.get(DataSource);
    const tokens = worker.app.get(AccessTokenService);
    const fixtures = new CatalogFixtures(dataSource, worker.http, (user) => tokens.sign(user));

    const u1 = await fixtures.institution({ nameZh: '甲大学', regionCode: '330106' });
    const u2 = await fixtures.institution({ nameZh: '乙大学', regionCode: '330105' });
    const u3 = await fixtures.institution({ nameZh: '丙研究所', regionCode: '330203', kind: 'research_institute' });
    const firm = await fixtures.institution({ nameZh: '丁科技有限公司', regionCode: '330212', kind: 'enterprise' });
    Object.assign(institutions, { U1: u1.id, U2: u2.id, U3: u3.id });
    ids.P = (await fixtures.instrument(u1.id, { nameZh: 'P 扫描电镜', regionCode: '330106' })).id;
    ids.Q = (await fixtures.instrument(u1.id, { nameZh: 'Q 核磁共振', regionCode: '330106', sharingMode: 'internal_only', categoryCode: '010601' })).id;
    ids.R = (await fixtures.instrument(u2.id, { nameZh: 'R 液相色谱', regionCode: '330105' })).id;
    ids.S = (await fixtures.instrument(u3.id, { nameZh: 'S 透射电镜', regionCode: '330203' })).id;
    ids.T = (await fixtures.instrument(u3.id, { nameZh: 'T 小仪器', regionCode: '330203' })).id;
    ids.V = (await fixtures.instrument(u3.id, { nameZh: 'V 新仪器', regionCode: '330203' })).id;
    await dataSource.query(`UPDATE instrument SET funding_source = 'central_government' WHERE id = ANY($1)`, [[ids.P, ids.Q, ids.R, ids.S]]);
    await dataSource.query(`UPDATE instrument SET purpose = 'special' WHERE id = $1`, [ids.Q]);
    await dataSource.query(`UPDATE instrument SET in_service_date = '2025-07-02' WHERE id = $1`, [ids.S]);
    await dataSource.query(`UPDATE instrument SET original_value_fen = 10000000 WHERE id = $1`, [ids.T]);
    await dataSource.query(`UPDATE instrument SET in_service_date = '2026-02-01' WHERE id = $1`, [ids.V]);
    await dataSource.query(
      `UPDATE instrument SET name_en = 'SEM', asset_number = 'ZJU-2020-001', model = 'SU8010', manufacturer = 'Hitachi', country_of_origin = 'JP',
              in_service_date = '2020-01-01', department = '材料学院', subject_areas = '{材料科学}', specs = '1.0 nm', functions = '形貌观察',
              service_content = '样品形貌表征', sharing_rules = '提前一天预约', address = '杭州市西湖区', latitude = 30.26, longitude = 120.12,
              contact_name = '王老师', contact_phone = '0571-87950000', contact_email = 'sem@lab.example'
       WHERE id = $1`,
      [ids.P],
    );

    internal = await fixtures.account('researcher', { institutionId: u1.id });
    outsider = await fixtures.account('researcher', { institutionId: u2.id });
    const firmMember = await fixtures.account('firm_member', { institutionId: firm.id });
    provinceStaff = await fixtures.account('department_staff', { regionCode: '330000' });
    gongshuStaff = await fixtures.account('department_staff', { regionCode: '330105' });
    ningboStaff = await fixtures.account('department_staff', { regionCode: '330203' });
    u1Manager = await fixtures.account('lab_manager', { institutionId: u1.id });
    admin = await fixtures.account('admin');

    const days = (instrument: string, count: number, effective: number, external: number, rated: number, ratingSum: number) =>
      dataSource.query(
        `INSERT INTO instrument_day_statistics (instrument_id, day, open_minutes, booked_minutes, effective_minutes, external_minutes, services, distinct_users,
                                                distinct_firms, distinct_small_micro_firms, revenue_fen, no_shows, rating_sum, rating_count, compiled_at)
         SELECT $1, date '2025-01-01' + n, 600, $3::int, $3::int, $4::int, 0, 0, 0, 0, 0, 0,
                CASE WHEN n < $5::int THEN $6::int ELSE 0 END, CASE WHEN n < $5::int THEN $7::int ELSE 0 END, now()
         FROM generate_series(0, $2::int - 1) AS n`,
        [instrument, count, effective, external, rated, rated > 0 ? ratingSum / rated : 0, rated > 0 ? 1 : 0],
      );
    // P: 20 ratings summing 90 over 10 days would need 2 a day; 20 single ratings of 4.5 are not integers, so 10 days x (9, 2).
    await dataSource.query(
      `INSERT INTO instrument_day_statistics (instrument_id, day, open_minutes, booked_minutes, effective_minutes, external_minutes, services, distinct_users,
                                              distinct_firms, distinct_small_micro_firms, revenue_fen, no_shows, rating_sum, rating_count, compiled_at)
       SELECT $1, date '2025-01-01' + n, 600, 300, 300, 60, 0, 0, 0, 0, 0, 0, CASE WHEN n < 10 THEN 9 ELSE 0 END, CASE WHEN n < 10 THEN 2 ELSE 0 END, now()
       FROM generate_series(0, 199) AS n`,
      [ids.P],
    );
    await days(ids.Q, 100, 120, 0, 0, 0);
    await days(ids.R, 180, 300, 50, 5, 20);
    // A day of 2024 and one of 2026 count for nothing in 2025.
    await dataSource.query(
      `INSERT INTO instrument_day_statistics (instrument_id, day, open_minutes, booked_minutes, effective_minutes, external_minutes, services, distinct_users,
                                              distinct_firms, distinct_small_micro_firms, revenue_fen, no_shows, rating_sum, rating_count, compiled_at)
       VALUES ($1, '2024-12-31', 600, 600, 600, 600, 0, 0, 0, 0, 0, 0, 1, 1, now()), ($1, '2026-01-01', 600, 600, 600, 600, 0, 0, 0, 0, 0, 0, 1, 1, now())`,
      [ids.Q],
    );

    const completed = (instrument: string, user: string, mode: string, isInternal: boolean, first: string, count: number) =>
      dataSource.query(
        `INSERT INTO booking (instrument_id, user_id, status, mode, is_internal, starts_at, ends_at, actual_start_at, actual_end_at, final_fee_fen, sample_count)
         SELECT $1, $2, 'completed', $3, $4, t, t + interval '2 hours', t, t + interval '90 minutes', 30000, CASE WHEN $3 = 'sample_submission' THEN 4 END
         FROM generate_series(0, $6::int - 1) AS n, LATERAL (SELECT $5::timestamptz + n * interval '1 day' AS t) start`,
        [instrument, user, mode, isInternal, first, count],
      );
    await completed(ids.P, outsider.id, 'self_operated', false, '2025-03-01T09:00+08', 20);
    await completed(ids.P, firmMember.id, 'sample_submission', false, '2025-03-21T09:00+08', 10);
    await completed(ids.P, internal.id, 'self_operated', true, '2025-04-01T00:30+08', 5);
    await completed(ids.R, outsider.id, 'self_operated', false, '2025-05-01T09:00+08', 15);
    await completed(ids.R, firmMember.id, 'sample_submission', false, '2025-05-16T09:00+08', 5);
    await dataSource.query(
      `UPDATE booking SET rating = 5, rated_at = starts_at + interval '1 day', final_fee_fen = 12345 WHERE instrument_id = $1 AND starts_at = '2025-03-01T09:00+08'`,
      [ids.P],
    );

    // P's outcomes besides the 35 completed: 2 no-shows, a late and an early cancellation by the user, one by the provider;
    // and three decisions: 2 h, 5 h (requested an hour after the hold was made) and 30 h.
    const other = (values: Record<string, unknown>) => {
      const columns = Object.keys(values);
      return dataSource.query(
        `INSERT INTO booking (instrument_id, mode, ${columns.join(', ')}) VALUES ($1, 'self_operated', ${columns.map((_, index) => `$${index + 2}`).join(', ')}) RETURNING id`,
        [ids.P, ...Object.values(values)],
      );
    };
    const outside = { user_id: outsider.id, is_internal: false };
    await other({ ...outside, status: 'no_show', starts_at: '2025-06-02T09:00+08', ends_at: '2025-06-02T10:00+08' });
    await other({ ...outside, status: 'no_show', starts_at: '2025-06-03T09:00+08', ends_at: '2025-06-03T10:00+08' });
    await other({ ...outside, status: 'cancelled', starts_at: '2025-06-04T09:00+08', ends_at: '2025-06-04T10:00+08', cancelled_by: outsider.id, cancelled_at: '2025-06-04T07:00+08' });
    await other({ ...outside, status: 'cancelled', starts_at: '2025-06-05T09:00+08', ends_at: '2025-06-05T10:00+08', cancelled_by: outsider.id, cancelled_at: '2025-06-03T09:00+08' });
    await other({ ...outside, status: 'cancelled', starts_at: '2025-06-06T09:00+08', ends_at: '2025-06-06T10:00+08', cancelled_by: u1Manager.id, cancelled_at: '2025-06-01T09:00+08' });
    const decided = (created: string, decidedAt: string) =>
      other({ ...outside, status: 'rejected', starts_at: '2025-07-10T09:00+08', ends_at: '2025-07-10T10:00+08', created_at: created, decided_at: decidedAt, decided_by: u1Manager.id });
    await decided('2025-07-01T10:00+08', '2025-07-01T12:00+08');
    const [requested] = await decided('2025-07-02T10:00+08', '2025-07-02T16:00+08');
    await dataSource.query(`INSERT INTO booking_event (booking_id, type, from_status, to_status, occurred_at) VALUES ($1, 'requested', 'held', 'pending', '2025-07-02T11:00+08')`, [
      requested.id,
    ]);
    await decided('2025-07-03T10:00+08', '2025-07-04T16:00+08');
  });

  afterAll(async () => {
    await worker?.close();
  });

  const evaluation = async (account: TestAccount, query: string) => {
    const response = await worker.http.get(`/statistics/evaluation?${query}`, { token: account.token });
    expect(response.status).toBe(200);
    return response.body as { rows: Record<string, any>[]; policy: Record<string, any> };
  };
  const graded = (rows: Record<string, any>[]) => rows.map((row) => [row.name, row.total, row.grade]);

  it('scores and grades every instrument of the year against the references', async () => {
    const result = await evaluation(provinceStaff, 'year=2025&level=instrument');
    expect(result.policy.cutOffs).toEqual({ excellent: 85, good: 70, pass: 60 });
    expect(graded(result.rows)).toEqual([
      ['P 扫描电镜', 82.5, '良好'],
      ['R 液相色谱', 62.8, '合格'],
      ['Q 核磁共振', 11.1, '较差'],
      ['S 透射电镜', 4.5, '较差'],
    ]);
    const [p, r, q, s] = result.rows;
    expect(p.indicators).toEqual({
      ratedHours: 1400,
      effectiveHours: 1000,
      externalHours: 200,
      sharingRate: 0.2,
      externalServices: 30,
      firmServices: 10,
      averageRating: 4.5,
      ratingCount: 20,
      completeness: 1,
    });
    expect(p.scores).toEqual({ effectiveHours: 71.4, externalHours: 73.3, sharingRate: 100, externalServices: 60, firmServices: 100, rating: 90, completeness: 100 });
    expect(p).toMatchObject({ assetNumber: 'ZJU-2020-001', institutionName: '甲大学', regionCode: '330106', missingFields: [] });
    expect(r.scores).toEqual({ effectiveHours: 64.3, externalHours: 54.9, sharingRate: 100, externalServices: 40, firmServices: 50, rating: 80, completeness: 37 });
    expect(q.indicators).toMatchObject({ ratedHours: 800, effectiveHours: 200, externalHours: 0, sharingRate: 0, averageRating: null, ratingCount: 0 });
    expect(q.scores).toMatchObject({ effectiveHours: 25, rating: null, completeness: 37 });
    expect(q.missingFields).toEqual(expect.arrayContaining(['nameEn', 'assetNumber', 'contactEmail', 'coordinates']));
    expect(q.missingFields).toHaveLength(17);
    expect(s.indicators).toMatchObject({ ratedHours: 701.92, effectiveHours: 0, sharingRate: null });
  });

  it('scores institutions on their instruments together, and lists those graded 较差 for rectification', async () => {
    const institutionsOf = await evaluation(provinceStaff, 'year=2025&level=institution');
    expect(graded(institutionsOf.rows)).toEqual([
      ['乙大学', 62.8, '合格'],
      ['甲大学', 59.8, '较差'],
      ['丙研究所', 4.5, '较差'],
    ]);
    const u1 = institutionsOf.rows[1];
    expect(u1).toMatchObject({ id: institutions.U1, instruments: 2, regionCode: '330106' });
    expect(u1.indicators).toMatchObject({ ratedHours: 2200, effectiveHours: 1200, externalHours: 200, externalServices: 30, firmServices: 10, completeness: 0.6852 });
    expect(u1.scores).toEqual({ effectiveHours: 54.5, externalHours: 36.6, sharingRate: 100, externalServices: 30, firmServices: 50, rating: 90, completeness: 68.5 });

    const poor = await evaluation(provinceStaff, `year=2025&level=institution&grade=${encodeURIComponent('较差')}`);
    expect(poor.rows.map((row) => row.id)).toEqual([institutions.U1, institutions.U3]);
    const poorInstruments = await evaluation(admin, `year=2025&level=instrument&grade=${encodeURIComponent('较差')}`);
    expect(poorInstruments.rows.map((row) => row.id)).toEqual([ids.Q, ids.S]);
    // Another year has no days: everyone is graded on completeness alone.
    expect((await evaluation(admin, 'year=2024&level=instrument')).rows.find((row) => row.id === ids.P)).toMatchObject({ total: 11.1, grade: '较差' });
  });

  it('keeps staff to their region and lab managers to their institution; refuses researchers and bad queries', async () => {
    expect((await evaluation(gongshuStaff, 'year=2025&level=instrument')).rows.map((row) => row.id)).toEqual([ids.R]);
    expect((await evaluation(gongshuStaff, 'year=2025&level=institution')).rows.map((row) => row.id)).toEqual([institutions.U2]);
    expect((await evaluation(ningboStaff, 'year=2025&level=instrument')).rows.map((row) => row.id)).toEqual([ids.S]);
    expect((await evaluation(u1Manager, 'year=2025&level=instrument')).rows.map((row) => row.id)).toEqual([ids.P, ids.Q]);
    const refused = await worker.http.get('/statistics/evaluation?year=2025&level=instrument', { token: internal.token });
    expect([refused.status, refused.body.code]).toEqual([403, 'ROLE_NOT_ALLOWED']);
    for (const query of ['level=instrument', 'year=2025&level=county', 'year=2025&level=instrument&grade=bad', 'year=abc&level=instrument']) {
      const response = await worker.http.get(`/statistics/evaluation?${query}`, { token: admin.token });
      expect([response.status, response.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('exports the evaluation as CSV with Chinese headers', async () => {
    const response = await worker.http.get('/statistics/evaluation?year=2025&level=instrument&format=csv', { token: provinceStaff.token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="evaluation-instrument-2025.csv"');
    const [header, ...rows] = parseCsv(response.text);
    expect(header.slice(0, 4)).toEqual(['仪器名称', '资产编号', '所属单位', '区县代码']);
    const at = (name: string) => header.indexOf(name);
    expect(rows.map((row) => [row[0], row[at('总分')], row[at('等级')]])).toEqual([
      ['P 扫描电镜', '82.5', '良好'],
      ['R 液相色谱', '62.8', '合格'],
      ['Q 核磁共振', '11.1', '较差'],
      ['S 透射电镜', '4.5', '较差'],
    ]);
    expect(rows[0][at('有效机时')]).toBe('1000');
    // UTF-8 with a byte-order mark, so Excel reads the Chinese correctly.
    const raw = await fetch(`${worker.baseUrl}/statistics/evaluation?year=2025&level=instrument&format=csv`, { headers: { authorization: `Bearer ${provinceStaff.token}` } });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const institutionCsv = await worker.http.get('/statistics/evaluation?year=2025&level=institution&format=csv', { token: gongshuStaff.token });
    expect(parseCsv(institutionCsv.text).map((row) => row.slice(0, 3))).toEqual([['单位名称', '区县代码', '仪器数'], ['乙大学', '330105', '1']]);
  });

  it('shows buyers an instrument\'s last 12 months: band, median approval time, completion rate and rating', async () => {
    const response = await worker.http.get(`/instruments/${ids.P}/performance`);
    expect(response.status).toBe(200);
    // 35 completed of 35 + 2 no-shows + 1 late user cancellation + 1 provider cancellation; the early cancellation is not counted.
    expect(response.body).toEqual({
      instrumentId: ids.P,
      from: '2025-01-01',
      to: '2025-12-31',
      utilizationBand: 'high',
      medianApprovalHours: 5,
      decisions: 3,
      completionRate: Math.round((35 / 39) * 10_000) / 10_000,
      settledBookings: 39,
      averageRating: 4.5,
      ratingCount: 20,
    });
    const r = (await worker.http.get(`/instruments/${ids.R}/performance`)).body;
    expect(r).toMatchObject({ utilizationBand: 'medium', medianApprovalHours: null, decisions: 0, completionRate: 1, settledBookings: 20, averageRating: 4 });
    const s = (await worker.http.get(`/instruments/${ids.S}/performance`)).body;
    expect(s).toMatchObject({ utilizationBand: 'low', completionRate: null, settledBookings: 0, averageRating: null, ratingCount: 0 });
  });

  it('answers 404 for an instrument the caller may not read, as the catalog does', async () => {
    expect((await worker.http.get(`/instruments/${ids.Q}/performance`)).body.code).toBe('INSTRUMENT_NOT_FOUND');
    expect((await worker.http.get(`/instruments/${ids.Q}/performance`, { token: outsider.token })).status).toBe(404);
    expect((await worker.http.get(`/instruments/00000000-0000-4000-8000-000000000000/performance`)).status).toBe(404);
    const own = await worker.http.get(`/instruments/${ids.Q}/performance`, { token: internal.token });
    expect([own.status, own.body.utilizationBand]).toEqual([200, 'low']);
    expect((await worker.http.get(`/instruments/${ids.Q}/performance`, { token: provinceStaff.token })).status).toBe(200);
    expect((await worker.http.get(`/instruments/not-a-uuid/performance`)).status).toBe(400);
  });

  it("lists the completed services of a period in the national platform's layout, within scope", async () => {
    const records = async (account: TestAccount, query: string) => {
      const response = await worker.http.get(`/statistics/service-records?${query}`, { token: account.token });
      expect(response.status).toBe(200);
      return response.body as { from: string; to: string; rows: Record<string, any>[] };
    };
    const march = await records(provinceStaff, 'from=2025-03-01&to=2025-03-31');
    expect(march.rows).toHaveLength(30);
    const [booking] = await dataSource.query(`SELECT id FROM booking WHERE instrument_id = $1 AND starts_at = '2025-03-01T09:00+08'`, [ids.P]);
    expect(march.rows[0]).toEqual({
      bookingId: booking.id,
      instrumentId: ids.P,
      instrumentName: 'P 扫描电镜',
      assetNumber: 'ZJU-2020-001',
      categoryCode: '010102',
      categoryName: expect.any(String),
      ownerInstitution: '甲大学',
      serviceDate: '2025-03-01',
      startedAt: '2025-03-01 09:00',
      endedAt: '2025-03-01 10:30',
      serviceWay: '自测',
      userScope: '校外',
      userInstitution: '乙大学',
      sampleCount: null,
      effectiveHours: 1.5,
      amountYuan: '123.45',
      amountFen: 12_345,
      rating: 5,
    });
    expect(march.rows[29]).toMatchObject({ serviceDate: '2025-03-30', serviceWay: '送样', userInstitution: '丁科技有限公司', sampleCount: 4, amountYuan: '300.00', rating: null });
    // Every row is one of the completed bookings of the period, and every such booking has its row.
    const expected: { id: string }[] = await dataSource.query(
      `SELECT id FROM booking WHERE status = 'completed' AND actual_start_at >= '2025-03-01T00:00+08' AND actual_start_at < '2025-04-01T00:00+08' ORDER BY actual_start_at, id`,
    );
    expect(march.rows.map((row) => row.bookingId)).toEqual(expected.map((row) => row.id));

    // The internal services start 1 April 00:30 in Shanghai (31 March in UTC): April's, not March's.
    const april = await records(u1Manager, 'period=2025-04');
    expect(april.rows.map((row) => [row.serviceDate, row.userScope])).toEqual([1, 2, 3, 4, 5].map((day) => [`2025-04-0${day}`, '校内']));
    expect((await records(u1Manager, 'period=2025-05')).rows).toEqual([]);
    expect((await records(gongshuStaff, 'period=2025')).rows.map((row) => row.instrumentId)).toEqual(Array(20).fill(ids.R));
    expect((await records(ningboStaff, 'period=2025')).rows).toEqual([]);
    expect((await worker.http.get('/statistics/service-records?period=2025', { token: outsider.token })).status).toBe(403);
    expect((await worker.http.get('/statistics/service-records?from=2025-03-01', { token: admin.token })).body.code).toBe('STATISTICS_RANGE_REQUIRED');

    const csv = await worker.http.get('/statistics/service-records?from=2025-03-01&to=2025-03-31&format=csv', { token: provinceStaff.token });
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="service-records-2025-03-01-2025-03-31.csv"');
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['仪器名称', '资产编号', '分类代码', '仪器分类', '所属单位', '服务日期', '开始时间', '结束时间', '服务方式', '校内/校外', '用户单位', '样品数', '有效机时', '金额(元)', '满意度']);
    expect(rows).toHaveLength(30);
    expect(rows[0]).toEqual(['P 扫描电镜', 'ZJU-2020-001', '010102', expect.any(String), '甲大学', '2025-03-01', '2025-03-01 09:00', '2025-03-01 10:30', '自测', '校外', '乙大学', '', '1.5', '123.45', '5']);
  });

  it('exports the lists of the sharing goal as CSV', async () => {
    const response = await worker.http.get('/statistics/goal?format=csv&list=counties', { token: admin.token });
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsv(response.text);
    expect(header[0]).toBe('地区代码');
    expect(rows.map((row) => row[0])).toEqual(expect.arrayContaining(['330105', '330106', '330203']));
    const missingList = await worker.http.get('/statistics/goal?format=csv', { token: admin.token });
    expect([missingList.status, missingList.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const json = await worker.http.get('/statistics/goal', { token: admin.token });
    expect(json.body.byCounty).toBeDefined();
  });
});
