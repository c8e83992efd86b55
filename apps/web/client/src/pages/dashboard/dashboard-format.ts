import type { Language } from '../../i18n/i18n';
import { localDate } from '../../shared/format';

/** A rate (0-1) as a percentage with one decimal; a dash without one. */
export function formatRate(rate: number | null | undefined, none = '—'): string {
  return rate === null || rate === undefined ? none : `${(rate * 100).toFixed(1)}%`;
}

/** Rates on a chart: percent, or no point at all. */
export function ratePoint(rate: number | null | undefined): number | null {
  return rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10;
}

export function formatNumber(value: number, language: Language, digits = 0): string {
  return new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits }).format(value);
}

/** Statistics days are China's local days. */
export function today(): string {
  return localDate(new Date(), 'Asia/Shanghai');
}

/** yyyy-MM-dd moved by whole days (calendar arithmetic in UTC, no zone involved). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The 12 months up to and including the current one, oldest first, as yyyy-MM. */
export function lastTwelveMonths(): string[] {
  const [year, month] = today().split('-').map(Number);
  const months: string[] = [];
  for (let back = 11; back >= 0; back -= 1) {
    const index = year * 12 + (month - 1) - back;
    months.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

/** A period choice as the statistics endpoints take it: from/to for the last 12 months, else period. */
export function periodQuery(period: string): { period?: string; from?: string; to?: string } {
  if (period !== 'last12') return { period };
  return { from: `${lastTwelveMonths()[0]}-01`, to: today() };
}
