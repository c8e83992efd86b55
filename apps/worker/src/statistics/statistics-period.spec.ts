import { DomainError } from '@app/common';
import { chunkDayRange, lastLocalDays, periodRange, resolveDayRange } from './statistics-period';

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
};

describe('statistics periods', () => {
  it('turns a year, a quarter and a month into their days', () => {
    expect(resolveDayRange({ period: '2026' }, 366)).toEqual({ firstDay: '2026-01-01', lastDay: '2026-12-31', days: 365 });
    expect(resolveDayRange({ period: '2024' }, 366)).toEqual({ firstDay: '2024-01-01', lastDay: '2024-12-31', days: 366 });
    expect(resolveDayRange({ period: '2026-Q1' }, 366)).toEqual({ firstDay: '2026-01-01', lastDay: '2026-03-31', days: 90 });
    expect(resolveDayRange({ period: '2026-Q4' }, 366)).toEqual({ firstDay: '2026-10-01', lastDay: '2026-12-31', days: 92 });
    expect(resolveDayRange({ period: '2024-02' }, 366)).toEqual({ firstDay: '2024-02-01', lastDay: '2024-02-29', days: 29 });
    expect(periodRange('2026-12').last.toISODate()).toBe('2026-12-31');
  });

  it('takes from and to as inclusive local days', () => {
    expect(resolveDayRange({ from: '2026-03-28', to: '2026-03-30' }, 366)).toEqual({ firstDay: '2026-03-28', lastDay: '2026-03-30', days: 3 });
    expect(resolveDayRange({ from: '2026-03-28', to: '2026-03-28' }, 1).days).toBe(1);
    expect(resolveDayRange({ from: '2025-01-01', to: '2026-01-01' }, 366).days).toBe(366);
  });

  it('refuses bad ranges with stable codes', () => {
    expect(codeOf(() => resolveDayRange({}, 366))).toBe('STATISTICS_RANGE_REQUIRED');
    expect(codeOf(() => resolveDayRange({ to: '2026-01-01' }, 366))).toBe('STATISTICS_RANGE_REQUIRED');
    expect(codeOf(() => resolveDayRange({ period: '2026', to: '2026-01-01' }, 366))).toBe('STATISTICS_RANGE_AMBIGUOUS');
    expect(codeOf(() => resolveDayRange({ from: '2026-02-29', to: '2026-03-01' }, 366))).toBe('STATISTICS_INVALID_DATE');
    expect(codeOf(() => resolveDayRange({ from: '2026-03-02', to: '2026-03-01' }, 366))).toBe('STATISTICS_RANGE_INVERTED');
    expect(codeOf(() => resolveDayRange({ from: '2025-01-01', to: '2026-01-02' }, 366))).toBe('STATISTICS_RANGE_TOO_LONG');
    expect(codeOf(() => resolveDayRange({ period: '2026-Q5' }, 366))).toBe('STATISTICS_INVALID_DATE');
  });

  it('names the last local days ending yesterday in a zone', () => {
    // 2026-04-01 18:30 UTC is already 2 April in Shanghai.
    expect(lastLocalDays(new Date('2026-04-01T18:30:00Z'), 'Asia/Shanghai', 3)).toEqual({ firstDay: '2026-03-30', lastDay: '2026-04-01', days: 3 });
    expect(lastLocalDays(new Date('2026-04-01T18:30:00Z'), 'Europe/Berlin', 1)).toEqual({ firstDay: '2026-03-31', lastDay: '2026-03-31', days: 1 });
  });

  it('splits a range into chunks that cover it exactly once', () => {
    const chunks = chunkDayRange({ firstDay: '2026-01-01', lastDay: '2026-03-05' }, 31);
    expect(chunks).toEqual([
      { firstDay: '2026-01-01', lastDay: '2026-01-31', days: 31 },
      { firstDay: '2026-02-01', lastDay: '2026-03-03', days: 31 },
      { firstDay: '2026-03-04', lastDay: '2026-03-05', days: 2 },
    ]);
    expect(chunkDayRange({ firstDay: '2026-03-29', lastDay: '2026-03-29' }, 31)).toEqual([{ firstDay: '2026-03-29', lastDay: '2026-03-29', days: 1 }]);
  });
});
