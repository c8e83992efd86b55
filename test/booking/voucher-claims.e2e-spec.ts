import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';

const HOUR = 3600_000;
const YUAN = 100;

/**
 * Redemption: what a provider received by voucher on completed services, its claims for a period,
 * and the issuing bureau's decisions. A receipt joins at most one live claim, even when two lab
 * managers claim at the same moment.
 */
describe('voucher redemption claims (e2e)', () => {
  let clock: ManualClock;
  let app: TestApp;
  let dataSource: DataSource;
  let fixtures: CatalogFixtures;
  let cityStaff: TestAccount;
  let labManager: TestAccount;
  let colleague: TestAccount;
  let member: TestAccount;
  let instrumentId: string;
  let programId: string;
  let grantId: string;

  beforeAll(async () => {
    clock = new ManualClock('2026-12-01T00:00:00Z');
    app = await startTestApp(BookingModule, { clock, env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    dataSource = app.app.get(DataSource);
    const tokens = app.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(dataSource, app.http, (user) => tokens.sign(user));
    cityStaff = await fixtures.account('department_staff', { regionCode: '330100' });
    const owner = await fixtures.institution({ regionCode: '330106' });
    labManager = await fixtures.account('lab_manager', { institutionId: owner.id });
    colleague = await fixtures.account('lab_manager', { institutionId: owner.id });
    ({ id: instrumentId } = await fixtures.instrument(owner.id));
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    await app.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: everyDay }, { token: labManager.token });
    await app.http.put(`/instruments/${instrumentId}/booking-rules`, { minNoticeMinutes: 0 }, { token: labManager.token });

    const program = await app.http.post(
      '/voucher-programs',
      { name: '杭州市创新券', issuingRegionCode: '330100', budgetFen: 100_000 * YUAN, validFrom: '2026-01-01', validUntil: '2027-12-31' },
      { token: cityStaff.token },
    );
    programId = program.body.id;
    const enterprise = await fixtures.institution({ kind: 'enterprise', isSmallMicro: true, regionCode: '330110' });
    member = await fixtures.account('firm_member', { institutionId: enterprise.id });
    grantId = (await app.http.post('/voucher-grants', { programId, amountFen: 10_000 * YUAN }, { token: member.token })).body.id;
    expect((await app.http.post(`/voucher-grants/${grantId}/approve`, {}, { token: cityStaff.token })).status).toBe(200);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Books the next hour with a voucher part, uses it fully and checks out: the voucher part is redeemed. */
  async function completedWithVoucher(yuan: number): Promise<string> {
    const start = Math.ceil((clock.now().getTime() + HOUR) / HOUR) * HOUR;
    const booked = await app.http.post(
      '/bookings',
      { instrumentId, start: new Date(start).toISOString(), end: new Date(start + HOUR).toISOString(), mode: 'sample_submission', purpose: '检测', voucher: { grantId, amountFen: yuan * YUAN } },
      { token: member.token },
    );
    expect(booked.status).toBe(201);
    clock.set(new Date(start));
    await app.http.post(`/bookings/${booked.body.id}/check-in`, {}, { token: labManager.token });
    clock.set(new Date(start + HOUR));
    const done = await app.http.post(`/bookings/${booked.body.id}/check-out`, {}, { token: labManager.token });
    expect(done.body.voucher).toMatchObject({ status: 'redeemed', redeemedFen: yuan * YUAN });
    return booked.body.id;
  }

  const receipts = async () => (await app.http.get(`/voucher-receipts?programId=${programId}`, { token: labManager.token })).body;
  const claimBody = () => ({ programId, from: '2026-12-01', to: '2026-12-31' });

  it('lists receipts per program and lets one of two concurrent claims take them', async () => {
    const first = await completedWithVoucher(100);
    const second = await completedWithVoucher(200);
    const before = await receipts();
    expect(before.programs).toEqual([{ programId, programName: '杭州市创新券', receivedFen: 300 * YUAN, claimedFen: 0, paidFen: 0, unclaimedFen: 300 * YUAN }]);
    expect(before.receipts.map((receipt: { bookingId: string }) => receipt.bookingId).sort()).toEqual([first, second].sort());
    expect(before.receipts[0]).toMatchObject({ effectiveMinutes: 60, finalFeeFen: 500 * YUAN, firmName: expect.any(String), holderKind: 'enterprise' });
    expect(before.receipts[0].holderName).toBe(before.receipts[0].firmName);

    const answers = await Promise.all([
      app.http.post('/voucher-claims', claimBody(), { token: labManager.token }),
      app.http.post('/voucher-claims', claimBody(), { token: colleague.token }),
    ]);
    const won = answers.find((answer) => answer.status === 201)!;
    const lost = answers.find((answer) => answer.status !== 201)!;
    expect(won.body).toMatchObject({ status: 'submitted', amountFen: 300 * YUAN, itemCount: 2 });
    expect(won.body.items).toHaveLength(2);
    expect([lost.status, lost.body.code]).toEqual([422, 'VOUCHER_NOTHING_TO_CLAIM']);
    expect((await receipts()).programs[0]).toMatchObject({ claimedFen: 300 * YUAN, unclaimedFen: 0 });
  });

  it('is decided by staff of the issuing region only, approved before it is paid', async () => {
    const [claim] = (await app.http.get('/voucher-claims?status=submitted', { token: cityStaff.token })).body;
    expect(claim.programId).toBe(programId);
    const ningboStaff = await fixtures.account('department_staff', { regionCode: '330200' });
    expect((await app.http.post(`/voucher-claims/${claim.id}/approve`, {}, { token: ningboStaff.token })).status).toBe(403);
    expect((await app.http.get(`/voucher-claims/${claim.id}`, { token: ningboStaff.token })).status).toBe(404);
    expect((await app.http.get('/voucher-claims', { token: ningboStaff.token })).body).toEqual([]);
    const otherProvider = await fixtures.account('lab_manager');
    expect((await app.http.get(`/voucher-claims/${claim.id}`, { token: otherProvider.token })).status).toBe(404);
    expect((await app.http.get('/voucher-receipts', { token: otherProvider.token })).body).toEqual({ programs: [], receipts: [] });
    expect((await app.http.get('/voucher-receipts', { token: member.token })).status).toBe(403);

    const early = await app.http.post(`/voucher-claims/${claim.id}/pay`, { paymentReference: 'HZ-1' }, { token: cityStaff.token });
    expect([early.status, early.body.code]).toEqual([409, 'VOUCHER_INVALID_TRANSITION']);
    expect((await app.http.post(`/voucher-claims/${claim.id}/approve`, {}, { token: cityStaff.token })).body.status).toBe('approved');
    const paid = await app.http.post(`/voucher-claims/${claim.id}/pay`, { paymentReference: 'HZ-2026-0001' }, { token: cityStaff.token });
    expect(paid.body).toMatchObject({ status: 'paid', paymentReference: 'HZ-2026-0001' });
    expect((await receipts()).programs[0]).toMatchObject({ receivedFen: 300 * YUAN, claimedFen: 0, paidFen: 300 * YUAN, unclaimedFen: 0 });
  });

  it('frees the receipts of a rejected claim for a corrected one, keeping the rejected claim’s record', async () => {
    const third = await completedWithVoucher(50);
    const claim = (await app.http.post('/voucher-claims', claimBody(), { token: labManager.token })).body;
    expect(claim).toMatchObject({ itemCount: 1, amountFen: 50 * YUAN });
    const noReason = await app.http.post(`/voucher-claims/${claim.id}/reject`, {}, { token: cityStaff.token });
    expect([noReason.status, noReason.body.code]).toEqual([422, 'REASON_REQUIRED']);
    expect((await app.http.post(`/voucher-claims/${claim.id}/reject`, { reason: '缺少检测报告' }, { token: cityStaff.token })).body.status).toBe('rejected');
    expect((await receipts()).programs[0]).toMatchObject({ unclaimedFen: 50 * YUAN });

    const corrected = (await app.http.post('/voucher-claims', claimBody(), { token: labManager.token })).body;
    expect(corrected.items.map((item: { bookingId: string }) => item.bookingId)).toEqual([third]);
    const rejected = (await app.http.get(`/voucher-claims/${claim.id}`, { token: labManager.token })).body;
    expect(rejected).toMatchObject({ status: 'rejected', decisionReason: '缺少检测报告' });
    expect(rejected.items.map((item: { bookingId: string }) => item.bookingId)).toEqual([third]);
    const bad = await app.http.post('/voucher-claims', { ...claimBody(), to: '2026-11-01' }, { token: labManager.token });
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'to']);
  });
});
