/**
 * The compiled figures of the local days `from`..`to` (SQL expressions of two dates), as rows of
 * (instrument_id, month, days, open_minutes, booked_minutes, effective_minutes, external_minutes,
 * services, revenue_fen, no_shows, rating_sum, rating_count) to add up: a month the range covers
 * whole is one row of its totals (`days` compiled days), a day of a month at the range's edges one
 * row (`days` 1). Reading whole months from their totals keeps a year's roll-up to about 12 rows an
 * instrument instead of 365 unpacked from the month arrays.
 */
export function compiledFiguresSql(from: string, to: string): string {
  const wholeMonth = (month: string) => `(${month} >= ${from}::date AND ${month} + interval '1 month' <= ${to}::date + 1)`;
  return `
    SELECT m.instrument_id, m.month, m.compiled_days AS days, m.open_minutes_total AS open_minutes, m.booked_minutes_total AS booked_minutes,
           m.effective_minutes_total AS effective_minutes, m.external_minutes_total AS external_minutes, m.services_total AS services,
           m.revenue_fen_total AS revenue_fen, m.no_shows_total AS no_shows, m.rating_sum_total AS rating_sum, m.rating_count_total AS rating_count
    FROM instrument_month_statistics m
    WHERE ${wholeMonth('m.month')} AND m.compiled_days > 0
    UNION ALL
    SELECT s.instrument_id, s.month, 1, s.open_minutes, s.booked_minutes, s.effective_minutes, s.external_minutes, s.services,
           s.revenue_fen, s.no_shows, s.rating_sum, s.rating_count
    FROM instrument_day_statistics s
    WHERE s.month BETWEEN date_trunc('month', ${from}::date) AND ${to}::date AND NOT ${wholeMonth('s.month')} AND s.day BETWEEN ${from}::date AND ${to}::date`;
}
