import { Settings } from 'luxon';
import type { Interval } from './interval';
import type { OpeningRules, WeeklyWindow } from './opening-hours';
import { isValidTimeZone, openIntervals } from './opening-hours';

/** Instants are written with an explicit offset, so the expectations do not depend on the code under test. */
const at = (iso: string): number => Date.parse(iso);
const span = (from: string, to: string): Interval => ({ start: at(from), end: at(to) });
const hours = (interval: Interval): number => (interval.end - interval.start) / 3_600_000;

const everyDay = (opens: string, closes: string): WeeklyWindow[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens, closes }));
const weekdays = (opens: string, closes: string): WeeklyWindow[] =>
  [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens, closes }));

function rules(timeZone: string, weekly: WeeklyWindow[], extra: Partial<OpeningRules> = {}): OpeningRules {
  return { timeZone, weekly, exceptions: [], closures: [], ...extra };
}

// Monday 2026-06-01 to Monday 2026-06-08, Shanghai time (UTC+8, no DST).
const shanghaiWeek = span('2026-06-01T00:00:00+08:00', '2026-06-08T00:00:00+08:00');

describe('isValidTimeZone', () => {
  it('accepts IANA names and rejects the rest', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('openIntervals in a zone without DST (Asia/Shanghai)', () => {
  it('gives 13 h on each weekday from 08:00 to 21:00 local and nothing on the weekend', () => {
    const open = openIntervals(rules('Asia/Shanghai', weekdays('08:00', '21:00')), shanghaiWeek);
    expect(open).toEqual([
      span('2026-06-01T08:00:00+08:00', '2026-06-01T21:00:00+08:00'),
      span('2026-06-02T08:00:00+08:00', '2026-06-02T21:00:00+08:00'),
      span('2026-06-03T08:00:00+08:00', '2026-06-03T21:00:00+08:00'),
      span('2026-06-04T08:00:00+08:00', '2026-06-04T21:00:00+08:00'),
      span('2026-06-05T08:00:00+08:00', '2026-06-05T21:00:00+08:00'),
    ]);
    expect(open.map(hours)).toEqual([13, 13, 13, 13, 13]);
    expect(open[0].start).toBe(at('2026-06-01T00:00:00Z'));
  });

  it('keeps several windows a day apart and joins touching ones', () => {
    const weekly = [
      { weekday: 2, opens: '08:00', closes: '12:00' },
      { weekday: 2, opens: '13:00', closes: '17:00' },
      { weekday: 2, opens: '17:00', closes: '19:30' },
    ];
    expect(openIntervals(rules('Asia/Shanghai', weekly), shanghaiWeek)).toEqual([
      span('2026-06-02T08:00:00+08:00', '2026-06-02T12:00:00+08:00'),
      span('2026-06-02T13:00:00+08:00', '2026-06-02T19:30:00+08:00'),
    ]);
  });

  it('runs a 22:00-06:00 window over midnight, and from Sunday into Monday of the next week', () => {
    const weekly = [
      { weekday: 3, opens: '22:00', closes: '06:00' },
      { weekday: 7, opens: '22:00', closes: '06:00' },
    ];
    const open = openIntervals(rules('Asia/Shanghai', weekly), span('2026-06-01T00:00:00+08:00', '2026-06-09T00:00:00+08:00'));
    expect(open).toEqual([
      span('2026-06-01T00:00:00+08:00', '2026-06-01T06:00:00+08:00'), // from Sunday 2026-05-31, before the range
      span('2026-06-03T22:00:00+08:00', '2026-06-04T06:00:00+08:00'),
      span('2026-06-07T22:00:00+08:00', '2026-06-08T06:00:00+08:00'),
    ]);
    expect(open.map(hours)).toEqual([6, 8, 8]);
  });

  it("counts the previous day's overnight window in a range starting at midnight", () => {
    const weekly = [{ weekday: 7, opens: '22:00', closes: '06:00' }];
    const monday = span('2026-06-08T00:00:00+08:00', '2026-06-09T00:00:00+08:00');
    expect(openIntervals(rules('Asia/Shanghai', weekly), monday)).toEqual([span('2026-06-08T00:00:00+08:00', '2026-06-08T06:00:00+08:00')]);
  });

  it('clips windows to the range', () => {
    const range = span('2026-06-01T10:00:00+08:00', '2026-06-02T09:00:00+08:00');
    expect(openIntervals(rules('Asia/Shanghai', weekdays('08:00', '21:00')), range)).toEqual([
      span('2026-06-01T10:00:00+08:00', '2026-06-01T21:00:00+08:00'),
      span('2026-06-02T08:00:00+08:00', '2026-06-02T09:00:00+08:00'),
    ]);
  });

  it('reads 24:00 as the end of the day and equal times as a 24-hour window', () => {
    const weekly = [
      { weekday: 1, opens: '00:00', closes: '24:00' },
      { weekday: 3, opens: '09:00', closes: '09:00' },
    ];
    expect(openIntervals(rules('Asia/Shanghai', weekly), shanghaiWeek)).toEqual([
      span('2026-06-01T00:00:00+08:00', '2026-06-02T00:00:00+08:00'),
      span('2026-06-03T09:00:00+08:00', '2026-06-04T09:00:00+08:00'),
    ]);
  });

  it('returns nothing for an empty range', () => {
    expect(openIntervals(rules('Asia/Shanghai', everyDay('00:00', '24:00')), span('2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z'))).toEqual([]);
  });
});

describe('openIntervals with closures and exceptions', () => {
  it('closes whole days of a closure, both ends included', () => {
    const open = openIntervals(
      rules('Asia/Shanghai', weekdays('08:00', '21:00'), { closures: [{ startsOn: '2026-06-02', endsOn: '2026-06-04' }] }),
      shanghaiWeek,
    );
    expect(open).toEqual([
      span('2026-06-01T08:00:00+08:00', '2026-06-01T21:00:00+08:00'),
      span('2026-06-05T08:00:00+08:00', '2026-06-05T21:00:00+08:00'),
    ]);
  });

  it('closes a single-day closure', () => {
    const open = openIntervals(
      rules('Asia/Shanghai', weekdays('08:00', '21:00'), { closures: [{ startsOn: '2026-06-05', endsOn: '2026-06-05' }] }),
      shanghaiWeek,
    );
    expect(open).toHaveLength(4);
    expect(open[open.length - 1]).toEqual(span('2026-06-04T08:00:00+08:00', '2026-06-04T21:00:00+08:00'));
  });

  it('closes a whole day, including the part of an overnight window coming from the day before', () => {
    const open = openIntervals(
      rules('Asia/Shanghai', everyDay('22:00', '06:00'), { exceptions: [{ date: '2026-06-03', kind: 'closed' }] }),
      span('2026-06-02T00:00:00+08:00', '2026-06-05T00:00:00+08:00'),
    );
    expect(open).toEqual([
      span('2026-06-02T00:00:00+08:00', '2026-06-02T06:00:00+08:00'),
      span('2026-06-02T22:00:00+08:00', '2026-06-03T00:00:00+08:00'),
      span('2026-06-04T00:00:00+08:00', '2026-06-04T06:00:00+08:00'),
      span('2026-06-04T22:00:00+08:00', '2026-06-05T00:00:00+08:00'),
    ]);
  });

  it('closes part of a day', () => {
    const open = openIntervals(
      rules('Asia/Shanghai', weekdays('08:00', '21:00'), { exceptions: [{ date: '2026-06-02', kind: 'closed', opens: '12:00', closes: '14:30' }] }),
      span('2026-06-02T00:00:00+08:00', '2026-06-03T00:00:00+08:00'),
    );
    expect(open).toEqual([
      span('2026-06-02T08:00:00+08:00', '2026-06-02T12:00:00+08:00'),
      span('2026-06-02T14:30:00+08:00', '2026-06-02T21:00:00+08:00'),
    ]);
  });

  it('closes part of an overnight window, across midnight', () => {
    const open = openIntervals(
      rules('Asia/Shanghai', [{ weekday: 3, opens: '22:00', closes: '06:00' }], {
        exceptions: [{ date: '2026-06-03', kind: 'closed', opens: '23:00', closes: '02:00' }],
      }),
      shanghaiWeek,
    );
    expect(open).toEqual([
      span('2026-06-03T22:00:00+08:00', '2026-06-03T23:00:00+08:00'),
      span('2026-06-04T02:00:00+08:00', '2026-06-04T06:00:00+08:00'),
    ]);
  });

  it('adds an open window on a Sunday, overnight ones included', () => {
    const open = openIntervals(
      rules('Asia/Shanghai', weekdays('08:00', '21:00'), {
        exceptions: [
          { date: '2026-06-07', kind: 'open', opens: '09:00', closes: '12:00' },
          { date: '2026-06-07', kind: 'open', opens: '23:00', closes: '01:00' },
        ],
      }),
      span('2026-06-06T00:00:00+08:00', '2026-06-09T00:00:00+08:00'),
    );
    expect(open).toEqual([
      span('2026-06-07T09:00:00+08:00', '2026-06-07T12:00:00+08:00'),
      span('2026-06-07T23:00:00+08:00', '2026-06-08T01:00:00+08:00'),
      span('2026-06-08T08:00:00+08:00', '2026-06-08T21:00:00+08:00'),
    ]);
  });

  it('lets closed time win over an open exception on the same date', () => {
    const open = openIntervals(
      rules('Asia/Shanghai', [], {
        exceptions: [{ date: '2026-06-07', kind: 'open', opens: '09:00', closes: '12:00' }],
        closures: [{ startsOn: '2026-06-07', endsOn: '2026-06-07' }],
      }),
      shanghaiWeek,
    );
    expect(open).toEqual([]);
  });

  it('refuses malformed rules', () => {
    const range = shanghaiWeek;
    expect(() => openIntervals(rules('Nowhere/Atlantis', []), range)).toThrow(RangeError);
    expect(() => openIntervals(rules('Asia/Shanghai', [{ weekday: 0, opens: '08:00', closes: '09:00' }]), range)).toThrow(/weekday/);
    expect(() => openIntervals(rules('Asia/Shanghai', [{ weekday: 1, opens: '8:00', closes: '09:00' }]), range)).toThrow(/opens/);
    expect(() => openIntervals(rules('Asia/Shanghai', [{ weekday: 1, opens: '24:00', closes: '09:00' }]), range)).toThrow(/opens/);
    expect(() => openIntervals(rules('Asia/Shanghai', [{ weekday: 1, opens: '08:00', closes: '24:30' }]), range)).toThrow(/closes/);
    const openWithoutTimes = rules('Asia/Shanghai', [], { exceptions: [{ date: '2026-06-07', kind: 'open' }] });
    expect(() => openIntervals(openWithoutTimes, range)).toThrow(/both/);
    const closedWithOneTime = rules('Asia/Shanghai', [], { exceptions: [{ date: '2026-06-07', kind: 'closed', opens: '10:00' }] });
    expect(() => openIntervals(closedWithOneTime, range)).toThrow(/both/);
    const badDate = rules('Asia/Shanghai', [], { closures: [{ startsOn: '2026-02-30', endsOn: '2026-03-01' }] });
    expect(() => openIntervals(badDate, range)).toThrow(/date/);
    const inverted = rules('Asia/Shanghai', [], { closures: [{ startsOn: '2026-06-05', endsOn: '2026-06-04' }] });
    expect(() => openIntervals(inverted, range)).toThrow(/before/);
  });
});

describe('openIntervals across DST changes in Europe/Berlin', () => {
  const berlin = (weekly: WeeklyWindow[], extra: Partial<OpeningRules> = {}): OpeningRules => rules('Europe/Berlin', weekly, extra);

  it('opens at 08:00 local on both sides of the spring change (07:00Z, then 06:00Z), 13 h each', () => {
    const open = openIntervals(berlin(everyDay('08:00', '21:00')), span('2026-03-28T00:00:00+01:00', '2026-03-30T00:00:00+02:00'));
    expect(open).toEqual([span('2026-03-28T07:00:00Z', '2026-03-28T20:00:00Z'), span('2026-03-29T06:00:00Z', '2026-03-29T19:00:00Z')]);
    expect(open.map(hours)).toEqual([13, 13]);
  });

  it('opens at 08:00 local on both sides of the autumn change (06:00Z, then 07:00Z), 13 h each', () => {
    const open = openIntervals(berlin(everyDay('08:00', '21:00')), span('2026-10-24T00:00:00+02:00', '2026-10-26T00:00:00+01:00'));
    expect(open).toEqual([span('2026-10-24T06:00:00Z', '2026-10-24T19:00:00Z'), span('2026-10-25T07:00:00Z', '2026-10-25T20:00:00Z')]);
    expect(open.map(hours)).toEqual([13, 13]);
  });

  it('makes a 22:00-06:00 window 7 h long across the spring change and 9 h across the autumn change', () => {
    const saturdayNights = berlin([{ weekday: 6, opens: '22:00', closes: '06:00' }]);
    const spring = openIntervals(saturdayNights, span('2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z'));
    const autumn = openIntervals(saturdayNights, span('2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z'));
    expect(spring).toEqual([span('2026-03-28T22:00:00+01:00', '2026-03-29T06:00:00+02:00')]);
    expect(autumn).toEqual([span('2026-10-24T22:00:00+02:00', '2026-10-25T06:00:00+01:00')]);
    expect(spring.map(hours)).toEqual([7]);
    expect(autumn.map(hours)).toEqual([9]);
  });

  it('makes a whole-day window 23 h and 25 h long on the change days', () => {
    const sundays = berlin([{ weekday: 7, opens: '00:00', closes: '24:00' }]);
    expect(openIntervals(sundays, span('2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z')).map(hours)).toEqual([22]); // clipped: starts 2026-03-28T23:00Z
    expect(openIntervals(sundays, span('2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).map(hours)).toEqual([23]);
    expect(openIntervals(sundays, span('2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).map(hours)).toEqual([25]);
  });

  it('moves a time inside the spring gap to the moment the clocks jump (03:00 local), not by the gap length', () => {
    const open = openIntervals(
      berlin([
        { weekday: 7, opens: '00:30', closes: '02:30' },
        { weekday: 7, opens: '02:30', closes: '05:00' },
      ]),
      span('2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z'),
    );
    // 00:30-02:30 ends at 03:00 local = 01:00Z, where 02:30-05:00 starts: they touch and merge.
    expect(open).toEqual([span('2026-03-29T00:30:00+01:00', '2026-03-29T05:00:00+02:00')]);
    const lateStart = openIntervals(berlin([{ weekday: 7, opens: '02:30', closes: '05:00' }]), span('2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z'));
    expect(lateStart).toEqual([span('2026-03-29T01:00:00Z', '2026-03-29T03:00:00Z')]);
  });

  it('takes the earlier instant for a time in the repeated autumn hour, whatever the current date', () => {
    const nightShift = berlin([{ weekday: 7, opens: '02:30', closes: '05:00' }]);
    const range = span('2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z');
    const expected = [span('2026-10-25T02:30:00+02:00', '2026-10-25T05:00:00+01:00')];
    const realNow = Settings.now;
    try {
      // Luxon's own choice for an ambiguous time depends on the offset in force "now".
      Settings.now = () => at('2026-07-01T00:00:00Z');
      expect(openIntervals(nightShift, range)).toEqual(expected);
      Settings.now = () => at('2026-12-01T00:00:00Z');
      expect(openIntervals(nightShift, range)).toEqual(expected);
    } finally {
      Settings.now = realNow;
    }
  });
});

describe('openIntervals across DST changes in America/New_York', () => {
  const newYork = rules('America/New_York', everyDay('08:00', '21:00'));

  it('opens at 08:00 local on both sides of the spring change (13:00Z, then 12:00Z)', () => {
    const open = openIntervals(newYork, span('2026-03-07T05:00:00Z', '2026-03-09T04:00:00Z'));
    expect(open).toEqual([span('2026-03-07T13:00:00Z', '2026-03-08T02:00:00Z'), span('2026-03-08T12:00:00Z', '2026-03-09T01:00:00Z')]);
  });

  it('opens at 08:00 local on both sides of the autumn change (12:00Z, then 13:00Z)', () => {
    const open = openIntervals(newYork, span('2026-10-31T04:00:00Z', '2026-11-02T05:00:00Z'));
    expect(open).toEqual([span('2026-10-31T12:00:00Z', '2026-11-01T01:00:00Z'), span('2026-11-01T13:00:00Z', '2026-11-02T02:00:00Z')]);
  });

  it('makes an overnight window 7 h and 9 h long across the changes', () => {
    const saturdayNights = rules('America/New_York', [{ weekday: 6, opens: '22:00', closes: '06:00' }]);
    expect(openIntervals(saturdayNights, span('2026-03-07T00:00:00Z', '2026-03-09T12:00:00Z')).map(hours)).toEqual([7]);
    expect(openIntervals(saturdayNights, span('2026-10-31T00:00:00Z', '2026-11-02T12:00:00Z')).map(hours)).toEqual([9]);
  });
});
