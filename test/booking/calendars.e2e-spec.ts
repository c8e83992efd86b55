import { createHash, randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, HttpResponse, ManualClock, TestAccount, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { BookingsService } from '../../apps/booking/src/bookings/bookings.service';
import { expectErrorShape } from '../catalog/error-shape';

interface ParsedFeed {
  calendar: ICAL.Component;
  events: ICAL.Event[];
}

/** The body parsed by ical.js (the parser Thunderbird itself uses), after checking it is served as iCalendar with CRLF lines. */
function parseFeed(response: HttpResponse): ParsedFeed {
  expect({ status: response.status, text: response.status === 200 ? '' : response.text }).toEqual({ status: 200, text: '' });
  expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  expect(response.text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
  expect(response.text.endsWith('END:VCALENDAR\r\n')).toBe(true);
  expect(response.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const calendar = new ICAL.Component(ICAL.parse(response.text));
  expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
  expect(calendar.getFirstPropertyValue('prodid')).toEqual(expect.any(String));
  return { calendar, events: calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component)) };
}

const uidOf = (bookingId: string) => `${bookingId}@instrument-marketplace`;
const instant = (time: ICAL.Time) => time.toJSDate().toISOString();

/**
 * iCalendar feeds over HTTP against the real PostgreSQL: a private feed per user behind a
 * revocable token URL, and a public busy-time feed per instrument.
 * The clock starts on Tuesday 2026-12-01 08:00 in Shanghai; bookings are a few days ahead.
 */
describe('calendars (e2e)', () => {
  const clock = new ManualClock('2026-12-01T00:00:00Z');
  const instrumentName = '场发射透射电子显微镜';
  const secretPurpose = '机密课题：纳米颗粒形貌分析';
  const otherPurpose = '他人的课题：薄膜厚度测量';
  let testApp: TestApp;
  let fixtures: CatalogFixtures;
  let dataSource: DataSource;
  let owner: { id: string; nameZh: string };
  let manager: TestAccount;
  let booker: TestAccount;
  let other: TestAccount;
  let instrumentId: string;
  let first: { id: string; start: string; end: string };
  let second: { id: string; start: string; end: string };
  let cancelled: { id: string };
  let othersBooking: { id: string };

  beforeAll(async () => {
    testApp = await startTestApp(BookingModule, { clock, env: { BOOKING_SWEEP_SECONDS: '0' } });
    dataSource = testApp.app.get(DataSource);
    const tokens = testApp.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(dataSource, testApp.http, (user) => tokens.sign(user));
    owner = await fixtures.institution({ nameZh: '日历测试大学' });
    manager = await fixtures.account('lab_manager', { institutionId: owner.id });
    booker = await fixtures.account('researcher');
    other = await fixtures.account('researcher');
    ({ id: instrumentId } = await fixtures.instrument(owner.id, { nameZh: instrumentName }));
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' }));
    expect((await testApp.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: weekdays }, { token: manager.token })).status).toBe(200);
    const rules = { slotMinutes: 30, minDurationMinutes: 60, maxDurationMinutes: 240, bufferMinutes: 15, minNoticeMinutes: 60, maxAdvanceDays: 30 };
    expect((await testApp.http.put(`/instruments/${instrumentId}/booking-rules`, rules, { token: manager.token })).status).toBe(200);

    const book = async (account: TestAccount, start: string, end: string, purpose: string) => {
      const response = await testApp.http.post('/bookings', { instrumentId, start, end, mode: 'sample_submission', purpose }, { token: account.token });
      expect({ status: response.status, text: response.status === 201 ? '' : response.text }).toEqual({ status: 201, text: '' });
      return response.body as { id: string; start: string; end: string };
    };
    first = await book(booker, '2026-12-02T09:00:00+08:00', '2026-12-02T10:00:00+08:00', secretPurpose);
    second = await book(booker, '2026-12-03T14:00:00+08:00', '2026-12-03T16:00:00+08:00', secretPurpose);
    cancelled = await book(booker, '2026-12-04T09:00:00+08:00', '2026-12-04T10:00:00+08:00', secretPurpose);
    expect((await testApp.http.post(`/bookings/${cancelled.id}/cancel`, {}, { token: booker.token })).body.status).toBe('cancelled');
    othersBooking = await book(other, '2026-12-07T09:00:00+08:00', '2026-12-07T10:00:00+08:00', otherPurpose);
    const maintenance = { start: '2026-12-08T13:00:00+08:00', end: '2026-12-08T17:00:00+08:00', reason: '年度保养：更换灯丝' };
    expect((await testApp.http.post(`/instruments/${instrumentId}/maintenance`, maintenance, { token: manager.token })).status).toBe(201);
  });
  afterAll(() => testApp?.close());

  const issue = async (account: TestAccount) => {
    const response = await testApp.http.post('/calendar-feeds', {}, { token: account.token });
    expect(response.status).toBe(201);
    return response.body as { url: string; token: string; createdAt: string };
  };

  describe('personal feed', () => {
    it('issues a token URL and stores only the SHA-256 of the token', async () => {
      const feed = await issue(booker);
      expect(feed.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(feed.url).toBe(`/calendar-feeds/${feed.token}.ics`);
      expect(feed.createdAt).toBe('2026-12-01T00:00:00.000Z');
      const rows: { token_hash: string }[] = await dataSource.query(`SELECT token_hash FROM calendar_feed WHERE user_id = $1 AND revoked_at IS NULL`, [booker.id]);
      expect(rows).toEqual([{ token_hash: createHash('sha256').update(feed.token).digest('hex') }]);
      const [{ leaked }] = await dataSource.query(`SELECT count(*)::int AS leaked FROM calendar_feed WHERE token_hash = $1`, [feed.token]);
      expect(leaked).toBe(0);
    });

    it('serves the user’s live bookings as iCalendar, without a bearer token', async () => {
      const feed = await issue(booker);
      const { calendar, events } = parseFeed(await testApp.http.get(feed.url));
      expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('我的仪器预约 / My instrument bookings');
      expect(events.map((event) => event.uid)).toEqual([uidOf(first.id), uidOf(second.id)]);
      for (const [event, booking] of [[events[0], first], [events[1], second]] as const) {
        expect(instant(event.startDate)).toBe(booking.start);
        expect(instant(event.endDate)).toBe(booking.end);
        expect(event.summary).toContain(instrumentName);
        expect(event.summary).toContain('已确认 / Confirmed');
        expect(event.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
        expect(event.description).toContain(secretPurpose);
        expect(event.location).toContain(owner.nameZh);
      }
      expect(instant(events[0].startDate)).toBe('2026-12-02T01:00:00.000Z');
      expect(events[0].description).toContain('2026-12-02 09:00–10:00 (Asia/Shanghai)');
    });

    it('keeps UIDs stable across fetches and leaves cancelled bookings and other users’ bookings out', async () => {
      const feed = await issue(booker);
      const once = parseFeed(await testApp.http.get(feed.url));
      const again = parseFeed(await testApp.http.get(feed.url));
      expect(again.events.map((event) => event.uid)).toEqual(once.events.map((event) => event.uid));
      const uids = once.events.map((event) => event.uid);
      expect(uids).not.toContain(uidOf(cancelled.id));
      expect(uids).not.toContain(uidOf(othersBooking.id));
      expect(again.events).toHaveLength(2);
    });

    it('shows a live hold as tentative, and drops it once it has lapsed', async () => {
      const feed = await issue(booker);
      const times = { instrumentId, start: '2026-12-09T09:00:00+08:00', end: '2026-12-09T10:00:00+08:00', mode: 'sample_submission' };
      const hold = await testApp.http.post('/holds', times, { token: booker.token });
      expect(hold.status).toBe(201);
      const held = parseFeed(await testApp.http.get(feed.url)).events.find((event) => event.uid === uidOf(hold.body.id));
      expect(held?.component.getFirstPropertyValue('status')).toBe('TENTATIVE');
      expect(held?.summary).toContain('暂留 / Held');
      clock.advance(11 * 60_000);
      try {
        const uids = parseFeed(await testApp.http.get(feed.url)).events.map((event) => event.uid);
        expect(uids).not.toContain(uidOf(hold.body.id));
        expect(uids).toContain(uidOf(first.id));
        // The sweep records the lapse, so the hold stays out when the clock is set back.
        expect((await testApp.app.get(BookingsService).sweep()).lapsed).toBe(1);
      } finally {
        clock.set('2026-12-01T00:00:00Z');
      }
    });

    it('covers 90 days back: older bookings leave the feed', async () => {
      const feed = await issue(booker);
      clock.set('2027-03-02T12:00:00Z'); // 90 days back is 2026-12-02 12:00 UTC: after the first booking ends, before the second.
      try {
        const uids = parseFeed(await testApp.http.get(feed.url)).events.map((event) => event.uid);
        expect(uids).toEqual([uidOf(second.id)]);
      } finally {
        clock.set('2026-12-01T00:00:00Z');
      }
    });

    it('makes the old URL answer 404 once a new feed is issued, and the new one work', async () => {
      const old = await issue(booker);
      expect((await testApp.http.get(old.url)).status).toBe(200);
      const rotated = await issue(booker);
      expect(rotated.token).not.toBe(old.token);
      expectErrorShape(await testApp.http.get(old.url), 404, 'CALENDAR_FEED_NOT_FOUND');
      expect(parseFeed(await testApp.http.get(rotated.url)).events).toHaveLength(2);
      const [{ live }] = await dataSource.query(`SELECT count(*)::int AS live FROM calendar_feed WHERE user_id = $1 AND revoked_at IS NULL`, [booker.id]);
      expect(live).toBe(1);
    });

    it('revokes the feed on DELETE (204, also when there is none)', async () => {
      const feed = await issue(booker);
      const revoked = await testApp.http.delete('/calendar-feeds', { token: booker.token });
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');
      const gone = expectErrorShape(await testApp.http.get(feed.url), 404, 'CALENDAR_FEED_NOT_FOUND');
      expect(JSON.stringify(gone)).not.toContain(feed.token);
      expect((await testApp.http.delete('/calendar-feeds', { token: booker.token })).status).toBe(204);
      // A new feed can be issued after revoking.
      expect((await testApp.http.get((await issue(booker)).url)).status).toBe(200);
    });

    it('never shows one user’s bookings in another user’s feed', async () => {
      const mine = await issue(booker);
      const theirs = await issue(other);
      const theirFeed = parseFeed(await testApp.http.get(theirs.url));
      expect(theirFeed.events.map((event) => event.uid)).toEqual([uidOf(othersBooking.id)]);
      expect(theirFeed.events[0].description).toContain(otherPurpose);
      const theirText = (await testApp.http.get(theirs.url)).text;
      expect(theirText).not.toContain(secretPurpose);
      expect(theirText).not.toContain(first.id);
      const myText = (await testApp.http.get(mine.url)).text;
      expect(myText).not.toContain(otherPurpose);
      expect(myText).not.toContain(othersBooking.id);
      // Revoking mine leaves theirs alone.
      expect((await testApp.http.delete('/calendar-feeds', { token: booker.token })).status).toBe(204);
      expect((await testApp.http.get(theirs.url)).status).toBe(200);
    });

    it('answers unknown and malformed tokens with 404 in the standard error shape', async () => {
      expectErrorShape(await testApp.http.get(`/calendar-feeds/${randomBytes(32).toString('base64url')}.ics`), 404, 'CALENDAR_FEED_NOT_FOUND');
      expectErrorShape(await testApp.http.get('/calendar-feeds/not-a-token.ics'), 404, 'CALENDAR_FEED_NOT_FOUND');
      expectErrorShape(await testApp.http.get('/calendar-feeds/.ics'), 404);
    });

    it('needs a signed-in user to issue or revoke a feed (401)', async () => {
      expectErrorShape(await testApp.http.post('/calendar-feeds', {}), 401, 'UNAUTHENTICATED');
      expectErrorShape(await testApp.http.delete('/calendar-feeds'), 401, 'UNAUTHENTICATED');
      expectErrorShape(await testApp.http.post('/calendar-feeds', {}, { token: 'not.a.jwt' }), 401);
    });
  });

  describe('instrument busy feed', () => {
    it('has one opaque event per busy period, the same as the busy API, saying only busy or maintenance', async () => {
      const response = await testApp.http.get(`/instruments/${instrumentId}/busy.ics`);
      const { calendar, events } = parseFeed(response);
      expect(calendar.getFirstPropertyValue('x-wr-calname')).toContain(instrumentName);
      const busy = await testApp.http.get(`/instruments/${instrumentId}/busy?from=2026-11-24T00:00:00Z&to=2027-02-20T00:00:00Z`);
      expect(busy.status).toBe(200);
      expect(busy.body).toHaveLength(4); // the first, second and other user's bookings (with buffers), and the maintenance
      expect(events.map((event) => ({ start: instant(event.startDate), end: instant(event.endDate) }))).toEqual(
        busy.body.map((period: { start: string; end: string }) => ({ start: period.start, end: period.end })),
      );
      expect(events.map((event) => event.summary)).toEqual(
        busy.body.map((period: { kind: string }) => (period.kind === 'maintenance' ? 'Maintenance / 维护' : 'Busy / 已占用')),
      );
      expect(events.map((event) => event.summary)).toContain('Maintenance / 维护');
      for (const event of events) {
        expect(event.component.getFirstPropertyValue('transp')).toBe('OPAQUE');
        expect(event.description).toBeFalsy();
      }
      expect(new Set(events.map((event) => event.uid)).size).toBe(events.length);
    });

    it('tells nobody who booked or why', async () => {
      const text = (await testApp.http.get(`/instruments/${instrumentId}/busy.ics`)).text;
      for (const secret of [secretPurpose, otherPurpose, '年度保养', booker.id, other.id, manager.id, first.id, othersBooking.id]) {
        expect(text).not.toContain(secret);
      }
    });

    it('answers a malformed id with 400, and unknown or unshared instruments with 404', async () => {
      expectErrorShape(await testApp.http.get('/instruments/not-a-uuid/busy.ics'), 400, 'VALIDATION_FAILED');
      expectErrorShape(await testApp.http.get('/instruments/00000000-0000-4000-8000-000000000000/busy.ics'), 404, 'INSTRUMENT_NOT_FOUND');
      const { id: internalOnly } = await fixtures.instrument(owner.id, { sharingMode: 'internal_only' });
      expectErrorShape(await testApp.http.get(`/instruments/${internalOnly}/busy.ics`), 404, 'INSTRUMENT_NOT_FOUND');
      // The URL is public: signing in as a member does not change the answer.
      expectErrorShape(await testApp.http.get(`/instruments/${internalOnly}/busy.ics`, { token: manager.token }), 404, 'INSTRUMENT_NOT_FOUND');
    });
  });

  it('documents the feeds under the calendars tag', async () => {
    const docs = await testApp.http.get('/docs-json');
    expect(docs.status).toBe(200);
    const paths = docs.body.paths as Record<string, Record<string, { tags?: string[] }>>;
    expect(paths['/calendar-feeds'].post.tags).toEqual(['calendars']);
    expect(paths['/calendar-feeds'].delete.tags).toEqual(['calendars']);
    expect(paths['/calendar-feeds/{token}.ics'].get.tags).toEqual(['calendars']);
    expect(paths['/instruments/{id}/busy.ics'].get.tags).toEqual(['calendars']);
  });
});
