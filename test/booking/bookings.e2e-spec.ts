import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { BookingsService } from '../../apps/booking/src/bookings/bookings.service';
import { expectErrorShape } from '../catalog/error-shape';

/**
 * The booking service over HTTP against the real PostgreSQL: published hours and rules, free slots,
 * requests, clashes, holds, idempotency, decisions, cancellation, check-in/out and no-shows.
 * The clock starts on Tuesday 2026-12-01 08:00 in Shanghai.
 */
describe('bookings (e2e)', () => {
  const clock = new ManualClock('2026-12-01T00:00:00Z');
  let testApp: TestApp;
  let fixtures: CatalogFixtures;
  let owner: { id: string };
  let manager: TestAccount;
  let member: TestAccount;
  let outsider: TestAccount;
  let otherOutsider: TestAccount;
  let staff: TestAccount;
  let instrumentId: string;

  beforeAll(async () => {
    testApp = await startTestApp(BookingModule, { clock, env: { BOOKING_SWEEP_SECONDS: '0' } });
    const tokens = testApp.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http, (user) => tokens.sign(user));
    owner = await fixtures.institution();
    manager = await fixtures.account('lab_manager', { institutionId: owner.id });
    member = await fixtures.account('researcher', { institutionId: owner.id });
    outsider = await fixtures.account('researcher');
    otherOutsider = await fixtures.account('firm_member');
    staff = await fixtures.account('department_staff', { regionCode: '330100' });
    ({ id: instrumentId } = await fixtures.instrument(owner.id));
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' }));
    expect((await testApp.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: weekdays }, { token: manager.token })).status).toBe(200);
    const rules = { slotMinutes: 30, minDurationMinutes: 60, maxDurationMinutes: 240, bufferMinutes: 15, minNoticeMinutes: 60, maxAdvanceDays: 30, maxMinutesPerDay: 300 };
    expect((await testApp.http.put(`/instruments/${instrumentId}/booking-rules`, rules, { token: manager.token })).status).toBe(200);
  });
  afterAll(() => testApp?.close());

  const book = (account: TestAccount, start: string, end: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    testApp.http.post('/bookings', { instrumentId, start, end, mode: 'sample_submission', purpose: '测试样品', ...extra }, { token: account.token, headers });

  describe('publishing', () => {
    it('shows the published hours and rules to anyone, in the instrument’s zone', async () => {
      const published = await testApp.http.get(`/instruments/${instrumentId}/booking-rules`);
      expect(published.status).toBe(200);
      expect(published.body).toMatchObject({ timeZone: 'Asia/Shanghai', rules: { slotMinutes: 30, bufferMinutes: 15, maxMinutesPerDay: 300 } });
      expect(published.body.weeklyHours).toHaveLength(5);
      expect(published.body.weeklyHours[0]).toEqual({ weekday: 1, opens: '08:00', closes: '21:00' });
    });

    it('lets only lab managers of the owner publish', async () => {
      const otherManager = await fixtures.account('lab_manager');
      for (const account of [member, outsider, otherManager]) {
        const response = await testApp.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: [] }, { token: account.token });
        expect(response.status).toBe(403);
      }
      expect((await testApp.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: [] })).status).toBe(401);
    });

    it('refuses malformed hours and rules with field messages', async () => {
      const badHours = await testApp.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: [{ weekday: 8, opens: '25:00', closes: '9' }] }, { token: manager.token });
      expectErrorShape(badHours, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(badHours.body.details)).toMatch(/weekday/);
      const badRules = await testApp.http.put(`/instruments/${instrumentId}/booking-rules`, { slotMinutes: 7, minDurationMinutes: 60, maxDurationMinutes: 30 }, { token: manager.token });
      expectErrorShape(badRules, 400, 'VALIDATION_FAILED');
    });
  });

  describe('free slots', () => {
    it('lists the start times of a day on the local clock, honouring notice', async () => {
      const day = await testApp.http.get(`/instruments/${instrumentId}/slots?from=2026-12-02T00:00:00%2B08:00&to=2026-12-03T00:00:00%2B08:00&durationMinutes=60`);
      expect(day.status).toBe(200);
      expect(day.body.timeZone).toBe('Asia/Shanghai');
      const locals = day.body.slots.map((slot: { startLocal: string }) => slot.startLocal.slice(11, 16));
      expect(locals[0]).toBe('08:00');
      expect(locals[locals.length - 1]).toBe('20:00');
      expect(locals).toHaveLength(25);
      expect(day.body.slots[0].start).toBe('2026-12-02T00:00:00.000Z');
      // Today (Tuesday 08:00 now): one hour of notice, so 09:00 is the first.
      const today = await testApp.http.get(`/instruments/${instrumentId}/slots?from=2026-12-01T00:00:00%2B08:00&to=2026-12-02T00:00:00%2B08:00&durationMinutes=60`);
      expect(today.body.slots[0].startLocal.slice(11, 16)).toBe('09:00');
      // Saturday: closed.
      const saturday = await testApp.http.get(`/instruments/${instrumentId}/slots?from=2026-12-05T00:00:00%2B08:00&to=2026-12-06T00:00:00%2B08:00&durationMinutes=60`);
      expect(saturday.body.slots).toEqual([]);
    });

    it('refuses ranges over 90 days, reversed ranges, unaligned durations and local times without an offset', async () => {
      const path = (query: string) => `/instruments/${instrumentId}/slots?${query}`;
      expectErrorShape(await testApp.http.get(path('from=2026-12-02T00:00:00Z&to=2027-03-05T00:00:00Z&durationMinutes=60')), 400, 'VALIDATION_FAILED');
      expectErrorShape(await testApp.http.get(path('from=2026-12-03T00:00:00Z&to=2026-12-02T00:00:00Z&durationMinutes=60')), 400, 'VALIDATION_FAILED');
      expectErrorShape(await testApp.http.get(path('from=2026-12-02T00:00:00Z&to=2026-12-03T00:00:00Z&durationMinutes=45')), 400, 'NOT_ALIGNED');
      expectErrorShape(await testApp.http.get(path('from=2026-12-02T00:00:00&to=2026-12-03T00:00:00Z&durationMinutes=60')), 400, 'VALIDATION_FAILED');
      expectErrorShape(await testApp.http.get('/instruments/not-a-uuid/slots?from=2026-12-02T00:00:00Z&to=2026-12-03T00:00:00Z&durationMinutes=60'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('requests and clashes', () => {
    it('confirms a request at once, quoting the external rate to outsiders and the internal one to members', async () => {
      const booked = await book(outsider, '2026-12-02T09:00:00+08:00', '2026-12-02T10:00:00+08:00');
      expect(booked.status).toBe(201);
      expect(booked.body).toMatchObject({
        status: 'confirmed',
        start: '2026-12-02T01:00:00.000Z',
        startLocal: '2026-12-02T09:00:00.000+08:00',
        userId: outsider.id,
        quote: { unit: 'hour', rateFen: 50_000, amountFen: 50_000, internal: false },
      });
      const internal = await book(member, '2026-12-03T09:00:00+08:00', '2026-12-03T10:30:00+08:00');
      expect(internal.body.quote).toEqual({ unit: 'hour', rateFen: 20_000, amountFen: 30_000, internal: true });
    });

    it('answers a clash with 409 and the interval in the way (buffer included), never whose it is', async () => {
      const clash = await book(otherOutsider, '2026-12-02T09:30:00+08:00', '2026-12-02T10:30:00+08:00');
      expectErrorShape(clash, 409, 'SLOT_TAKEN');
      expect(clash.body.details).toEqual({ clash: { start: '2026-12-02T01:00:00.000Z', end: '2026-12-02T02:15:00.000Z' } });
      expect(clash.text).not.toContain(outsider.id);
      // The buffer keeps 10:00-10:15 for cleaning; 10:30 is free.
      expectErrorShape(await book(otherOutsider, '2026-12-02T10:00:00+08:00', '2026-12-02T11:00:00+08:00'), 409, 'SLOT_TAKEN');
      expect((await book(otherOutsider, '2026-12-02T10:30:00+08:00', '2026-12-02T11:30:00+08:00')).status).toBe(201);
    });

    it('refuses taken time from the busy-time index only when nothing else applies, and never from an outdated one', async () => {
      // An instrument without per-user caps (with caps, the full way answers: they need the user's bookings).
      const { id: uncapped } = await fixtures.instrument(owner.id);
      await testApp.http.put(`/instruments/${uncapped}/opening-hours`, { windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' })) }, { token: manager.token });
      await testApp.http.put(`/instruments/${uncapped}/booking-rules`, { slotMinutes: 30, minDurationMinutes: 60, maxDurationMinutes: 240, bufferMinutes: 15, minNoticeMinutes: 60, maxAdvanceDays: 30 }, { token: manager.token });
      const bookUncapped = (account: TestAccount, start: string, end: string) =>
        testApp.http.post('/bookings', { instrumentId: uncapped, start, end, mode: 'sample_submission', purpose: '测试样品' }, { token: account.token });
      const taken = await bookUncapped(outsider, '2026-12-04T14:00:00+08:00', '2026-12-04T15:00:00+08:00');
      expect(taken.status).toBe(201);
      expectErrorShape(await bookUncapped(otherOutsider, '2026-12-04T14:00:00+08:00', '2026-12-04T15:00:00+08:00'), 409, 'SLOT_TAKEN');
      // The answers the full way gives before looking at the time: a broken rule, a role that cannot book.
      expectErrorShape(await bookUncapped(otherOutsider, '2026-12-04T14:30:00+08:00', '2026-12-04T15:00:00+08:00'), 422, 'TOO_SHORT');
      expectErrorShape(await bookUncapped(otherOutsider, '2026-12-04T14:15:00+08:00', '2026-12-04T15:15:00+08:00'), 400, 'NOT_ALIGNED');
      expect((await bookUncapped(staff, '2026-12-04T14:00:00+08:00', '2026-12-04T15:00:00+08:00')).status).toBe(403);
      const hold = await testApp.http.post('/holds', { instrumentId: uncapped, start: '2026-12-04T14:00:00+08:00', end: '2026-12-04T15:00:00+08:00', mode: 'sample_submission' }, { token: otherOutsider.token });
      expectErrorShape(hold, 409, 'SLOT_TAKEN');
      expect(hold.body.details).toEqual({ clash: { start: '2026-12-04T06:00:00.000Z', end: '2026-12-04T07:15:00.000Z' } });
      // Cancelled, the time is free for the very next request: the index syncs after a request arrives.
      expect((await testApp.http.post(`/bookings/${taken.body.id}/cancel`, {}, { token: outsider.token })).body.status).toBe('cancelled');
      expect((await bookUncapped(otherOutsider, '2026-12-04T14:00:00+08:00', '2026-12-04T15:00:00+08:00')).status).toBe(201);
    });

    it('shows busy time to anyone without personal data, and the booking itself only to those allowed', async () => {
      const busy = await testApp.http.get(`/instruments/${instrumentId}/busy?from=2026-12-02T00:00:00%2B08:00&to=2026-12-03T00:00:00%2B08:00`);
      expect(busy.status).toBe(200);
      expect(busy.body[0]).toEqual({ start: '2026-12-02T01:00:00.000Z', end: '2026-12-02T02:15:00.000Z', kind: 'booked' });
      expect(busy.text).not.toMatch(/userId|purpose|测试样品/);
      const mine = await testApp.http.get('/bookings?mine=true', { token: outsider.token });
      const id = mine.body.items[0].id;
      expect((await testApp.http.get(`/bookings/${id}`, { token: otherOutsider.token })).status).toBe(404);
      expect((await testApp.http.get(`/bookings/${id}`, { token: manager.token })).body.purpose).toBe('测试样品');
      expect((await testApp.http.get(`/bookings/${id}`, { token: staff.token })).body.userId).toBe(outsider.id);
      expect((await testApp.http.get(`/bookings?instrumentId=${instrumentId}`, { token: manager.token })).body.total).toBeGreaterThanOrEqual(3);
      expect((await testApp.http.get(`/bookings?instrumentId=${instrumentId}`, { token: otherOutsider.token })).status).toBe(403);
    });
  });

  describe('rules', () => {
    const cases: [string, string, string, Record<string, unknown>, number][] = [
      ['OUTSIDE_OPENING_HOURS', '2026-12-04T20:30:00+08:00', '2026-12-04T21:30:00+08:00', {}, 422],
      ['OUTSIDE_OPENING_HOURS', '2026-12-05T09:00:00+08:00', '2026-12-05T10:00:00+08:00', {}, 422],
      ['NOT_ALIGNED', '2026-12-04T09:10:00+08:00', '2026-12-04T10:10:00+08:00', {}, 400],
      ['TOO_SHORT', '2026-12-04T09:00:00+08:00', '2026-12-04T09:30:00+08:00', {}, 422],
      ['TOO_LONG', '2026-12-04T09:00:00+08:00', '2026-12-04T13:30:00+08:00', {}, 422],
      ['TOO_SOON', '2026-12-01T08:30:00+08:00', '2026-12-01T09:30:00+08:00', {}, 422],
      ['TOO_FAR_AHEAD', '2027-01-04T09:00:00+08:00', '2027-01-04T10:00:00+08:00', {}, 422],
      ['QUALIFICATION_REQUIRED', '2026-12-04T09:00:00+08:00', '2026-12-04T10:00:00+08:00', { mode: 'self_operated' }, 422],
    ];
    it.each(cases)('refuses %s', async (code, start, end, extra, status) => {
      const response = await book(otherOutsider, start, end, extra);
      expectErrorShape(response, status, code);
    });

    it('caps the minutes per user and local day', async () => {
      expect((await book(otherOutsider, '2026-12-07T09:00:00+08:00', '2026-12-07T13:00:00+08:00')).status).toBe(201);
      const over = await book(otherOutsider, '2026-12-07T14:00:00+08:00', '2026-12-07T15:30:00+08:00');
      expectErrorShape(over, 422, 'DAILY_LIMIT_EXCEEDED');
      expect(over.body.details).toEqual({ limitMinutes: 300, bookedMinutes: 240 });
      expect((await book(otherOutsider, '2026-12-07T14:00:00+08:00', '2026-12-07T15:00:00+08:00')).status).toBe(201);
      // Caps come before the time, also when it is taken (the busy-time index leaves capped instruments to the full way).
      expect((await book(outsider, '2026-12-07T16:00:00+08:00', '2026-12-07T17:00:00+08:00')).status).toBe(201);
      expectErrorShape(await book(otherOutsider, '2026-12-07T16:00:00+08:00', '2026-12-07T17:00:00+08:00'), 422, 'DAILY_LIMIT_EXCEEDED');
    });

    it('refuses a service mode the instrument does not offer, and caps the minutes per local week', async () => {
      const { id: samplesOnly } = await fixtures.instrument(owner.id, { serviceModes: ['sample_submission'] });
      await testApp.http.put(`/instruments/${samplesOnly}/opening-hours`, { windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' })) }, { token: manager.token });
      await testApp.http.put(`/instruments/${samplesOnly}/booking-rules`, { maxMinutesPerWeek: 180 }, { token: manager.token });
      const request = (start: string, end: string, mode = 'sample_submission') =>
        testApp.http.post('/bookings', { instrumentId: samplesOnly, start, end, mode, purpose: '周上限' }, { token: outsider.token });
      const refused = await request('2026-12-14T09:00:00+08:00', '2026-12-14T10:00:00+08:00', 'self_operated');
      expectErrorShape(refused, 422, 'MODE_NOT_OFFERED');
      expect(refused.body.details).toEqual({ offered: ['sample_submission'] });
      // Monday and Wednesday of one local week: 120 + 60 minutes fill the week; Friday is one hour too many.
      expect((await request('2026-12-14T09:00:00+08:00', '2026-12-14T11:00:00+08:00')).status).toBe(201);
      expect((await request('2026-12-16T09:00:00+08:00', '2026-12-16T10:00:00+08:00')).status).toBe(201);
      const over = await request('2026-12-18T09:00:00+08:00', '2026-12-18T10:00:00+08:00');
      expectErrorShape(over, 422, 'WEEKLY_LIMIT_EXCEEDED');
      expect(over.body.details).toEqual({ limitMinutes: 180, bookedMinutes: 180 });
      // The next Monday starts a new week.
      expect((await request('2026-12-21T09:00:00+08:00', '2026-12-21T10:00:00+08:00')).status).toBe(201);
    });

    it('refuses missing, mistyped and unknown fields with 400', async () => {
      expectErrorShape(await testApp.http.post('/bookings', { instrumentId }, { token: outsider.token }), 400, 'VALIDATION_FAILED');
      expectErrorShape(await book(outsider, '2026-12-04T09:00:00+08:00', '2026-12-04T10:00:00+08:00', { sampleCount: 'two' }), 400, 'VALIDATION_FAILED');
      expectErrorShape(await book(outsider, '2026-12-04T09:00:00+08:00', '2026-12-04T10:00:00+08:00', { userId: manager.id }), 400, 'VALIDATION_FAILED');
      expectErrorShape(await book(outsider, '2026-12-04T10:00:00+08:00', '2026-12-04T09:00:00+08:00'), 400, 'VALIDATION_FAILED');
      expectErrorShape(await book(outsider, 'tomorrow', '2026-12-04T09:00:00+08:00'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('idempotency', () => {
    it('gives the same booking for the same key and body, and refuses the key with another body', async () => {
      const headers = { 'Idempotency-Key': `key-${Date.now()}` };
      const first = await book(outsider, '2026-12-08T09:00:00+08:00', '2026-12-08T10:00:00+08:00', {}, headers);
      const again = await book(outsider, '2026-12-08T09:00:00+08:00', '2026-12-08T10:00:00+08:00', {}, headers);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      const other = await book(outsider, '2026-12-08T11:00:00+08:00', '2026-12-08T12:00:00+08:00', {}, headers);
      expectErrorShape(other, 422, 'IDEMPOTENCY_KEY_REUSED');
      expectErrorShape(await book(outsider, '2026-12-08T13:00:00+08:00', '2026-12-08T14:00:00+08:00', {}, { 'Idempotency-Key': ' ' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('holds', () => {
    it('reserves a slot for a few minutes, then lets it go by itself', async () => {
      const hold = await testApp.http.post('/holds', { instrumentId, start: '2026-12-09T09:00:00+08:00', end: '2026-12-09T10:00:00+08:00', mode: 'sample_submission' }, { token: outsider.token });
      expect(hold.status).toBe(201);
      expect(hold.body).toMatchObject({ status: 'held', holdExpiresAt: new Date(clock.now().getTime() + 10 * 60_000).toISOString() });
      expectErrorShape(await book(otherOutsider, '2026-12-09T09:00:00+08:00', '2026-12-09T10:00:00+08:00'), 409, 'SLOT_TAKEN');
      clock.advance(11 * 60_000);
      try {
        expect((await book(otherOutsider, '2026-12-09T09:00:00+08:00', '2026-12-09T10:00:00+08:00')).status).toBe(201);
        expect((await testApp.http.get(`/bookings/${hold.body.id}`, { token: outsider.token })).body.status).toBe('lapsed');
      } finally {
        clock.advance(-11 * 60_000);
      }
    });

    it('turns a live hold into the request', async () => {
      const times = { instrumentId, start: '2026-12-09T11:00:00+08:00', end: '2026-12-09T12:00:00+08:00', mode: 'sample_submission' };
      const hold = await testApp.http.post('/holds', times, { token: outsider.token });
      const submitted = await testApp.http.post('/bookings', { ...times, purpose: '正式申请', holdId: hold.body.id }, { token: outsider.token });
      expect(submitted.status).toBe(201);
      expect(submitted.body).toMatchObject({ id: hold.body.id, status: 'confirmed', purpose: '正式申请' });
      expect(submitted.body.holdExpiresAt).toBeUndefined();
      const stolen = await testApp.http.post('/bookings', { ...times, purpose: 'x', holdId: hold.body.id }, { token: otherOutsider.token });
      expectErrorShape(stolen, 422, 'HOLD_NOT_USABLE');
    });

    it('lapses expired holds in a sweep and expires undecided requests at their start', async () => {
      const hold = await testApp.http.post('/holds', { instrumentId, start: '2026-12-09T14:00:00+08:00', end: '2026-12-09T15:00:00+08:00', mode: 'sample_submission' }, { token: outsider.token });
      clock.advance(15 * 60_000);
      try {
        const swept = await testApp.app.get(BookingsService).sweep();
        expect(swept.lapsed).toBeGreaterThanOrEqual(1);
        expect((await testApp.http.get(`/bookings/${hold.body.id}`, { token: outsider.token })).body.status).toBe('lapsed');
      } finally {
        clock.advance(-15 * 60_000);
      }
    });
  });

  describe('decisions', () => {
    let approvalInstrument: string;
    beforeAll(async () => {
      ({ id: approvalInstrument } = await fixtures.instrument(owner.id, { nameZh: '透射电镜' }));
      await testApp.http.put(`/instruments/${approvalInstrument}/opening-hours`, { windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' })) }, { token: manager.token });
      await testApp.http.put(`/instruments/${approvalInstrument}/booking-rules`, { requiresApproval: true }, { token: manager.token });
    });
    const request = (start: string, end: string) =>
      testApp.http.post('/bookings', { instrumentId: approvalInstrument, start, end, mode: 'sample_submission', purpose: '审批测试' }, { token: outsider.token });

    it('keeps requests pending until a lab manager approves or rejects them with a reason', async () => {
      const pending = await request('2026-12-03T09:00:00+08:00', '2026-12-03T10:00:00+08:00');
      expect(pending.body.status).toBe('pending');
      expect((await testApp.http.post(`/bookings/${pending.body.id}/approve`, {}, { token: outsider.token })).status).toBe(403);
      const approved = await testApp.http.post(`/bookings/${pending.body.id}/approve`, {}, { token: manager.token });
      expect(approved.body.status).toBe('confirmed');
      expectErrorShape(await testApp.http.post(`/bookings/${pending.body.id}/approve`, {}, { token: manager.token }), 409, 'INVALID_BOOKING_TRANSITION');

      const other = await request('2026-12-03T11:00:00+08:00', '2026-12-03T12:00:00+08:00');
      expectErrorShape(await testApp.http.post(`/bookings/${other.body.id}/reject`, {}, { token: manager.token }), 422, 'REASON_REQUIRED');
      const rejected = await testApp.http.post(`/bookings/${other.body.id}/reject`, { reason: '样品不符合要求' }, { token: manager.token });
      expect(rejected.body).toMatchObject({ status: 'rejected', decisionReason: '样品不符合要求' });
      // A rejected request gives its time back.
      expect((await request('2026-12-03T11:00:00+08:00', '2026-12-03T12:00:00+08:00')).status).toBe(201);
    });

    it('expires a request nobody decided before its start', async () => {
      const pending = await request('2026-12-02T09:00:00+08:00', '2026-12-02T10:00:00+08:00');
      expect(pending.body.status).toBe('pending');
      clock.set('2026-12-02T01:00:00Z');
      try {
        expectErrorShape(await testApp.http.post(`/bookings/${pending.body.id}/approve`, {}, { token: manager.token }), 409, 'REQUEST_EXPIRED');
        expect((await testApp.http.get(`/bookings/${pending.body.id}`, { token: outsider.token })).body.status).toBe('expired');
        const later = await request('2026-12-04T09:00:00+08:00', '2026-12-04T10:00:00+08:00');
        clock.set('2026-12-04T01:00:00Z');
        expect((await testApp.app.get(BookingsService).sweep()).expired).toBeGreaterThanOrEqual(1);
        expect((await testApp.http.get(`/bookings/${later.body.id}`, { token: outsider.token })).body.status).toBe('expired');
      } finally {
        clock.set('2026-12-01T00:00:00Z');
      }
    });
  });

  describe('cancellation, check-in, check-out, no-shows', () => {
    it('cancels free of charge early and with the late fee within 24 hours', async () => {
      const early = await book(outsider, '2026-12-10T09:00:00+08:00', '2026-12-10T11:00:00+08:00');
      const cancelled = await testApp.http.post(`/bookings/${early.body.id}/cancel`, {}, { token: outsider.token });
      expect(cancelled.body.status).toBe('cancelled');
      expect(cancelled.body.cancellationFeeFen).toBeUndefined();
      const late = await book(outsider, '2026-12-01T15:00:00+08:00', '2026-12-01T17:00:00+08:00');
      const lateCancel = await testApp.http.post(`/bookings/${late.body.id}/cancel`, {}, { token: outsider.token });
      expect(lateCancel.body).toMatchObject({ status: 'cancelled', cancellationFeeFen: 50_000 });
      const byManager = await book(outsider, '2026-12-10T13:00:00+08:00', '2026-12-10T14:00:00+08:00');
      expectErrorShape(await testApp.http.post(`/bookings/${byManager.body.id}/cancel`, {}, { token: manager.token }), 422, 'REASON_REQUIRED');
      expect((await testApp.http.post(`/bookings/${byManager.body.id}/cancel`, { reason: '仪器故障' }, { token: manager.token })).body.status).toBe('cancelled');
    });

    it('records actual use at check-in and check-out and charges what was used', async () => {
      const booked = await book(outsider, '2026-12-01T13:00:00+08:00', '2026-12-01T15:00:00+08:00');
      expectErrorShape(await testApp.http.post(`/bookings/${booked.body.id}/check-in`, {}, { token: outsider.token }), 422, 'TOO_EARLY_TO_CHECK_IN');
      clock.set('2026-12-01T05:05:00Z');
      try {
        const checkedIn = await testApp.http.post(`/bookings/${booked.body.id}/check-in`, {}, { token: manager.token });
        expect(checkedIn.body).toMatchObject({ status: 'in_use', actualStart: '2026-12-01T05:05:00.000Z' });
        clock.set('2026-12-01T06:35:00Z');
        const done = await testApp.http.post(`/bookings/${booked.body.id}/check-out`, {}, { token: outsider.token });
        expect(done.body).toMatchObject({ status: 'completed', actualEnd: '2026-12-01T06:35:00.000Z', finalFeeFen: 75_000 });
        const rated = await testApp.http.post(`/bookings/${booked.body.id}/rating`, { rating: 5, comment: '很好' }, { token: outsider.token });
        expect(rated.body).toMatchObject({ rating: 5, ratingComment: '很好' });
        expectErrorShape(await testApp.http.post(`/bookings/${booked.body.id}/rating`, { rating: 4 }, { token: outsider.token }), 409, 'ALREADY_RATED');
      } finally {
        clock.set('2026-12-01T00:00:00Z');
      }
    });

    it('records no-shows after the grace period and suspends after the third within 90 days', async () => {
      const repeatOffender = await fixtures.account('researcher');
      const starts = ['2026-12-14', '2026-12-15', '2026-12-16'];
      const ids: string[] = [];
      for (const date of starts) {
        const booked = await book(repeatOffender, `${date}T09:00:00+08:00`, `${date}T10:00:00+08:00`);
        expect(booked.status).toBe(201);
        ids.push(booked.body.id);
      }
      try {
        for (const [index, date] of starts.entries()) {
          clock.set(`${date}T01:10:00Z`);
          expectErrorShape(await testApp.http.post(`/bookings/${ids[index]}/no-show`, {}, { token: manager.token }), 422, 'NO_SHOW_TOO_EARLY');
          clock.set(`${date}T01:31:00Z`);
          expect((await testApp.http.post(`/bookings/${ids[index]}/no-show`, {}, { token: manager.token })).body.status).toBe('no_show');
        }
        const refused = await book(repeatOffender, '2026-12-21T09:00:00+08:00', '2026-12-21T10:00:00+08:00');
        expectErrorShape(refused, 403, 'BOOKING_SUSPENDED');
        expect(refused.body.details.reason).toMatch(/3 no-shows/);
        expect(refused.body.details.until).toBe('2027-01-15T01:31:00.000Z');
        const history = await testApp.http.get('/bookings?mine=true&status=no_show', { token: repeatOffender.token });
        expect(history.body.total).toBe(3);
      } finally {
        clock.set('2026-12-01T00:00:00Z');
      }
    });
  });

  describe('qualifications for self-operated use', () => {
    it('lets trained users operate the instrument themselves until their training expires or is revoked', async () => {
      const trainee = await fixtures.account('researcher');
      const selfOperated = (start: string, end: string, id = instrumentId) =>
        testApp.http.post('/bookings', { instrumentId: id, start, end, mode: 'self_operated', purpose: '自己上机' }, { token: trainee.token });
      expectErrorShape(await selfOperated('2026-12-15T13:00:00+08:00', '2026-12-15T14:00:00+08:00'), 422, 'QUALIFICATION_REQUIRED');
      expect((await testApp.http.post(`/instruments/${instrumentId}/qualifications`, { userId: trainee.id, validUntil: '2027-06-30T00:00:00Z' }, { token: outsider.token })).status).toBe(403);
      const granted = await testApp.http.post(`/instruments/${instrumentId}/qualifications`, { userId: trainee.id, validUntil: '2026-12-20T00:00:00Z', note: '完成培训' }, { token: manager.token });
      expect(granted.status).toBe(201);
      expect(granted.body).toMatchObject({ userId: trainee.id, instrumentId, issuedByInstitutionId: owner.id });
      expect((await selfOperated('2026-12-15T13:00:00+08:00', '2026-12-15T14:00:00+08:00')).status).toBe(201);
      // Training that has expired by the booked time does not count.
      expectErrorShape(await selfOperated('2026-12-21T13:00:00+08:00', '2026-12-21T14:00:00+08:00'), 422, 'QUALIFICATION_REQUIRED');
      expect((await testApp.http.get('/qualifications', { token: trainee.token })).body.map((q: { id: string }) => q.id)).toEqual([granted.body.id]);

      // Another institution's SEM (same category) accepts the training once its lab manager says so.
      const otherOwner = await fixtures.institution();
      const otherManager = await fixtures.account('lab_manager', { institutionId: otherOwner.id });
      const { id: otherSem } = await fixtures.instrument(otherOwner.id);
      await testApp.http.put(`/instruments/${otherSem}/opening-hours`, { windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' })) }, { token: otherManager.token });
      expectErrorShape(await selfOperated('2026-12-16T13:00:00+08:00', '2026-12-16T14:00:00+08:00', otherSem), 422, 'QUALIFICATION_REQUIRED');
      expect((await testApp.http.post(`/institutions/${otherOwner.id}/accepted-qualifications`, { qualificationId: granted.body.id }, { token: manager.token })).status).toBe(403);
      const accepted = await testApp.http.post(`/institutions/${otherOwner.id}/accepted-qualifications`, { qualificationId: granted.body.id }, { token: otherManager.token });
      expect(accepted.body.acceptedBy).toEqual([otherOwner.id]);
      expect((await selfOperated('2026-12-16T13:00:00+08:00', '2026-12-16T14:00:00+08:00', otherSem)).status).toBe(201);

      const revoked = await testApp.http.post(`/instruments/${instrumentId}/qualifications/${granted.body.id}/revoke`, {}, { token: manager.token });
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      expectErrorShape(await selfOperated('2026-12-17T13:00:00+08:00', '2026-12-17T14:00:00+08:00'), 422, 'QUALIFICATION_REQUIRED');
      expectErrorShape(await selfOperated('2026-12-17T15:00:00+08:00', '2026-12-17T16:00:00+08:00', otherSem), 422, 'QUALIFICATION_REQUIRED');
    });
  });

  describe('recurring bookings', () => {
    const series = (account: TestAccount, start: string, end: string, weeks: number) =>
      testApp.http.post('/bookings/recurring', { instrumentId, start, end, weeks, mode: 'sample_submission', purpose: '每周例行测试' }, { token: account.token });

    it('books every week at the same local time, as one series', async () => {
      const booked = await series(member, '2026-12-08T17:00:00+08:00', '2026-12-08T18:00:00+08:00', 3);
      expect(booked.status).toBe(201);
      expect(booked.body.bookings.map((b: { startLocal: string }) => b.startLocal)).toEqual([
        '2026-12-08T17:00:00.000+08:00',
        '2026-12-15T17:00:00.000+08:00',
        '2026-12-22T17:00:00.000+08:00',
      ]);
      expect(new Set(booked.body.bookings.map((b: { recurrenceId: string }) => b.recurrenceId))).toEqual(new Set([booked.body.recurrenceId]));
    });

    it('books nothing when any date is taken or closed, and lists each such date with its reason', async () => {
      expect((await book(member, '2026-12-16T17:00:00+08:00', '2026-12-16T18:00:00+08:00')).status).toBe(201);
      await testApp.http.post(`/instruments/${instrumentId}/availability-exceptions`, { date: '2026-12-23', kind: 'closed', reason: '设备年检' }, { token: manager.token });
      const before = (await testApp.http.get('/bookings?mine=true', { token: otherOutsider.token })).body.total;
      const refused = await series(otherOutsider, '2026-12-09T17:00:00+08:00', '2026-12-09T18:00:00+08:00', 3);
      expectErrorShape(refused, 409, 'RECURRENCE_REFUSED');
      expect(refused.body.details.refused).toEqual([
        { start: '2026-12-16T09:00:00.000Z', end: '2026-12-16T10:00:00.000Z', code: 'SLOT_TAKEN', clash: { start: '2026-12-16T09:00:00.000Z', end: '2026-12-16T10:15:00.000Z' } },
        { start: '2026-12-23T09:00:00.000Z', end: '2026-12-23T10:00:00.000Z', code: 'OUTSIDE_OPENING_HOURS' },
      ]);
      expect((await testApp.http.get('/bookings?mine=true', { token: otherOutsider.token })).body.total).toBe(before);
      // The free first date was not kept either.
      expect((await book(otherOutsider, '2026-12-09T17:00:00+08:00', '2026-12-09T18:00:00+08:00')).status).toBe(201);
      expectErrorShape(await series(otherOutsider, '2026-12-09T17:00:00+08:00', '2026-12-09T18:00:00+08:00', 13), 400, 'VALIDATION_FAILED');
    });
  });

  describe('maintenance and changes of hours', () => {
    it('refuses maintenance over bookings, listing them, and blocks the time once free', async () => {
      const booked = await book(outsider, '2026-12-11T09:00:00+08:00', '2026-12-11T10:00:00+08:00');
      const clash = await testApp.http.post(`/instruments/${instrumentId}/maintenance`, { start: '2026-12-11T08:00:00+08:00', end: '2026-12-11T12:00:00+08:00', reason: '年度保养' }, { token: manager.token });
      expectErrorShape(clash, 409, 'MAINTENANCE_CLASHES_WITH_BOOKINGS');
      expect(clash.body.details.bookings.map((b: { id: string }) => b.id)).toEqual([booked.body.id]);
      const added = await testApp.http.post(`/instruments/${instrumentId}/maintenance`, { start: '2026-12-11T13:00:00+08:00', end: '2026-12-11T17:00:00+08:00', reason: '年度保养' }, { token: manager.token });
      expect(added.status).toBe(201);
      expectErrorShape(await book(otherOutsider, '2026-12-11T14:00:00+08:00', '2026-12-11T15:00:00+08:00'), 409, 'SLOT_TAKEN');
      const busy = await testApp.http.get(`/instruments/${instrumentId}/busy?from=2026-12-11T00:00:00%2B08:00&to=2026-12-12T00:00:00%2B08:00`);
      expect(busy.body.map((period: { kind: string }) => period.kind)).toEqual(['booked', 'maintenance']);
    });

    it('tells the lab manager which bookings new hours would leave outside, and changes nothing on a dry run', async () => {
      const booked = await book(outsider, '2026-12-11T19:00:00+08:00', '2026-12-11T20:00:00+08:00');
      const shorter = { windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '18:00' })) };
      const preview = await testApp.http.put(`/instruments/${instrumentId}/opening-hours?dryRun=true`, shorter, { token: manager.token });
      expect(preview.body.dryRun).toBe(true);
      expect(preview.body.affectedBookings.map((b: { id: string }) => b.id)).toContain(booked.body.id);
      expect((await testApp.http.get(`/instruments/${instrumentId}/booking-rules`)).body.weeklyHours[0].closes).toBe('21:00');
      // A closed day: the answer lists the bookings on it; they stay until the manager decides.
      const closed = await testApp.http.post(`/instruments/${instrumentId}/availability-exceptions`, { date: '2026-12-11', kind: 'closed', reason: '停电' }, { token: manager.token });
      expect(closed.status).toBe(201);
      expect(closed.body.affectedBookings.map((b: { id: string }) => b.id)).toContain(booked.body.id);
      expect((await testApp.http.get(`/bookings/${booked.body.id}`, { token: outsider.token })).body.status).toBe('confirmed');
    });

    it('closes every instrument of an institution on its holidays', async () => {
      const closure = await testApp.http.post(`/institutions/${owner.id}/closures`, { startsOn: '2026-12-24', endsOn: '2026-12-25', reason: '圣诞休假' }, { token: manager.token });
      expect(closure.status).toBe(201);
      const slots = await testApp.http.get(`/instruments/${instrumentId}/slots?from=2026-12-24T00:00:00%2B08:00&to=2026-12-26T00:00:00%2B08:00&durationMinutes=60`);
      expect(slots.body.slots).toEqual([]);
      expect((await testApp.http.post(`/institutions/${owner.id}/closures`, { startsOn: '2026-12-24', endsOn: '2026-12-25', reason: 'x' }, { token: outsider.token })).status).toBe(403);
    });
  });
});
