import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';

/**
 * Who may do what in the booking service, route by route and role by role: the owner's lab
 * manager, another institution's lab manager, the booker, another researcher, department staff of
 * the region and of another region, an admin, and nobody (no token).
 */
describe('booking permission matrix (e2e)', () => {
  const clock = new ManualClock('2026-12-01T00:00:00Z');
  let testApp: TestApp;
  let accounts: Record<string, TestAccount | undefined>;
  let instrumentId: string;
  let ownerId: string;
  let fresh: () => Promise<string>;

  beforeAll(async () => {
    testApp = await startTestApp(BookingModule, { clock, env: { BOOKING_SWEEP_SECONDS: '0', OUTBOX_RELAY_INTERVAL_MS: '0' } });
    const tokens = testApp.app.get(AccessTokenService);
    const fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http, (user) => tokens.sign(user));
    const owner = await fixtures.institution({ regionCode: '330106' });
    ownerId = owner.id;
    accounts = {
      ownerManager: await fixtures.account('lab_manager', { institutionId: owner.id }),
      otherManager: await fixtures.account('lab_manager'),
      booker: await fixtures.account('researcher'),
      otherResearcher: await fixtures.account('researcher'),
      regionStaff: await fixtures.account('department_staff', { regionCode: '330100' }),
      otherRegionStaff: await fixtures.account('department_staff', { regionCode: '330200' }),
      admin: await fixtures.account('admin'),
      anonymous: undefined,
    };
    ({ id: instrumentId } = await fixtures.instrument(owner.id, { regionCode: '330106' }));
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' }));
    await testApp.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: weekdays }, { token: accounts.ownerManager!.token });
    await testApp.http.put(`/instruments/${instrumentId}/booking-rules`, { requiresApproval: true, maxAdvanceDays: 300 }, { token: accounts.ownerManager!.token });
    let day = 0;
    // A new pending booking by the booker on a new weekday each time.
    fresh = async () => {
      const date = new Date(Date.UTC(2026, 11, 2) + day++ * 24 * 3600_000);
      if ([0, 6].includes(date.getUTCDay())) return fresh();
      const start = `${date.toISOString().slice(0, 10)}T09:00:00+08:00`;
      const end = `${date.toISOString().slice(0, 10)}T10:00:00+08:00`;
      const created = await testApp.http.post('/bookings', { instrumentId, start, end, mode: 'sample_submission', purpose: 'matrix' }, { token: accounts.booker!.token });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
  });
  afterAll(() => testApp?.close());

  type Expectation = Record<string, number>;
  const roles = ['ownerManager', 'otherManager', 'booker', 'otherResearcher', 'regionStaff', 'otherRegionStaff', 'admin', 'anonymous'];

  const cases: [string, (token: string | undefined) => Promise<number>, Expectation][] = [
    [
      'PUT opening hours',
      async (token) => (await testApp.http.put(`/instruments/${instrumentId}/opening-hours?dryRun=true`, { windows: [] }, { token })).status,
      { ownerManager: 200, otherManager: 403, booker: 403, otherResearcher: 403, regionStaff: 403, otherRegionStaff: 403, admin: 200, anonymous: 401 },
    ],
    [
      'POST maintenance',
      async (token) =>
        (await testApp.http.post(`/instruments/${instrumentId}/maintenance`, { start: '2027-02-01T08:00:00+08:00', end: '2027-02-01T09:00:00+08:00', reason: 'x' }, { token })).status,
      { ownerManager: 201, otherManager: 403, booker: 403, otherResearcher: 403, regionStaff: 403, otherRegionStaff: 403, admin: 409, anonymous: 401 },
    ],
    [
      'POST institution closure',
      async (token) => (await testApp.http.post(`/institutions/${ownerId}/closures`, { startsOn: '2027-03-01', endsOn: '2027-03-01', reason: 'x' }, { token })).status,
      { ownerManager: 201, otherManager: 403, booker: 403, otherResearcher: 403, regionStaff: 403, otherRegionStaff: 403, admin: 201, anonymous: 401 },
    ],
    [
      'GET a booking',
      async (token) => (await testApp.http.get(`/bookings/${await fresh()}`, { token })).status,
      { ownerManager: 200, otherManager: 404, booker: 200, otherResearcher: 404, regionStaff: 200, otherRegionStaff: 404, admin: 200, anonymous: 401 },
    ],
    [
      'GET an instrument’s bookings',
      async (token) => (await testApp.http.get(`/bookings?instrumentId=${instrumentId}`, { token })).status,
      { ownerManager: 200, otherManager: 403, booker: 403, otherResearcher: 403, regionStaff: 200, otherRegionStaff: 403, admin: 200, anonymous: 401 },
    ],
    [
      'approve a request',
      async (token) => (await testApp.http.post(`/bookings/${await fresh()}/approve`, {}, { token })).status,
      { ownerManager: 200, otherManager: 404, booker: 403, otherResearcher: 404, regionStaff: 403, otherRegionStaff: 404, admin: 200, anonymous: 401 },
    ],
    [
      'cancel a booking',
      async (token) => (await testApp.http.post(`/bookings/${await fresh()}/cancel`, { reason: 'matrix' }, { token })).status,
      { ownerManager: 200, otherManager: 404, booker: 200, otherResearcher: 404, regionStaff: 403, otherRegionStaff: 404, admin: 200, anonymous: 401 },
    ],
    [
      'book',
      async (token) =>
        (
          await testApp.http.post(
            '/bookings',
            { instrumentId, start: '2027-01-04T13:00:00+08:00', end: '2027-01-04T14:00:00+08:00', mode: 'sample_submission', purpose: 'matrix' },
            { token },
          )
        ).status,
      { ownerManager: 201, otherManager: 409, booker: 409, otherResearcher: 409, regionStaff: 403, otherRegionStaff: 403, admin: 409, anonymous: 401 },
    ],
    [
      'GET busy time (public)',
      async (token) => (await testApp.http.get(`/instruments/${instrumentId}/busy?from=2026-12-01T00:00:00Z&to=2026-12-31T00:00:00Z`, { token })).status,
      { ownerManager: 200, otherManager: 200, booker: 200, otherResearcher: 200, regionStaff: 200, otherRegionStaff: 200, admin: 200, anonymous: 200 },
    ],
  ];

  it.each(cases)('%s', async (_name, call, expected) => {
    const actual: Expectation = {};
    for (const role of roles) actual[role] = await call(accounts[role]?.token);
    expect(actual).toEqual(expected);
  });
});
