import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { expectErrorShape } from '../catalog/error-shape';

/**
 * Opening hours and free slots on the local clock of zones with daylight saving (Europe/Berlin,
 * America/New_York) across both changes, and the earliest-slot search across instruments.
 */
describe('availability across DST and the earliest-slot search (e2e)', () => {
  const clock = new ManualClock('2026-03-20T00:00:00Z');
  let testApp: TestApp;
  let fixtures: CatalogFixtures;
  let owner: { id: string };
  let manager: TestAccount;

  beforeAll(async () => {
    testApp = await startTestApp(BookingModule, { clock, env: { BOOKING_SWEEP_SECONDS: '0' } });
    const tokens = testApp.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http, (user) => tokens.sign(user));
    owner = await fixtures.institution();
    manager = await fixtures.account('lab_manager', { institutionId: owner.id });
  });
  afterAll(() => testApp?.close());

  const everyDay = (opens: string, closes: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens, closes }));
  async function instrumentIn(timeZone: string, windows: { weekday: number; opens: string; closes: string }[], extra: Record<string, unknown> = {}): Promise<string> {
    const { id } = await fixtures.instrument(owner.id, { timeZone, ...extra });
    expect((await testApp.http.put(`/instruments/${id}/opening-hours`, { windows }, { token: manager.token })).status).toBe(200);
    const rules = { slotMinutes: 60, minDurationMinutes: 60, maxDurationMinutes: 480, minNoticeMinutes: 0, maxAdvanceDays: 60 };
    expect((await testApp.http.put(`/instruments/${id}/booking-rules`, rules, { token: manager.token })).status).toBe(200);
    return id;
  }
  const slots = async (id: string, from: string, to: string, duration = 60) => {
    const response = await testApp.http.get(`/instruments/${id}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&durationMinutes=${duration}`);
    expect(response.status).toBe(200);
    return response.body.slots as { start: string; startLocal: string }[];
  };

  describe.each([
    ['Europe/Berlin', '02:00', '2026-03-29', '2026-03-28', '2026-03-30', '2026-03-28T07:00:00.000Z', '2026-03-30T06:00:00.000Z', '2026-10-25', '2026-10-24', '2026-10-26', '2026-10-24T06:00:00.000Z', '2026-10-26T07:00:00.000Z'],
    ['America/New_York', '01:00', '2026-03-08', '2026-03-07', '2026-03-09', '2026-03-07T13:00:00.000Z', '2026-03-09T12:00:00.000Z', '2026-11-01', '2026-10-31', '2026-11-02', '2026-10-31T12:00:00.000Z', '2026-11-02T13:00:00.000Z'],
  ])('%s', (zone, repeatedHour, springDay, springBefore, springAfter, springBeforeOpening, springAfterOpening, fallDay, fallBefore, fallAfter, fallBeforeOpening, fallAfterOpening) => {
    let dayInstrument: string;
    let nightInstrument: string;
    beforeAll(async () => {
      dayInstrument = await instrumentIn(zone, everyDay('08:00', '21:00'));
      nightInstrument = await instrumentIn(zone, everyDay('22:00', '06:00'));
    });

    /** Free starts on one local date (the query reaches past it; the filter keeps that date). */
    const onLocalDate = async (id: string, date: string) => {
      const next = new Date(Date.parse(`${date}T00:00:00Z`) + 36 * 3600_000).toISOString();
      return (await slots(id, `${date}T00:00:00Z`, next)).filter((slot) => slot.startLocal.startsWith(date));
    };
    const localTimes = (list: { startLocal: string }[]) => list.map((slot) => slot.startLocal.slice(11, 16));

    it('opens at 08:00 local on both sides of the spring change', async () => {
      clock.set(`${springBefore}T00:00:00Z`);
      const before = await onLocalDate(dayInstrument, springBefore);
      const after = await onLocalDate(dayInstrument, springAfter);
      expect(before[0].start).toBe(springBeforeOpening);
      expect(after[0].start).toBe(springAfterOpening);
      expect(localTimes(before)[0]).toBe('08:00');
      expect(localTimes(after)[0]).toBe('08:00');
      expect(localTimes(before).at(-1)).toBe('20:00');
      expect(before).toHaveLength(13);
    });

    it('has one hour less in the night of the spring change, and never offers the missing hour', async () => {
      clock.set(`${springBefore}T00:00:00Z`);
      const night = await slots(nightInstrument, `${springBefore}T12:00:00Z`, `${springDay}T14:00:00Z`);
      expect(localTimes(night)).toEqual(['22:00', '23:00', '00:00', '01:00', '03:00', '04:00', '05:00']);
    });

    it('has one hour more in the night of the fall change, offering the repeated hour twice', async () => {
      clock.set(`${fallBefore}T00:00:00Z`);
      const night = await slots(nightInstrument, `${fallBefore}T12:00:00Z`, `${fallDay}T14:00:00Z`);
      const expected = ['22:00', '23:00', '00:00', '01:00', '02:00', '03:00', '04:00', '05:00'];
      expected.splice(expected.indexOf(repeatedHour), 0, repeatedHour);
      expect(localTimes(night)).toEqual(expected);
      // The two starts of the repeated hour are different instants, an hour apart.
      const repeated = night.filter((slot) => slot.startLocal.slice(11, 16) === repeatedHour);
      expect(Date.parse(repeated[1].start) - Date.parse(repeated[0].start)).toBe(3600_000);
    });

    it('opens at 08:00 local on both sides of the fall change', async () => {
      clock.set(`${fallBefore}T00:00:00Z`);
      expect((await onLocalDate(dayInstrument, fallBefore))[0].start).toBe(fallBeforeOpening);
      expect((await onLocalDate(dayInstrument, fallAfter))[0].start).toBe(fallAfterOpening);
    });

    it('accepts a booking at 08:00 local after the change and refuses 07:00', async () => {
      clock.set(`${springBefore}T00:00:00Z`);
      const researcher = await fixtures.account('researcher');
      const inHours = await testApp.http.post(
        '/bookings',
        { instrumentId: dayInstrument, start: springAfterOpening, end: new Date(Date.parse(springAfterOpening) + 3600_000).toISOString(), mode: 'sample_submission', purpose: 'DST' },
        { token: researcher.token },
      );
      expect(inHours.status).toBe(201);
      const early = await testApp.http.post(
        '/bookings',
        { instrumentId: dayInstrument, start: new Date(Date.parse(springAfterOpening) - 3600_000).toISOString(), end: springAfterOpening, mode: 'sample_submission', purpose: 'DST' },
        { token: researcher.token },
      );
      expectErrorShape(early, 422, 'OUTSIDE_OPENING_HOURS');
    });
  });

  describe('earliest-slot search', () => {
    let cheapHangzhou: string;
    let dearHangzhou: string;
    let ningbo: string;
    let internalOnly: string;
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' }));

    beforeAll(async () => {
      clock.set('2026-06-01T00:00:00Z'); // Monday 08:00 in Shanghai
      const dataSource = testApp.app.get(DataSource);
      const make = async (categoryCode: string, regionCode: string, externalRateFen: number, sharingMode: 'external' | 'internal_only' = 'external') => {
        const { id } = await fixtures.instrument(owner.id, { categoryCode, regionCode, sharingMode });
        await dataSource.query(`UPDATE instrument_fee SET external_rate_fen = $2 WHERE instrument_id = $1`, [id, externalRateFen]);
        await dataSource.query(`UPDATE instrument SET external_price_fen = $2, price_unit = 'hour' WHERE id = $1`, [id, externalRateFen]);
        expect((await testApp.http.put(`/instruments/${id}/opening-hours`, { windows: weekdays }, { token: manager.token })).status).toBe(200);
        expect((await testApp.http.put(`/instruments/${id}/booking-rules`, { minNoticeMinutes: 0 }, { token: manager.token })).status).toBe(200);
        return id;
      };
      cheapHangzhou = await make('010601', '330106', 20_000);
      dearHangzhou = await make('010601', '330108', 80_000);
      ningbo = await make('010601', '330203', 10_000);
      internalOnly = await make('010601', '330106', 5_000, 'internal_only');
      // The cheap Hangzhou instrument is taken all Monday.
      await testApp.http.post(`/instruments/${cheapHangzhou}/maintenance`, { start: '2026-06-01T08:00:00+08:00', end: '2026-06-01T21:00:00+08:00', reason: '校准' }, { token: manager.token });
    });

    const search = (query: string, token?: string) => testApp.http.get(`/slots/search?from=2026-06-01T08:00:00%2B08:00&to=2026-06-05T21:00:00%2B08:00&durationMinutes=60&${query}`, { token });

    it('ranks by earliest start, then price, and respects the filters', async () => {
      const hangzhou = await search('category=010600&region=330100');
      expect(hangzhou.status).toBe(200);
      expect(hangzhou.body.items.map((item: { instrumentId: string }) => item.instrumentId)).toEqual([dearHangzhou, cheapHangzhou]);
      expect(hangzhou.body.items[0]).toMatchObject({ startLocal: '2026-06-01T08:00:00.000+08:00', externalPriceFen: 80_000 });
      expect(hangzhou.body.items[1].startLocal).toBe('2026-06-02T08:00:00.000+08:00');
      expect(hangzhou.body.items[0].nextStarts.length).toBeGreaterThan(0);
      const everywhere = await search('category=010601');
      expect(everywhere.body.items.map((item: { instrumentId: string }) => item.instrumentId).slice(0, 2)).toEqual([ningbo, dearHangzhou]);
      expect(everywhere.body.total).toBe(3);
      const cheap = await search('category=010601&maxPriceFen=50000');
      expect(cheap.body.items.map((item: { instrumentId: string }) => item.instrumentId)).toEqual([ningbo, cheapHangzhou]);
    });

    it('shows internal-only instruments only to members, and pages', async () => {
      const member = await fixtures.account('researcher', { institutionId: owner.id });
      const asMember = await search('category=010601&pageSize=2', member.token);
      expect(asMember.body.total).toBe(4);
      expect(asMember.body.items).toHaveLength(2);
      const secondPage = await search('category=010601&pageSize=2&page=2', member.token);
      expect(secondPage.body.items.map((item: { instrumentId: string }) => item.instrumentId)).toContain(cheapHangzhou);
      expect((await search('category=010601')).body.items.map((item: { instrumentId: string }) => item.instrumentId)).not.toContain(internalOnly);
    });

    it('refuses bad ranges and codes with 400', async () => {
      expectErrorShape(await testApp.http.get('/slots/search?from=2026-06-05T00:00:00Z&to=2026-06-01T00:00:00Z&durationMinutes=60'), 400, 'VALIDATION_FAILED');
      expectErrorShape(await testApp.http.get('/slots/search?from=2026-06-01T00:00:00Z&to=2026-10-01T00:00:00Z&durationMinutes=60'), 400, 'VALIDATION_FAILED');
      expectErrorShape(await search('region=33'), 400, 'VALIDATION_FAILED');
      expectErrorShape(await search('serviceMode=teleport'), 400, 'VALIDATION_FAILED');
    });
  });
});
