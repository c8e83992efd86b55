/**
 * Half-open time intervals [start, end) in epoch milliseconds, and the few set operations the
 * availability engine needs. Half-open so that a booking ending at 10:00 and one starting at
 * 10:00 touch but do not overlap.
 */
export interface Interval {
  start: number;
  end: number;
}

export function isEmptyInterval(interval: Interval): boolean {
  return !(interval.start < interval.end);
}

/** True when the two intervals share at least one instant; an empty interval overlaps nothing. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end;
}

/**
 * Sorted, disjoint intervals covering the same instants. Touching intervals are joined too, so
 * that "inside one merged interval" means "continuously covered" (10:00-12:00 + 12:00-14:00 lets a
 * 11:00-13:00 booking through).
 */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((interval) => !isEmptyInterval(interval)).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) {
      last.end = Math.max(last.end, interval.end);
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}

/** The instants of `from` that are not in `remove`, merged. */
export function subtractIntervals(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const kept = mergeIntervals(from);
  const removed = mergeIntervals(remove);
  const result: Interval[] = [];
  // Both lists are sorted and disjoint, so one pass with a shared pointer into `removed` suffices.
  let next = 0;
  for (const interval of kept) {
    let cursor = interval.start;
    while (next < removed.length && removed[next].end <= cursor) next++;
    let index = next;
    while (index < removed.length && removed[index].start < interval.end) {
      const hole = removed[index];
      if (hole.start > cursor) result.push({ start: cursor, end: hole.start });
      cursor = Math.max(cursor, hole.end);
      if (hole.end > interval.end) break; // this hole may also cut the next interval: keep it
      index++;
    }
    if (cursor < interval.end) result.push({ start: cursor, end: interval.end });
    next = index;
  }
  return result;
}

/** The parts of `intervals` inside `window`, merged. */
export function clipIntervals(intervals: readonly Interval[], window: Interval): Interval[] {
  if (isEmptyInterval(window)) return [];
  const clipped: Interval[] = [];
  for (const interval of intervals) {
    const start = Math.max(interval.start, window.start);
    const end = Math.min(interval.end, window.end);
    if (start < end) clipped.push({ start, end });
  }
  return mergeIntervals(clipped);
}
