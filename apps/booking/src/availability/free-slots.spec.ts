import { DateTime } from 'luxon';
import type { Interval } from './interval';
import type { SlotQuery, SlotRules } from './free-slots';
import { busyConflict, freeStartTimes, ruleViolation } from './free-slots';
import type { WeeklyWindow } from './opening-hours';
import { openIntervals } from './opening-hours';

/** Instants are written with an explicit offset, so the expectations do not depend on the code under test. */
const at = (iso: string): number => Date.parse(iso);
const span = (from: string, to: string): Interval => ({ start: at(from), end: at(to) });
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const baseRules: SlotRules = {
  slotMinutes: 30,
  minDurationMinutes: 30,
  maxDurationMinutes: 240,
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  maxAdvanceDays: 365,
};

/** A Shanghai query on Tuesday 2026-06-02, open 08:00-12:00 local, asked a week before. */
function query(overrides: Partial<SlotQuery> = {}, rules: Partial<SlotRules> = {}): SlotQuery {
  return {
    timeZone: 'Asia/Shanghai',
    open: [span('2026-06-02T08:00:00+08:00', '2026-06-02T12:00:00+08:00')],
    busy: [],
    durationMinutes: 60,
    now: at('2026-05-26T09:00:00+08:00'),
    range: span('2026-06-02T00:00:00+08:00', '2026-06-03T00:00:00+08:00'),
    ...overrides,
    rules: { ...baseRules, ...rules },
  };
}

/** Offered starts as local ISO times with offsets, easy to read in failures. */
function localStarts(starts: number[], timeZone: string): string[] {
  return starts.map((start) => DateTime.fromMillis(start, { zone: timeZone }).toISO({ suppressMilliseconds: true, suppressSeconds: true }) ?? '');
}

describe('freeStartTimes', () => {
  it('offers starts on the :00 and :30 local marks that leave room for the duration', () => {
    expect(localStarts(freeStartTimes(query()), 'Asia/Shanghai')).toEqual([
      '2026-06-02T08:00+08:00',
      '2026-06-02T08:30+08:00',
      '2026-06-02T09:00+08:00',
      '2026-06-02T09:30+08:00',
      '2026-06-02T10:00+08:00',
      '2026-06-02T10:30+08:00',
      '2026-06-02T11:00+08:00',
    ]);
  });

  it('aligns to the local wall clock, not to UTC, when the zone is a half hour off UTC', () => {
    const kolkata = query(
      {
        timeZone: 'Asia/Kolkata',
        open: [span('2026-06-02T09:10:00+05:30', '2026-06-02T12:00:00+05:30')],
        range: span('2026-06-02T00:00:00+05:30', '2026-06-03T00:00:00+05:30'),
      },
      { slotMinutes: 60 },
    );
    expect(localStarts(freeStartTimes(kolkata), 'Asia/Kolkata')).toEqual(['2026-06-02T10:00+05:30', '2026-06-02T11:00+05:30']);
  });

  it('restarts the slot count at local midnight when the slot does not divide a day', () => {
    const fiftyMinutes = query(
      { open: [span('2026-06-02T22:00:00+08:00', '2026-06-03T02:00:00+08:00')], range: span('2026-06-02T00:00:00+08:00', '2026-06-04T00:00:00+08:00'), durationMinutes: 50 },
      { slotMinutes: 50 },
    );
    expect(localStarts(freeStartTimes(fiftyMinutes), 'Asia/Shanghai')).toEqual([
      '2026-06-02T22:30+08:00',
      '2026-06-02T23:20+08:00',
      '2026-06-03T00:00+08:00',
      '2026-06-03T00:50+08:00',
    ]);
  });

  it('skips starts whose booking would overlap busy time, and allows touching it', () => {
    const busy = [span('2026-06-02T09:00:00+08:00', '2026-06-02T10:00:00+08:00')];
    expect(localStarts(freeStartTimes(query({ busy })), 'Asia/Shanghai')).toEqual([
      '2026-06-02T08:00+08:00',
      '2026-06-02T10:00+08:00',
      '2026-06-02T10:30+08:00',
      '2026-06-02T11:00+08:00',
    ]);
  });

  it('skips a start when its buffer would run into the next busy interval', () => {
    const busy = [span('2026-06-02T09:00:00+08:00', '2026-06-02T10:00:00+08:00')];
    expect(localStarts(freeStartTimes(query({ busy }, { bufferMinutes: 15 })), 'Asia/Shanghai')).toEqual([
      '2026-06-02T10:00+08:00',
      '2026-06-02T10:30+08:00',
      '2026-06-02T11:00+08:00',
    ]);
  });

  it('lets the buffer run past closing time, but not into busy time after it', () => {
    const free = freeStartTimes(query({}, { bufferMinutes: 30 }));
    expect(free[free.length - 1]).toBe(at('2026-06-02T11:00:00+08:00'));
    const maintenanceAtClosing = [span('2026-06-02T12:00:00+08:00', '2026-06-02T13:00:00+08:00')];
    const squeezed = freeStartTimes(query({ busy: maintenanceAtClosing }, { bufferMinutes: 30 }));
    expect(squeezed[squeezed.length - 1]).toBe(at('2026-06-02T10:30:00+08:00'));
  });

  it('keeps the notice period after now', () => {
    const free = freeStartTimes(query({ now: at('2026-06-02T08:40:00+08:00') }, { minNoticeMinutes: 60 }));
    expect(free[0]).toBe(at('2026-06-02T10:00:00+08:00'));
    expect(free).toHaveLength(3);
  });

  it('offers nothing later than the advance limit, the limit itself included', () => {
    const free = freeStartTimes(query({ now: at('2026-06-01T09:30:00+08:00') }, { maxAdvanceDays: 1 }));
    expect(localStarts(free, 'Asia/Shanghai')).toEqual(['2026-06-02T08:00+08:00', '2026-06-02T08:30+08:00', '2026-06-02T09:00+08:00', '2026-06-02T09:30+08:00']);
  });

  it('offers nothing for a duration that is too short, too long or not whole slots', () => {
    expect(freeStartTimes(query({ durationMinutes: 30 }, { minDurationMinutes: 60 }))).toEqual([]);
    expect(freeStartTimes(query({ durationMinutes: 270 }, { maxDurationMinutes: 240 }))).toEqual([]);
    expect(freeStartTimes(query({ durationMinutes: 45 }))).toEqual([]);
    expect(freeStartTimes(query({ durationMinutes: 0 }))).toEqual([]);
    expect(freeStartTimes(query({ durationMinutes: 240 }))).toEqual([at('2026-06-02T08:00:00+08:00')]);
  });

  it('offers only starts inside the range', () => {
    const range = span('2026-06-02T09:00:00+08:00', '2026-06-02T10:00:00+08:00');
    expect(localStarts(freeStartTimes(query({ range })), 'Asia/Shanghai')).toEqual(['2026-06-02T09:00+08:00', '2026-06-02T09:30+08:00']);
  });

  it('lets a booking run across touching opening windows but not across a gap', () => {
    const touching = [span('2026-06-02T08:00:00+08:00', '2026-06-02T09:00:00+08:00'), span('2026-06-02T09:00:00+08:00', '2026-06-02T10:00:00+08:00')];
    expect(freeStartTimes(query({ open: touching, durationMinutes: 120 }))).toEqual([at('2026-06-02T08:00:00+08:00')]);
    const apart = [span('2026-06-02T08:00:00+08:00', '2026-06-02T09:00:00+08:00'), span('2026-06-02T09:30:00+08:00', '2026-06-02T10:30:00+08:00')];
    expect(freeStartTimes(query({ open: apart, durationMinutes: 120 }))).toEqual([]);
  });

  it('works from published opening hours over several days', () => {
    const weekly: WeeklyWindow[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' }));
    const range = span('2026-06-01T00:00:00+08:00', '2026-06-08T00:00:00+08:00');
    const open = openIntervals({ timeZone: 'Asia/Shanghai', weekly, exceptions: [], closures: [] }, range);
    const free = freeStartTimes(query({ open, range }));
    // 08:00 .. 20:00 every weekday, nothing at the weekend.
    expect(free).toHaveLength(5 * 25);
    expect(free.some((start) => DateTime.fromMillis(start, { zone: 'Asia/Shanghai' }).weekday > 5)).toBe(false);
  });
});

describe('freeStartTimes across DST changes', () => {
  const sundayWindow = (timeZone: string, opens: string, closes: string, range: Interval): Interval[] =>
    openIntervals({ timeZone, weekly: [{ weekday: 7, opens, closes }], exceptions: [], closures: [] }, range);
  const hourly = (timeZone: string, open: Interval[], range: Interval): SlotQuery =>
    query({ timeZone, open, range, now: at('2026-01-01T00:00:00Z') }, { slotMinutes: 60, minDurationMinutes: 60 });

  it('Berlin spring: a 01:00-04:00 window offers 01:00 and 03:00 local (02:00 does not exist)', () => {
    const range = span('2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z');
    const free = freeStartTimes(hourly('Europe/Berlin', sundayWindow('Europe/Berlin', '01:00', '04:00', range), range));
    expect(localStarts(free, 'Europe/Berlin')).toEqual(['2026-03-29T01:00+01:00', '2026-03-29T03:00+02:00']);
    expect(free).toEqual([at('2026-03-29T00:00:00Z'), at('2026-03-29T01:00:00Z')]);
  });

  it('Berlin autumn: a 01:00-04:00 window offers 01:00, both 02:00s in time order, and 03:00', () => {
    const range = span('2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z');
    const free = freeStartTimes(hourly('Europe/Berlin', sundayWindow('Europe/Berlin', '01:00', '04:00', range), range));
    expect(localStarts(free, 'Europe/Berlin')).toEqual([
      '2026-10-25T01:00+02:00',
      '2026-10-25T02:00+02:00',
      '2026-10-25T02:00+01:00',
      '2026-10-25T03:00+01:00',
    ]);
    expect(free).toEqual([at('2026-10-24T23:00:00Z'), at('2026-10-25T00:00:00Z'), at('2026-10-25T01:00:00Z'), at('2026-10-25T02:00:00Z')]);
  });

  it('Berlin autumn with 30-minute slots: the repeated hour offers :00 and :30 twice', () => {
    const range = span('2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z');
    const open = sundayWindow('Europe/Berlin', '01:30', '03:30', range);
    const free = freeStartTimes(query({ timeZone: 'Europe/Berlin', open, range, now: at('2026-01-01T00:00:00Z') }));
    expect(localStarts(free, 'Europe/Berlin')).toEqual([
      '2026-10-25T01:30+02:00',
      '2026-10-25T02:00+02:00',
      '2026-10-25T02:30+02:00',
      '2026-10-25T02:00+01:00',
      '2026-10-25T02:30+01:00',
    ]);
  });

  it('New York spring: a 00:00-04:00 window offers 00:00, 01:00 and 03:00 local', () => {
    const range = span('2026-03-08T00:00:00Z', '2026-03-09T00:00:00Z');
    const free = freeStartTimes(hourly('America/New_York', sundayWindow('America/New_York', '00:00', '04:00', range), range));
    expect(localStarts(free, 'America/New_York')).toEqual(['2026-03-08T00:00-05:00', '2026-03-08T01:00-05:00', '2026-03-08T03:00-04:00']);
  });

  it('New York autumn: a 00:00-03:00 window offers 00:00, both 01:00s and 02:00 local', () => {
    const range = span('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z');
    const free = freeStartTimes(hourly('America/New_York', sundayWindow('America/New_York', '00:00', '03:00', range), range));
    expect(localStarts(free, 'America/New_York')).toEqual([
      '2026-11-01T00:00-04:00',
      '2026-11-01T01:00-04:00',
      '2026-11-01T01:00-05:00',
      '2026-11-01T02:00-05:00',
    ]);
  });

  it('keeps 2-hour slots on even local hours on both sides of the Berlin spring change, in one query', () => {
    const weekly: WeeklyWindow[] = [6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '14:00' }));
    const range = span('2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z');
    const open = openIntervals({ timeZone: 'Europe/Berlin', weekly, exceptions: [], closures: [] }, range);
    const twoHours = query(
      { timeZone: 'Europe/Berlin', open, range, durationMinutes: 120, now: at('2026-01-01T00:00:00Z') },
      { slotMinutes: 120, minDurationMinutes: 120 },
    );
    expect(localStarts(freeStartTimes(twoHours), 'Europe/Berlin')).toEqual([
      '2026-03-28T08:00+01:00',
      '2026-03-28T10:00+01:00',
      '2026-03-28T12:00+01:00',
      '2026-03-29T08:00+02:00',
      '2026-03-29T10:00+02:00',
      '2026-03-29T12:00+02:00',
    ]);
  });

  it('follows a half-hour DST change (Australia/Lord_Howe, 2026-10-04 02:00 -> 02:30)', () => {
    const range = span('2026-10-03T00:00:00Z', '2026-10-05T00:00:00Z');
    const free = freeStartTimes(hourly('Australia/Lord_Howe', sundayWindow('Australia/Lord_Howe', '00:00', '06:00', range), range));
    expect(localStarts(free, 'Australia/Lord_Howe')).toEqual([
      '2026-10-04T00:00+10:30',
      '2026-10-04T01:00+10:30',
      '2026-10-04T03:00+11:00',
      '2026-10-04T04:00+11:00',
      '2026-10-04T05:00+11:00',
    ]);
  });

  it('offers exactly the starts that ruleViolation and busyConflict accept, around both Berlin changes', () => {
    const weekly: WeeklyWindow[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '22:00', closes: '06:00' }));
    for (const range of [span('2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z'), span('2026-10-23T00:00:00Z', '2026-10-27T00:00:00Z')]) {
      const open = openIntervals({ timeZone: 'Europe/Berlin', weekly, exceptions: [], closures: [] }, range);
      const busy = [
        { start: range.start + 2 * DAY + 2 * HOUR, end: range.start + 2 * DAY + 3 * HOUR + 20 * MINUTE },
        { start: range.start + 3 * DAY, end: range.start + 3 * DAY + 45 * MINUTE },
      ];
      // 90-minute slots do not divide an hour, so a start grid left on the old offset would show.
      const slotQuery = query(
        { timeZone: 'Europe/Berlin', open, busy, range, durationMinutes: 90, now: range.start + HOUR },
        { slotMinutes: 90, minDurationMinutes: 90, bufferMinutes: 10 },
      );
      const offered = freeStartTimes(slotQuery);

      const accepted: number[] = [];
      for (let start = range.start; start < range.end; start += 5 * MINUTE) {
        const booking = { start, end: start + 90 * MINUTE };
        if (ruleViolation(slotQuery, booking) === null && busyConflict(busy, booking, 10) === null) accepted.push(start);
      }
      expect(offered.length).toBeGreaterThan(10);
      expect(offered).toEqual(accepted);
      // And independently of the engine: every offer is a whole number of slots after local midnight.
      const sinceMidnight = offered.map((start) => {
        const local = DateTime.fromMillis(start, { zone: 'Europe/Berlin' });
        return local.hour * 60 + local.minute;
      });
      expect(sinceMidnight.filter((minutes) => minutes % 90 !== 0)).toEqual([]);
    }
  });

  it('counts the advance limit in calendar days, keeping the local time across the change', () => {
    const now = at('2026-03-28T10:00:00+01:00');
    const range = span('2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z');
    const open = [span('2026-03-29T08:00:00+02:00', '2026-03-29T12:00:00+02:00')];
    const free = freeStartTimes(query({ timeZone: 'Europe/Berlin', open, range, now }, { maxAdvanceDays: 1 }));
    // One day after 10:00 CET is 10:00 CEST, 23 real hours later.
    expect(free[free.length - 1]).toBe(at('2026-03-29T10:00:00+02:00'));
  });
});

describe('ruleViolation', () => {
  const rulesQuery = query();
  const booking = (from: string, to: string): Interval => span(from, to);

  it('accepts a booking that follows every rule', () => {
    expect(ruleViolation(rulesQuery, booking('2026-06-02T09:00:00+08:00', '2026-06-02T10:00:00+08:00'))).toBeNull();
  });

  it('returns NOT_ALIGNED for a start off the slot grid, a partial slot, or an empty booking', () => {
    expect(ruleViolation(rulesQuery, booking('2026-06-02T09:15:00+08:00', '2026-06-02T10:15:00+08:00'))).toBe('NOT_ALIGNED');
    expect(ruleViolation(rulesQuery, booking('2026-06-02T09:00:00+08:00', '2026-06-02T09:45:00+08:00'))).toBe('NOT_ALIGNED');
    expect(ruleViolation(rulesQuery, booking('2026-06-02T09:00:00+08:00', '2026-06-02T09:00:00+08:00'))).toBe('NOT_ALIGNED');
    expect(ruleViolation(rulesQuery, { start: at('2026-06-02T09:00:00+08:00') + 1, end: at('2026-06-02T10:00:00+08:00') + 1 })).toBe('NOT_ALIGNED');
  });

  it('returns TOO_SHORT and TOO_LONG against the duration limits', () => {
    const strict = query({}, { minDurationMinutes: 60, maxDurationMinutes: 120 });
    expect(ruleViolation(strict, booking('2026-06-02T09:00:00+08:00', '2026-06-02T09:30:00+08:00'))).toBe('TOO_SHORT');
    expect(ruleViolation(strict, booking('2026-06-02T08:00:00+08:00', '2026-06-02T10:30:00+08:00'))).toBe('TOO_LONG');
    expect(ruleViolation(strict, booking('2026-06-02T08:00:00+08:00', '2026-06-02T10:00:00+08:00'))).toBeNull();
  });

  it('returns TOO_SOON inside the notice period', () => {
    const soon = query({ now: at('2026-06-02T08:10:00+08:00') }, { minNoticeMinutes: 60 });
    expect(ruleViolation(soon, booking('2026-06-02T09:00:00+08:00', '2026-06-02T10:00:00+08:00'))).toBe('TOO_SOON');
    expect(ruleViolation(soon, booking('2026-06-02T09:30:00+08:00', '2026-06-02T10:30:00+08:00'))).toBeNull();
  });

  it('returns TOO_FAR_AHEAD after the advance limit', () => {
    const near = query({ now: at('2026-06-01T09:00:00+08:00') }, { maxAdvanceDays: 1 });
    expect(ruleViolation(near, booking('2026-06-02T09:30:00+08:00', '2026-06-02T10:30:00+08:00'))).toBe('TOO_FAR_AHEAD');
    expect(ruleViolation(near, booking('2026-06-02T09:00:00+08:00', '2026-06-02T10:00:00+08:00'))).toBeNull();
  });

  it('returns OUTSIDE_OPENING_HOURS for a booking leaving the open time or spanning a gap', () => {
    expect(ruleViolation(rulesQuery, booking('2026-06-02T11:30:00+08:00', '2026-06-02T12:30:00+08:00'))).toBe('OUTSIDE_OPENING_HOURS');
    expect(ruleViolation(rulesQuery, booking('2026-06-02T07:30:00+08:00', '2026-06-02T08:30:00+08:00'))).toBe('OUTSIDE_OPENING_HOURS');
    const split = query({
      open: [span('2026-06-02T08:00:00+08:00', '2026-06-02T09:00:00+08:00'), span('2026-06-02T09:30:00+08:00', '2026-06-02T12:00:00+08:00')],
    });
    expect(ruleViolation(split, booking('2026-06-02T08:30:00+08:00', '2026-06-02T10:00:00+08:00'))).toBe('OUTSIDE_OPENING_HOURS');
  });

  it('reports the first broken rule in the documented order', () => {
    const everything = query({ now: at('2026-06-02T23:00:00+08:00') }, { minDurationMinutes: 120, minNoticeMinutes: 60 });
    // Too short, too soon and outside opening hours at once: the duration is reported.
    expect(ruleViolation(everything, booking('2026-06-02T22:00:00+08:00', '2026-06-02T23:00:00+08:00'))).toBe('TOO_SHORT');
    // Misaligned beats everything.
    expect(ruleViolation(everything, booking('2026-06-02T22:10:00+08:00', '2026-06-02T23:10:00+08:00'))).toBe('NOT_ALIGNED');
  });

  it('judges alignment on the local clock on both occurrences of the repeated autumn hour', () => {
    const berlin = query({ timeZone: 'Europe/Berlin', open: [span('2026-10-24T22:00:00Z', '2026-10-25T04:00:00Z')], now: at('2026-10-01T00:00:00Z') });
    expect(ruleViolation(berlin, booking('2026-10-25T02:30:00+02:00', '2026-10-25T02:00:00+01:00'))).toBeNull();
    expect(ruleViolation(berlin, booking('2026-10-25T02:30:00+01:00', '2026-10-25T03:30:00+01:00'))).toBeNull();
    expect(ruleViolation(berlin, booking('2026-10-25T02:15:00+02:00', '2026-10-25T03:15:00+02:00'))).toBe('NOT_ALIGNED');
    expect(ruleViolation(berlin, booking('2026-10-25T02:15:00+01:00', '2026-10-25T03:15:00+01:00'))).toBe('NOT_ALIGNED');
  });

  it('refuses malformed rules and unknown zones', () => {
    const nineToTen = booking('2026-06-02T09:00:00+08:00', '2026-06-02T10:00:00+08:00');
    expect(() => ruleViolation(query({}, { slotMinutes: 0 }), nineToTen)).toThrow(RangeError);
    expect(() => ruleViolation(query({}, { bufferMinutes: -5 }), nineToTen)).toThrow(/bufferMinutes/);
    expect(() => ruleViolation(query({ timeZone: 'Nowhere/Atlantis' }), nineToTen)).toThrow(/time zone/);
  });
});

describe('busyConflict', () => {
  // Deliberately unsorted and overlapping.
  const busy = [
    span('2026-06-02T13:00:00Z', '2026-06-02T14:00:00Z'),
    span('2026-06-02T10:00:00Z', '2026-06-02T11:00:00Z'),
    span('2026-06-02T10:30:00Z', '2026-06-02T12:00:00Z'),
  ];

  it('returns the earliest-starting busy interval the booking overlaps', () => {
    expect(busyConflict(busy, span('2026-06-02T10:45:00Z', '2026-06-02T13:30:00Z'), 0)).toBe(busy[1]);
    expect(busyConflict(busy, span('2026-06-02T12:30:00Z', '2026-06-02T13:30:00Z'), 0)).toBe(busy[0]);
  });

  it('returns null when the booking only touches busy time', () => {
    expect(busyConflict(busy, span('2026-06-02T12:00:00Z', '2026-06-02T13:00:00Z'), 0)).toBeNull();
  });

  it('counts the buffer after the booking, not before it', () => {
    expect(busyConflict(busy, span('2026-06-02T12:00:00Z', '2026-06-02T12:45:00Z'), 15)).toBeNull();
    expect(busyConflict(busy, span('2026-06-02T12:00:00Z', '2026-06-02T12:50:00Z'), 15)).toBe(busy[0]);
  });
});

describe('freeStartTimes performance', () => {
  it('computes 90 days of 30-minute slots with a few hundred busy intervals in well under 50 ms', () => {
    const timeZone = 'Europe/Berlin'; // a zone with a DST change inside the 90 days
    const weekly: WeeklyWindow[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '08:00', closes: '21:00' }));
    const range = span('2026-03-01T00:00:00+01:00', '2026-05-30T00:00:00+02:00');
    const open = openIntervals({ timeZone, weekly, exceptions: [], closures: [] }, range);
    const busy: Interval[] = [];
    for (let day = 0; day < 89; day++) {
      for (const hour of [9, 13, 17]) {
        const start = range.start + day * DAY + hour * HOUR;
        busy.push({ start, end: start + 90 * MINUTE });
      }
    }
    const slotQuery = query({ timeZone, open, busy, range, durationMinutes: 60, now: at('2026-02-28T00:00:00Z') }, { maxAdvanceDays: 120, bufferMinutes: 15 });
    const unbusy = { ...slotQuery, busy: [] };

    for (let warmUp = 0; warmUp < 20; warmUp++) freeStartTimes(slotQuery);
    const runs = 20;
    const started = performance.now();
    let offered: number[] = [];
    for (let run = 0; run < runs; run++) offered = freeStartTimes(slotQuery);
    const millisecondsPerRun = (performance.now() - started) / runs;

    expect(open).toHaveLength(90);
    expect(busy.length).toBeGreaterThanOrEqual(250);
    expect(freeStartTimes(unbusy)).toHaveLength(90 * 25);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.length).toBeLessThan(90 * 25);
    expect(millisecondsPerRun).toBeLessThan(50);
  });
});
