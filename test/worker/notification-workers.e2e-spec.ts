import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { AppProcess, CatalogFixtures, MailVerdict, TestApp, TestSmtpServer, startAppProcess, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { OutboxRelay } from '../../apps/booking/src/outbox/outbox-relay';

const HOUR = 3600_000;
const REQUESTS = 30;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Exactly once with real worker processes: one worker is killed (SIGKILL, no shutdown hooks) while
 * it is sending, then two workers run side by side; every due message still arrives exactly once.
 *
 * The SMTP server holds the message that triggers the kill (and any other arriving meanwhile)
 * unanswered until the worker is dead, and lets messages already accepted be recorded first: the
 * one window the design leaves open (SMTP accepted, `sent` not yet written, about a millisecond)
 * is documented, not provoked, because no client can close it.
 */
describe('notifications with worker processes (e2e)', () => {
  let smtp: TestSmtpServer;
  let booking: TestApp;
  let dataSource: DataSource;
  let workers: AppProcess[] = [];
  let killFirstWorker: (() => Promise<void>) | null = null;
  let orphansAtKill = -1;

  beforeAll(async () => {
    let gate: Promise<void> | null = null;
    smtp = await TestSmtpServer.start({
      beforeAccept: async (): Promise<MailVerdict> => {
        if (gate) {
          await gate;
          return 'refuse';
        }
        if (killFirstWorker && smtp.mails.length >= 20) {
          const kill = killFirstWorker;
          killFirstWorker = null;
          let open = () => undefined as void;
          gate = new Promise<void>((resolve) => (open = resolve));
          // Messages accepted just before get their `sent` recorded; then the sender dies mid-send.
          await sleep(300);
          await kill();
          gate = null;
          open();
          return 'refuse';
        }
        return 'accept';
      },
    });
    booking = await startTestApp(BookingModule, { env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    dataSource = booking.app.get(DataSource);
    const tokens = booking.app.get(AccessTokenService);
    const fixtures = new CatalogFixtures(dataSource, booking.http, (user) => tokens.sign(user));
    const owner = await fixtures.institution();
    const manager = await fixtures.account('lab_manager', { institutionId: owner.id });
    const { id: instrumentId } = await fixtures.instrument(owner.id);
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    expect((await booking.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: everyDay }, { token: manager.token })).status).toBe(200);
    expect((await booking.http.put(`/instruments/${instrumentId}/booking-rules`, { minNoticeMinutes: 0, requiresApproval: true }, { token: manager.token })).status).toBe(200);

    // 30 requests (a notice to the lab manager each), all approved (a notice to each booker): 60 messages due now.
    const firstStart = Math.ceil(Date.now() / HOUR) * HOUR + 48 * HOUR;
    for (let index = 0; index < REQUESTS; index++) {
      const researcher = await fixtures.account('researcher');
      const start = new Date(firstStart + index * HOUR);
      const requested = await booking.http.post(
        '/bookings',
        { instrumentId, start: start.toISOString(), end: new Date(start.getTime() + HOUR).toISOString(), mode: 'sample_submission', purpose: 'exactly once' },
        { token: researcher.token },
      );
      expect(requested.status).toBe(201);
      expect((await booking.http.post(`/bookings/${requested.body.id}/approve`, {}, { token: manager.token })).status).toBe(200);
    }
    expect(await booking.app.get(OutboxRelay).relayAll()).toBe(2 * REQUESTS);
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await booking?.close();
    await smtp?.close();
  });

  const workerEnv = () => ({
    DATABASE_URL: booking.database.url,
    REDIS_KEY_PREFIX: booking.config.REDIS_KEY_PREFIX,
    SMTP_URL: smtp.url,
    NOTIFICATION_LEASE_SECONDS: '3',
    NOTIFICATION_SWEEP_SECONDS: '1',
    NOTIFICATION_RETRY_SECONDS: '1',
    OUTBOX_REPLAY_AFTER_SECONDS: '3',
  });

  it('sends every due message exactly once although a worker is killed mid-send and two workers run', async () => {
    let first: AppProcess | null = null;
    let killed!: () => void;
    const killedNow = new Promise<void>((resolve) => (killed = resolve));
    killFirstWorker = async () => {
      while (!first) await sleep(10);
      await first.kill();
      [{ orphansAtKill }] = await dataSource.query(`SELECT count(*)::int AS "orphansAtKill" FROM notification WHERE state = 'sending'`);
      killed();
    };
    first = await startAppProcess('worker', workerEnv());
    workers.push(first);
    await killedNow;
    // The killed worker held claims it never finished: they wait for their lease to expire.
    expect(orphansAtKill).toBeGreaterThanOrEqual(1);

    // A restarted worker and a second one, side by side.
    workers = await Promise.all([startAppProcess('worker', workerEnv()), startAppProcess('worker', workerEnv())]);
    await smtp.waitFor((mails) => mails.length >= 2 * REQUESTS, 40_000);
    await sleep(2_000);

    const ids = smtp.mails.map((mail) => mail.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(2 * REQUESTS);
    const states: { state: string; count: number }[] = await dataSource.query(
      `SELECT state, count(*)::int AS count FROM notification WHERE due_at <= now() GROUP BY state ORDER BY state`,
    );
    expect(states).toEqual([{ state: 'sent', count: 2 * REQUESTS }]);
    const sentIds: { id: string }[] = await dataSource.query(`SELECT id FROM notification WHERE state = 'sent' ORDER BY id`);
    expect(ids.sort()).toEqual(sentIds.map(({ id }) => `<notification-${id}@instrument-marketplace>`).sort());
  });
});
