import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { QUEUES, outboxJobId, queuePrefix } from '@app/queue';
import { CatalogFixtures, TestAccount, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { OutboxRelay } from '../../apps/booking/src/outbox/outbox-relay';

/**
 * Booking events reach the worker's queue through the transactional outbox: a change committed while
 * Redis is down is delivered once Redis is back; a change rolled back is never delivered; relaying
 * again never adds a job twice.
 */
describe('transactional outbox (e2e)', () => {
  let withoutRedis: TestApp;
  let withRedis: TestApp;
  let dataSource: DataSource;
  let researcher: TestAccount;
  let otherResearcher: TestAccount;
  let instrumentId: string;
  let queue: Queue;
  let queueConnection: Redis;

  beforeAll(async () => {
    // Booking app #1 cannot reach Redis at all; its relay keeps trying.
    withoutRedis = await startTestApp(BookingModule, { env: { REDIS_URL: 'redis://127.0.0.1:1', OUTBOX_RELAY_INTERVAL_MS: '100', BOOKING_SWEEP_SECONDS: '0' } });
    dataSource = withoutRedis.app.get(DataSource);
    const tokens = withoutRedis.app.get(AccessTokenService);
    const fixtures = new CatalogFixtures(dataSource, withoutRedis.http, (user) => tokens.sign(user));
    const owner = await fixtures.institution();
    const manager = await fixtures.account('lab_manager', { institutionId: owner.id });
    researcher = await fixtures.account('researcher');
    otherResearcher = await fixtures.account('researcher');
    ({ id: instrumentId } = await fixtures.instrument(owner.id));
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    expect((await withoutRedis.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: everyDay }, { token: manager.token })).status).toBe(200);
    expect((await withoutRedis.http.put(`/instruments/${instrumentId}/booking-rules`, { minNoticeMinutes: 0 }, { token: manager.token })).status).toBe(200);
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    queueConnection?.disconnect();
    await withRedis?.close();
    await withoutRedis?.close();
  });

  const slot = (hoursAhead: number) => {
    const start = new Date(Math.ceil(Date.now() / 3600_000) * 3600_000 + hoursAhead * 3600_000);
    return { instrumentId, start: start.toISOString(), end: new Date(start.getTime() + 3600_000).toISOString(), mode: 'sample_submission', purpose: 'outbox' };
  };
  const outboxOf = async (bookingId: string) =>
    dataSource.query(`SELECT id, topic, published_at, attempts, last_error FROM outbox_message WHERE payload->>'bookingId' = $1 ORDER BY id`, [bookingId]);

  it('keeps a change committed while Redis is down in the outbox', async () => {
    const booked = await withoutRedis.http.post('/bookings', slot(48), { token: researcher.token });
    expect(booked.status).toBe(201);
    // Several relay rounds (every 100 ms) fail meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const messages = await outboxOf(booked.body.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ topic: 'booking.requested', published_at: null });
    await expect(withoutRedis.app.get(OutboxRelay).relayAll()).rejects.toThrow(/Redis/);
  });

  it('never writes a message for a change that was rolled back', async () => {
    const [{ before }] = await dataSource.query(`SELECT count(*)::int AS before FROM outbox_message`);
    const clash = await withoutRedis.http.post('/bookings', slot(48), { token: otherResearcher.token });
    expect(clash.status).toBe(409);
    const [{ after }] = await dataSource.query(`SELECT count(*)::int AS after FROM outbox_message`);
    expect(after).toBe(before);
  });

  it('delivers everything once Redis is reachable, each message as one job, however often it is relayed', async () => {
    withRedis = await startTestApp(BookingModule, { database: withoutRedis.database, env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    const cancelled = await withRedis.http.post('/bookings', slot(72), { token: researcher.token });
    await withRedis.http.post(`/bookings/${cancelled.body.id}/cancel`, {}, { token: researcher.token });

    const relay = withRedis.app.get(OutboxRelay);
    const delivered = await relay.relayAll();
    expect(delivered).toBeGreaterThanOrEqual(3);
    const [{ waiting }] = await dataSource.query(`SELECT count(*)::int AS waiting FROM outbox_message WHERE published_at IS NULL`);
    expect(waiting).toBe(0);

    queueConnection = new Redis(withRedis.config.REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUES.bookingEvents, { connection: queueConnection, prefix: queuePrefix(withRedis.config) });
    const messages: { id: string; topic: string }[] = await dataSource.query(`SELECT id, topic FROM outbox_message ORDER BY id`);
    for (const message of messages) {
      const job = await queue.getJob(outboxJobId(message.id));
      expect(job?.name).toBe(message.topic);
    }
    const cancellation = (await outboxOf(cancelled.body.id)).map((message: { topic: string }) => message.topic);
    expect(cancellation).toEqual(['booking.requested', 'booking.cancelled']);
    const job = await queue.getJob(outboxJobId((await outboxOf(cancelled.body.id))[1].id));
    expect(job?.data).toMatchObject({ bookingId: cancelled.body.id, type: 'cancelled', from: 'confirmed', to: 'cancelled', actorId: researcher.id });

    // A relay that died after adding the jobs but before marking them adds them again: still one job each.
    await dataSource.query(`UPDATE outbox_message SET published_at = NULL`);
    await relay.relayAll();
    expect(await queue.count()).toBe(messages.length);
  });
});
