import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@app/db';

/** Statuses whose [starts_at, ends_at) counts as booked time. */
export const BOOKED_STATUSES = ['confirmed', 'in_use', 'completed', 'no_show'] as const;

/** Advisory-lock namespace of statistics slices: one lock per slice of instruments, taken in slice order. */
const SLICE_LOCK_NAMESPACE = 4_101_005;

/** work_mem of a compile's transaction: its hashes and sorts of one slice of instruments stay in memory. */
const COMPILE_WORK_MEM = '64MB';

/**
 * (Re)writes instrument_day_statistics for every instrument (or one, or a range of ids) and every
 * local day of a range, in one set-based statement built so no step costs per instrument-day more
 * than a hash probe:
 * - `zone_days`: each time zone's local days [D 00:00, D+1 00:00) through statistics_local_instant,
 *   once per zone and day (not per instrument), so a DST day lasts 23 or 25 hours; `regular` when
 *   the day is 24 hours at a constant UTC offset;
 * - open time on a regular day without exceptions or maintenance is the instrument's weekly pattern
 *   (`pattern`: weekly windows of the weekday, overnight ones of the day before, unioned, in
 *   seconds of the wall clock); a day inside an institution closure is closed all day;
 * - the remaining days (`irregular_days`: an exception on the day or the day before, maintenance,
 *   a DST day) take the exact path of tstzranges cut by the day's span and unioned with range_agg,
 *   closed time winning over open time, the booking service's rules;
 * - bookings: booked [starts_at, ends_at) of confirmed, in-use, completed and no-show bookings,
 *   effective [actual_start_at, actual_end_at) once checked out, external when is_internal is false.
 *   One that lies within the span of its local start date is a piece of that day as it is; the few
 *   that do not (across midnight, a long booking) are cut by every day they touch. Overlapping
 *   pieces never count twice: each adds only what lies beyond the latest end before it
 *   (`covered`, a running max over pieces in start order);
 * A completed service, with its fee, users, firms and rating, belongs to the local day its
 * check-in (or, without one, its booked start) falls on; a no-show and a cancellation fee to the
 * day of the booked start.
 */
export const COMPILE_SQL = `
WITH inst AS MATERIALIZED (
  SELECT i.id, i.institution_id, i.time_zone AS tz
  FROM instrument i
  WHERE ($3::uuid IS NULL OR i.id = $3::uuid) AND ($6::uuid IS NULL OR i.id >= $6::uuid) AND ($7::uuid IS NULL OR i.id < $7::uuid)
),
zone_days AS MATERIALIZED (
  SELECT z.tz, d.day, extract(isodow FROM d.day)::int AS weekday, s.day_start, s.day_end,
         s.day_end - s.day_start = interval '24 hours' AND (s.day_start AT TIME ZONE z.tz) = d.day + time '00:00' AS regular
  FROM (SELECT DISTINCT tz FROM inst) z
  CROSS JOIN LATERAL (SELECT $1::date + n AS day FROM generate_series(-1, $2::date - $1::date + 1) AS n) d
  CROSS JOIN LATERAL (SELECT statistics_local_instant(d.day + time '00:00', z.tz) AS day_start,
                             statistics_local_instant(d.day + 1 + time '00:00', z.tz) AS day_end) s
),
pattern AS (
  SELECT p.instrument_id, p.weekday, round(sum(upper(p.r) - lower(p.r)) / 60.0) AS open_minutes
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
         round(statistics_seconds(coalesce(range_agg(s.r * x.span) FILTER (WHERE s.is_open), '{}')
                                  - coalesce(range_agg(s.r * x.span) FILTER (WHERE NOT s.is_open), '{}')) / 60.0) AS open_minutes
  FROM (
    SELECT ev.instrument_id, ev.day, inst.tz, zd.weekday, tstzrange(zd.day_start, zd.day_end) AS span
    FROM irregular_days ev JOIN inst ON inst.id = ev.instrument_id
    JOIN zone_days zd ON zd.tz = inst.tz AND zd.day = ev.day
    WHERE NOT EXISTS (SELECT 1 FROM closed_days c WHERE c.instrument_id = ev.instrument_id AND c.day = ev.day)
  ) x
  CROSS JOIN LATERAL (
    SELECT true AS is_open,
           tstzrange(statistics_local_instant(x.day + w.opens, x.tz),
                     statistics_local_instant(x.day + (w.closes <= w.opens)::int + w.closes, x.tz)) AS r
    FROM opening_window w WHERE w.instrument_id = x.instrument_id AND w.weekday = x.weekday
    UNION ALL
    SELECT true, tstzrange(statistics_local_instant(x.day - 1 + w.opens, x.tz), statistics_local_instant(x.day + w.closes, x.tz))
    FROM opening_window w WHERE w.instrument_id = x.instrument_id AND w.weekday = (x.weekday + 5) % 7 + 1 AND w.closes <= w.opens
    UNION ALL
    SELECT e.kind = 'open',
           tstzrange(statistics_local_instant(e.on_date + coalesce(e.opens, time '00:00'), x.tz),
                     statistics_local_instant(e.on_date + (e.opens IS NULL OR e.closes <= e.opens)::int + coalesce(e.closes, time '00:00'), x.tz))
    FROM availability_exception e WHERE e.instrument_id = x.instrument_id AND e.on_date BETWEEN x.day - 1 AND x.day
    UNION ALL
    SELECT false, tstzrange(m.starts_at, m.ends_at)
    FROM maintenance_period m WHERE m.instrument_id = x.instrument_id AND m.starts_at < upper(x.span) AND m.ends_at > lower(x.span)
  ) s
  GROUP BY x.instrument_id, x.day
),
bookings AS MATERIALIZED (
  SELECT b.instrument_id, inst.tz, b.user_id, b.status, b.final_fee_fen, b.cancellation_fee_fen, b.rating,
         CASE WHEN b.status = 'completed' THEN coalesce(b.actual_start_at, b.starts_at)
              WHEN b.status = 'no_show' OR (b.status = 'cancelled' AND b.cancellation_fee_fen > 0) THEN b.starts_at END AS event_at,
         CASE WHEN b.status = ANY ($5::text[]) THEN tstzrange(b.starts_at, b.ends_at) END AS booked,
         CASE WHEN b.actual_start_at IS NOT NULL AND b.actual_end_at IS NOT NULL THEN tstzrange(b.actual_start_at, b.actual_end_at) END AS effective,
         NOT b.is_internal AS is_external,
         least(b.starts_at, b.actual_start_at) AS touched_from,
         greatest(b.ends_at, b.actual_end_at) AS touched_to
  FROM inst
  JOIN booking b ON b.instrument_id = inst.id
  WHERE (b.status = ANY ($5::text[]) OR b.cancellation_fee_fen > 0 OR (b.actual_start_at IS NOT NULL AND b.actual_end_at IS NOT NULL))
    AND least(b.starts_at, b.actual_start_at) < ($2::date + 2)::timestamp AT TIME ZONE 'UTC'
    AND greatest(b.ends_at, b.actual_end_at) > ($1::date - 1)::timestamp AT TIME ZONE 'UTC'
),
located AS (
  SELECT b.*, zd.day, zd.day_start <= b.touched_from AND b.touched_to <= zd.day_end AS within_day
  FROM bookings b
  LEFT JOIN zone_days zd ON zd.tz = b.tz AND zd.day = (b.touched_from AT TIME ZONE b.tz)::date
),
pieces AS (
  SELECT l.instrument_id, l.day, l.booked, l.effective, l.is_external
  FROM located l WHERE l.within_day AND l.day BETWEEN $1::date AND $2::date
  UNION ALL
  SELECT l.instrument_id, zd.day, l.booked * tstzrange(zd.day_start, zd.day_end), l.effective * tstzrange(zd.day_start, zd.day_end), l.is_external
  FROM located l
  CROSS JOIN LATERAL generate_series(greatest((l.touched_from AT TIME ZONE l.tz)::date - 1, $1::date),
                                     least((l.touched_to AT TIME ZONE l.tz)::date + 1, $2::date), interval '1 day') AS g
  JOIN zone_days zd ON zd.tz = l.tz AND zd.day = g::date AND zd.day_start < l.touched_to AND zd.day_end > l.touched_from
  WHERE l.within_day IS NOT TRUE
),
spans AS (
  SELECT p.instrument_id, p.day, false AS effective, false AS is_external, p.booked AS r FROM pieces p WHERE NOT isempty(p.booked)
  UNION ALL
  SELECT p.instrument_id, p.day, true, p.is_external, p.effective FROM pieces p WHERE NOT isempty(p.effective)
),
covered AS (
  SELECT s.instrument_id, s.day, s.effective,
         extract(epoch FROM greatest(interval '0', upper(s.r) - greatest(lower(s.r), max(upper(s.r)) OVER w))) AS seconds,
         CASE WHEN s.is_external
              THEN extract(epoch FROM greatest(interval '0', upper(s.r) - greatest(lower(s.r), max(upper(s.r)) FILTER (WHERE s.is_external) OVER w))) END AS external_seconds
  FROM spans s
  WINDOW w AS (PARTITION BY s.instrument_id, s.day, s.effective ORDER BY lower(s.r) ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
booked_days AS (
  SELECT c.instrument_id, c.day,
         round(sum(c.seconds) FILTER (WHERE NOT c.effective)) AS booked_seconds,
         round(sum(c.seconds) FILTER (WHERE c.effective)) AS effective_seconds,
         round(sum(c.external_seconds)) AS external_seconds
  FROM covered c
  GROUP BY c.instrument_id, c.day
),
events AS (
  SELECT b.instrument_id, b.user_id, b.status, b.final_fee_fen, b.cancellation_fee_fen, b.rating,
         u.institution_id AS user_institution_id,
         coalesce(ui.kind = 'enterprise', false) AS by_firm,
         coalesce(ui.is_small_micro, false) AS by_small_micro_firm,
         CASE WHEN b.event_at < zd.day_start THEN zd.day - 1 WHEN b.event_at >= zd.day_end THEN zd.day + 1 ELSE zd.day END AS day
  FROM bookings b
  JOIN zone_days zd ON zd.tz = b.tz AND zd.day = (b.event_at AT TIME ZONE b.tz)::date
  JOIN app_user u ON u.id = b.user_id
  LEFT JOIN institution ui ON ui.id = u.institution_id
  WHERE b.event_at IS NOT NULL
),
event_days AS (
  SELECT e.instrument_id, e.day,
         count(*) FILTER (WHERE e.status = 'completed') AS services,
         count(DISTINCT e.user_id) FILTER (WHERE e.status = 'completed') AS distinct_users,
         count(DISTINCT e.user_institution_id) FILTER (WHERE e.status = 'completed' AND e.by_firm) AS distinct_firms,
         count(DISTINCT e.user_institution_id) FILTER (WHERE e.status = 'completed' AND e.by_small_micro_firm) AS distinct_small_micro_firms,
         coalesce(sum(e.final_fee_fen) FILTER (WHERE e.status = 'completed'), 0)
           + coalesce(sum(e.cancellation_fee_fen) FILTER (WHERE e.status = 'cancelled'), 0) AS revenue_fen,
         count(*) FILTER (WHERE e.status = 'no_show') AS no_shows,
         coalesce(sum(e.rating) FILTER (WHERE e.status = 'completed'), 0) AS rating_sum,
         count(e.rating) FILTER (WHERE e.status = 'completed') AS rating_count
  FROM events e
  WHERE e.day BETWEEN $1::date AND $2::date
  GROUP BY e.instrument_id, e.day
)
INSERT INTO instrument_day_statistics (
  instrument_id, day, open_minutes, booked_minutes, effective_minutes, external_minutes, services, distinct_users,
  distinct_firms, distinct_small_micro_firms, revenue_fen, no_shows, rating_sum, rating_count, compiled_at)
SELECT inst.id, zd.day,
       CASE WHEN c.day IS NOT NULL THEN 0 WHEN x.day IS NOT NULL THEN x.open_minutes ELSE coalesce(p.open_minutes, 0) END,
       round(coalesce(b.booked_seconds, 0) / 60.0), round(coalesce(b.effective_seconds, 0) / 60.0), round(coalesce(b.external_seconds, 0) / 60.0),
       coalesce(e.services, 0), coalesce(e.distinct_users, 0), coalesce(e.distinct_firms, 0), coalesce(e.distinct_small_micro_firms, 0),
       coalesce(e.revenue_fen, 0), coalesce(e.no_shows, 0), coalesce(e.rating_sum, 0), coalesce(e.rating_count, 0), $4::timestamptz
FROM inst
JOIN zone_days zd ON zd.tz = inst.tz AND zd.day BETWEEN $1::date AND $2::date
LEFT JOIN pattern p ON p.instrument_id = inst.id AND p.weekday = zd.weekday
LEFT JOIN closed_days c ON c.instrument_id = inst.id AND c.day = zd.day
LEFT JOIN exact_open x ON x.instrument_id = inst.id AND x.day = zd.day
LEFT JOIN booked_days b ON b.instrument_id = inst.id AND b.day = zd.day
LEFT JOIN event_days e ON e.instrument_id = inst.id AND e.day = zd.day`;

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
 * DELETE and one INSERT ... SELECT. Re-running a range replaces it; two workers compiling the same
 * instruments and days one after the other write the same rows, never twice as many.
 * The statement runs without JIT (compiling its many expressions costs more than it saves) and
 * with work_mem enough for its hashes and sorts of a slice of instruments.
 */
@Injectable()
export class StatisticsCompiler {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Returns the number of (instrument, day) rows written. */
  async compile(range: CompileRange, compiledAt: Date): Promise<number> {
    const instrumentId = range.instrumentId ?? null;
    const idFrom = range.idFrom ?? null;
    const idBelow = range.idBelow ?? null;
    return inTransaction(this.dataSource, async (manager) => {
      await manager.query(`SET LOCAL jit = off`);
      await manager.query(`SET LOCAL work_mem = '${COMPILE_WORK_MEM}'`);
      await manager.query(`SELECT pg_advisory_xact_lock(${SLICE_LOCK_NAMESPACE}, slice) FROM unnest($1::int[]) WITH ORDINALITY AS s (slice, n) ORDER BY n`, [
        slicesOf(range),
      ]);
      await manager.query(
        `DELETE FROM instrument_day_statistics WHERE day BETWEEN $1::date AND $2::date AND ($3::uuid IS NULL OR instrument_id = $3::uuid)
           AND ($4::uuid IS NULL OR instrument_id >= $4::uuid) AND ($5::uuid IS NULL OR instrument_id < $5::uuid)`,
        [range.firstDay, range.lastDay, instrumentId, idFrom, idBelow],
      );
      const rows: { count: string }[] = await manager.query(`WITH written AS (${COMPILE_SQL} RETURNING 1) SELECT count(*) FROM written`, [
        range.firstDay,
        range.lastDay,
        instrumentId,
        compiledAt,
        BOOKED_STATUSES,
        idFrom,
        idBelow,
      ]);
      return Number(rows[0].count);
    });
  }
}
