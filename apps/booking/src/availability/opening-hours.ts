import { DateTime, IANAZone } from 'luxon';
import type { Interval } from './interval';
import { clipIntervals, isEmptyInterval, subtractIntervals } from './interval';
import { firstInstantWithOffset, offsetAt, plainInstantAtWallTime } from './zone-offsets';

export { firstInstantWithOffset };

/**
 * Published opening hours of an instrument, turned into UTC intervals.
 *
 * Opening hours are written in local wall-clock time of the instrument's time zone, so every local
 * time is converted with luxon, date by date. Daylight-saving rules (the only places where a local
 * time does not map to exactly one instant):
 * - a local time inside a spring-forward gap (02:30 in Berlin on 2026-03-29) means the first instant
 *   that exists after it, i.e. the moment the clocks jump (03:00 local). That is the moment a wall
 *   clock passes 02:30. Luxon on its own would shift by the gap length (to 03:30), so the gap is
 *   resolved explicitly;
 * - a local time inside a fall-back overlap (02:30 in Berlin on 2026-10-25 happens twice) means the
 *   earlier of the two instants. Luxon on its own picks one depending on the offset of the current
 *   date, so the choice is pinned here with `getPossibleOffsets`.
 * Windows are local, so 08:00 opens at 08:00 local on both sides of a change (06:00Z in Berlin
 * summer, 07:00Z in winter), and a daytime 08:00-21:00 window stays 13 h long even on the change
 * day. Only a window containing the change itself is shorter or longer: 22:00-06:00 across the
 * spring change lasts 7 h, across the autumn change 9 h; a whole day (00:00-24:00) lasts 23 h or 25 h.
 */

/** 'HH:mm' from 00:00 to 23:59; '24:00' is also accepted as a closing time (end of the day). */
export type LocalTime = string;
/** 'yyyy-MM-dd'. */
export type LocalDate = string;

/**
 * A window repeating every week. `weekday` is ISO: 1 = Monday .. 7 = Sunday. When `closes` is not
 * after `opens` the window runs overnight into the next day (22:00-06:00); equal times mean 24 h.
 */
export interface WeeklyWindow {
  weekday: number;
  opens: LocalTime;
  closes: LocalTime;
}

/**
 * A change for one date:
 * - `closed` without times closes the whole local day [00:00, next day 00:00), which also cuts an
 *   overnight window coming from the previous day;
 * - `closed` with both times closes only that part (closing time not after opening time: overnight,
 *   as for weekly windows);
 * - `open` (both times required) adds a window on that date, which may run overnight.
 * Closed time wins over open time, whatever its source.
 */
export interface DateException {
  date: LocalDate;
  kind: 'closed' | 'open';
  opens?: LocalTime;
  closes?: LocalTime;
}

/** Whole local days closed, both ends inclusive (institution holidays). */
export interface DateClosure {
  startsOn: LocalDate;
  endsOn: LocalDate;
}

export interface OpeningRules {
  timeZone: string;
  weekly: readonly WeeklyWindow[];
  exceptions: readonly DateException[];
  closures: readonly DateClosure[];
}

const MINUTES_PER_DAY = 24 * 60;
const MS_PER_DAY = 86_400_000;
const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Zones already checked: luxon's isValidZone builds an Intl.DateTimeFormat on every call. */
const knownZones = new Map<string, boolean>();

/** True for IANA zone names luxon (that is, the runtime's Intl data) knows, such as 'Asia/Shanghai'. */
export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string') return false;
  let valid = knownZones.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    // Bounded: zone names come from instrument records, but a flood of bad names must not grow it forever.
    if (knownZones.size < 1_000) knownZones.set(zone, valid);
  }
  return valid;
}

/** The luxon zone for an IANA name; throws a RangeError for anything else. */
export function requireTimeZone(zone: string): IANAZone {
  if (!isValidTimeZone(zone)) throw new RangeError(`Unknown time zone '${zone}'`);
  return IANAZone.create(zone);
}

/** Open time of `rules` inside `range`, as sorted, merged UTC intervals clipped to the range. */
export function openIntervals(rules: OpeningRules, range: Interval): Interval[] {
  const zone = requireTimeZone(rules.timeZone);
  // Everything is parsed before looking at the range, so that bad rules fail whatever is asked.
  const weekly = rules.weekly.map(parseWeeklyWindow);
  const exceptions = rules.exceptions.map(parseException);
  const closures = rules.closures.map(parseClosure);
  if (isEmptyInterval(range)) return [];

  // One day earlier than the range, because an overnight window from that day reaches into it.
  const firstDate = localDateAt(zone, range.start).minus({ days: 1 });
  const lastDate = localDateAt(zone, range.end - 1);
  const isNearRange = (date: DateTime): boolean => date >= firstDate && date <= lastDate;

  const open: Interval[] = [];
  const closed: Interval[] = [];
  for (let date = firstDate; date <= lastDate; date = date.plus({ days: 1 })) {
    for (const window of weekly) {
      if (window.weekday === date.weekday) open.push(localWindow(zone, date, window.opens, window.closes));
    }
  }
  for (const exception of exceptions) {
    if (!isNearRange(exception.date)) continue;
    const target = exception.kind === 'open' ? open : closed;
    target.push(localWindow(zone, exception.date, exception.opens, exception.closes));
  }
  for (const closure of closures) {
    if (closure.endsOn < firstDate || closure.startsOn > lastDate) continue;
    const startsOn = closure.startsOn > firstDate ? closure.startsOn : firstDate;
    const endsOn = closure.endsOn < lastDate ? closure.endsOn : lastDate;
    closed.push({ start: localInstant(zone, startsOn, 0), end: localInstant(zone, endsOn, MINUTES_PER_DAY) });
  }
  return clipIntervals(subtractIntervals(open, closed), range);
}

/** Parsed weekly window: times as minutes since local midnight. */
interface LocalWindowRule {
  weekday: number;
  opens: number;
  closes: number;
}

/** Parsed exception; a whole-day closure is the window 00:00-24:00. */
interface DatedWindow {
  date: DateTime;
  kind: 'closed' | 'open';
  opens: number;
  closes: number;
}

function parseWeeklyWindow(window: WeeklyWindow): LocalWindowRule {
  if (!Number.isInteger(window.weekday) || window.weekday < 1 || window.weekday > 7) {
    throw new RangeError(`Invalid weekday ${window.weekday} (expected 1 = Monday .. 7 = Sunday)`);
  }
  return { weekday: window.weekday, opens: parseLocalTime(window.opens, 'opens'), closes: parseLocalTime(window.closes, 'closes') };
}

function parseException(exception: DateException): DatedWindow {
  const date = parseLocalDate(exception.date);
  const hasOpens = exception.opens !== undefined;
  const hasCloses = exception.closes !== undefined;
  if (exception.kind !== 'open' && exception.kind !== 'closed') {
    throw new RangeError(`Invalid exception kind '${String(exception.kind)}' on ${exception.date}`);
  }
  if (exception.kind === 'closed' && !hasOpens && !hasCloses) {
    return { date, kind: 'closed', opens: 0, closes: MINUTES_PER_DAY };
  }
  if (!hasOpens || !hasCloses) {
    throw new RangeError(`Exception on ${exception.date} needs both opens and closes (or neither, for a closed day)`);
  }
  return {
    date,
    kind: exception.kind,
    opens: parseLocalTime(exception.opens as string, 'opens'),
    closes: parseLocalTime(exception.closes as string, 'closes'),
  };
}

function parseClosure(closure: DateClosure): { startsOn: DateTime; endsOn: DateTime } {
  const startsOn = parseLocalDate(closure.startsOn);
  const endsOn = parseLocalDate(closure.endsOn);
  if (endsOn < startsOn) throw new RangeError(`Closure ends (${closure.endsOn}) before it starts (${closure.startsOn})`);
  return { startsOn, endsOn };
}

/** Minutes since local midnight; '24:00' (1440) only as a closing time. */
function parseLocalTime(time: LocalTime, role: 'opens' | 'closes'): number {
  if (role === 'closes' && time === '24:00') return MINUTES_PER_DAY;
  const match = typeof time === 'string' ? LOCAL_TIME.exec(time) : null;
  if (match === null) {
    throw new RangeError(`Invalid ${role} time '${String(time)}' (expected HH:mm${role === 'closes' ? ' or 24:00' : ''})`);
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * A calendar date, held as a luxon DateTime at midnight UTC: UTC has no gaps, so adding days and
 * comparing dates is plain calendar arithmetic, independent of the instrument's zone.
 */
function parseLocalDate(date: LocalDate): DateTime {
  const parsed = typeof date === 'string' && LOCAL_DATE.test(date) ? DateTime.fromISO(date, { zone: 'utc' }) : null;
  if (parsed === null || !parsed.isValid) throw new RangeError(`Invalid date '${String(date)}' (expected yyyy-MM-dd)`);
  return parsed;
}

/** The local calendar date in `zone` at `instant`. */
function localDateAt(zone: IANAZone, instant: number): DateTime {
  const wall = instant + offsetAt(zone, instant) * 60_000;
  return DateTime.fromMillis(wall - (((wall % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY), { zone: 'utc' });
}

/** A window opening on `date`; closing on the next day when it does not close after it opens. */
function localWindow(zone: IANAZone, date: DateTime, opens: number, closes: number): Interval {
  const closesOn = closes <= opens ? date.plus({ days: 1 }) : date;
  return { start: localInstant(zone, date, opens), end: localInstant(zone, closesOn, closes) };
}

/** The instant at which the wall clock in `zone` shows `minutesOfDay` (1440 = next midnight) on `date`. */
function localInstant(zone: IANAZone, date: DateTime, minutesOfDay: number): number {
  // Away from offset changes the answer is the wall time minus the (remembered) offset.
  const plain = plainInstantAtWallTime(zone, date.toMillis() + minutesOfDay * 60_000);
  if (plain !== null) return plain;
  const day = minutesOfDay >= MINUTES_PER_DAY ? date.plus({ days: 1 }) : date;
  const minutes = minutesOfDay % MINUTES_PER_DAY;
  const wanted = { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 };
  const resolved = DateTime.fromObject(wanted, { zone });
  const shown = resolved.year === wanted.year && resolved.month === wanted.month && resolved.day === wanted.day
    && resolved.hour === wanted.hour && resolved.minute === wanted.minute;
  if (!shown) {
    // Inside a gap luxon answers with a later wall time; the clocks jumped somewhere in the day
    // before that answer, and the jump is the first instant at or after the wanted time.
    const answer = resolved.toMillis();
    const dayBefore = answer - MS_PER_DAY;
    // Two offset changes within a day are not expected; should one occur, keep luxon's answer.
    if (zone.offset(dayBefore) === resolved.offset) return answer;
    return firstInstantWithOffset(zone, dayBefore, answer, resolved.offset);
  }
  // One instant normally, two in a fall-back overlap: take the earlier.
  return Math.min(...resolved.getPossibleOffsets().map((candidate) => candidate.toMillis()));
}
