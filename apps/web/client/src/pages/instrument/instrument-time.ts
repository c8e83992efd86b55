import type { InstrumentTexts } from './instrument-texts';

/**
 * Calendar arithmetic on the instrument's local clock with Intl alone (no date library in the
 * bundle): local dates as YYYY-MM-DD strings, instants as epoch milliseconds.
 */
const MINUTE = 60_000;
export const DAY = 86_400_000;

const partsFormat = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormat.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    partsFormat.set(timeZone, format);
  }
  return format;
}

/** The wall clock of an instant in a zone: date YYYY-MM-DD and time HH:mm. */
export function wallClock(instant: number, timeZone: string): { date: string; time: string } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

function offset(instant: number, timeZone: string): number {
  const { date, time } = wallClock(instant, timeZone);
  return Date.parse(`${date}T${time}:00Z`) - Math.floor(instant / MINUTE) * MINUTE;
}

/** The instant a local date starts (midnight) in a zone. */
export function startOfLocalDay(date: string, timeZone: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const first = guess - offset(guess, timeZone);
  return guess - offset(first, timeZone);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** ISO weekday of a local date: 1 Monday ... 7 Sunday. */
export function weekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

export function mondayOf(date: string): string {
  return addDays(date, 1 - weekday(date));
}

export function firstOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export function addMonths(date: string, months: number): string {
  const [year, month] = date.split('-').map(Number);
  const next = new Date(Date.UTC(year, month - 1 + months, 1));
  return next.toISOString().slice(0, 10);
}

/** A duration in words: 90 → "1 小时 30 分钟" / "1 h 30 min". */
export function durationText(minutes: number, texts: InstrumentTexts): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return [hours ? texts.hours(hours) : '', rest ? texts.minutes(rest) : ''].filter(Boolean).join(' ');
}
