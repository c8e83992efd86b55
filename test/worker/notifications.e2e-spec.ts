import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { QUEUES, notificationJobId, queuePrefix } from '@app/queue';
import { CatalogFixtures, ManualClock, MailVerdict, TestAccount, TestApp, TestSmtpServer, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { OutboxRelay } from '../../apps/booking/src/outbox/outbox-relay';
import { NotificationSender } from '../../apps/worker/src/notifications/notification-sender';
import { NotificationSweeper } from '../../apps/worker/src/notifications/notification-sweeper';
import { WorkerModule } from '../../apps/worker/src/worker.module';

const HOUR = 3600_000;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Notifications end to end: the booking service commits a change with its outbox message, the
 * relay moves it to BullMQ, the worker plans the notifications and sends them through a real SMTP
 * server. Both apps share one controllable clock; "due in 3 seconds" is set by moving it.
 */
describe('notifications (e2e)', () => {
  let smtp: TestSmtpServer;
  let refused = new Set<string>();
  let clock: ManualClock;
  let booking: TestApp;
  let worker: TestApp;
  let dataSource: DataSource;
  let relay: OutboxRelay;
  let fixtures: CatalogFixtures;
  let manager: TestAccount;
  let admin: TestAccount;
  let instrumentId: string;
  let approvalInstrumentId: string;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start({ beforeAccept: (mail): MailVerdict => (mail.to.some((address) => refused.has(address)) ? 'refuse' : 'accept') });
    clock = new ManualClock(new Date());
    booking = await startTestApp(BookingModule, { clock, env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    worker = await startTestApp(WorkerModule, {
      clock,
      database: booking.database,
      env: {
        REDIS_KEY_PREFIX: booking.config.REDIS_KEY_PREFIX,
        SMTP_URL: smtp.url,
        NOTIFICATION_SWEEP_SECONDS: '0',
        NOTIFICATION_RETRY_SECONDS: '1',
        NOTIFICATION_MAX_ATTEMPTS: '3',
      },
    });
    dataSource = booking.app.get(DataSource);
    relay = booking.app.get(OutboxRelay);
    const tokens = booking.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(dataSource, booking.http, (user) => tokens.sign(user));
    const owner = await fixtures.institution();
    manager = await fixtures.account('lab_manager', { institutionId: owner.id });
    admin = await fixtures.account('admin');
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    for (const [name, requiresApproval] of [['open', false], ['approval', true]] as const) {
      const { id } = await fixtures.instrument(owner.id, { nameZh: `通知测试仪器-${name}` });
      expect((await booking.http.put(`/instruments/${id}/opening-hours`, { windows: everyDay }, { token: manager.token })).status).toBe(200);
      expect((await booking.http.put(`/instruments/${id}/booking-rules`, { minNoticeMinutes: 0, requiresApproval }, { token: manager.token })).status).toBe(200);
      if (requiresApproval) approvalInstrumentId = id;
      else instrumentId = id;
    }
  });

  afterAll(async () => {
    await worker?.close();
    await booking?.close();
    await smtp?.close();
  });

  beforeEach(() => clock.set(new Date()));

  /** A one-hour slot starting at a whole hour, hoursAhead of the clock. */
  const slot = (hoursAhead: number, instrument = instrumentId) => {
    const start = new Date(Math.ceil(clock.now().getTime() / HOUR) * HOUR + hoursAhead * HOUR);
    return { instrumentId: instrument, start: start.toISOString(), end: new Date(start.getTime() + HOUR).toISOString(), mode: 'sample_submission', purpose: '通知测试' };
  };
  const book = async (user: TestAccount, body: ReturnType<typeof slot>) => {
    const response = await booking.http.post('/bookings', body, { token: user.token });
    expect(response.status).toBe(201);
    return response.body as { id: string; start: string; status: string };
  };
  const reminderRows = (bookingId: string) =>
    dataSource.query(`SELECT id, state, generation, due_at, data FROM notification WHERE booking_id = $1 AND kind = 'reminder' ORDER BY id`, [bookingId]);
  const localStart = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Shanghai' }).toFormat('yyyy-MM-dd HH:mm');
  const reminderMails = (user: TestAccount) => smtp.to(user.email).filter((mail) => mail.subject.includes('预约提醒'));

  it('sends a reminder once, at its time, in the instrument zone and the user language', async () => {
    const researcher = await fixtures.account('researcher');
    const booked = await book(researcher, slot(3));
    // One hour before the start is three seconds away.
    clock.set(new Date(new Date(booked.start).getTime() - HOUR - 3_000));
    const relayedAt = Date.now();
    await relay.relayAll();

    await smtp.waitFor(() => reminderMails(researcher).length > 0, 10_000);
    const [reminder] = reminderMails(researcher);
    expect(reminder.acceptedAt - relayedAt).toBeGreaterThanOrEqual(2_500);
    expect(reminder.acceptedAt - relayedAt).toBeLessThan(6_000);
    expect(reminder.subject).toContain('1 小时后开始');
    expect(reminder.text).toContain(`${localStart(booked.start)} (Asia/Shanghai)`);

    await sleep(1_500);
    expect(reminderMails(researcher)).toHaveLength(1);
    const rows = await reminderRows(booked.id);
    // The 24-hour reminder was already past when the booking was made: only the 1-hour one exists.
    expect(rows.map((row: { state: string; data: { offsetMinutes: number } }) => [row.state, row.data.offsetMinutes])).toEqual([['sent', 60]]);
    expect(reminder.messageId).toBe(`<notification-${rows[0].id}@instrument-marketplace>`);
  });

  it('moves the reminder of a rescheduled booking', async () => {
    const researcher = await fixtures.account('researcher');
    const booked = await book(researcher, slot(4));
    await relay.relayAll();
    await waitForRows(() => reminderRows(booked.id), 1);
    const [before] = await reminderRows(booked.id);

    const moved = slot(6);
    const rescheduled = await booking.http.post(`/bookings/${booked.id}/reschedule`, { start: moved.start, end: moved.end }, { token: researcher.token });
    expect(rescheduled.status).toBe(200);
    clock.set(new Date(new Date(moved.start).getTime() - HOUR - 3_000));
    await relay.relayAll();

    await smtp.waitFor(() => reminderMails(researcher).length > 0, 10_000);
    await sleep(1_000);
    const reminders = reminderMails(researcher);
    expect(reminders).toHaveLength(1);
    expect(reminders[0].text).toContain(localStart(moved.start));
    expect(smtp.to(researcher.email).some((mail) => mail.subject.includes('预约时间已变更'))).toBe(true);
    const rows = await reminderRows(booked.id);
    expect(rows.find((row: { id: string }) => row.id === before.id)?.state).toBe('cancelled');
    // The old delivery job, had it fired, does nothing.
    expect(await worker.app.get(NotificationSender).deliver(Number(before.id), before.generation)).toBe('skipped');
  });

  it('never sends the reminder of a cancelled booking, and tells the booker and the lab managers', async () => {
    const researcher = await fixtures.account('researcher');
    const booked = await book(researcher, slot(8));
    clock.set(new Date(new Date(booked.start).getTime() - HOUR - 4_000));
    await relay.relayAll();
    const cancelled = await booking.http.post(`/bookings/${booked.id}/cancel`, { reason: '样品未准备好' }, { token: researcher.token });
    expect(cancelled.status).toBe(200);
    await relay.relayAll();

    await smtp.waitFor(() => smtp.to(manager.email).some((mail) => mail.subject.includes('用户取消预约') && mail.text.includes(localStart(booked.start))));
    await sleep(5_000);
    expect(reminderMails(researcher)).toHaveLength(0);
    const notice = smtp.to(researcher.email).filter((mail) => mail.subject.includes('预约已取消'));
    expect(notice).toHaveLength(1);
    expect(notice[0].text).toContain('样品未准备好');
    const states = (await reminderRows(booked.id)).map((row: { state: string }) => row.state);
    expect(states.every((state: string) => state === 'cancelled')).toBe(true);
  });

  it('asks the lab managers to decide a request, reminds them when it waits, and tells the booker the decision in English', async () => {
    const researcher = await fixtures.account('researcher');
    await dataSource.query(`UPDATE app_user SET language = 'en' WHERE id = $1`, [researcher.id]);
    const approved = await book(researcher, slot(30, approvalInstrumentId));
    const rejected = await book(researcher, slot(32, approvalInstrumentId));
    expect(approved.status).toBe('pending');
    await relay.relayAll();
    await smtp.waitFor(() => smtp.to(manager.email).filter((mail) => mail.subject.includes('新的预约申请待审批')).length === 2);

    expect((await booking.http.post(`/bookings/${approved.id}/approve`, {}, { token: manager.token })).status).toBe(200);
    expect((await booking.http.post(`/bookings/${rejected.id}/reject`, { reason: 'Instrument reserved for calibration' }, { token: manager.token })).status).toBe(200);
    await relay.relayAll();
    await smtp.waitFor(() => smtp.to(researcher.email).length === 2);
    const subjects = smtp.to(researcher.email).map((mail) => mail.subject).sort();
    expect(subjects).toEqual([expect.stringMatching(/^\[Instruments\] Booking approved: /), expect.stringMatching(/^\[Instruments\] Booking request rejected: /)]);
    expect(smtp.to(researcher.email).find((mail) => mail.subject.includes('rejected'))?.text).toContain('Reason: Instrument reserved for calibration');

    // Moving the approved booking needs approval again: the lab managers are asked again.
    const moved = slot(34, approvalInstrumentId);
    expect((await booking.http.post(`/bookings/${approved.id}/reschedule`, { start: moved.start, end: moved.end }, { token: researcher.token })).status).toBe(200);
    await relay.relayAll();
    await smtp.waitFor(() => smtp.to(manager.email).filter((mail) => mail.subject.includes('新的预约申请待审批') && mail.text.includes(localStart(moved.start))).length === 1);

    // The reminder to decide (12 h after the request) comes to nothing once the request is decided.
    const overdue: { booking_id: string; state: string; due_at: Date }[] = await dataSource.query(
      `SELECT booking_id, state, due_at FROM notification WHERE kind = 'approval_overdue' AND booking_id = ANY($1)`,
      [[approved.id, rejected.id]],
    );
    // One for each request, and one more for the moved booking (pending again).
    expect(overdue).toHaveLength(3);
    const rejectedOverdue = await idOf(rejected.id, 'approval_overdue');
    expect(await worker.app.get(NotificationSender).deliver(Number(rejectedOverdue.id), 0)).toBe('obsolete');
    const [{ state }] = await dataSource.query(`SELECT state FROM notification WHERE id = $1`, [rejectedOverdue.id]);
    expect(state).toBe('cancelled');
  });

  it('tells the first in a waitlist that freed time is held for them', async () => {
    const [holder, waiter] = [await fixtures.account('researcher'), await fixtures.account('researcher')];
    const taken = await book(holder, slot(50));
    const joined = await booking.http.post(
      `/instruments/${instrumentId}/waitlist`,
      { from: taken.start, to: new Date(new Date(taken.start).getTime() + HOUR).toISOString(), durationMinutes: 60, mode: 'sample_submission' },
      { token: waiter.token },
    );
    expect(joined.body.status).toBe('waiting');
    expect((await booking.http.post(`/bookings/${taken.id}/cancel`, {}, { token: holder.token })).status).toBe(200);
    await relay.relayAll();
    await smtp.waitFor(() => smtp.to(waiter.email).some((mail) => mail.subject.includes('候补成功')));
    const [offer] = smtp.to(waiter.email);
    expect(offer.text).toContain(localStart(taken.start));
  });

  it('retries a refused send with backoff, then marks it failed for admins, who can send it again', async () => {
    const researcher = await fixtures.account('researcher');
    refused.add(researcher.email);
    const booked = await book(researcher, slot(40, approvalInstrumentId));
    await relay.relayAll();
    await booking.http.post(`/bookings/${booked.id}/reject`, { reason: '设备检修' }, { token: manager.token });
    await relay.relayAll();

    const notice = await waitForRows(
      () => dataSource.query(`SELECT id, state, attempts, last_error FROM notification WHERE booking_id = $1 AND kind = 'booking_rejected' AND state = 'failed'`, [booked.id]),
      1,
      15_000,
    );
    expect(notice[0].attempts).toBe(3);
    expect(notice[0].last_error).toMatch(/mailbox unavailable/);
    const failed = await worker.http.get('/notifications?state=failed', { token: admin.token });
    expect(failed.status).toBe(200);
    expect(failed.body.items.map((item: { id: number }) => item.id)).toContain(Number(notice[0].id));
    expect((await worker.http.get('/notifications?state=failed', { token: researcher.token })).status).toBe(403);

    refused = new Set();
    expect((await worker.http.post(`/notifications/${notice[0].id}/retry`, {}, { token: admin.token })).status).toBe(200);
    await smtp.waitFor(() => smtp.to(researcher.email).some((mail) => mail.subject.includes('预约未获批准')));
    const mine = await worker.http.get('/notifications/mine', { token: researcher.token });
    expect(mine.body.items.find((item: { id: number }) => item.id === Number(notice[0].id))).toMatchObject({ state: 'sent', channel: 'email' });
    expect((await worker.http.post(`/notifications/${notice[0].id}/retry`, {}, { token: admin.token })).status).toBe(409);
  });

  it('restores every pending reminder after Redis lost its jobs, and replays outbox messages whose job was lost', async () => {
    const researcher = await fixtures.account('researcher');
    const booked = await book(researcher, slot(10));
    await relay.relayAll();
    const [reminder] = await waitForRows(() => reminderRows(booked.id), 1);
    const sweeper = worker.app.get(NotificationSweeper);
    await sweeper.sweep();
    // Redis intact: the sweep offers only what is due soon.
    expect((await sweeper.sweep()).fullRestore).toBe(false);
    const queueConnection = new Redis(worker.config.REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.notifications, { connection: queueConnection, prefix: queuePrefix(worker.config) });
    try {
      expect(await queue.getJob(notificationJobId(reminder.id, reminder.generation))).toBeDefined();
      // Redis restarts empty: every key of this test's prefix is gone.
      await deleteKeys(queueConnection, worker.config.REDIS_KEY_PREFIX);
      expect(await queue.getJob(notificationJobId(reminder.id, reminder.generation))).toBeUndefined();

      // A change whose job was lost after the relay had published it.
      const lost = await book(researcher, slot(12));
      await dataSource.query(`UPDATE outbox_message SET published_at = now() - interval '10 minutes' WHERE payload->>'bookingId' = $1`, [lost.id]);

      clock.set(new Date(new Date(booked.start).getTime() - HOUR - 2_000));
      const swept = await sweeper.sweep();
      expect(swept.fullRestore).toBe(true);
      expect(swept.replayed).toBe(1);
      expect(swept.enqueued).toBeGreaterThanOrEqual(2);
      expect(await queue.getJob(notificationJobId(reminder.id, reminder.generation))).toBeDefined();
      expect(await reminderRows(lost.id)).toHaveLength(1);

      await smtp.waitFor(() => reminderMails(researcher).length > 0, 10_000);
      // Sweeping again (Redis intact now) adds nothing twice.
      const again = await sweeper.sweep();
      expect(again).toMatchObject({ fullRestore: false, replayed: 0 });
      await sleep(1_500);
      expect(reminderMails(researcher)).toHaveLength(1);
    } finally {
      await queue.close();
      queueConnection.disconnect();
    }
  });

  async function idOf(bookingId: string, kind: string): Promise<{ id: string }> {
    const [row] = await dataSource.query(`SELECT id FROM notification WHERE booking_id = $1 AND kind = $2`, [bookingId, kind]);
    return row;
  }
});

async function waitForRows(read: () => Promise<any[]>, count: number, timeoutMs = 10_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await read();
    if (rows.length >= count) return rows;
    if (Date.now() > deadline) throw new Error(`expected ${count} rows, found ${rows.length}`);
    await sleep(100);
  }
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
