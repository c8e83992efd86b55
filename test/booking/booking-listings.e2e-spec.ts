import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';

const HOUR = 3600_000;

/** What the lab console and My bookings read: an institution's bookings with the booker's name, and the shared rules. */
describe('booking listings and policy (e2e)', () => {
  let app: TestApp;
  let fixtures: CatalogFixtures;

  beforeAll(async () => {
    app = await startTestApp(BookingModule, { clock: new ManualClock('2026-12-01T00:00:00Z'), env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    const dataSource = app.app.get(DataSource);
    const tokens = app.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(dataSource, app.http, (user) => tokens.sign(user));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists every instrument’s bookings of an institution for its lab managers and regional staff only, with the booker’s name', async () => {
    const owner = await fixtures.institution({ regionCode: '330106' });
    const manager = await fixtures.account('lab_manager', { institutionId: owner.id });
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    const instruments = [await fixtures.instrument(owner.id), await fixtures.instrument(owner.id)];
    for (const { id } of instruments) {
      await app.http.put(`/instruments/${id}/opening-hours`, { windows: everyDay }, { token: manager.token });
      await app.http.put(`/instruments/${id}/booking-rules`, { minNoticeMinutes: 0, requiresApproval: true }, { token: manager.token });
    }
    const researcher = await fixtures.account('researcher');
    const start = new Date('2026-12-03T01:00:00Z').getTime();
    for (const [index, { id }] of instruments.entries()) {
      const booked = await app.http.post(
        '/bookings',
        { instrumentId: id, start: new Date(start + index * HOUR).toISOString(), end: new Date(start + (index + 1) * HOUR).toISOString(), mode: 'sample_submission', purpose: '检测' },
        { token: researcher.token },
      );
      expect(booked.status).toBe(201);
    }
    const page = await app.http.get(`/bookings?institutionId=${owner.id}&status=pending`, { token: manager.token });
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(2);
    expect(page.body.items.map((item: { instrumentId: string }) => item.instrumentId).sort()).toEqual(instruments.map(({ id }) => id).sort());
    expect(page.body.items[0]).toMatchObject({ userId: researcher.id, userName: 'Test researcher', purpose: '检测' });

    const otherManager = await fixtures.account('lab_manager');
    expect((await app.http.get(`/bookings?institutionId=${owner.id}`, { token: otherManager.token })).status).toBe(403);
    expect((await app.http.get(`/bookings?institutionId=${owner.id}`, { token: researcher.token })).status).toBe(403);
    const staff = await fixtures.account('department_staff', { regionCode: '330100' });
    expect((await app.http.get(`/bookings?institutionId=${owner.id}`, { token: staff.token })).body.total).toBe(2);
    const ningbo = await fixtures.account('department_staff', { regionCode: '330200' });
    expect((await app.http.get(`/bookings?institutionId=${owner.id}`, { token: ningbo.token })).status).toBe(403);
  });

  it('publishes the rules every booking shares, to anyone', async () => {
    const policy = await app.http.get('/booking-policy');
    expect(policy.status).toBe(200);
    expect(policy.body).toEqual({
      freeCancellationHours: 24,
      lateCancellationFeePercent: 50,
      checkInOpensMinutesBefore: 30,
      noShowGraceMinutes: 30,
      holdMinutes: 10,
      noShowLimit: 3,
      noShowWindowDays: 90,
      suspensionDays: 30,
    });
  });
});
