import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { BookingsService } from '../../apps/booking/src/bookings/bookings.service';

const HOUR = 3600_000;

/**
 * The waitlist: freed time goes to the first in line as a hold, in the same transaction that frees
 * it; a lapsed offer passes to the next in line; a submitted offer becomes the booking.
 */
describe('waitlist (e2e)', () => {
  let clock: ManualClock;
  let app: TestApp;
  let dataSource: DataSource;
  let fixtures: CatalogFixtures;
  let instrumentId: string;
  let base: number;

  beforeAll(async () => {
    clock = new ManualClock('2026-12-01T00:00:00Z');
    app = await startTestApp(BookingModule, { clock, env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    dataSource = app.app.get(DataSource);
    const tokens = app.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(dataSource, app.http, (user) => tokens.sign(user));
    const owner = await fixtures.institution();
    const manager = await fixtures.account('lab_manager', { institutionId: owner.id });
    ({ id: instrumentId } = await fixtures.instrument(owner.id));
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    expect((await app.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: everyDay }, { token: manager.token })).status).toBe(200);
    expect((await app.http.put(`/instruments/${instrumentId}/booking-rules`, { minNoticeMinutes: 0 }, { token: manager.token })).status).toBe(200);
    base = new Date('2026-12-02T02:00:00Z').getTime();
  });

  afterAll(async () => {
    await app?.close();
  });

  const at = (hours: number) => new Date(base + hours * HOUR).toISOString();
  const join = (user: TestAccount, fromHours: number, toHours: number, durationMinutes = 120) =>
    app.http.post(`/instruments/${instrumentId}/waitlist`, { from: at(fromHours), to: at(toHours), durationMinutes, mode: 'sample_submission', purpose: '候补' }, { token: user.token });
  const mine = async (user: TestAccount) => (await app.http.get('/waitlist/mine', { token: user.token })).body;

  it('offers freed time to the first in line, then to the next when the offer lapses', async () => {
    const [holder, first, second] = [await fixtures.account('researcher'), await fixtures.account('researcher'), await fixtures.account('researcher')];
    const taken = await app.http.post('/bookings', { instrumentId, start: at(0), end: at(2), mode: 'sample_submission', purpose: '占用' }, { token: holder.token });
    expect(taken.status).toBe(201);

    const firstEntry = await join(first, 0, 2);
    const secondEntry = await join(second, 0, 2);
    expect(firstEntry.status).toBe(201);
    expect(firstEntry.body).toMatchObject({ status: 'waiting', position: 1 });
    expect(secondEntry.body).toMatchObject({ status: 'waiting', position: 2 });

    expect((await app.http.post(`/bookings/${taken.body.id}/cancel`, {}, { token: holder.token })).status).toBe(200);
    const [offer] = await mine(first);
    expect(offer).toMatchObject({ status: 'offered', holdExpiresAt: new Date(clock.now().getTime() + HOUR).toISOString() });
    const hold = (await app.http.get(`/bookings/${offer.offeredBookingId}`, { token: first.token })).body;
    expect(hold).toMatchObject({ status: 'held', start: at(0), end: at(2), userId: first.id });
    expect((await mine(second))[0]).toMatchObject({ status: 'waiting', position: 1 });
    // The hold was written with its outbox message: the worker tells the user.
    const [event] = await dataSource.query(`SELECT topic FROM outbox_message WHERE payload->>'bookingId' = $1`, [hold.id]);
    expect(event.topic).toBe('booking.held');

    // The first lets the offer lapse: it passes to the second.
    clock.advance(HOUR + 60_000);
    await app.app.get(BookingsService).sweep();
    expect((await mine(first))[0].status).toBe('expired');
    const [secondOffer] = await mine(second);
    expect(secondOffer.status).toBe('offered');

    const booked = await app.http.post(
      '/bookings',
      { instrumentId, start: at(0), end: at(2), mode: 'sample_submission', purpose: '候补成功', holdId: secondOffer.offeredBookingId },
      { token: second.token },
    );
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ id: secondOffer.offeredBookingId, status: 'confirmed' });
    expect((await mine(second))[0].status).toBe('booked');
  });

  it('offers at once when the window already has room, and lets a user leave the line', async () => {
    const [user, other] = [await fixtures.account('researcher'), await fixtures.account('researcher')];
    const immediate = await join(user, 24, 30);
    expect(immediate.body).toMatchObject({ status: 'offered' });

    const blocker = await fixtures.account('researcher');
    expect((await app.http.post('/bookings', { instrumentId, start: at(48), end: at(50), mode: 'sample_submission', purpose: 'x' }, { token: blocker.token })).status).toBe(201);
    const waiting = await join(other, 48, 50);
    expect(waiting.body.status).toBe('waiting');
    const left = await app.http.post(`/waitlist/${waiting.body.id}/leave`, {}, { token: other.token });
    expect(left.status).toBe(200);
    expect(left.body.status).toBe('cancelled');
    expect((await app.http.post(`/waitlist/${waiting.body.id}/leave`, {}, { token: other.token })).status).toBe(409);
    expect((await app.http.post(`/waitlist/${waiting.body.id}/leave`, {}, { token: user.token })).status).toBe(404);
  });

  it('refuses a window that cannot hold the duration, and unknown fields', async () => {
    const user = await fixtures.account('researcher');
    const short = await join(user, 60, 61);
    expect(short.status).toBe(422);
    expect(short.body.code).toBe('WAITLIST_WINDOW_INVALID');
    const extra = await app.http.post(
      `/instruments/${instrumentId}/waitlist`,
      { from: at(60), to: at(64), durationMinutes: 60, mode: 'sample_submission', priority: 1 },
      { token: user.token },
    );
    expect(extra.status).toBe(400);
    const staff = await fixtures.account('department_staff');
    expect((await join(staff, 60, 64)).status).toBe(403);
  });
});
