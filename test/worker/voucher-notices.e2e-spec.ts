import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, TestSmtpServer, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { OutboxRelay } from '../../apps/booking/src/outbox/outbox-relay';
import { NotificationPlanner } from '../../apps/worker/src/notifications/notification-planner';
import { WorkerModule } from '../../apps/worker/src/worker.module';

const HOUR = 3600_000;
const YUAN = 100;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Notices of voucher decisions end to end: the booking service commits a decision with its outbox
 * message, the relay moves it to BullMQ, the worker plans the notices and sends them through a real
 * SMTP server: to the applicant of a grant, to every lab manager of the provider of a claim. A
 * message relayed twice, consumed again or written twice still notifies once.
 */
describe('voucher notices (e2e)', () => {
  let smtp: TestSmtpServer;
  let clock: ManualClock;
  let booking: TestApp;
  let worker: TestApp;
  let dataSource: DataSource;
  let relay: OutboxRelay;
  let fixtures: CatalogFixtures;
  let staff: TestAccount;
  let managers: TestAccount[];
  let instrumentId: string;
  let programId: string;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    clock = new ManualClock('2026-12-01T00:00:00Z');
    booking = await startTestApp(BookingModule, { clock, env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    worker = await startTestApp(WorkerModule, {
      clock,
      database: booking.database,
      env: { REDIS_KEY_PREFIX: booking.config.REDIS_KEY_PREFIX, SMTP_URL: smtp.url, NOTIFICATION_SWEEP_SECONDS: '0', STATISTICS_NIGHTLY_ENABLED: 'false', STATISTICS_BACKFILL_DAYS: '0' },
    });
    dataSource = booking.app.get(DataSource);
    relay = booking.app.get(OutboxRelay);
    const tokens = booking.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(dataSource, booking.http, (user) => tokens.sign(user));
    staff = await fixtures.account('department_staff', { regionCode: '330100' });
    const provider = await fixtures.institution({ regionCode: '330106' });
    managers = [await fixtures.account('lab_manager', { institutionId: provider.id }), await fixtures.account('lab_manager', { institutionId: provider.id })];
    ({ id: instrumentId } = await fixtures.instrument(provider.id));
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    expect((await booking.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: everyDay }, { token: managers[0].token })).status).toBe(200);
    expect((await booking.http.put(`/instruments/${instrumentId}/booking-rules`, { minNoticeMinutes: 0 }, { token: managers[0].token })).status).toBe(200);
    const program = await booking.http.post(
      '/voucher-programs',
      { name: '杭州市科技创新券', issuingRegionCode: '330100', budgetFen: 100_000 * YUAN, validFrom: '2026-01-01', validUntil: '2026-12-31' },
      { token: staff.token },
    );
    expect(program.status).toBe(201);
    programId = program.body.id;
  });

  afterAll(async () => {
    await worker?.close();
    await booking?.close();
    await smtp?.close();
  });

  const firmMember = async () => fixtures.account('firm_member', { institutionId: (await fixtures.institution({ kind: 'enterprise', isSmallMicro: true, regionCode: '330106' })).id });
  const apply = async (member: TestAccount, yuan: number): Promise<string> => {
    const applied = await booking.http.post('/voucher-grants', { programId, amountFen: yuan * YUAN }, { token: member.token });
    expect(applied.status).toBe(201);
    return applied.body.id;
  };
  const noticeRows = (kind: string, recipientId: string) =>
    dataSource.query(`SELECT id, state, data FROM notification WHERE kind = $1 AND recipient_id = $2 ORDER BY id`, [kind, recipientId]);

  it('tells the applicant of an approval with amount and expiry, once, however often the message comes', async () => {
    const member = await firmMember();
    const grantId = await apply(member, 5_000);
    expect((await booking.http.post(`/voucher-grants/${grantId}/approve`, { amountFen: 3_000 * YUAN }, { token: staff.token })).status).toBe(200);
    // Written in the decision's transaction.
    const [message] = await dataSource.query(`SELECT id, topic, payload FROM outbox_message WHERE payload->>'grantId' = $1`, [grantId]);
    expect(message).toMatchObject({ topic: 'voucher.grant_approved', payload: { applicantId: member.id, amountFen: 3_000 * YUAN } });
    await relay.relayAll();

    await smtp.waitFor(() => smtp.to(member.email).length > 0, 10_000);
    const [mail] = smtp.to(member.email);
    expect(mail.subject).toBe('[仪器共享] 创新券申请已批准：杭州市科技创新券');
    expect(mail.text).toContain('额度 ¥3000.00，有效期至 2026-12-31');

    // The message consumed again, and the same decision written twice (a replayed write), plan nothing new.
    expect(await worker.app.get(NotificationPlanner).consume(Number(message.id))).toEqual([]);
    await dataSource.query(`INSERT INTO outbox_message (topic, payload) VALUES ($1, $2)`, [message.topic, message.payload]);
    await relay.relayAll();
    await sleep(1_500);
    expect(smtp.to(member.email)).toHaveLength(1);
    const rows = await noticeRows('voucher_grant_approved', member.id);
    expect(rows.map((row: { state: string }) => row.state)).toEqual(['sent']);
    expect(rows[0].data.voucher).toMatchObject({ programName: '杭州市科技创新券', amountFen: 3_000 * YUAN });
  });

  it('tells the applicant of a rejection with its reason, in their language', async () => {
    const member = await firmMember();
    await dataSource.query(`UPDATE app_user SET language = 'en' WHERE id = $1`, [member.id]);
    const grantId = await apply(member, 1_000);
    expect((await booking.http.post(`/voucher-grants/${grantId}/reject`, { reason: 'Registered capital above the small-firm line' }, { token: staff.token })).status).toBe(200);
    await relay.relayAll();
    await smtp.waitFor(() => smtp.to(member.email).length > 0, 10_000);
    const [mail] = smtp.to(member.email);
    expect(mail.subject).toBe('[Instruments] Innovation voucher application rejected: 杭州市科技创新券');
    expect(mail.text).toContain('Reason: Registered capital above the small-firm line');
    expect(await noticeRows('voucher_grant_rejected', member.id)).toHaveLength(1);
  });

  it('tells the firm’s current members, not the applicant, when the applicant has left the firm before the decision', async () => {
    const applicant = await firmMember();
    const firmId = applicant.institutionId!;
    const colleague = await fixtures.account('firm_member', { institutionId: firmId });
    const grantId = await apply(applicant, 2_000);
    const elsewhere = await fixtures.institution({ kind: 'enterprise', isSmallMicro: true, regionCode: '330106' });
    await dataSource.query(`UPDATE app_user SET institution_id = $2 WHERE id = $1`, [applicant.id, elsewhere.id]);
    expect((await booking.http.post(`/voucher-grants/${grantId}/approve`, {}, { token: staff.token })).status).toBe(200);
    await relay.relayAll();
    await smtp.waitFor(() => smtp.to(colleague.email).length > 0, 10_000);
    await sleep(500);
    expect(smtp.to(colleague.email)).toHaveLength(1);
    expect(smtp.to(applicant.email)).toHaveLength(0);
    expect(await noticeRows('voucher_grant_approved', applicant.id)).toHaveLength(0);
  });

  it('tells every lab manager of the provider when a claim is approved, rejected and paid, once each', async () => {
    const member = await firmMember();
    const grantId = await apply(member, 1_000);
    expect((await booking.http.post(`/voucher-grants/${grantId}/approve`, {}, { token: staff.token })).status).toBe(200);
    const start = new Date('2026-12-02T01:00:00Z');
    const booked = await booking.http.post(
      '/bookings',
      { instrumentId, start: start.toISOString(), end: new Date(start.getTime() + HOUR).toISOString(), mode: 'sample_submission', purpose: '检测', voucher: { grantId, amountFen: 200 * YUAN } },
      { token: member.token },
    );
    expect(booked.status).toBe(201);
    clock.set(start);
    expect((await booking.http.post(`/bookings/${booked.body.id}/check-in`, {}, { token: member.token })).status).toBe(200);
    clock.set(new Date(start.getTime() + HOUR));
    expect((await booking.http.post(`/bookings/${booked.body.id}/check-out`, {}, { token: managers[0].token })).body.voucher).toMatchObject({ status: 'redeemed', redeemedFen: 200 * YUAN });

    const submit = async () => {
      const claim = await booking.http.post('/voucher-claims', { programId, from: '2026-12-01', to: '2026-12-31' }, { token: managers[0].token });
      expect(claim.status).toBe(201);
      return claim.body.id as string;
    };
    const first = await submit();
    expect((await booking.http.post(`/voucher-claims/${first}/approve`, {}, { token: staff.token })).status).toBe(200);
    expect((await booking.http.post(`/voucher-claims/${first}/reject`, { reason: '服务记录缺少检测报告' }, { token: staff.token })).status).toBe(200);
    const second = await submit();
    expect((await booking.http.post(`/voucher-claims/${second}/approve`, {}, { token: staff.token })).status).toBe(200);
    expect((await booking.http.post(`/voucher-claims/${second}/pay`, { paymentReference: 'HZ-2026-000042' }, { token: staff.token })).status).toBe(200);
    // Relayed twice: the second relay finds nothing new, and a duplicated job would find the messages consumed.
    await relay.relayAll();
    await relay.relayAll();

    for (const manager of managers) {
      await smtp.waitFor(() => smtp.to(manager.email).length >= 4, 10_000);
    }
    await sleep(1_500);
    for (const manager of managers) {
      const subjects = smtp.to(manager.email).map((mail) => mail.subject.replace('[仪器共享] ', '')).sort();
      expect(subjects).toEqual([
        '创新券兑付款已拨付：杭州市科技创新券',
        '创新券兑付申请已审核通过：杭州市科技创新券',
        '创新券兑付申请已审核通过：杭州市科技创新券',
        '创新券兑付申请被退回：杭州市科技创新券',
      ]);
      const rejected = smtp.to(manager.email).find((mail) => mail.subject.includes('被退回'))!;
      expect(rejected.text).toContain('2026-12-01 – 2026-12-31');
      expect(rejected.text).toContain('¥200.00');
      expect(rejected.text).toContain('原因：服务记录缺少检测报告');
      expect(smtp.to(manager.email).find((mail) => mail.subject.includes('已拨付'))!.text).toContain('付款凭证号：HZ-2026-000042');
    }
    // The firm hears only of its own application's approval, nothing of the provider's claims.
    expect(smtp.to(member.email).map((mail) => mail.subject)).toEqual(['[仪器共享] 创新券申请已批准：杭州市科技创新券']);
  });
});
