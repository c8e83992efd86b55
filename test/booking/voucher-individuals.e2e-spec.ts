import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { VoucherExpiry } from '../../apps/booking/src/vouchers/voucher-expiry';
import { WorkerModule } from '../../apps/worker/src/worker.module';

const HOUR = 3600_000;
const YUAN = 100;

/**
 * Individuals as voucher holders, against the real booking service and worker: a program that
 * admits individuals lets a researcher (no firm) apply; the grant is the person's, and the wallet,
 * quote, reservation, release, redemption, expiry, ledger, receipts and statistics work for it as
 * for a firm's. A program for firms only refuses them with a stable code.
 */
describe('voucher individuals (e2e)', () => {
  let clock: ManualClock;
  let app: TestApp;
  let worker: TestApp;
  let dataSource: DataSource;
  let fixtures: CatalogFixtures;
  let provinceStaff: TestAccount;
  let hangzhouStaff: TestAccount;
  let labManager: TestAccount;
  let admin: TestAccount;
  let instrumentId: string;
  let university: string;
  let ownerId: string;
  let base: number;
  let nextHour = 0;

  beforeAll(async () => {
    clock = new ManualClock('2026-12-01T00:00:00Z');
    app = await startTestApp(BookingModule, { clock, env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    worker = await startTestApp(WorkerModule, {
      clock,
      database: app.database,
      env: { REDIS_KEY_PREFIX: app.config.REDIS_KEY_PREFIX, NOTIFICATION_SWEEP_SECONDS: '0', STATISTICS_NIGHTLY_ENABLED: 'false', STATISTICS_BACKFILL_DAYS: '0' },
    });
    dataSource = app.app.get(DataSource);
    const tokens = app.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(dataSource, app.http, (user) => tokens.sign(user));
    provinceStaff = await fixtures.account('department_staff', { regionCode: '330000' });
    hangzhouStaff = await fixtures.account('department_staff', { regionCode: '330100' });
    admin = await fixtures.account('admin');
    const owner = await fixtures.institution({ regionCode: '330106' });
    labManager = await fixtures.account('lab_manager', { institutionId: owner.id });
    ownerId = owner.id;
    ({ id: instrumentId } = await fixtures.instrument(owner.id));
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    expect((await app.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: everyDay }, { token: labManager.token })).status).toBe(200);
    expect((await app.http.put(`/instruments/${instrumentId}/booking-rules`, { minNoticeMinutes: 0 }, { token: labManager.token })).status).toBe(200);
    // The researchers' own university, in Hangzhou: their bookings of the instrument above are external.
    university = (await fixtures.institution({ regionCode: '330108' })).id;
    base = new Date('2026-12-02T00:00:00Z').getTime();
  });

  afterAll(async () => {
    await worker?.close();
    await app?.close();
  });

  function slot(hours = 1): { start: string; end: string } {
    const start = base + nextHour * HOUR;
    nextHour += hours + 1;
    return { start: new Date(start).toISOString(), end: new Date(start + hours * HOUR).toISOString() };
  }

  async function program(overrides: Record<string, unknown> = {}): Promise<{ id: string; allowsIndividuals: boolean }> {
    const created = await app.http.post(
      '/voucher-programs',
      { name: '杭州市创新券（个人）', issuingRegionCode: '330100', budgetFen: 100_000 * YUAN, validFrom: '2026-01-01', validUntil: '2026-12-31', ...overrides },
      { token: hangzhouStaff.token },
    );
    expect(created.status).toBe(201);
    return created.body;
  }

  const researcher = (institutionId = university) => fixtures.account('researcher', { institutionId });
  const apply = (account: TestAccount, programId: string, yuan: number) => app.http.post('/voucher-grants', { programId, amountFen: yuan * YUAN, purpose: '个人创客检测' }, { token: account.token });

  async function fundedPerson(programId: string, yuan: number, institutionId = university): Promise<{ person: TestAccount; grantId: string }> {
    const person = await researcher(institutionId);
    const applied = await apply(person, programId, yuan);
    expect(applied.status).toBe(201);
    expect((await app.http.post(`/voucher-grants/${applied.body.id}/approve`, {}, { token: hangzhouStaff.token })).status).toBe(200);
    return { person, grantId: applied.body.id };
  }

  const book = (account: TestAccount, voucher: Record<string, unknown> | undefined, time = slot()) =>
    app.http.post('/bookings', { instrumentId, ...time, mode: 'sample_submission', purpose: '检测', voucher }, { token: account.token });
  const grant = async (account: TestAccount, id: string) => (await app.http.get(`/voucher-grants/${id}`, { token: account.token })).body;

  it('refuses individuals under a program for firms, outside the region, and researchers of a firm', async () => {
    const firmsOnly = await program();
    expect(firmsOnly.allowsIndividuals).toBe(false);
    const refused = await apply(await researcher(), firmsOnly.id, 1_000);
    expect([refused.status, refused.body.code]).toEqual([422, 'VOUCHER_INDIVIDUALS_NOT_ELIGIBLE']);

    const open = await program({ allowsIndividuals: true });
    const ningbo = await fixtures.institution({ regionCode: '330203' });
    const outside = await apply(await researcher(ningbo.id), open.id, 1_000);
    expect([outside.status, outside.body.code]).toEqual([422, 'VOUCHER_INDIVIDUAL_OUTSIDE_REGION']);
    expect(outside.body.details).toEqual({ registeredRegionCode: '330203', issuingRegionCode: '330100' });

    // A firm's staff apply through their firm: as individuals they would draw quota meant for small firms.
    const largeFirm = await fixtures.institution({ kind: 'enterprise', regionCode: '330106' });
    const employee = await apply(await researcher(largeFirm.id), open.id, 1_000);
    expect([employee.status, employee.body.code]).toEqual([403, 'VOUCHER_FIRM_NOT_ELIGIBLE']);
    // Lab managers hold no wallet at all.
    expect((await apply(labManager, open.id, 1_000)).status).toBe(403);
  });

  it('puts an approved grant in the person’s own wallet, seen by nobody else but the issuing staff', async () => {
    const { id: programId } = await program({ allowsIndividuals: true });
    const { person, grantId } = await fundedPerson(programId, 2_000);
    const own = await grant(person, grantId);
    expect(own).toMatchObject({ holderKind: 'individual', holderUserId: person.id, holderName: 'Test researcher', status: 'approved', availableFen: 2_000 * YUAN });
    expect(own.enterpriseId).toBeUndefined();

    const wallet = (await app.http.get('/vouchers/wallet', { token: person.token })).body;
    expect(wallet.totals).toEqual({ availableFen: 2_000 * YUAN, reservedFen: 0, redeemedFen: 0, expiredFen: 0 });
    expect(wallet.grants.map((entry: { id: string }) => entry.id)).toEqual([grantId]);

    // A colleague at the same university has a wallet of their own, empty; neither they nor a firm see the grant.
    const colleague = await researcher();
    expect((await app.http.get('/vouchers/wallet', { token: colleague.token })).body.grants).toEqual([]);
    expect((await app.http.get(`/voucher-grants/${grantId}`, { token: colleague.token })).status).toBe(404);
    expect((await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: colleague.token })).status).toBe(404);
    expect((await app.http.get('/voucher-grants', { token: colleague.token })).body).toEqual([]);
    const firmMember = await fixtures.account('firm_member', { institutionId: (await fixtures.institution({ kind: 'enterprise', isSmallMicro: true })).id });
    expect((await app.http.get(`/voucher-grants/${grantId}`, { token: firmMember.token })).status).toBe(404);
    expect((await app.http.get(`/voucher-grants/${grantId}`, { token: hangzhouStaff.token })).body).toMatchObject({ holderKind: 'individual', holderName: 'Test researcher' });
    expect((await app.http.get('/voucher-grants', { token: person.token })).body.map((entry: { id: string }) => entry.id)).toEqual([grantId]);
  });

  it('holds an individual to the caps per application and per person and year, apart from colleagues', async () => {
    const { id: programId } = await program({ allowsIndividuals: true, applicationCapFen: 2_000 * YUAN, firmYearCapFen: 3_000 * YUAN });
    const tooMuch = await apply(await researcher(), programId, 2_500);
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'VOUCHER_APPLICATION_CAP_EXCEEDED']);
    const { person } = await fundedPerson(programId, 2_000);
    const second = await apply(person, programId, 1_500);
    expect([second.status, second.body.code]).toEqual([422, 'VOUCHER_FIRM_YEAR_CAP_EXCEEDED']);
    expect(second.body.details).toEqual({ capFen: 3_000 * YUAN, grantedFen: 2_000 * YUAN });
    // The cap is the person's, not their university's: a colleague may still be granted 2,000 yuan.
    const colleague = await researcher();
    const theirs = await apply(colleague, programId, 2_000);
    expect(theirs.status).toBe(201);
    expect((await app.http.post(`/voucher-grants/${theirs.body.id}/approve`, {}, { token: hangzhouStaff.token })).status).toBe(200);
    // Two applications in flight, each within the cap alone, are held to it at approval.
    const pending = await apply(person, programId, 1_000);
    const alsoPending = await apply(person, programId, 1_000);
    expect([pending.status, alsoPending.status]).toEqual([201, 201]);
    expect((await app.http.post(`/voucher-grants/${pending.body.id}/approve`, {}, { token: hangzhouStaff.token })).status).toBe(200);
    const over = await app.http.post(`/voucher-grants/${alsoPending.body.id}/approve`, {}, { token: hangzhouStaff.token });
    expect([over.status, over.body.code]).toEqual([422, 'VOUCHER_FIRM_YEAR_CAP_EXCEEDED']);
    // Staff corrections too: quota added past the person's yearly cap is refused, unspent quota taken back is not.
    const adjust = (fen: number, key: string) =>
      app.http.post(`/voucher-grants/${pending.body.id}/adjustments`, { amountFen: fen, reason: '更正' }, { token: hangzhouStaff.token, headers: { 'idempotency-key': key } });
    const added = await adjust(1, 'add-1');
    expect([added.status, added.body.code]).toEqual([422, 'VOUCHER_FIRM_YEAR_CAP_EXCEEDED']);
    const taken = await adjust(-100 * YUAN, 'take-1');
    expect([taken.status, taken.body.availableFen]).toEqual([201, 900 * YUAN]);
  });

  it('quotes, reserves, releases on cancellation and redeems on completion for an individual, the ledger replaying to the balances', async () => {
    const { id: programId } = await program({ allowsIndividuals: true });
    const { person, grantId } = await fundedPerson(programId, 1_000);
    const time = slot(2);
    const quote = await app.http.get(`/bookings/quote?instrumentId=${instrumentId}&start=${encodeURIComponent(time.start)}&end=${encodeURIComponent(time.end)}&mode=sample_submission`, {
      token: person.token,
    });
    expect(quote.status).toBe(200);
    // Two hours at 500 yuan: 1,000 yuan, all payable by voucher (below the full-cover line), all of the balance.
    expect(quote.body).toMatchObject({ bestGrantId: grantId, voucherFen: 1_000 * YUAN, payableOtherwiseFen: 0 });

    const cancelled = await book(person, { grantId, amountFen: 300 * YUAN });
    expect(cancelled.status).toBe(201);
    expect(cancelled.body.voucher).toMatchObject({ grantId, status: 'reserved', reservedFen: 300 * YUAN });
    expect(await grant(person, grantId)).toMatchObject({ availableFen: 700 * YUAN, reservedFen: 300 * YUAN });
    expect((await app.http.post(`/bookings/${cancelled.body.id}/cancel`, {}, { token: person.token })).body.voucher).toMatchObject({ status: 'released' });

    // Someone else's grant cannot pay for the person's booking, nor theirs for someone else's.
    const colleague = await researcher();
    const foreign = await book(colleague, { grantId, amountFen: 100 * YUAN });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'VOUCHER_NOT_APPLICABLE']);

    const booked = await book(person, { grantId, amountFen: 400 * YUAN }, time);
    expect(booked.status).toBe(201);
    const started = Date.parse(time.start);
    clock.set(new Date(started));
    expect((await app.http.post(`/bookings/${booked.body.id}/check-in`, {}, { token: person.token })).status).toBe(200);
    clock.set(new Date(started + 30 * 60_000));
    const completed = await app.http.post(`/bookings/${booked.body.id}/check-out`, {}, { token: labManager.token });
    expect(completed.body).toMatchObject({ status: 'completed', finalFeeFen: 250 * YUAN, voucher: { status: 'redeemed', redeemedFen: 250 * YUAN } });
    expect(await grant(person, grantId)).toMatchObject({ availableFen: 750 * YUAN, reservedFen: 0, redeemedFen: 250 * YUAN });

    const ledger = (await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: person.token })).body;
    expect(ledger.entries.map((entry: { kind: string; amountFen: number }) => [entry.kind, entry.amountFen])).toEqual([
      ['grant', 1_000 * YUAN],
      ['reserve', 300 * YUAN],
      ['release', 300 * YUAN],
      ['reserve', 400 * YUAN],
      ['release', 150 * YUAN],
      ['redeem', 250 * YUAN],
    ]);
    expect(ledger.replayed).toEqual(ledger.balances);
    // Every entry names the person as holder, whichever path wrote it (the cancellation's was a trigger).
    const holders = await dataSource.query(`SELECT DISTINCT enterprise_id, holder_user_id FROM voucher_ledger_entry WHERE grant_id = $1`, [grantId]);
    expect(holders).toEqual([{ enterprise_id: null, holder_user_id: person.id }]);

    // The provider's receipt names the person.
    const receipts = (await app.http.get('/voucher-receipts', { token: labManager.token })).body;
    const receipt = receipts.receipts.find((each: { bookingId: string }) => each.bookingId === booked.body.id);
    expect(receipt).toMatchObject({ holderName: 'Test researcher', holderKind: 'individual', amountFen: 250 * YUAN });
    expect(receipt.firmName).toBeUndefined();

    // The worker's statistics count the person among the individuals served, apart from firms. Ledger
    // entries are stamped by PostgreSQL's clock, not the test's: the period is the real days around now.
    const day = (offset: number) => new Date(Date.now() + 8 * HOUR + offset * 24 * HOUR).toISOString().slice(0, 10);
    const figures = await worker.http.get(`/statistics/vouchers?groupBy=holder&from=${day(-1)}&to=${day(1)}`, { token: admin.token });
    expect(figures.status).toBe(200);
    expect(figures.body.total).toMatchObject({ individualsServed: 1, firmsServed: 0, redeemedFen: 250 * YUAN });
    expect(figures.body.rows.find((row: { key: string }) => row.key === person.id)).toMatchObject({ name: 'Test researcher', individualsServed: 1, redeemedFen: 250 * YUAN });
    base = Math.max(base, started + 4 * HOUR);
    nextHour = 0;
  });

  it('never pays the holder’s own institution: its services are internal, which vouchers do not buy', async () => {
    const { id: programId } = await program({ allowsIndividuals: true });
    const { person, grantId } = await fundedPerson(programId, 1_000, ownerId);
    const time = slot();
    const quote = await app.http.get(`/bookings/quote?instrumentId=${instrumentId}&start=${encodeURIComponent(time.start)}&end=${encodeURIComponent(time.end)}&mode=sample_submission`, {
      token: person.token,
    });
    expect(quote.status).toBe(200);
    expect(quote.body.voucherFen).toBe(0);
    const refused = await book(person, { grantId, amountFen: 100 * YUAN }, time);
    expect([refused.status, refused.body.code]).toEqual([422, 'VOUCHER_OWN_PROVIDER']);
    // Nothing was booked or reserved by the refused request.
    expect(await grant(person, grantId)).toMatchObject({ availableFen: 1_000 * YUAN, reservedFen: 0 });
    expect((await book(person, undefined, time)).status).toBe(201);
  });

  it('expires an individual’s unused quota at the end of validity', async () => {
    const { id: programId } = await program({ allowsIndividuals: true, validUntil: '2026-12-20' });
    const { person, grantId } = await fundedPerson(programId, 500);
    clock.set(new Date('2026-12-20T16:00:00Z'));
    await app.app.get(VoucherExpiry).expireDue();
    expect(await grant(person, grantId)).toMatchObject({ availableFen: 0, expiredFen: 500 * YUAN });
    const ledger = (await app.http.get(`/voucher-grants/${grantId}/ledger`, { token: person.token })).body;
    expect(ledger.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['grant', 'expire']);
    expect(ledger.replayed).toEqual(ledger.balances);
  });

  it('lets the database hold exactly one holder per grant', async () => {
    const { id: programId } = await program({ allowsIndividuals: true });
    const person = await researcher();
    const both = dataSource.query(
      `INSERT INTO voucher_grant (program_id, enterprise_id, holder_user_id, applicant_id, requested_fen, expires_at) VALUES ($1, $2, $3, $3, 100, now() + interval '1 day')`,
      [programId, university, person.id],
    );
    await expect(both).rejects.toMatchObject({ code: '23514', constraint: 'voucher_grant_one_holder' });
    const neither = dataSource.query(`INSERT INTO voucher_grant (program_id, applicant_id, requested_fen, expires_at) VALUES ($1, $2, 100, now() + interval '1 day')`, [programId, person.id]);
    await expect(neither).rejects.toMatchObject({ code: '23514', constraint: 'voucher_grant_one_holder' });
    expect((await app.http.post('/voucher-grants', { programId, amountFen: 100 }, { token: provinceStaff.token })).status).toBe(403);
  });
});
