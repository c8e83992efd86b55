import { HttpStatus } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DomainError } from '@app/common';
import { StatisticsErrorCode } from './statistics-error-code';

/** 2026 (a year), 2026-03 (a month) or 2026-Q1 (a quarter). */
export const PERIOD_PATTERN = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A range of local days, both ends inclusive, as yyyy-MM-dd. */
export interface DayRange {
  firstDay: string;
  lastDay: string;
  /** Number of days in the range. */
  days: number;
}

export interface RangeInput {
  from?: string;
  to?: string;
  period?: string;
}

function rangeError(code: StatisticsErrorCode, message: string, details?: unknown): DomainError {
  return new DomainError(code, message, HttpStatus.BAD_REQUEST, details);
}

function parseDate(value: string, field: string): DateTime {
  const parsed = DATE_PATTERN.test(value) ? DateTime.fromISO(value, { zone: 'utc' }) : null;
  if (!parsed?.isValid) throw rangeError(StatisticsErrorCode.INVALID_DATE, `${field} ${value} is not a calendar date (yyyy-MM-dd)`, { field });
  return parsed;
}

/** The first and last day of a period: a year, a month or a quarter. */
export function periodRange(period: string): { first: DateTime; last: DateTime } {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) throw rangeError(StatisticsErrorCode.INVALID_DATE, `period ${period} is not a year (2026), month (2026-03) or quarter (2026-Q1)`, { field: 'period' });
  const year = Number(match[1]);
  if (match[2]) {
    const first = DateTime.utc(year, Number(match[2]), 1);
    return { first, last: first.endOf('month').startOf('day') };
  }
  if (match[3]) {
    const first = DateTime.utc(year, (Number(match[3]) - 1) * 3 + 1, 1);
    return { first, last: first.plus({ months: 3 }).minus({ days: 1 }) };
  }
  return { first: DateTime.utc(year, 1, 1), last: DateTime.utc(year, 12, 31) };
}

/** Turns from/to or a period into a checked range of at most maxDays days. */
export function resolveDayRange(input: RangeInput, maxDays: number): DayRange {
  const hasDates = input.from !== undefined || input.to !== undefined;
  if (input.period !== undefined && hasDates) {
    throw rangeError(StatisticsErrorCode.RANGE_AMBIGUOUS, 'Give either period or from and to, not both');
  }
  let first: DateTime;
  let last: DateTime;
  if (input.period !== undefined) {
    ({ first, last } = periodRange(input.period));
  } else {
    if (input.from === undefined || input.to === undefined) {
      throw rangeError(StatisticsErrorCode.RANGE_REQUIRED, 'Give from and to (yyyy-MM-dd), or period (2026, 2026-03, 2026-Q1)');
    }
    first = parseDate(input.from, 'from');
    last = parseDate(input.to, 'to');
  }
  if (last < first) {
    throw rangeError(StatisticsErrorCode.RANGE_INVERTED, `to (${last.toISODate()}) is before from (${first.toISODate()})`);
  }
  const days = Math.round(last.diff(first, 'days').days) + 1;
  if (days > maxDays) {
    throw rangeError(StatisticsErrorCode.RANGE_TOO_LONG, `The range covers ${days} days; at most ${maxDays} are allowed`, { days, maxDays });
  }
  return { firstDay: first.toISODate()!, lastDay: last.toISODate()!, days };
}

/** The `count` local days in `zone` that end yesterday (relative to `now`). */
export function lastLocalDays(now: Date, zone: string, count: number): DayRange {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  return { firstDay: today.minus({ days: count }).toISODate()!, lastDay: today.minus({ days: 1 }).toISODate()!, days: count };
}

/** Splits a range into consecutive chunks of at most `size` days. */
export function chunkDayRange(range: Pick<DayRange, 'firstDay' | 'lastDay'>, size: number): DayRange[] {
  const chunks: DayRange[] = [];
  const last = DateTime.fromISO(range.lastDay, { zone: 'utc' });
  for (let start = DateTime.fromISO(range.firstDay, { zone: 'utc' }); start <= last; start = start.plus({ days: size })) {
    const end = DateTime.min(start.plus({ days: size - 1 }), last);
    chunks.push({ firstDay: start.toISODate()!, lastDay: end.toISODate()!, days: Math.round(end.diff(start, 'days').days) + 1 });
  }
  return chunks;
}
