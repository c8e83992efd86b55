import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@app/db';
import { DAY_FIGURES, MONTH_TOTALS } from './statistics-figures';

/** Statuses whose [starts_at, ends_at) counts as booked time. */
export const BOOKED_STATUSES = ['confirmed', 'in_use', 'completed', 'no_show'] as const;

/** Advisory-lock namespace of statistics slices: one lock per slice of instruments, taken in slice order. */
const SLICE_LOCK_NAMESPACE = 4_101_005;

/** work_mem of a compile's transaction: its hashes and sorts of one slice of instruments stay in memory. */
const COMPILE_WORK_MEM = '64MB';

/**
 * (Re)writes the statistics of every instrument (or one, or a range of ids) for every local day of
 * a range, in one set-based statement, into instrument_month_statistics: a row per instrument and
 * month whose figures are arrays with an element per day (NULL for days outside the range, so a
 * month compiled in part keeps its other days: statistics_splice). Built so no step costs per
 * instrument-day more than a hash probe, and per booking one pass in the booking index's order:
 * - `zone_days`: each time zone's local days [D 00:00, D+1 00:00) through statistics_local_instant,
 *   once per zone and day (not per instrument), so a DST day lasts 23 or 25 hours; `regular` when
 *   the day is 24 hours at a constant UTC offset;
 * - open time on a regular day without exceptions or maintenance is the instrument's weekly pattern
 *   (`pattern`: weekly windows of the weekday, overnight ones of the day before, unioned, in
 *   seconds of the wall clock); a day inside an institution closure is closed all day;
 * - the remaining days (`irregular_days`: an exception on the day or the day before, maintenance,
 *   a DST day) take the exact path of tstzranges cut by the day's span and unioned with range_agg,
 *   closed time winning over open time, the booking service's rules; on a regular day a wall time
 *   is the day's start plus that time, so statistics_local_instant (several zone conversions a
 *   call) runs only on DST days;
 * - bookings (`timed`): booked [starts_at, ends_at) of confirmed, in-use, completed and no-show
 *   bookings, effective [actual_start_at, actual_end_at) once checked out, external when
 *   is_internal is false. Overlapping time never counts twice: each booking adds only what lies
 *   beyond the latest end before it (a running max, in start order for booked time, which is the
 *   booking index's order, and in check-in order for effective and external time);
 * - durations are summed as whole microseconds in bigint (exact, and several times cheaper than
 *   numeric); seconds and minutes round half up, as numeric's round did;
 * - a booking whose time, check-in and event lie within the local day of its start (`fresh`,
 *   `within_day`: nearly all) is one row of that day; the others are cut by every day they touch
 *   (`split_days`, `split`) and their event placed on its own day;
 * - distinct users, firms and small/micro firms of a day: a user's (institution's) first completed
 *   service of the day in a sort by institution and user (`flagged`), so the day's aggregate is
 *   plain counting.
 * A completed service, with its fee, users, firms and rating, belongs to the local day its
 * check-in (or, without one, its booked start) falls on; a no-show and a cancellation fee to the
 * day of the booked start.
 * Arrays are filled in day order: `grid` (the range's days) is sorted by instrument, month and day,
 * and the aggregate over it groups by a prefix of that order, so each group takes its rows as
 * sorted; the days of a month outside the range are padded with NULLs. The grid's figures already
 * have the arrays' element types (no cast of each array), and each day's month comes with its zone
 * day (not a date_trunc per instrument-day).
 */
export const COMPILE_SQL = `
WITH inst AS MATERIALIZED (
  SELECT i.id, i.institution_id, i.time_zone AS tz
  FROM instrument i
  WHERE ($3::uuid IS NULL OR i.id = $3::uuid) AND ($6::uuid IS NULL OR i.id >= $6::uuid) AND ($7::uuid IS NULL OR i.id < $7::uuid)
),
zone_days AS MATERIALIZED (
  SELECT z.tz, d.day, date_trunc('month', d.day)::date AS month, extract(isodow FROM d.day)::int AS weekday, s.day_start, s.day_end,
         s.day_end - s.day_start = interval '24 hours' AND (s.day_start AT TIME ZONE z.tz) = d.day + time '00:00' AS regular
  FROM (SELECT DISTINCT tz FROM inst) z
  CROSS JOIN LATERAL (SELECT $1::date + n AS day FROM generate_series(-1, $2::date - $1::date + 1) AS n) d
  CROSS JOIN LATERAL (SELECT statistics_local_instant(d.day + time '00:00', z.tz) AS day_start,
                             statistics_local_instant(d.day + 1 + time '00:00', z.tz) AS day_end) s
),
pattern AS (
  SELECT p.instrument_id, p.weekday, (sum(upper(p.r) - lower(p.r)) + 30) / 60 AS open_minutes
  FROM (
    SELECT w.instrument_id, w.weekday, unnest(range_agg(w.r)) AS r
    FROM (
      SELECT w.instrument_id, w.weekday,
             int4range(extract(epoch FROM w.opens)::int, CASE WHEN w.closes > w.opens THEN extract(epoch FROM w.closes)::int ELSE 86400 END) AS r
      FROM inst JOIN opening_window w ON w.instrument_id = inst.id
      UNION ALL
      SELECT w.instrument_id, w.weekday % 7 + 1, int4range(0, extract(epoch FROM w.closes)::int)
      FROM inst JOIN opening_window w ON w.instrument_id = inst.id
      WHERE w.closes <= w.opens
    ) w
    GROUP BY w.instrument_id, w.weekday
  ) p
  GROUP BY p.instrument_id, p.weekday
),
closed_days AS (
  SELECT DISTINCT inst.id AS instrument_id, d::date AS day
  FROM inst
  JOIN institution_closure c ON c.institution_id = inst.institution_id AND c.starts_on <= $2::date AND c.ends_on >= $1::date
  CROSS JOIN LATERAL generate_series(greatest(c.starts_on, $1::date), least(c.ends_on, $2::date), interval '1 day') AS d
),
irregular_days AS (
  SELECT DISTINCT x.instrument_id, x.day
  FROM (
    SELECT e.instrument_id, e.on_date + k AS day
    FROM inst JOIN availability_exception e ON e.instrument_id = inst.id AND e.on_date BETWEEN $1::date - 1 AND $2::date
    CROSS JOIN generate_series(0, 1) AS k
    UNION ALL
    SELECT m.instrument_id, d::date
    FROM inst JOIN maintenance_period m ON m.instrument_id = inst.id
     AND m.starts_at < ($2::date + 2)::timestamp AT TIME ZONE 'UTC' AND m.ends_at > ($1::date - 1)::timestamp AT TIME ZONE 'UTC'
    CROSS JOIN LATERAL generate_series((m.starts_at AT TIME ZONE inst.tz)::date - 1, (m.ends_at AT TIME ZONE inst.tz)::date + 1, interval '1 day') AS d
    UNION ALL
    SELECT inst.id, zd.day FROM inst JOIN zone_days zd ON zd.tz = inst.tz AND NOT zd.regular
  ) x
  WHERE x.day BETWEEN $1::date AND $2::date
),
exact_open AS (
  SELECT x.instrument_id, x.day,
         (statistics_seconds(coalesce(range_agg(s.r * x.span) FILTER (WHERE s.is_open), '{}')
                            - coalesce(range_agg(s.r * x.span) FILTER (WHERE NOT s.is_open), '{}')) + 30) / 60 AS open_minutes
  FROM (
    SELECT ev.instrument_id, ev.day, inst.tz, zd.weekday, zd.regular, zd.day_start, zd.day_end, tstzrange(zd.day_start, zd.day_end) AS span
    FROM irregular_days ev JOIN inst ON inst.id = ev.instrument_id
    JOIN zone_days zd ON zd.tz = inst.tz AND zd.day = ev.day
    WHERE NOT EXISTS (SELECT 1 FROM closed_days c WHERE c.instrument_id = ev.instrument_id AND c.day = ev.day)
  ) x
  CROSS JOIN LATERAL (
    SELECT true AS is_open,
           CASE WHEN x.regular THEN tstzrange(x.day_start + w.opens, CASE WHEN w.closes <= w.opens THEN x.day_end ELSE x.day_start + w.closes END)
                ELSE tstzrange(statistics_local_instant(x.day + w.opens, x.tz),
                               statistics_local_instant(x.day + (w.closes <= w.opens)::int + w.closes, x.tz)) END AS r
    FROM opening_window w WHERE w.instrument_id = x.instrument_id AND w.weekday = x.weekday
    UNION ALL
    SELECT true, CASE WHEN x.regular THEN tstzrange(x.day_start, x.day_start + w.closes)
                      ELSE tstzrange(statistics_local_instant(x.day - 1 + w.opens, x.tz), statistics_local_instant(x.day + w.closes, x.tz)) END
    FROM opening_window w WHERE w.instrument_id = x.instrument_id AND w.weekday = (x.weekday + 5) % 7 + 1 AND w.closes <= w.opens
    UNION ALL
    SELECT e.kind = 'open',
           CASE WHEN NOT x.regular
                  THEN tstzrange(statistics_local_instant(e.on_date + coalesce(e.opens, time '00:00'), x.tz),
                                 statistics_local_instant(e.on_date + (e.opens IS NULL OR e.closes <= e.opens)::int + coalesce(e.closes, time '00:00'), x.tz))
                WHEN e.on_date = x.day
                  THEN tstzrange(x.day_start + coalesce(e.opens, time '00:00'), CASE WHEN e.opens IS NULL OR e.closes <= e.opens THEN x.day_end ELSE x.day_start + e.closes END)
                ELSE tstzrange(x.day_start, CASE WHEN e.opens IS NULL OR e.closes <= e.opens THEN x.day_start + coalesce(e.closes, time '00:00') ELSE x.day_start END) END
    FROM availability_exception e WHERE e.instrument_id = x.instrument_id AND e.on_date BETWEEN x.day - 1 AND x.day
    UNION ALL
    SELECT false, tstzrange(m.starts_at, m.ends_at)
    FROM maintenance_period m WHERE m.instrument_id = x.instrument_id AND m.starts_at < upper(x.span) AND m.ends_at > lower(x.span)
  ) s
  GROUP BY x.instrument_id, x.day
),
timed AS (
  SELECT v.*, inst.tz,
         max(v.actual_end_at) FILTER (WHERE v.has_actual) OVER checked_in AS effective_before,
         max(v.actual_end_at) FILTER (WHERE v.has_actual AND v.is_external) OVER checked_in AS external_before
  FROM (
    SELECT b.instrument_id, b.user_id, b.status, b.starts_at, b.ends_at, b.actual_start_at, b.actual_end_at, NOT b.is_internal AS is_external,
           b.final_fee_fen, b.cancellation_fee_fen, b.rating, b.status = ANY ($5::text[]) AS is_booked,
           b.actual_start_at IS NOT NULL AND b.actual_end_at IS NOT NULL AS has_actual,
           CASE WHEN b.status = 'completed' THEN coalesce(b.actual_start_at, b.starts_at)
                WHEN b.status = 'no_show' OR (b.status = 'cancelled' AND b.cancellation_fee_fen > 0) THEN b.starts_at END AS event_at,
           max(b.ends_at) FILTER (WHERE b.status = ANY ($5::text[])) OVER (PARTITION BY b.instrument_id ORDER BY b.starts_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS booked_before
    FROM booking b
    WHERE ($3::uuid IS NULL OR b.instrument_id = $3::uuid) AND ($6::uuid IS NULL OR b.instrument_id >= $6::uuid) AND ($7::uuid IS NULL OR b.instrument_id < $7::uuid)
      AND (b.status = ANY ($5::text[]) OR b.cancellation_fee_fen > 0 OR (b.actual_start_at IS NOT NULL AND b.actual_end_at IS NOT NULL))
      AND least(b.starts_at, b.actual_start_at) < ($2::date + 2)::timestamp AT TIME ZONE 'UTC'
      AND greatest(b.ends_at, b.actual_end_at) > ($1::date - 1)::timestamp AT TIME ZONE 'UTC'
  ) v
  JOIN inst ON inst.id = v.instrument_id
  WINDOW checked_in AS (PARTITION BY v.instrument_id ORDER BY v.actual_start_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
fresh AS MATERIALIZED (
  SELECT t.instrument_id, t.tz, t.status, t.user_id, t.final_fee_fen, t.cancellation_fee_fen, t.rating, t.event_at, zd.day,
         CASE WHEN t.is_booked THEN greatest(t.starts_at, t.booked_before) END AS booked_from,
         CASE WHEN t.is_booked THEN t.ends_at END AS booked_to,
         CASE WHEN t.has_actual THEN greatest(t.actual_start_at, t.effective_before) END AS effective_from,
         CASE WHEN t.has_actual THEN t.actual_end_at END AS effective_to,
         CASE WHEN t.has_actual AND t.is_external THEN greatest(t.actual_start_at, t.external_before) END AS external_from,
         coalesce(zd.day_start <= t.starts_at AND t.ends_at <= zd.day_end
                  AND (NOT t.has_actual OR (zd.day_start <= t.actual_start_at AND t.actual_end_at <= zd.day_end))
                  AND (t.event_at IS NULL OR (zd.day_start <= t.event_at AND t.event_at < zd.day_end)), false) AS within_day
  FROM timed t
  LEFT JOIN zone_days zd ON zd.tz = t.tz AND zd.day = (t.starts_at AT TIME ZONE t.tz)::date
),
split_days AS MATERIALIZED (
  SELECT f.instrument_id, f.tz, p.kind, p.from_at, p.to_at, g::date AS day
  FROM fresh f
  CROSS JOIN LATERAL (VALUES (0, f.booked_from, f.booked_to), (1, f.effective_from, f.effective_to), (2, f.external_from, f.effective_to)) AS p (kind, from_at, to_at)
  CROSS JOIN LATERAL generate_series((p.from_at AT TIME ZONE f.tz)::date - 1, (p.to_at AT TIME ZONE f.tz)::date + 1, interval '1 day') AS g
  WHERE NOT f.within_day AND p.from_at < p.to_at
),
split AS (
  SELECT s.instrument_id, s.day, s.kind, (date_part('epoch', least(s.to_at, zd.day_end) - greatest(s.from_at, zd.day_start)) * 1000000)::bigint AS microseconds
  FROM split_days s JOIN zone_days zd ON zd.tz = s.tz AND zd.day = s.day
  WHERE zd.day_start < s.to_at AND zd.day_end > s.from_at
),
day_rows AS (
  SELECT f.instrument_id, f.day,
         CASE WHEN f.booked_from < f.booked_to THEN (date_part('epoch', f.booked_to - f.booked_from) * 1000000)::bigint END AS booked_microseconds,
         CASE WHEN f.effective_from < f.effective_to THEN (date_part('epoch', f.effective_to - f.effective_from) * 1000000)::bigint END AS effective_microseconds,
         CASE WHEN f.external_from < f.effective_to THEN (date_part('epoch', f.effective_to - f.external_from) * 1000000)::bigint END AS external_microseconds,
         f.status, f.user_id, f.final_fee_fen, f.cancellation_fee_fen, f.rating
  FROM fresh f WHERE f.within_day
),
all_rows AS (
  SELECT d.instrument_id, d.day, d.booked_microseconds, d.effective_microseconds, d.external_microseconds, d.status, d.user_id, d.final_fee_fen, d.cancellation_fee_fen, d.rating
  FROM day_rows d
  UNION ALL
  SELECT s.instrument_id, s.day, CASE WHEN s.kind = 0 THEN s.microseconds END, CASE WHEN s.kind = 1 THEN s.microseconds END, CASE WHEN s.kind = 2 THEN s.microseconds END,
         NULL, NULL, NULL, NULL, NULL
  FROM split s
  UNION ALL
  SELECT f.instrument_id,
         CASE WHEN f.event_at < ez.day_start THEN ez.day - 1 WHEN f.event_at >= ez.day_end THEN ez.day + 1 ELSE ez.day END,
         NULL, NULL, NULL, f.status, f.user_id, f.final_fee_fen, f.cancellation_fee_fen, f.rating
  FROM fresh f
  JOIN zone_days ez ON ez.tz = f.tz AND ez.day = (f.event_at AT TIME ZONE f.tz)::date
  WHERE NOT f.within_day AND f.event_at IS NOT NULL
),
served AS (
  SELECT r.*, u.institution_id AS user_institution_id,
         coalesce(ui.kind = 'enterprise', false) AS by_firm,
         coalesce(ui.is_small_micro, false) AS by_small_micro_firm
  FROM all_rows r
  LEFT JOIN app_user u ON u.id = r.user_id AND r.status = 'completed'
  LEFT JOIN institution ui ON ui.id = u.institution_id
  WHERE r.day BETWEEN $1::date AND $2::date
),
flagged AS (
  SELECT s.*,
         s.status = 'completed' AND s.user_id IS DISTINCT FROM lag(s.user_id) OVER w AS first_of_user,
         s.status = 'completed' AND s.user_institution_id IS DISTINCT FROM lag(s.user_institution_id) OVER w AS first_of_institution
  FROM served s
  WINDOW w AS (PARTITION BY s.instrument_id, s.day ORDER BY s.status = 'completed' DESC, s.user_institution_id, s.user_id)
),
day_figures AS (
  SELECT f.instrument_id, f.day,
         (sum(f.booked_microseconds)::bigint + 500000) / 1000000 AS booked_seconds,
         (sum(f.effective_microseconds)::bigint + 500000) / 1000000 AS effective_seconds,
         (sum(f.external_microseconds)::bigint + 500000) / 1000000 AS external_seconds,
         count(*) FILTER (WHERE f.status = 'completed') AS services,
         count(*) FILTER (WHERE f.first_of_user) AS distinct_users,
         count(*) FILTER (WHERE f.first_of_institution AND f.by_firm) AS distinct_firms,
         count(*) FILTER (WHERE f.first_of_institution AND f.by_small_micro_firm) AS distinct_small_micro_firms,
         coalesce(sum(f.final_fee_fen) FILTER (WHERE f.status = 'completed'), 0)
           + coalesce(sum(f.cancellation_fee_fen) FILTER (WHERE f.status = 'cancelled'), 0) AS revenue_fen,
         count(*) FILTER (WHERE f.status = 'no_show') AS no_shows,
         coalesce(sum(f.rating) FILTER (WHERE f.status = 'completed'), 0) AS rating_sum,
         count(f.rating) FILTER (WHERE f.status = 'completed') AS rating_count
  FROM flagged f
  GROUP BY f.instrument_id, f.day
),
grid AS (
  SELECT inst.id AS instrument_id, zd.month, zd.day,
         (CASE WHEN c.day IS NOT NULL THEN 0 WHEN x.day IS NOT NULL THEN x.open_minutes ELSE coalesce(p.open_minutes, 0) END)::smallint AS open_minutes,
         ((coalesce(f.booked_seconds, 0) + 30) / 60)::smallint AS booked_minutes,
         ((coalesce(f.effective_seconds, 0) + 30) / 60)::smallint AS effective_minutes,
         ((coalesce(f.external_seconds, 0) + 30) / 60)::smallint AS external_minutes,
         coalesce(f.services, 0)::int AS services, coalesce(f.distinct_users, 0)::int AS distinct_users, coalesce(f.distinct_firms, 0)::int AS distinct_firms,
         coalesce(f.distinct_small_micro_firms, 0)::int AS distinct_small_micro_firms, coalesce(f.revenue_fen, 0)::bigint AS revenue_fen,
         coalesce(f.no_shows, 0)::int AS no_shows, coalesce(f.rating_sum, 0)::int AS rating_sum, coalesce(f.rating_count, 0)::int AS rating_count
  FROM inst
  JOIN zone_days zd ON zd.tz = inst.tz AND zd.day BETWEEN $1::date AND $2::date
  LEFT JOIN pattern p ON p.instrument_id = inst.id AND p.weekday = zd.weekday
  LEFT JOIN closed_days c ON c.instrument_id = inst.id AND c.day = zd.day
  LEFT JOIN exact_open x ON x.instrument_id = inst.id AND x.day = zd.day
  LEFT JOIN day_figures f ON f.instrument_id = inst.id AND f.day = zd.day
  ORDER BY inst.id, month, zd.day
)
INSERT INTO instrument_month_statistics AS m (
  instrument_id, month, ${DAY_FIGURES.map(([name]) => name).join(', ')}, compiled_at, compiled_days, ${MONTH_TOTALS.map((name) => `${name}_total`).join(', ')})
SELECT g.instrument_id, g.month,
       ${DAY_FIGURES.map(
         ([name, type]) =>
           `array_fill(NULL::${type}, ARRAY[min(g.day) - g.month]) || array_agg(g.${name})::${type}[]` +
           ` || array_fill(NULL::${type}, ARRAY[(g.month + interval '1 month')::date - 1 - max(g.day)])`,
       ).join(',\n       ')},
       $4::timestamptz, count(g.open_minutes),
       ${MONTH_TOTALS.map((name) => `coalesce(sum(g.${name}), 0)`).join(', ')}
FROM grid g
GROUP BY g.instrument_id, g.month
ON CONFLICT (instrument_id, month) DO UPDATE SET
${DAY_FIGURES.map(([name]) => `  ${name} = statistics_splice(m.${name}, excluded.${name}, greatest($1::date - m.month + 1, 1), least($2::date - m.month + 1, cardinality(m.${name})))`).join(',\n')},
  compiled_at = excluded.compiled_at,
  -- Right for a month the range covers whole; the months at its edges are recounted after (StatisticsCompiler).
  compiled_days = excluded.compiled_days,
${MONTH_TOTALS.map((name) => `  ${name}_total = excluded.${name}_total`).join(',\n')}
RETURNING least($2::date, (m.month + interval '1 month - 1 day')::date) - greatest($1::date, m.month) + 1 AS days`;

export interface CompileRange {
  /** First local day, yyyy-MM-dd. */
  firstDay: string;
  /** Last local day (inclusive), yyyy-MM-dd. */
  lastDay: string;
  /** Only this instrument; all when absent. */
  instrumentId?: string | null;
  /** Only instruments whose id is >= this one (a slice of a run); no lower bound when absent. */
  idFrom?: string | null;
  /** Only instruments whose id is < this one; no upper bound when absent. */
  idBelow?: string | null;
}

/** The slices of instruments a run compiles one transaction at a time: ids by their first hex digit. */
export const INSTRUMENT_SLICES: ReadonlyArray<{ idFrom: string | null; idBelow: string | null }> = Array.from({ length: 16 }, (_, digit) => ({
  idFrom: digit === 0 ? null : `${digit.toString(16)}0000000-0000-0000-0000-000000000000`,
  idBelow: digit === 15 ? null : `${(digit + 1).toString(16)}0000000-0000-0000-0000-000000000000`,
}));

const SLICE_BOUNDARY = /^[0-9a-f]0{7}-0{4}-0{4}-0{4}-0{12}$/;

/**
 * The slices (first hex digits of instrument ids) a compile's instruments can fall in, in order:
 * the slices whose advisory locks it takes. Never fewer than it touches; a bound inside a slice
 * locks that whole slice.
 */
export function slicesOf(range: Pick<CompileRange, 'instrumentId' | 'idFrom' | 'idBelow'>): number[] {
  const digit = (id: string) => parseInt(id[0], 16);
  if (range.instrumentId) return [digit(range.instrumentId.toLowerCase())];
  const from = range.idFrom ? digit(range.idFrom.toLowerCase()) : 0;
  const below = range.idBelow?.toLowerCase();
  const to = below === undefined ? 15 : SLICE_BOUNDARY.test(below) ? digit(below) - 1 : digit(below);
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}

/**
 * Writes the statistics of a range of local days in one transaction: the advisory locks of the
 * slices of instruments it covers (in slice order, so two compiles of overlapping instruments wait
 * for each other instead of deadlocking, while compiles of different slices run side by side), then
 * one INSERT ... SELECT that writes each month the range touches, replacing the range's days and
 * keeping the month's others. Re-running a range replaces it; two workers compiling the same
 * instruments and days one after the other write the same rows, never twice as many.
 * The statement runs without JIT (compiling its many expressions costs more than it saves), with
 * work_mem enough for its hashes and sorts of a slice of instruments, and without parallel workers
 * (the machine's cores already compile slices side by side, and a parallel aggregate would fill
 * the arrays in the order its workers finish). (Turning bitmap scans off, to read the bookings in
 * index order without a sort, saved 5 % of the instructions on a 64th of the instruments but cost
 * 10 % on a 16th, the size a run compiles: the planner's choices shift with the slice's size.)
 */
@Injectable()
export class StatisticsCompiler {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Returns the number of (instrument, day) figures written. */
  async compile(range: CompileRange, compiledAt: Date): Promise<number> {
    const instrumentId = range.instrumentId ?? null;
    const idFrom = range.idFrom ?? null;
    const idBelow = range.idBelow ?? null;
    return inTransaction(this.dataSource, async (manager) => {
      await manager.query(`SET LOCAL jit = off`);
      await manager.query(`SET LOCAL work_mem = '${COMPILE_WORK_MEM}'`);
      await manager.query(`SET LOCAL max_parallel_workers_per_gather = 0`);
      await manager.query(`SELECT pg_advisory_xact_lock(${SLICE_LOCK_NAMESPACE}, slice) FROM unnest($1::int[]) WITH ORDINALITY AS s (slice, n) ORDER BY n`, [
        slicesOf(range),
      ]);
      const rows: { count: string | null }[] = await manager.query(`WITH written AS (${COMPILE_SQL}) SELECT sum(days) AS count FROM written`, [
        range.firstDay,
        range.lastDay,
        instrumentId,
        compiledAt,
        BOOKED_STATUSES,
        idFrom,
        idBelow,
      ]);
      // A month the range covers in part kept its other days: its compiled days and totals are recounted from the arrays.
      await manager.query(
        `SELECT statistics_refresh_month_totals(e.month, e.month, $3::uuid, $4::uuid, $5::uuid)
         FROM (SELECT DISTINCT v.month
               FROM (VALUES (date_trunc('month', $1::date)::date, $1::date <> date_trunc('month', $1::date)::date),
                            (date_trunc('month', $2::date)::date, $2::date <> (date_trunc('month', $2::date) + interval '1 month - 1 day')::date)) AS v (month, partial)
               WHERE v.partial) e`,
        [range.firstDay, range.lastDay, instrumentId, idFrom, idBelow],
      );
      return Number(rows[0].count ?? 0);
    });
  }
}
