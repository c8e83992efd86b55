import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import {
  bookingsCalendar,
  busyCalendar,
  CalendarBooking,
  feedPath,
  hashFeedToken,
  localSpan,
  newFeedToken,
} from './calendars.service';

const stamp = new Date('2026-12-01T00:00:00Z');

function booking(overrides: Partial<CalendarBooking> = {}): CalendarBooking {
  return {
    id: '0b4f9a36-2a7e-4c53-9a55-4c1d6b1f2e01',
    status: 'confirmed',
    mode: 'sample_submission',
    purpose: '测定样品的分子量',
    start: new Date('2026-12-02T01:00:00Z'),
    end: new Date('2026-12-02T02:00:00Z'),
    version: 3,
    createdAt: new Date('2026-11-20T00:00:00Z'),
    updatedAt: new Date('2026-11-21T00:00:00Z'),
    instrumentName: '扫描电子显微镜',
    timeZone: 'Asia/Shanghai',
    institutionName: '浙江大学',
    address: '',
    ...overrides,
  };
}

function parse(text: string): { calendar: ICAL.Component; events: ICAL.Event[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return { calendar, events: calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component)) };
}

describe('calendar documents', () => {
  it('turns each booking into one VEVENT with a stable UID, UTC times, the instrument and the status', () => {
    const text = bookingsCalendar([booking(), booking({ id: '9d1c3f0e-5b8a-4e0f-8a3c-7a6b5c4d3e02', status: 'pending', mode: 'self_operated' })], stamp);
    const { calendar, events } = parse(text);
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//instrument-marketplace//booking//ZH');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('我的仪器预约 / My instrument bookings');
    expect(events).toHaveLength(2);

    const [confirmed, pending] = events;
    expect(confirmed.uid).toBe('0b4f9a36-2a7e-4c53-9a55-4c1d6b1f2e01@instrument-marketplace');
    expect(confirmed.startDate.toJSDate().toISOString()).toBe('2026-12-02T01:00:00.000Z');
    expect(confirmed.endDate.toJSDate().toISOString()).toBe('2026-12-02T02:00:00.000Z');
    expect(confirmed.startDate.zone?.tzid).toBe('UTC');
    expect(confirmed.summary).toBe('扫描电子显微镜 · 已确认 / Confirmed');
    expect(confirmed.location).toBe('浙江大学');
    expect(confirmed.sequence).toBe(3);
    expect(confirmed.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(confirmed.component.getFirstPropertyValue('transp')).toBe('OPAQUE');
    expect(confirmed.component.getFirstPropertyValue('dtstamp')?.toString()).toBe('2026-12-01T00:00:00Z');
    expect(confirmed.description).toContain('送样检测 / Sample submission');
    expect(confirmed.description).toContain('用途 / Purpose: 测定样品的分子量');
    expect(confirmed.description).toContain('2026-12-02 09:00–10:00 (Asia/Shanghai)');

    expect(pending.summary).toBe('扫描电子显微镜 · 待审批 / Pending approval');
    expect(pending.component.getFirstPropertyValue('status')).toBe('TENTATIVE');
    expect(pending.description).toContain('自主操作 / Self-operated');
  });

  it('marks holds tentative and the rest confirmed', () => {
    const statuses = ['held', 'pending', 'confirmed', 'in_use', 'completed'] as const;
    const { events } = parse(bookingsCalendar(statuses.map((status, index) => booking({ id: `id-${index}`, status })), stamp));
    expect(events.map((event) => event.component.getFirstPropertyValue('status'))).toEqual(['TENTATIVE', 'TENTATIVE', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED']);
  });

  it('writes CRLF lines of at most 75 octets, folds long text and ends with CRLF', () => {
    const purpose = `${'高分辨率成像与能谱分析，样品编号 A-17; 共 3 件'.repeat(12)}\n第二行`;
    const text = bookingsCalendar([booking({ purpose, address: '杭州市西湖区余杭塘路866号' })], stamp);
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n');
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const [event] = parse(text).events;
    expect(event.description).toContain(purpose);
    expect(event.location).toBe('浙江大学 · 杭州市西湖区余杭塘路866号');
  });

  it('drops control characters that TEXT values may not hold', () => {
    const text = bookingsCalendar([booking({ purpose: 'bell\u0007 and escape\u001b' })], stamp);
    expect(text).not.toMatch(/[\u0007\u001b]/);
    expect(parse(text).events[0].description).toContain('bell and escape');
  });

  it('gives an empty but valid calendar when there are no bookings', () => {
    const { calendar, events } = parse(bookingsCalendar([], stamp));
    expect(events).toEqual([]);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
  });

  it('says only busy or maintenance in the busy feed, opaque, one event per period', () => {
    const text = busyCalendar(
      '透射电镜',
      [
        { id: 'a1', start: new Date('2026-12-02T01:00:00Z'), end: new Date('2026-12-02T02:15:00Z'), maintenance: false },
        { id: 'a2', start: new Date('2026-12-03T00:00:00Z'), end: new Date('2026-12-03T08:00:00Z'), maintenance: true },
      ],
      stamp,
    );
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('透射电镜 · 已占用时间 / Busy times');
    expect(events.map((event) => event.summary)).toEqual(['Busy / 已占用', 'Maintenance / 维护']);
    expect(events.map((event) => event.uid)).toEqual(['busy-a1@instrument-marketplace', 'busy-a2@instrument-marketplace']);
    expect(events[0].endDate.toJSDate().toISOString()).toBe('2026-12-02T02:15:00.000Z');
    expect(events.every((event) => event.component.getFirstPropertyValue('transp') === 'OPAQUE')).toBe(true);
    expect(events.every((event) => !event.description && !event.location)).toBe(true);
  });
});

describe('feed tokens', () => {
  it('are 32 random bytes in base64url, stored as the SHA-256 hex of the token', () => {
    const token = newFeedToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newFeedToken()).not.toBe(token);
    expect(hashFeedToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashFeedToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(feedPath(token)).toBe(`/calendar-feeds/${token}.ics`);
  });
});

describe('localSpan', () => {
  it('shows the instrument’s clock, with the end date when the span crosses midnight', () => {
    expect(localSpan(new Date('2026-12-02T01:00:00Z'), new Date('2026-12-02T02:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-02 09:00–10:30 (Asia/Shanghai)');
    expect(localSpan(new Date('2026-12-02T14:00:00Z'), new Date('2026-12-02T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-02 22:00–2026-12-03 01:00 (Asia/Shanghai)');
  });
});
