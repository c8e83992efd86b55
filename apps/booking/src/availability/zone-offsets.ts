import { DateTime } from 'luxon';
import type { IANAZone } from 'luxon';
import type { Interval } from './interval';
import { wallIsoWithOffset } from './iso-text';

const MS_PER_DAY = 86_400_000;
/** Days remembered per zone before its memory starts afresh (about 55 years of days). */
const MAX_DAYS_PER_ZONE = 20_000;

/** A zone's UTC offset during one UTC day [day, day + 24 h): at its start, and where it changes (at most once). */
interface DayOffsets {
  offsetMinutes: number;
  /** The first instant of the day with the next day's offset, or null when the offset does not change. */
  change: number | null;
  nextOffsetMinutes: number;
}

export interface OffsetSegment extends Interval {
  offsetMinutes: number;
}

/**
 * A zone's UTC offsets, asked of luxon (Intl, slow) once per zone and UTC day and remembered:
 * a search over thousands of instruments in one zone asks luxon about each day once, not once
 * per instrument. Assumes, as the rest of the engine, that a zone changes its offset at most once
 * in 24 hours.
 */
const days = new Map<string, Map<number, DayOffsets>>();

function dayOffsets(zone: IANAZone, day: number): DayOffsets {
  let byDay = days.get(zone.name);
  if (!byDay || byDay.size >= MAX_DAYS_PER_ZONE) {
    byDay = new Map();
    days.set(zone.name, byDay);
  }
  let offsets = byDay.get(day);
  if (!offsets) {
    const start = day * MS_PER_DAY;
    const offsetMinutes = zone.offset(start);
    const nextOffsetMinutes = zone.offset(start + MS_PER_DAY);
    const change = nextOffsetMinutes === offsetMinutes ? null : firstInstantWithOffset(zone, start, start + MS_PER_DAY, nextOffsetMinutes);
    offsets = { offsetMinutes, change, nextOffsetMinutes };
    byDay.set(day, offsets);
  }
  return offsets;
}

/** The zone's UTC offset at `instant`, in minutes (as luxon's zone.offset). */
export function offsetAt(zone: IANAZone, instant: number): number {
  const offsets = dayOffsets(zone, Math.floor(instant / MS_PER_DAY));
  return offsets.change !== null && instant >= offsets.change ? offsets.nextOffsetMinutes : offsets.offsetMinutes;
}

/** [from, until) cut where the zone's UTC offset changes. */
export function offsetSegments(zone: IANAZone, from: number, until: number): OffsetSegment[] {
  const segments: OffsetSegment[] = [];
  let segmentStart = from;
  let offsetMinutes = offsetAt(zone, from);
  const lastDay = Math.floor((until - 1) / MS_PER_DAY);
  for (let day = Math.floor(from / MS_PER_DAY); day <= lastDay; day++) {
    const { change, nextOffsetMinutes } = dayOffsets(zone, day);
    if (change !== null && change > segmentStart && change < until && nextOffsetMinutes !== offsetMinutes) {
      segments.push({ start: segmentStart, end: change, offsetMinutes });
      segmentStart = change;
      offsetMinutes = nextOffsetMinutes;
    }
  }
  segments.push({ start: segmentStart, end: until, offsetMinutes });
  return segments;
}

/**
 * The first instant in (`notYet`, `already`] at which `zone` has `offsetMinutes`, given that it does
 * not at `notYet` and does at `already`, and that the offset changes only once in between.
 * Luxon exposes offsets but not the instants at which they change, so the change is found by
 * bisection (about 27 steps for a day).
 */
export function firstInstantWithOffset(zone: IANAZone, notYet: number, already: number, offsetMinutes: number): number {
  let before = notYet;
  let after = already;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (zone.offset(middle) === offsetMinutes) after = middle;
    else before = middle;
  }
  return after;
}

/**
 * The instant as ISO-8601 in the zone's wall time with its offset, as luxon's
 * DateTime.fromMillis(instant, { zone }).toISO() writes it ('2026-06-01T08:00:00.000+08:00'),
 * without building a DateTime: a free-slot answer writes hundreds of them.
 */
export function localIso(zone: IANAZone, instant: number): string {
  const offsetMinutes = offsetAt(zone, instant);
  // Years outside 0-9999 (toISOString's four digits): luxon writes them its own way.
  return wallIsoWithOffset(instant + offsetMinutes * 60_000, offsetMinutes) ?? DateTime.fromMillis(instant, { zone }).toISO()!;
}

const HOURS_18 = 18 * 3_600_000;

/**
 * The one instant at which the zone's clocks show `wall` (a local wall time written as epoch
 * milliseconds, as if it were UTC), when the offset is the same for 18 hours either side; null near
 * a change (a gap, an overlap, or just close to one), which the caller resolves the slow way.
 */
export function plainInstantAtWallTime(zone: IANAZone, wall: number): number | null {
  const offsetMinutes = offsetAt(zone, wall - HOURS_18);
  if (offsetAt(zone, wall + HOURS_18) !== offsetMinutes) return null;
  const instant = wall - offsetMinutes * 60_000;
  return offsetAt(zone, instant) === offsetMinutes ? instant : null;
}
