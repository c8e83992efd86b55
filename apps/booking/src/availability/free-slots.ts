import { DateTime } from 'luxon';
import type { IANAZone } from 'luxon';
import type { Interval } from './interval';
import { mergeIntervals, overlaps } from './interval';
import { requireTimeZone } from './opening-hours';
import { offsetAt, offsetSegments, plainInstantAtWallTime } from './zone-offsets';

/**
 * Which start times can be offered for a booking, and whether a requested booking follows the rules.
 *
 * The offer (`freeStartTimes`) and the acceptance (`ruleViolation` + `busyConflict`) share one
 * implementation of every check (`violationOf`, `firstOverlapFrom`), so an offered start is always
 * accepted and an accepted start is always offered (busy time permitting).
 *
 * Alignment follows the local wall clock: with 30-minute slots a start must show :00 or :30 local,
 * counted from local midnight (for slots that do not divide a day, the count restarts at midnight).
 * Durations, notice and buffers are real elapsed time. Around daylight-saving changes this means:
 * - spring forward (Berlin 2026-03-29, 02:00 -> 03:00): 02:00 and 02:30 do not exist and are never
 *   offered; with 60-minute slots a 01:00-04:00 window offers 01:00 and 03:00 local;
 * - fall back (Berlin 2026-10-25, 03:00 -> 02:00): the hour 02:00-03:00 happens twice and both
 *   occurrences are offered as distinct instants, in time order: 01:00, 02:00 (+02:00), 02:00
 *   (+01:00), 03:00. They only differ by UTC offset, so clients must show the offset (or the UTC
 *   instant) to tell them apart. A 60-minute booking from the first 02:00 ends at the second 02:00.
 */

export interface SlotRules {
  /** Granularity: starts and durations are multiples of it; starts counted from local midnight. */
  slotMinutes: number;
  minDurationMinutes: number;
  maxDurationMinutes: number;
  /** Time blocked after each booking; it may fall outside opening hours but not on busy time. */
  bufferMinutes: number;
  /** Earliest start = now + notice. */
  minNoticeMinutes: number;
  /** Latest start = now + this many calendar days in the instrument's zone (same local time). */
  maxAdvanceDays: number;
}

export interface SlotQuery {
  timeZone: string;
  /** Published opening hours (see openIntervals); never modified once passed (its merged form is remembered per array). */
  open: readonly Interval[];
  /** Time already taken: existing bookings including their buffers, holds, maintenance. */
  busy: readonly Interval[];
  rules: SlotRules;
  durationMinutes: number;
  now: number;
  /** Starts are looked for in [range.start, range.end). */
  range: Interval;
  /** Stop after this many starts (the earliest ones); all of them when absent. */
  limit?: number;
}

export type RuleViolation =
  | 'NOT_ALIGNED'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'TOO_SOON'
  | 'TOO_FAR_AHEAD'
  | 'OUTSIDE_OPENING_HOURS';

export type RuleQuery = Pick<SlotQuery, 'timeZone' | 'open' | 'rules' | 'now'>;

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

/**
 * Every start in the range that passes `ruleViolation` and `busyConflict` for the asked duration,
 * ascending. Walks the merged open intervals and the merged busy list with pointers, and asks luxon
 * for the zone offset about once per day instead of once per candidate.
 */
export function freeStartTimes(query: SlotQuery): number[] {
  const limit = query.limit ?? Infinity;
  if (!(limit > 0)) return [];
  const policy = bookingPolicy(query);
  const durationMs = query.durationMinutes * MS_PER_MINUTE;
  const bufferMinutes = query.rules.bufferMinutes;
  const busy = sortedAndDisjoint(query.busy) ? query.busy : mergeIntervals(query.busy);
  // Starts worth generating, as [from, until) per open interval. The checks below still decide;
  // these bounds only avoid generating candidates that are bound to fail.
  const spans: Interval[] = [];
  for (const open of policy.open) {
    const from = Math.max(open.start, query.range.start, policy.earliestStart);
    const until = Math.min(open.end - Math.max(durationMs, 0) + 1, query.range.end, policy.latestStart + 1);
    if (from < until) spans.push({ start: from, end: until });
  }
  if (spans.length === 0) return [];

  const offsets = offsetSegments(policy.zone, spans[0].start, spans[spans.length - 1].end);
  const starts: number[] = [];
  let segmentIndex = 0;
  let busyIndex = 0;
  for (const span of spans) {
    while (offsets[segmentIndex].end <= span.start) segmentIndex++;
    for (let index = segmentIndex; index < offsets.length && offsets[index].start < span.end; index++) {
      const segment = offsets[index];
      const offsetMs = Math.round(segment.offsetMinutes * MS_PER_MINUTE);
      const from = Math.max(span.start, segment.start);
      const until = Math.min(span.end, segment.end);
      // Within a segment the offset is fixed, so local wall time is the instant shifted by it.
      let wall = firstAlignedWallTime(from + offsetMs, policy.slotMs);
      for (let start = wall - offsetMs; start < until; wall = firstAlignedWallTime(wall + 1, policy.slotMs), start = wall - offsetMs) {
        const booking = { start, end: start + durationMs };
        if (violationOf(policy, booking, segment.offsetMinutes) !== null) continue;
        // Busy time ending before this start cannot touch it or any later one.
        while (busyIndex < busy.length && busy[busyIndex].end <= start) busyIndex++;
        if (firstOverlapFrom(busy, busyIndex, blockedBy(booking, bufferMinutes)) === null && starts.push(start) >= limit) return starts;
      }
    }
  }
  return starts;
}

/**
 * Why `booking` breaks the rules, or null. Checks in order: alignment and whole slots, minimum and
 * maximum duration, notice, advance, and that it lies inside one continuous stretch of opening
 * hours. Busy time is not checked here (the database refuses overlaps; see busyConflict).
 */
export function ruleViolation(query: RuleQuery, booking: Interval): RuleViolation | null {
  const policy = bookingPolicy(query);
  return violationOf(policy, booking, offsetAt(policy.zone, booking.start));
}

/**
 * The earliest-starting busy interval overlapping the booking together with its buffer,
 * [start, end + buffer), or null when the booking (and its clean-up) fits.
 */
export function busyConflict(busy: readonly Interval[], booking: Interval, bufferMinutes: number): Interval | null {
  const byStart = [...busy].sort((a, b) => a.start - b.start);
  return firstOverlapFrom(byStart, 0, blockedBy(booking, bufferMinutes));
}

/** What the checks need, derived once per query rather than once per candidate. */
interface BookingPolicy {
  zone: IANAZone;
  slotMs: number;
  minDurationMs: number;
  maxDurationMs: number;
  earliestStart: number;
  latestStart: number;
  /** Merged, so that touching windows count as one continuous stretch. */
  open: Interval[];
}

function bookingPolicy(query: RuleQuery): BookingPolicy {
  const zone = requireTimeZone(query.timeZone);
  const { rules } = query;
  if (!Number.isInteger(rules.slotMinutes) || rules.slotMinutes <= 0) {
    throw new RangeError(`slotMinutes must be a positive whole number, got ${rules.slotMinutes}`);
  }
  for (const name of ['minDurationMinutes', 'maxDurationMinutes', 'bufferMinutes', 'minNoticeMinutes', 'maxAdvanceDays'] as const) {
    if (!Number.isFinite(rules[name]) || rules[name] < 0) throw new RangeError(`${name} must be a number >= 0, got ${rules[name]}`);
  }
  return {
    zone,
    slotMs: rules.slotMinutes * MS_PER_MINUTE,
    minDurationMs: rules.minDurationMinutes * MS_PER_MINUTE,
    maxDurationMs: rules.maxDurationMinutes * MS_PER_MINUTE,
    earliestStart: query.now + rules.minNoticeMinutes * MS_PER_MINUTE,
    // Calendar days in the instrument's zone, so "90 days ahead" keeps the local time across DST.
    latestStart: latestStart(zone, query.now, rules.maxAdvanceDays),
    open: mergedOpen(query.open),
  };
}

/**
 * Whether the intervals are non-empty, by start and do not overlap: busy time from the index
 * always is (the exclusion constraint), and then walking it needs no merged copy (a search walks
 * the busy time of thousands of instruments).
 */
function sortedAndDisjoint(intervals: readonly Interval[]): boolean {
  for (let index = 0; index < intervals.length; index++) {
    const interval = intervals[index];
    if (!(interval.start < interval.end)) return false;
    if (index > 0 && intervals[index - 1].end > interval.start) return false;
  }
  return true;
}

/**
 * Open time merged, once per array: a search asks it for thousands of instruments sharing a few
 * computed (and never modified) open-time arrays, and merging them anew was a tenth of its time.
 */
const mergedOpenTime = new WeakMap<readonly Interval[], Interval[]>();

function mergedOpen(open: readonly Interval[]): Interval[] {
  let merged = mergedOpenTime.get(open);
  if (!merged) {
    merged = mergeIntervals(open);
    mergedOpenTime.set(open, merged);
  }
  return merged;
}

/** The last answer of latestStart: a search asks it for thousands of instruments with the same zone, now and advance. */
let lastLatestStart = { zone: '', now: NaN, days: NaN, latest: NaN };

/** `now` plus `days` calendar days in the zone (same local time). */
function latestStart(zone: IANAZone, now: number, days: number): number {
  const last = lastLatestStart;
  if (last.zone === zone.name && last.now === now && last.days === days) return last.latest;
  // The same wall time `days` later, away from clock changes straight from the remembered offsets.
  const latest = plainInstantAtWallTime(zone, now + offsetAt(zone, now) * 60_000 + days * MS_PER_DAY) ?? DateTime.fromMillis(now, { zone }).plus({ days }).toMillis();
  lastLatestStart = { zone: zone.name, now, days, latest };
  return latest;
}

/** The one implementation of the rules, used for offering and for accepting. */
function violationOf(policy: BookingPolicy, booking: Interval, startOffsetMinutes: number): RuleViolation | null {
  const durationMs = booking.end - booking.start;
  if (!(durationMs > 0) || durationMs % policy.slotMs !== 0 || !isAlignedStart(booking.start, startOffsetMinutes, policy.slotMs)) {
    return 'NOT_ALIGNED';
  }
  if (durationMs < policy.minDurationMs) return 'TOO_SHORT';
  if (durationMs > policy.maxDurationMs) return 'TOO_LONG';
  if (booking.start < policy.earliestStart) return 'TOO_SOON';
  if (booking.start > policy.latestStart) return 'TOO_FAR_AHEAD';
  if (!insideOneInterval(policy.open, booking)) return 'OUTSIDE_OPENING_HOURS';
  return null;
}

/** Whether `start` shows a whole multiple of the slot since local midnight, given the zone's offset then. */
function isAlignedStart(start: number, offsetMinutes: number, slotMs: number): boolean {
  const wall = start + Math.round(offsetMinutes * MS_PER_MINUTE);
  const sinceMidnight = ((wall % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  return sinceMidnight % slotMs === 0;
}

/** The first wall time (as ms on a UTC-like scale) at or after `wall` that is a slot boundary. */
function firstAlignedWallTime(wall: number, slotMs: number): number {
  const midnight = Math.floor(wall / MS_PER_DAY) * MS_PER_DAY;
  const aligned = midnight + Math.ceil((wall - midnight) / slotMs) * slotMs;
  // Slots that do not divide the day restart at the next midnight.
  return aligned < midnight + MS_PER_DAY ? aligned : midnight + MS_PER_DAY;
}

/** Whether one interval of the sorted, disjoint `open` contains the whole booking (binary search). */
function insideOneInterval(open: readonly Interval[], booking: Interval): boolean {
  let low = 0;
  let high = open.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = open[middle];
    if (booking.start < candidate.start) high = middle - 1;
    else if (booking.start >= candidate.end) low = middle + 1;
    else return booking.end <= candidate.end;
  }
  return false;
}

/** The booking plus the clean-up buffer after it: the time that must be free of busy intervals. */
function blockedBy(booking: Interval, bufferMinutes: number): Interval {
  return { start: booking.start, end: booking.end + bufferMinutes * MS_PER_MINUTE };
}

/** The first interval of `byStart` (sorted by start) from index `from` on that overlaps `blocked`. */
function firstOverlapFrom(byStart: readonly Interval[], from: number, blocked: Interval): Interval | null {
  for (let index = from; index < byStart.length && byStart[index].start < blocked.end; index++) {
    if (overlaps(byStart[index], blocked)) return byStart[index];
  }
  return null;
}
