/**
 * The figures of an instrument's local day, as instrument_month_statistics holds them: an array
 * each (an element per day of the month) with the arrays' element type. Migration 1765100000000
 * keeps its own copy: a migration describes the schema of its day, not of today's code.
 */
export const DAY_FIGURES: ReadonlyArray<[name: string, type: 'smallint' | 'int' | 'bigint']> = [
  ['open_minutes', 'smallint'],
  ['booked_minutes', 'smallint'],
  ['effective_minutes', 'smallint'],
  ['external_minutes', 'smallint'],
  ['services', 'int'],
  ['distinct_users', 'int'],
  ['distinct_firms', 'int'],
  ['distinct_small_micro_firms', 'int'],
  ['revenue_fen', 'bigint'],
  ['no_shows', 'int'],
  ['rating_sum', 'int'],
  ['rating_count', 'int'],
];

/** The figures a month row also totals over its compiled days (`<name>_total`), for roll-ups of whole months. */
export const MONTH_TOTALS: readonly string[] = [
  'open_minutes', 'booked_minutes', 'effective_minutes', 'external_minutes', 'services', 'revenue_fen', 'no_shows', 'rating_sum', 'rating_count',
];
