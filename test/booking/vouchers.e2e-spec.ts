import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { BookingsService } from '../../apps/booking/src/bookings/bookings.service';
import { VoucherExpiry } from '../../apps/booking/src/vouchers/voucher-expiry';

const HOUR = 3600_000;
const YUAN = 100;

/**
 * Innovation vouchers against the real booking service: programs, grants, the ledger and paying
 * bookings by voucher, including the races the database must win (a wallet reserved by 20 orders at
 * once, a budget approved by 8 staff clicks at once).
 */
describe('vouchers (e2e)', () => {
  let clock: ManualClock;
  let app: TestApp;
  let dataSource: DataSource;
  let fixtures: CatalogFixtures;
  let provinceStaff: TestAccount;
  let labManager: TestAccount;
  let hangzhouInstrument: string;
  let base: number;
  let nextHour = 0;

  beforeAll(async () => {
    clock = new ManualClock('2026-12-01T00:00:00Z');
    app = await startTestApp(BookingModule, { clock, env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    dataSource = app.app.get(DataSource);
    const tokens = app.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(dataSource, app.http, (user) => tokens.sign(user));
    provinceStaff = await fixtures.account('department_staff', { regionCode: '330000' });
    const owner = await fixtures.institution({ regionCode: '330106' });
    labManager = await fixtures.account('lab_manager', { institutionId: owner.id });
    ({ id: hangzhouInstrument } = await fixtures.instrument(owner.id));
    await openAllDay(hangzhouInstrument, labManager);
    base = new Date('2026-12-02T00:00:00Z').getTime();
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openAllDay(instrumentId: string, manager: TestAccount, rules: Record<string, unknown> = {}): Promise<void> {
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    expect((await app.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: everyDay }, { token: manager.token })).status).toBe(200);
    expect((await app.http.put(`/instruments/${instrumentId}/booking-rules`, { minNoticeMinutes: 0, ...rules }, { token: manager.token })).status).toBe(200);
  }

  /** A fresh one-hour slot on the Hangzhou instrument (external fee 500 yuan an hour). */
  function slot(hours = 1): { start: string; end: string } {
    const start = base + nextHour * HOUR;
    nextHour += hours + 1;
    return { start: new Date(start).toISOString(), end: new Date(start + hours * HOUR).toISOString() };
  }

  async function program(overrides: Record<string, unknown> = {}): Promise<any> {
    const created = await app.http.post(
      '/voucher-programs',
      { name: '测试创新券', issuingRegionCode: '330000', budgetFen: 1_000_000 * YUAN, validFrom: '2026-01-01', validUntil: '2026-12-31', ...overrides },
      { token: provinceStaff.token },
    );
    expect(created.status).toBe(201);
    return created.body;
  }

  async function firm(regionCode = '330106'): Promise<TestAccount> {
    const enterprise = await fixtures.institution({ kind: 'enterprise', isSmallMicro: true, regionCode });
    return fixtures.account('firm_member', { institutionId: enterprise.id });
  }

  /** A firm with an approved grant of `yuan` under the program. */
  async function fundedFirm(programId: string, yuan: number): Promise<{ member: TestAccount; grantId: string }> {
    const member = await firm();
    const applied = await app.http.post('/voucher-grants', { programId, amountFen: yuan * YUAN, purpose: '研发检测' }, { token: member.token });
    expect(applied.status).toBe(201);
    const approved = await app.http.post(`/voucher-grants/${applied.body.id}/approve`, {}, { token: provinceStaff.token });
    expect(approved.status).toBe(200);
    return { member, grantId: applied.body.id };
  }

  const book = (member: TestAccount, voucher: Record<string, unknown> | undefined, time = slot(), extra: Record<string, unknown> = {}) =>
    app.http.post('/bookings', { instrumentId: hangzhouInstrument, ...time, mode: 'sample_submission', purpose: '检测', voucher, ...extra }, { token: member.token });
  const grant = async (member: TestAccount, id: string) => (await app.http.get(`/voucher-grants/${id}`, { token: member.token })).body;

  it('reserves for exactly 10 of 20 concurrent 100-yuan orders on a 1,000-yuan wallet, never below zero', async () => {
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 1_000);
    const answers = await Promise.all(Array.from({ length: 20 }, () => book(member, { grantId, amountFen: 100 * YUAN })));
    const created = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(created).toHaveLength(10);
    expect(refused.map((answer) => [answer.status, answer.body.code])).toEqual(Array(10).fill([422, 'VOUCHER_BALANCE_INSUFFICIENT']));
    expect(refused[0].body.details).toMatchObject({ availableFen: 0, wantedFen: 100 * YUAN });
    for (const answer of created) expect(answer.body.voucher).toMatchObject({ grantId, status: 'reserved', reservedFen: 100 * YUAN });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 0, reservedFen: 1_000 * YUAN });
    // A refused order wrote nothing: no booking, no time taken.
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM booking WHERE user_id = $1`, [member.id]);
    expect(count).toBe(10);
    const ledger = (await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: member.token })).body;
    expect(ledger.replayed).toEqual(ledger.balances);
    expect(ledger.entries.filter((entry: { kind: string }) => entry.kind === 'reserve')).toHaveLength(10);
  });

  it('applies vouchers to existing bookings concurrently without passing the balance, and a repeated attach reserves once', async () => {
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 1_000);
    const bookings = [];
    for (let index = 0; index < 20; index++) bookings.push((await book(member, undefined)).body.id);
    const attach = (id: string, body: Record<string, unknown>) => app.http.post(`/bookings/${id}/voucher`, body, { token: member.token });
    const answers = await Promise.all(bookings.map((id) => attach(id, { grantId, amountFen: 100 * YUAN })));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(10);
    expect(answers.filter((answer) => answer.status !== 200).map((answer) => [answer.status, answer.body.code])).toEqual(Array(10).fill([422, 'VOUCHER_BALANCE_INSUFFICIENT']));
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 0, reservedFen: 1_000 * YUAN });

    const refused = bookings.find((_, index) => answers[index].status !== 200)!;
    const paid = bookings.find((_, index) => answers[index].status === 200)!;
    await app.http.delete(`/bookings/${paid}/voucher`, { token: member.token });
    const repeated = await Promise.all([1, 2, 3].map(() => attach(refused, { grantId, amountFen: 100 * YUAN })));
    expect(repeated.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(repeated.map((answer) => answer.body.voucher.reservedFen)).toEqual([100 * YUAN, 100 * YUAN, 100 * YUAN]);
    const ledger = (await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: member.token })).body;
    expect(ledger.entries.filter((entry: { kind: string; bookingId?: string }) => entry.kind === 'reserve' && entry.bookingId === refused)).toHaveLength(1);
    expect(ledger.replayed).toEqual(ledger.balances);
    expect(ledger.balances).toMatchObject({ availableFen: 0, reservedFen: 1_000 * YUAN });
  });

  it('never lets concurrent approvals pass the program budget', async () => {
    const { id: programId } = await program({ budgetFen: 50_000 * YUAN });
    const applications = [];
    for (let index = 0; index < 8; index++) {
      const member = await firm();
      applications.push((await app.http.post('/voucher-grants', { programId, amountFen: 10_000 * YUAN }, { token: member.token })).body.id);
    }
    const answers = await Promise.all(applications.map((id) => app.http.post(`/voucher-grants/${id}/approve`, {}, { token: provinceStaff.token })));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(5);
    expect(answers.filter((answer) => answer.status === 422).map((answer) => answer.body.code)).toEqual(Array(3).fill('VOUCHER_PROGRAM_BUDGET_EXCEEDED'));
    const programNow = (await app.http.get(`/voucher-programs/${programId}`, { token: provinceStaff.token })).body;
    expect(programNow).toMatchObject({ grantedFen: 50_000 * YUAN, remainingFen: 0 });
    // A refused approval left the application as it was.
    const [{ applied }] = await dataSource.query(`SELECT count(*)::int AS applied FROM voucher_grant WHERE program_id = $1 AND status = 'applied'`, [programId]);
    expect(applied).toBe(3);
  });

  it('refuses each cap with its own code: per application, per firm and year, per order', async () => {
    const { id: programId } = await program({ firmYearCapFen: 30_000 * YUAN, fullCoverBelowFen: 400 * YUAN, shareAbovePercent: 50 });
    const member = await firm();
    const tooMuch = await app.http.post('/voucher-grants', { programId, amountFen: 20_000 * YUAN + 1 }, { token: member.token });
    expect([tooMuch.status, tooMuch.body.code, tooMuch.body.details]).toEqual([422, 'VOUCHER_APPLICATION_CAP_EXCEEDED', { capFen: 20_000 * YUAN }]);

    const first = await app.http.post('/voucher-grants', { programId, amountFen: 20_000 * YUAN }, { token: member.token });
    const second = await app.http.post('/voucher-grants', { programId, amountFen: 20_000 * YUAN }, { token: member.token });
    expect((await app.http.post(`/voucher-grants/${first.body.id}/approve`, {}, { token: provinceStaff.token })).status).toBe(200);
    const overYear = await app.http.post(`/voucher-grants/${second.body.id}/approve`, {}, { token: provinceStaff.token });
    expect([overYear.status, overYear.body.code]).toEqual([422, 'VOUCHER_FIRM_YEAR_CAP_EXCEEDED']);
    const third = await app.http.post('/voucher-grants', { programId, amountFen: 15_000 * YUAN }, { token: member.token });
    expect([third.status, third.body.code]).toEqual([422, 'VOUCHER_FIRM_YEAR_CAP_EXCEEDED']);
    // Approving less than asked fits under the yearly cap.
    const smaller = await app.http.post(`/voucher-grants/${second.body.id}/approve`, { amountFen: 10_000 * YUAN }, { token: provinceStaff.token });
    expect(smaller.body).toMatchObject({ status: 'approved', approvedFen: 10_000 * YUAN, availableFen: 10_000 * YUAN });

    // 500 yuan is above the 400-yuan full-cover line: vouchers pay at most half of it.
    const time = slot();
    const quote = await app.http.get(`/bookings/quote?instrumentId=${hangzhouInstrument}&start=${encodeURIComponent(time.start)}&end=${encodeURIComponent(time.end)}&mode=sample_submission`, {
      token: member.token,
    });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ fee: { amountFen: 500 * YUAN, internal: false }, voucherFen: 250 * YUAN, payableOtherwiseFen: 250 * YUAN });
    const overShare = await book(member, { grantId: first.body.id, amountFen: 300 * YUAN }, time);
    expect([overShare.status, overShare.body.code, overShare.body.details]).toEqual([422, 'VOUCHER_ORDER_SHARE_EXCEEDED', { orderCapFen: 250 * YUAN, feeFen: 500 * YUAN }]);
    const withinShare = await book(member, { grantId: first.body.id }, time);
    expect(withinShare.status).toBe(201);
    expect(withinShare.body.voucher).toMatchObject({ reservedFen: 250 * YUAN });
  });

  it('releases the reservation on cancellation, rejection and a lapsed hold', async () => {
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 1_000);

    const cancelled = await book(member, { grantId, amountFen: 100 * YUAN });
    expect((await app.http.post(`/bookings/${cancelled.body.id}/cancel`, {}, { token: member.token })).body.voucher).toMatchObject({ status: 'released' });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 1_000 * YUAN, reservedFen: 0 });

    // An instrument whose lab approves requests.
    const owner = await fixtures.institution({ regionCode: '330106' });
    const manager = await fixtures.account('lab_manager', { institutionId: owner.id });
    const { id: approvalInstrument } = await fixtures.instrument(owner.id);
    await openAllDay(approvalInstrument, manager, { requiresApproval: true });
    const pending = await book(member, { grantId, amountFen: 200 * YUAN }, slot(), { instrumentId: approvalInstrument });
    expect(pending.body).toMatchObject({ status: 'pending', voucher: { reservedFen: 200 * YUAN } });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 800 * YUAN, reservedFen: 200 * YUAN });
    const rejected = await app.http.post(`/bookings/${pending.body.id}/reject`, { reason: '样品不符' }, { token: manager.token });
    expect(rejected.body).toMatchObject({ status: 'rejected', voucher: { status: 'released' } });

    const hold = await app.http.post('/holds', { instrumentId: hangzhouInstrument, ...slot(), mode: 'sample_submission', voucher: { grantId, amountFen: 300 * YUAN } }, { token: member.token });
    expect(hold.status).toBe(201);
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 700 * YUAN, reservedFen: 300 * YUAN });
    clock.advance(11 * 60_000);
    await app.app.get(BookingsService).sweep();
    expect((await app.http.get(`/bookings/${hold.body.id}`, { token: member.token })).body).toMatchObject({ status: 'lapsed', voucher: { status: 'released' } });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 1_000 * YUAN, reservedFen: 0 });
    const ledger = (await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: member.token })).body;
    expect(ledger.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['grant', 'reserve', 'release', 'reserve', 'release', 'reserve', 'release']);
    expect(ledger.replayed).toEqual(ledger.balances);
  });

  it('redeems on the actual fee at completion and releases the rest', async () => {
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 1_000);
    const time = slot(2);
    // Two hours: 1,000 yuan quoted, 400 by voucher.
    const booked = await book(member, { grantId, amountFen: 400 * YUAN }, time);
    expect(booked.body.voucher).toMatchObject({ reservedFen: 400 * YUAN });
    const started = Date.parse(time.start);
    clock.set(new Date(started));
    expect((await app.http.post(`/bookings/${booked.body.id}/check-in`, {}, { token: member.token })).status).toBe(200);
    // Used for 30 minutes: 250 yuan; vouchers pay all of it (below the full-cover line), 150 go back.
    clock.set(new Date(started + 30 * 60_000));
    const completed = await app.http.post(`/bookings/${booked.body.id}/check-out`, {}, { token: labManager.token });
    expect(completed.body).toMatchObject({ status: 'completed', finalFeeFen: 250 * YUAN, voucher: { status: 'redeemed', redeemedFen: 250 * YUAN } });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 750 * YUAN, reservedFen: 0, redeemedFen: 250 * YUAN });
    const ledger = (await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: member.token })).body;
    expect(ledger.entries.map((entry: { kind: string; amountFen: number }) => [entry.kind, entry.amountFen])).toEqual([
      ['grant', 1_000 * YUAN],
      ['reserve', 400 * YUAN],
      ['release', 150 * YUAN],
      ['redeem', 250 * YUAN],
    ]);
    expect(ledger.replayed).toEqual(ledger.balances);
    // The clock moves on for the tests after this one.
    base = Math.max(base, started + 4 * HOUR);
    nextHour = 0;
  });

  it('covers more than reserved on completion only when the firm agreed, and trims a reservation when a move makes the order cheaper', async () => {
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 1_000);
    const time = slot(2);
    const booked = await book(member, { grantId, amountFen: 100 * YUAN, allowTopUp: true }, time);
    const started = Date.parse(time.start);
    clock.set(new Date(started));
    await app.http.post(`/bookings/${booked.body.id}/check-in`, {}, { token: member.token });
    // 90 minutes used: 750 yuan, all of it payable by voucher; the firm agreed to a top-up.
    clock.set(new Date(started + 90 * 60_000));
    const completed = await app.http.post(`/bookings/${booked.body.id}/check-out`, {}, { token: member.token });
    expect(completed.body).toMatchObject({ finalFeeFen: 750 * YUAN, voucher: { status: 'redeemed', reservedFen: 750 * YUAN, redeemedFen: 750 * YUAN } });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 250 * YUAN, reservedFen: 0, redeemedFen: 750 * YUAN });

    // Without the agreement the voucher pays no more than reserved.
    base = Math.max(base, started + 4 * HOUR);
    nextHour = 0;
    const second = slot(2);
    const withoutTopUp = await book(member, { grantId, amountFen: 100 * YUAN }, second);
    clock.set(new Date(Date.parse(second.start)));
    await app.http.post(`/bookings/${withoutTopUp.body.id}/check-in`, {}, { token: member.token });
    clock.set(new Date(Date.parse(second.start) + 90 * 60_000));
    const done = await app.http.post(`/bookings/${withoutTopUp.body.id}/check-out`, {}, { token: member.token });
    expect(done.body.voucher).toMatchObject({ redeemedFen: 100 * YUAN });

    // A two-hour booking with 800 yuan reserved moved to one hour (500 yuan): 300 go back.
    base = Math.max(base, Date.parse(second.start) + 4 * HOUR);
    nextHour = 0;
    const long = slot(2);
    const { member: richer, grantId: richGrant } = await fundedFirm(programId, 2_000);
    const big = await book(richer, { grantId: richGrant, amountFen: 800 * YUAN }, slot(2));
    const shorter = { start: new Date(Date.parse(long.start) + 4 * HOUR).toISOString(), end: new Date(Date.parse(long.start) + 5 * HOUR).toISOString() };
    nextHour += 6;
    const rescheduled = await app.http.post(`/bookings/${big.body.id}/reschedule`, shorter, { token: richer.token });
    expect(rescheduled.status).toBe(200);
    expect(rescheduled.body.voucher).toMatchObject({ status: 'reserved', reservedFen: 500 * YUAN });
    expect(await grant(richer, richGrant)).toMatchObject({ availableFen: 1_500 * YUAN, reservedFen: 500 * YUAN });
    const ledger = (await app.http.get(`/voucher-grants/${richGrant}/ledger`, { token: richer.token })).body;
    expect(ledger.replayed).toEqual(ledger.balances);
  });

  it('offers only programs that accept the provider’s region', async () => {
    const ningbo = await program({ issuingRegionCode: '330000', acceptedRegionCodes: ['330200'] });
    const { member, grantId } = await fundedFirm(ningbo.id, 1_000);
    const time = slot();
    const quote = await app.http.get(`/bookings/quote?instrumentId=${hangzhouInstrument}&start=${encodeURIComponent(time.start)}&end=${encodeURIComponent(time.end)}&mode=sample_submission`, {
      token: member.token,
    });
    expect(quote.body).toMatchObject({ voucherFen: 0, payableOtherwiseFen: 500 * YUAN });
    expect(quote.body.voucherOptions).toEqual([expect.objectContaining({ grantId, coverableFen: 0, refusal: 'VOUCHER_PROVIDER_REGION_NOT_ACCEPTED' })]);
    expect(quote.body.bestGrantId).toBeUndefined();
    const refused = await book(member, { grantId }, time);
    expect([refused.status, refused.body.code]).toEqual([422, 'VOUCHER_PROVIDER_REGION_NOT_ACCEPTED']);
    const withoutGrant = await book(member, {}, time);
    expect([withoutGrant.status, withoutGrant.body.code]).toEqual([422, 'VOUCHER_NOT_APPLICABLE']);
  });

  it('moves nothing twice on retries: an application, an adjustment, a voucher applied to a booking', async () => {
    const { id: programId } = await program();
    const member = await firm();
    const body = { programId, amountFen: 500 * YUAN };
    const [first, again] = await Promise.all([
      app.http.post('/voucher-grants', body, { token: member.token, headers: { 'idempotency-key': 'apply-1' } }),
      app.http.post('/voucher-grants', body, { token: member.token, headers: { 'idempotency-key': 'apply-1' } }),
    ]);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    const reused = await app.http.post('/voucher-grants', { ...body, amountFen: 600 * YUAN }, { token: member.token, headers: { 'idempotency-key': 'apply-1' } });
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    await app.http.post(`/voucher-grants/${first.body.id}/approve`, {}, { token: provinceStaff.token });
    const secondApproval = await app.http.post(`/voucher-grants/${first.body.id}/approve`, {}, { token: provinceStaff.token });
    expect([secondApproval.status, secondApproval.body.code]).toEqual([409, 'VOUCHER_INVALID_TRANSITION']);

    const adjustment = { amountFen: -100 * YUAN, reason: '重复发放更正' };
    const headers = { 'idempotency-key': 'fix-1' };
    await app.http.post(`/voucher-grants/${first.body.id}/adjustments`, adjustment, { token: provinceStaff.token, headers });
    await app.http.post(`/voucher-grants/${first.body.id}/adjustments`, adjustment, { token: provinceStaff.token, headers });
    const noKey = await app.http.post(`/voucher-grants/${first.body.id}/adjustments`, adjustment, { token: provinceStaff.token });
    expect(noKey.status).toBe(400);
    expect(await grant(member, first.body.id)).toMatchObject({ availableFen: 400 * YUAN });

    const booked = await book(member, undefined);
    expect(booked.body.voucher).toBeUndefined();
    const attach = () => app.http.post(`/bookings/${booked.body.id}/voucher`, { grantId: first.body.id, amountFen: 100 * YUAN }, { token: member.token });
    expect((await attach()).body.voucher).toMatchObject({ status: 'reserved', reservedFen: 100 * YUAN });
    expect((await attach()).status).toBe(200);
    expect(await grant(member, first.body.id)).toMatchObject({ availableFen: 300 * YUAN, reservedFen: 100 * YUAN });
    const detached = await app.http.delete(`/bookings/${booked.body.id}/voucher`, { token: member.token });
    expect(detached.body.voucher).toMatchObject({ status: 'released' });
    await app.http.delete(`/bookings/${booked.body.id}/voucher`, { token: member.token });
    const ledger = (await app.http.get(`/voucher-grants/${first.body.id}/ledger`, { token: member.token })).body;
    expect(ledger.entries.map((entry: { kind: string; amountFen: number }) => [entry.kind, entry.amountFen])).toEqual([
      ['grant', 500 * YUAN],
      ['adjust', -100 * YUAN],
      ['reserve', 100 * YUAN],
      ['release', 100 * YUAN],
    ]);
    expect(ledger.replayed).toEqual(ledger.balances);
    // The ledger is append-only, whoever asks.
    await expect(dataSource.query(`UPDATE voucher_ledger_entry SET amount_fen = 1 WHERE grant_id = $1`, [first.body.id])).rejects.toThrow(/append-only/);
  });

  it('shows each party only its own: wallets, grants, the region’s applications', async () => {
    const { id: programId } = await program({ issuingRegionCode: '330100' });
    const { member, grantId } = await fundedFirm(programId, 100);
    const otherFirm = await firm();
    expect((await app.http.get(`/voucher-grants/${grantId}`, { token: otherFirm.token })).status).toBe(404);
    expect((await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: otherFirm.token })).status).toBe(404);
    const wallet = (await app.http.get('/vouchers/wallet', { token: member.token })).body;
    expect(wallet.grants.map((each: { id: string }) => each.id)).toEqual([grantId]);
    expect(wallet.totals).toEqual({ availableFen: 100 * YUAN, reservedFen: 0, redeemedFen: 0, expiredFen: 0 });
    expect((await app.http.get('/vouchers/wallet', { token: otherFirm.token })).body.grants).toEqual([]);

    const ningboStaff = await fixtures.account('department_staff', { regionCode: '330200' });
    const application = await app.http.post('/voucher-grants', { programId, amountFen: 50 * YUAN }, { token: otherFirm.token });
    const foreign = await app.http.post(`/voucher-grants/${application.body.id}/approve`, {}, { token: ningboStaff.token });
    expect(foreign.status).toBe(403);
    expect((await app.http.get('/voucher-grants', { token: ningboStaff.token })).body.map((each: { programId: string }) => each.programId)).not.toContain(programId);
    const ningboProgram = await app.http.post(
      '/voucher-programs',
      { name: '越权', issuingRegionCode: '330100', budgetFen: 100, validFrom: '2026-01-01', validUntil: '2026-12-31' },
      { token: ningboStaff.token },
    );
    expect(ningboProgram.status).toBe(403);
    expect((await app.http.get('/voucher-grants', { token: labManager.token })).status).toBe(403);
    expect((await app.http.post('/voucher-grants', { programId, amountFen: 100 }, { token: labManager.token })).status).toBe(403);
    const bad = await app.http.post('/voucher-programs', { name: 'x', issuingRegionCode: '33', budgetFen: -1, validFrom: 'soon', validUntil: '2026-12-31', extra: 1 }, { token: provinceStaff.token });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.map((problem: { field: string }) => problem.field).sort()).toEqual(['budgetFen', 'extra', 'issuingRegionCode', 'validFrom']);
  });

  /** Later tests book after wherever the clock has got to. */
  function moveOn(): void {
    base = Math.max(base + nextHour * HOUR, Math.ceil(clock.now().getTime() / HOUR) * HOUR + HOUR);
    nextHour = 0;
  }

  it('releases on a no-show and on a request left undecided, and records who ended the booking', async () => {
    moveOn();
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 1_000);
    const cancelled = await book(member, { grantId, amountFen: 100 * YUAN });
    await app.http.post(`/bookings/${cancelled.body.id}/cancel`, {}, { token: member.token });
    const absent = await book(member, { grantId, amountFen: 100 * YUAN });

    const owner = await fixtures.institution({ regionCode: '330106' });
    const manager = await fixtures.account('lab_manager', { institutionId: owner.id });
    const { id: approvalInstrument } = await fixtures.instrument(owner.id);
    await openAllDay(approvalInstrument, manager, { requiresApproval: true });
    const undecided = await book(member, { grantId, amountFen: 200 * YUAN }, slot(), { instrumentId: approvalInstrument });
    expect(undecided.body.status).toBe('pending');
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 700 * YUAN, reservedFen: 300 * YUAN });

    clock.set(new Date(Date.parse(undecided.body.start) + 60_000));
    await app.app.get(BookingsService).sweep();
    expect((await app.http.get(`/bookings/${undecided.body.id}`, { token: member.token })).body).toMatchObject({ status: 'expired', voucher: { status: 'released' } });
    clock.set(new Date(Math.max(clock.now().getTime(), Date.parse(absent.body.start) + 31 * 60_000)));
    const noShow = await app.http.post(`/bookings/${absent.body.id}/no-show`, {}, { token: labManager.token });
    expect(noShow.body).toMatchObject({ status: 'no_show', voucher: { status: 'released' } });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 1_000 * YUAN, reservedFen: 0 });

    const ledger = (await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: member.token })).body;
    const releases = ledger.entries.filter((entry: { kind: string }) => entry.kind === 'release');
    const byBooking = Object.fromEntries(releases.map((entry: { bookingId: string; actorId?: string }) => [entry.bookingId, entry.actorId ?? null]));
    expect(byBooking).toEqual({ [cancelled.body.id]: member.id, [absent.body.id]: labManager.id, [undecided.body.id]: null });
    expect(ledger.replayed).toEqual(ledger.balances);
  });

  it('pays a weekly series date by date, all or nothing, and keeps a hold’s reservation when it is submitted', async () => {
    moveOn();
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 250);
    const first = slot();
    const series = (weeks: number) =>
      app.http.post('/bookings/recurring', { instrumentId: hangzhouInstrument, ...first, mode: 'sample_submission', purpose: '每周检测', weeks, voucher: { grantId, amountFen: 100 * YUAN } }, { token: member.token });
    const tooMany = await series(3);
    expect([tooMany.status, tooMany.body.code]).toEqual([422, 'VOUCHER_BALANCE_INSUFFICIENT']);
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 250 * YUAN, reservedFen: 0 });
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM booking WHERE user_id = $1`, [member.id]);
    expect(count).toBe(0);
    const two = await series(2);
    expect(two.status).toBe(201);
    expect(two.body.bookings.map((booking: { voucher: { reservedFen: number } }) => booking.voucher.reservedFen)).toEqual([100 * YUAN, 100 * YUAN]);

    const time = slot();
    const hold = await app.http.post('/holds', { instrumentId: hangzhouInstrument, ...time, mode: 'sample_submission', voucher: { grantId, amountFen: 50 * YUAN } }, { token: member.token });
    const request = { instrumentId: hangzhouInstrument, ...time, mode: 'sample_submission', purpose: '检测', holdId: hold.body.id };
    const other = await app.http.post('/bookings', { ...request, voucher: { grantId, amountFen: 40 * YUAN } }, { token: member.token });
    expect([other.status, other.body.code]).toEqual([409, 'VOUCHER_ALREADY_APPLIED']);
    const submitted = await app.http.post('/bookings', { ...request, voucher: { grantId, amountFen: 50 * YUAN } }, { token: member.token });
    expect(submitted.body).toMatchObject({ id: hold.body.id, status: 'confirmed', voucher: { status: 'reserved', reservedFen: 50 * YUAN } });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 0, reservedFen: 250 * YUAN });
  });

  it('counts the money an expired hold in the way gives back when a new order takes its time', async () => {
    moveOn();
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 1_000);
    const time = slot(3);
    const hold = await app.http.post('/holds', { instrumentId: hangzhouInstrument, ...time, mode: 'sample_submission', voucher: { grantId, amountFen: 300 * YUAN } }, { token: member.token });
    expect(hold.status).toBe(201);
    // The hold lapses while nobody sweeps: the new order finds it in the way and lapses it itself.
    clock.advance(11 * 60_000);
    const booked = await book(member, { grantId, amountFen: 900 * YUAN }, time);
    expect(booked.status).toBe(201);
    // 900 passes the 700 the wallet showed before the lapse: the grant is read again after it.
    expect(booked.body.voucher).toMatchObject({ reservedFen: 900 * YUAN });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 100 * YUAN, reservedFen: 900 * YUAN });
    const ledger = (await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: member.token })).body;
    expect(ledger.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['grant', 'reserve', 'release', 'reserve']);
    expect(ledger.replayed).toEqual(ledger.balances);
  });

  it('answers a retried request with its Idempotency-Key without reserving twice', async () => {
    moveOn();
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 1_000);
    const time = slot();
    const send = () =>
      app.http.post('/bookings', { instrumentId: hangzhouInstrument, ...time, mode: 'sample_submission', purpose: '检测', voucher: { grantId, amountFen: 100 * YUAN } }, {
        token: member.token,
        headers: { 'idempotency-key': 'voucher-order-1' },
      });
    const answers = await Promise.all([send(), send(), send()]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 900 * YUAN, reservedFen: 100 * YUAN });
  });

  it('gives a reservation back when a move takes the booking past the voucher’s validity', async () => {
    moveOn();
    const shortLived = await program({ validUntil: new Date(base + 3 * 86_400_000).toISOString().slice(0, 10) });
    const { member, grantId } = await fundedFirm(shortLived.id, 1_000);
    const booked = await book(member, { grantId, amountFen: 100 * YUAN });
    const later = { start: new Date(base + 5 * 86_400_000).toISOString(), end: new Date(base + 5 * 86_400_000 + HOUR).toISOString() };
    const moved = await app.http.post(`/bookings/${booked.body.id}/reschedule`, later, { token: member.token });
    expect(moved.status).toBe(200);
    expect(moved.body.voucher).toMatchObject({ status: 'released' });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 1_000 * YUAN, reservedFen: 0 });
    const expired = await book(member, { grantId }, { start: new Date(Date.parse(later.start) + 2 * HOUR).toISOString(), end: new Date(Date.parse(later.end) + 2 * HOUR).toISOString() });
    expect([expired.status, expired.body.code]).toEqual([422, 'VOUCHER_GRANT_EXPIRED']);
  });

  it('answers bad voucher input with 4xx, never 500, and keeps adjustments within the caps', async () => {
    moveOn();
    const { id: programId } = await program({ firmYearCapFen: 1_500 * YUAN });
    const { member, grantId } = await fundedFirm(programId, 1_000);
    const asArray = await book(member, [{ grantId, amountFen: 1 }] as unknown as Record<string, unknown>);
    expect(asArray.status).toBe(400);
    const member2 = await firm();
    const application = (await app.http.post('/voucher-grants', { programId, amountFen: 100 * YUAN }, { token: member2.token })).body;
    expect((await app.http.post(`/voucher-grants/${application.id}/approve`, { reason: '   ' }, { token: provinceStaff.token })).status).toBe(400);

    const adjust = (amountFen: number, key: string) =>
      app.http.post(`/voucher-grants/${grantId}/adjustments`, { amountFen, reason: '更正' }, { token: provinceStaff.token, headers: { 'idempotency-key': key } });
    const takeTooMuch = await adjust(-5_000 * YUAN, 'take-1');
    expect([takeTooMuch.status, takeTooMuch.body.code]).toEqual([422, 'VOUCHER_BALANCE_INSUFFICIENT']);
    const overYear = await adjust(600 * YUAN, 'add-1');
    expect([overYear.status, overYear.body.code]).toEqual([422, 'VOUCHER_FIRM_YEAR_CAP_EXCEEDED']);
    expect((await adjust(500 * YUAN, 'add-2')).status).toBe(201);
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 1_500 * YUAN });

    const ningboStaff = await fixtures.account('department_staff', { regionCode: '330200' });
    const hangzhouProgram = await program({ issuingRegionCode: '330100' });
    expect((await app.http.post(`/voucher-programs/${hangzhouProgram.id}/close`, {}, { token: ningboStaff.token })).status).toBe(403);
    expect(
      (await app.http.post(`/voucher-grants/${grantId}/adjustments`, { amountFen: 1, reason: 'x' }, { token: ningboStaff.token, headers: { 'idempotency-key': 'k' } })).status,
    ).toBe(403);
    const future = await program({ validFrom: '2026-12-30', validUntil: '2026-12-31' });
    const early = await app.http.post('/voucher-grants', { programId: future.id, amountFen: 100 }, { token: member2.token });
    expect([early.status, early.body.code]).toEqual([409, 'VOUCHER_PROGRAM_NOT_OPEN']);
  });

  it('expires unused quota when the validity ends, and releases a reservation nobody closed', async () => {
    moveOn();
    const { id: programId } = await program();
    const { member, grantId } = await fundedFirm(programId, 1_000);
    const booked = await book(member, { grantId, amountFen: 100 * YUAN });
    expect(booked.status).toBe(201);
    const expiry = app.app.get(VoucherExpiry);
    expect(await expiry.expireDue()).toEqual({ released: 0, expired: 0 });
    clock.set(new Date('2026-12-31T16:00:00Z'));
    const { count: live } = (await dataSource.query(`SELECT count(*)::int AS count FROM voucher_grant WHERE available_fen > 0 AND status = 'approved'`))[0];
    expect(await expiry.expireDue()).toEqual({ released: 0, expired: live });
    expect(await expiry.expireDue()).toEqual({ released: 0, expired: 0 });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 0, reservedFen: 100 * YUAN, expiredFen: 900 * YUAN });
    const time = slot();
    const afterEnd = await app.http.get(`/bookings/quote?instrumentId=${hangzhouInstrument}&start=${encodeURIComponent(time.start)}&end=${encodeURIComponent(time.end)}&mode=sample_submission`, {
      token: member.token,
    });
    expect(afterEnd.body.voucherOptions).toEqual([]);

    // Never checked in, out or marked absent: 30 days after its end the reservation comes back, and expires.
    clock.set(new Date(Date.parse(booked.body.end) + 30 * 86_400_000 + 60_000));
    const later = await expiry.expireDue();
    expect(later.released).toBeGreaterThanOrEqual(1);
    expect((await app.http.get(`/bookings/${booked.body.id}`, { token: member.token })).body.voucher).toMatchObject({ status: 'released' });
    expect(await grant(member, grantId)).toMatchObject({ availableFen: 0, reservedFen: 0, expiredFen: 1_000 * YUAN });
    const ledger = (await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: member.token })).body;
    expect(ledger.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['grant', 'reserve', 'expire', 'release', 'expire']);
    expect(ledger.replayed).toEqual(ledger.balances);
  });
});
