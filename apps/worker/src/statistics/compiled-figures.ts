import { MONTH_TOTALS } from './statistics-figures';

/**
 * The compiled figures of the local days `from`..`to` (SQL expressions of two dates), as rows of
 * (instrument_id, month, days, then each of MONTH_TOTALS) to add up: a month the range covers
 * whole is one row of its totals (`days` compiled days), a day of a month at the range's edges one
 * row (`days` 1). Reading whole months from their totals keeps a year's roll-up to about 12 rows an
 * instrument instead of 365 unpacked from the month arrays.
 */
export function compiledFiguresSql(from: string, to: string): string {
  const wholeMonth = (month: string) => `(${month} >= ${from}::date AND ${month} + interval '1 month' <= ${to}::date + 1)`;
  return `
    SELECT m.instrument_id, m.month, m.compiled_days AS days, ${MONTH_TOTALS.map((name) => `m.${name}_total AS ${name}`).join(', ')}
    FROM instrument_month_statistics m
    WHERE ${wholeMonth('m.month')}
    UNION ALL
    SELECT s.instrument_id, s.month, 1, ${MONTH_TOTALS.map((name) => `s.${name}`).join(', ')}
    FROM instrument_day_statistics s
    WHERE s.month BETWEEN date_trunc('month', ${from}::date) AND ${to}::date AND NOT ${wholeMonth('s.month')} AND s.day BETWEEN ${from}::date AND ${to}::date`;
}
