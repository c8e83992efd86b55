import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { expectErrorShape } from '../catalog/error-shape';

const YUAN = 100;

/**
 * Hand-computed voucher figures for March 2026 (days in China Standard Time). Programs: 浙江省 PZ
 * (issued by 330000), 杭州市 PH (330100), 西湖区 PX (county 330106 in Hangzhou), 宁波市 PN (330200).
 * Firms F1 (Hangzhou) and F2 (Ningbo); providers U1 (Hangzhou, instrument I1) and U2 (Ningbo, I2).
 * Ledger entries are written with SQL; the trigger moves the grants' balances.
 *
 * G1 (PH, F1): grant 20,000 on 2 March. B1 on I1: reserve 5,000, redeem 4,000 and release 1,000 on
 *   completion, in claim C1 paid 28 March. B2 on I2: reserve 3,000, still reserved.
 *   -> available 13,000, reserved 3,000.
 * G2 (PZ, F1): grant 10,000 on 15 February (before the period). B3 on I2: reserve and redeem 2,000
 *   (claim C2 submitted, not paid). Adjust -500 on 25 March; expire 1,000 on 31 March 20:00 (+08).
 *   -> available 6,500.
 * G3 (PN, F2): grant 30,000 on 3 March. B4 on I2: reserve 1,500, released on cancellation.
 *   B5 on I2: reserve and redeem 2,500, in claim C3 paid 5 April (after the period). -> available 27,500.
 * G4 (PX, F1): grant 5,000 on 2 April (after the period). -> available 5,000.
 * A grant applied for in PH (no entries). Target: VOUCHER_TARGET_YUAN = 100,000 yuan.
 */
describe('statistics: innovation vouchers (e2e)', () => {
  let worker: TestApp;
  let dataSource: DataSource;
  const programs: Record<'PZ' | 'PH' | 'PX' | 'PN', string> = { PZ: '', PH: '', PX: '', PN: '' };
  const firms: Record<'F1' | 'F2', string> = { F1: '', F2: '' };
  const providers: Record<'U1' | 'U2', string> = { U1: '', U2: '' };
  let provinceStaff: TestAccount;
  let hangzhouStaff: TestAccount;
  let u1Manager: TestAccount;
  let f2Member: TestAccount;
  let researcher: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    worker = await startTestApp(WorkerModule, {
      clock: new ManualClock('2026-04-15T04:00:00Z'),
      env: { NOTIFICATION_SWEEP_SECONDS: '0', STATISTICS_NIGHTLY_ENABLED: 'false', STATISTICS_BACKFILL_DAYS: '0', VOUCHER_TARGET_YUAN: '100000' },
    });
    dataSource = worker.app.get(DataSource);
    const tokens = worker.app.get(AccessTokenService);
    const fixtures = new CatalogFixtures(dataSource, worker.http, (user) => tokens.sign(user));

    const u1 = await fixtures.institution({ nameZh: '甲大学', regionCode: '330106' });
    const u2 = await fixtures.institution({ nameZh: '丙研究所', regionCode: '330203', kind: 'research_institute' });
    const f1 = await fixtures.institution({ nameZh: '杭州甲科技有限公司', regionCode: '330106', kind: 'enterprise', isSmallMicro: true });
    const f2 = await fixtures.institution({ nameZh: '宁波乙科技有限公司', regionCode: '330203', kind: 'enterprise', isSmallMicro: true });
    Object.assign(providers, { U1: u1.id, U2: u2.id });
    Object.assign(firms, { F1: f1.id, F2: f2.id });
    const i1 = (await fixtures.instrument(u1.id, { regionCode: '330106' })).id;
    const i2 = (await fixtures.instrument(u2.id, { regionCode: '330203' })).id;

    provinceStaff = await fixtures.account('department_staff', { regionCode: '330000' });
    hangzhouStaff = await fixtures.account('department_staff', { regionCode: '330100' });
    u1Manager = await fixtures.account('lab_manager', { institutionId: u1.id });
    const f1Member = await fixtures.account('firm_member', { institutionId: f1.id });
    f2Member = await fixtures.account('firm_member', { institutionId: f2.id });
    researcher = await fixtures.account('researcher', { institutionId: u1.id });
    admin = await fixtures.account('admin');

    const program = async (name: string, region: string, accepted: string[]) => {
      const [row] = await dataSource.query(
        `INSERT INTO voucher_program (name, issuing_region_code, budget_fen, valid_from, valid_until, expires_at, eligible_service_modes,
                                      accepted_region_codes, application_cap_fen, firm_year_cap_fen, full_cover_below_fen, share_above_percent, created_by)
         VALUES ($1, $2, 100000000, '2026-01-01', '2026-12-31', '2027-01-01T00:00+08', '{self_operated,sample_submission}', $3, 2000000, 10000000, 1000000, 50, $4)
         RETURNING id`,
        [name, region, accepted, provinceStaff.id],
      );
      return row.id as string;
    };
    programs.PZ = await program('浙江省创新券', '330000', ['330000']);
    programs.PH = await program('杭州市创新券', '330100', ['330100']);
    programs.PX = await program('西湖区创新券', '330106', ['330106']);
    programs.PN = await program('宁波市创新券', '330200', ['330200', '330100']);

    const grant = async (programId: string, member: TestAccount, yuan: number, decidedAt: string | null) => {
      const [row] = await dataSource.query(
        `INSERT INTO voucher_grant (program_id, enterprise_id, applicant_id, requested_fen, status, approved_fen, grant_year, decided_by, decided_at, expires_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $5::timestamptz IS NULL THEN 'applied' ELSE 'approved' END,
                 CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE $4::bigint END, CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE 2026 END,
                 CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE $6::uuid END, $5, '2027-01-01T00:00+08')
         RETURNING id`,
        [programId, member.institutionId, member.id, yuan * YUAN, decidedAt, provinceStaff.id],
      );
      return row.id as string;
    };
    const g1 = await grant(programs.PH, f1Member, 20_000, '2026-03-02T10:00+08');
    const g2 = await grant(programs.PZ, f1Member, 10_000, '2026-02-15T10:00+08');
    const g3 = await grant(programs.PN, f2Member, 30_000, '2026-03-03T10:00+08');
    const g4 = await grant(programs.PX, f1Member, 5_000, '2026-04-02T10:00+08');
    await grant(programs.PH, f1Member, 8_000, null);

    const booking = async (instrument: string, member: TestAccount, status: string, startsAt: string) => {
      const [row] = await dataSource.query(
        `INSERT INTO booking (instrument_id, user_id, status, mode, is_internal, starts_at, ends_at)
         VALUES ($1, $2, $3, 'sample_submission', false, $4::timestamptz, $4::timestamptz + interval '2 hours') RETURNING id`,
        [instrument, member.id, status, startsAt],
      );
      return row.id as string;
    };
    let sequence = 0;
    const entry = (grantId: string, kind: string, yuan: number, at: string, bookingId: string | null = null, provider: string | null = null) =>
      dataSource.query(
        `INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, booking_id, provider_institution_id, reason, operation_key, created_at)
         SELECT g.id, g.program_id, g.enterprise_id, $2, $3, $4::uuid, $5::uuid, 'test', $2 || ':' || coalesce($4::uuid, g.id) || ':' || $6, $7
         FROM voucher_grant g WHERE g.id = $1`,
        [grantId, kind, yuan * YUAN, bookingId, provider, ++sequence, at],
      );
    const payment = (bookingId: string, grantId: string, status: string, reservedYuan: number, redeemedYuan: number, provider: string, redeemedAt: string | null) =>
      dataSource.query(
        `INSERT INTO booking_voucher (booking_id, grant_id, status, reserved_fen, redeemed_fen, provider_institution_id, redeemed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [bookingId, grantId, status, reservedYuan * YUAN, redeemedYuan * YUAN, provider, redeemedAt],
      );

    for (const [grantId, at] of [[g1, '2026-03-02T10:00+08'], [g2, '2026-02-15T10:00+08'], [g3, '2026-03-03T10:00+08'], [g4, '2026-04-02T10:00+08']] as const) {
      const [{ approved_fen: fen }] = await dataSource.query(`SELECT approved_fen FROM voucher_grant WHERE id = $1`, [grantId]);
      await entry(grantId, 'grant', Number(fen) / YUAN, at);
    }
    const b1 = await booking(i1, f1Member, 'completed', '2026-03-09T09:00+08');
    await payment(b1, g1, 'redeemed', 5_000, 4_000, u1.id, '2026-03-10T12:00+08');
    await entry(g1, 'reserve', 5_000, '2026-03-05T10:00+08', b1);
    await entry(g1, 'redeem', 4_000, '2026-03-10T12:00+08', b1, u1.id);
    await entry(g1, 'release', 1_000, '2026-03-10T12:00+08', b1);
    const b2 = await booking(i2, f1Member, 'confirmed', '2026-05-06T09:00+08');
    await payment(b2, g1, 'reserved', 3_000, 0, u2.id, null);
    await entry(g1, 'reserve', 3_000, '2026-03-20T10:00+08', b2);

    const b3 = await booking(i2, f1Member, 'completed', '2026-03-14T09:00+08');
    await payment(b3, g2, 'redeemed', 2_000, 2_000, u2.id, '2026-03-15T12:00+08');
    await entry(g2, 'reserve', 2_000, '2026-03-12T10:00+08', b3);
    await entry(g2, 'redeem', 2_000, '2026-03-15T12:00+08', b3, u2.id);
    await entry(g2, 'adjust', -500, '2026-03-25T10:00+08');
    await entry(g2, 'expire', 1_000, '2026-03-31T20:00+08');

    const b4 = await booking(i2, f2Member, 'cancelled', '2026-03-07T09:00+08');
    await payment(b4, g3, 'released', 1_500, 0, u2.id, null);
    await entry(g3, 'reserve', 1_500, '2026-03-04T10:00+08', b4);
    await entry(g3, 'release', 1_500, '2026-03-06T10:00+08', b4);
    const b5 = await booking(i2, f2Member, 'completed', '2026-03-09T14:00+08');
    await payment(b5, g3, 'redeemed', 2_500, 2_500, u2.id, '2026-03-09T18:00+08');
    await entry(g3, 'reserve', 2_500, '2026-03-08T10:00+08', b5);
    await entry(g3, 'redeem', 2_500, '2026-03-09T18:00+08', b5, u2.id);

    const claim = async (programId: string, provider: string, bookingId: string, yuan: number, paidAt: string | null) => {
      const [row] = await dataSource.query(
        `INSERT INTO voucher_redemption_claim (program_id, provider_institution_id, period_from, period_to, amount_fen, item_count, status, submitted_by, submitted_at, paid_at)
         VALUES ($1, $2, '2026-03-01', '2026-03-31', $3, 1, CASE WHEN $4::timestamptz IS NULL THEN 'submitted' ELSE 'paid' END, $5, '2026-03-20T10:00+08', $4) RETURNING id`,
        [programId, provider, yuan * YUAN, paidAt, u1Manager.id],
      );
      await dataSource.query(`INSERT INTO voucher_claim_item (claim_id, booking_id, amount_fen) VALUES ($1, $2, $3)`, [row.id, bookingId, yuan * YUAN]);
      await dataSource.query(`UPDATE booking_voucher SET claim_id = $1 WHERE booking_id = $2`, [row.id, bookingId]);
    };
    await claim(programs.PH, u1.id, b1, 4_000, '2026-03-28T15:00+08');
    await claim(programs.PZ, u2.id, b3, 2_000, null);
    await claim(programs.PN, u2.id, b5, 2_500, '2026-04-05T15:00+08');
  });

  afterAll(async () => {
    await worker?.close();
  });

  type Figures = Record<string, number | null>;
  interface VoucherStatistics {
    groupBy: string;
    level?: string;
    from: string;
    to: string;
    target: { targetFen: number; grantedToDateFen: number | null; progress: number | null };
    rows: (Figures & { key: string; name: string })[];
    total: Figures;
  }
  const figures = async (account: TestAccount, query: string): Promise<VoucherStatistics> => {
    const response = await worker.http.get(`/statistics/vouchers?${query}`, { token: account.token });
    expect({ status: response.status, body: response.status === 200 ? null : response.body }).toEqual({ status: 200, body: null });
    return response.body;
  };
  /** Figures in yuan, keyed by row name, for legibility. */
  const byName = (result: VoucherStatistics) => Object.fromEntries(result.rows.map(({ key: _key, name, ...rest }) => [name, inYuan(rest)]));
  const inYuan = (row: Figures) => Object.fromEntries(Object.entries(row).map(([field, value]) => [field, field.endsWith('Fen') && value !== null ? value! / YUAN : value]));
  const row = (granted: number | null, redeemed: number, expired: number | null, released: number, reserved: number, available: number | null, firmsServed: number, claimsPaid: number, individualsServed = 0) => ({
    grantedFen: granted,
    redeemedFen: redeemed,
    expiredFen: expired,
    releasedFen: released,
    reservedFen: reserved,
    availableFen: available,
    firmsServed,
    individualsServed,
    claimsPaidFen: claimsPaid,
  });

  it('gives every figure per program, with totals and the progress towards the target', async () => {
    const result = await figures(provinceStaff, 'groupBy=program&period=2026-03');
    expect(result).toMatchObject({ groupBy: 'program', from: '2026-03-01', to: '2026-03-31' });
    expect(result.level).toBeUndefined();
    expect(byName(result)).toEqual({
      浙江省创新券: row(-500, 2_000, 1_000, 0, 0, 6_500, 1, 0),
      杭州市创新券: row(20_000, 4_000, 0, 1_000, 3_000, 13_000, 1, 4_000),
      西湖区创新券: row(0, 0, 0, 0, 0, 5_000, 0, 0),
      宁波市创新券: row(30_000, 2_500, 0, 1_500, 0, 27_500, 1, 0),
    });
    expect(result.rows.find((entry) => entry.name === '杭州市创新券')!.key).toBe(programs.PH);
    // Two firms served in all (F1 in two programs counts once).
    expect(inYuan(result.total)).toEqual(row(49_500, 8_500, 1_000, 2_500, 3_000, 52_000, 2, 4_000));
    // Granted up to 31 March: G2's February grant too, G4's April one not: 59,500 of 100,000 yuan.
    expect(result.target).toEqual({ targetFen: 10_000_000, grantedToDateFen: 5_950_000, progress: 0.595 });

    // The balances are the grants' own (kept by the trigger from the ledger).
    const [balances] = await dataSource.query(`SELECT sum(reserved_fen)::int AS reserved, sum(available_fen)::int AS available FROM voucher_grant`);
    expect([result.total.reservedFen, result.total.availableFen]).toEqual([balances.reserved, balances.available]);

    // April: G4's grant and C3's payment; the balances are the same (they are now).
    const april = await figures(admin, 'groupBy=program&period=2026-04');
    expect(inYuan(april.total)).toEqual(row(5_000, 0, 0, 0, 3_000, 52_000, 0, 2_500));
    expect(april.target.grantedToDateFen).toBe(6_450_000);
    const year = await figures(admin, 'groupBy=program&from=2026-01-01&to=2026-12-31');
    expect(inYuan(year.total)).toEqual(row(64_500, 8_500, 1_000, 2_500, 3_000, 52_000, 2, 6_500));
  });

  it('rolls issuing regions up to provinces, cities or counties', async () => {
    const cities = await figures(provinceStaff, 'groupBy=region&level=city&period=2026-03');
    expect(cities.level).toBe('city');
    expect(cities.rows.map((entry) => [entry.key, entry.name, entry.grantedFen, entry.availableFen])).toEqual([
      ['330000', '浙江省', -50_000, 650_000],
      ['330100', '杭州市', 2_000_000, 1_800_000],
      ['330200', '宁波市', 3_000_000, 2_750_000],
    ]);
    const counties = await figures(provinceStaff, 'groupBy=region&level=county&period=2026-03');
    expect(counties.rows.map((entry) => entry.key)).toEqual(['330000', '330100', '330106', '330200']);
    const provinces = await figures(provinceStaff, 'groupBy=region&level=province&period=2026-03');
    expect(provinces.rows.map((entry) => [entry.key, inYuan(entry).grantedFen])).toEqual([['330000', 49_500]]);
    expect({ ...provinces.rows[0], key: undefined, name: undefined }).toEqual({ ...provinces.total, key: undefined, name: undefined });
    // city is the default level
    expect((await figures(provinceStaff, 'groupBy=region&period=2026-03')).rows).toEqual(cities.rows);
  });

  it('gives the figures per firm and per provider; quota that never reached a provider is not theirs', async () => {
    const byFirm = await figures(admin, 'groupBy=firm&period=2026-03');
    expect(byName(byFirm)).toEqual({
      杭州甲科技有限公司: row(19_500, 6_000, 1_000, 1_000, 3_000, 24_500, 1, 4_000),
      宁波乙科技有限公司: row(30_000, 2_500, 0, 1_500, 0, 27_500, 1, 0),
    });
    expect(byFirm.rows.map((entry) => entry.key).sort()).toEqual([firms.F1, firms.F2].sort());

    const byProvider = await figures(admin, 'groupBy=provider&period=2026-03');
    expect(byName(byProvider)).toEqual({
      甲大学: row(null, 4_000, null, 1_000, 0, null, 1, 4_000),
      丙研究所: row(null, 4_500, null, 1_500, 3_000, null, 2, 0),
    });
    expect(inYuan(byProvider.total)).toEqual(row(null, 8_500, null, 2_500, 3_000, null, 2, 4_000));
    expect(byProvider.rows.map((entry) => entry.key).sort()).toEqual([providers.U1, providers.U2].sort());
  });

  it('keeps staff to the programs issued in their region, providers to their receipts, firms to their own', async () => {
    const hangzhou = await figures(hangzhouStaff, 'groupBy=program&period=2026-03');
    expect(hangzhou.rows.map((entry) => entry.key).sort()).toEqual([programs.PH, programs.PX].sort());
    expect(inYuan(hangzhou.total)).toEqual(row(20_000, 4_000, 0, 1_000, 3_000, 18_000, 1, 4_000));
    expect(hangzhou.target.grantedToDateFen).toBe(2_000_000);
    const hangzhouCounties = await figures(hangzhouStaff, 'groupBy=region&level=county&period=2026-03');
    expect(hangzhouCounties.rows.map((entry) => entry.key)).toEqual(['330100', '330106']);
    // The provincial program is not the city's, although it accepts its providers.
    const hangzhouProviders = await figures(hangzhouStaff, 'groupBy=provider&period=2026-03');
    expect(byName(hangzhouProviders)).toEqual({ 甲大学: row(null, 4_000, null, 1_000, 0, null, 1, 4_000), 丙研究所: row(null, 0, null, 0, 3_000, null, 0, 0) });
    expect((await figures(provinceStaff, 'groupBy=program&period=2026-03')).rows).toHaveLength(4);

    const provider = await figures(u1Manager, 'groupBy=program&period=2026-03');
    expect(byName(provider)).toEqual({ 杭州市创新券: row(null, 4_000, null, 1_000, 0, null, 1, 4_000) });
    expect(provider.target).toEqual({ targetFen: 10_000_000, grantedToDateFen: null, progress: null });

    const firm = await figures(f2Member, 'groupBy=program&period=2026-03');
    expect(byName(firm)).toEqual({ 宁波市创新券: row(30_000, 2_500, 0, 1_500, 0, 27_500, 1, 0) });
    expect(firm.target.grantedToDateFen).toBe(3_000_000);
    // By provider, the firm's quota still counts towards the target.
    const firmProviders = await figures(f2Member, 'groupBy=provider&period=2026-03');
    expect(byName(firmProviders)).toEqual({ 丙研究所: row(null, 2_500, null, 1_500, 0, null, 1, 0) });
    expect(firmProviders.target).toEqual({ targetFen: 10_000_000, grantedToDateFen: 3_000_000, progress: 0.3 });

    expectErrorShape(await worker.http.get('/statistics/vouchers?groupBy=program&period=2026-03', { token: researcher.token }), 403, 'ROLE_NOT_ALLOWED');
    expectErrorShape(await worker.http.get('/statistics/vouchers?groupBy=program&period=2026-03'), 401);
  });

  it('refuses a bad groupBy, a level without groupBy=region and a missing period in the one error shape', async () => {
    const bad = expectErrorShape(await worker.http.get('/statistics/vouchers?groupBy=county&period=2026-03', { token: admin.token }), 400, 'VALIDATION_FAILED');
    expect(bad.details).toEqual([{ field: 'groupBy', messages: [expect.stringContaining('groupBy must be one of the following values: program, region, firm, holder, provider')] }]);
    const level = expectErrorShape(await worker.http.get('/statistics/vouchers?groupBy=program&level=city&period=2026-03', { token: admin.token }), 400, 'VALIDATION_FAILED');
    expect(level.details).toEqual([{ field: 'level', messages: ['level applies only with groupBy=region'] }]);
    expectErrorShape(await worker.http.get('/statistics/vouchers?groupBy=region&level=town&period=2026-03', { token: admin.token }), 400, 'VALIDATION_FAILED');
    expectErrorShape(await worker.http.get('/statistics/vouchers?groupBy=program', { token: admin.token }), 400, 'STATISTICS_RANGE_REQUIRED');
    expectErrorShape(await worker.http.get('/statistics/vouchers?groupBy=program&period=2026&extra=1', { token: admin.token }), 400, 'VALIDATION_FAILED');
  });

  it('exports the rows as CSV in yuan', async () => {
    const response = await worker.http.get('/statistics/vouchers?groupBy=region&level=city&period=2026-03&format=csv', { token: provinceStaff.token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="vouchers-region-2026-03-01-2026-03-31.csv"');
    const lines = response.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toEqual([
      '代码,名称,发放额度(元),已使用(元),已过期(元),已释放(元),当前冻结(元),当前可用(元),服务企业数,服务个人数,已兑付(元)',
      "330000,浙江省,-500.00,2000.00,1000.00,0.00,0.00,6500.00,1,0,0.00",
      '330100,杭州市,20000.00,4000.00,0.00,1000.00,3000.00,18000.00,1,0,4000.00',
      '330200,宁波市,30000.00,2500.00,0.00,1500.00,0.00,27500.00,1,0,0.00',
    ]);
    const provider = await worker.http.get('/statistics/vouchers?groupBy=provider&period=2026-03&format=csv', { token: u1Manager.token });
    expect(provider.text.replace(/^\uFEFF/, '').trimEnd().split('\r\n')[1]).toBe(`${providers.U1},甲大学,,4000.00,,1000.00,0.00,,1,0,4000.00`);
  });
});
