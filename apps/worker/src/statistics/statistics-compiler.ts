import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { inTransaction } from '@app/db';

/** Statuses whose [starts_at, ends_at) counts as booked time. */
export const BOOKED_STATUSES = ['confirmed', 'in_use', 'completed', 'no_show'] as const;

/** Advisory-lock namespace of statistics days: one lock per local date, taken in date order. */
const DAY_LOCK_NAMESPACE = 4_101_004;

/**
 * (Re)writes instrument_day_statistics for every instrument (or one) and every local day of a range.
 *
 * One statement computes everything, set-based:
 * - `days`: each instrument's local days [D 00:00, D+1 00:00) as tstzrange, through
 *   statistics_local_instant, so a DST day lasts 23 or 25 hours;
 * - `schedule`: open time (weekly windows of every date from the day before the range, overnight
 *   ones closing on the next date, and 'open' exceptions) and closed time ('closed' exceptions,
 *   whole-day or partial, institution closures and maintenance), the same rules as the booking
 *   service's opening hours: closed time wins over open time;
 * - `bookings`: booked [starts_at, ends_at) of confirmed, in-use, completed and no-show bookings;
 *   effective [actual_start_at, actual_end_at) once checked out; external when is_internal is false;
 * - both are cut into per-day pieces (`range * span`) by joining each range to the local dates it
 *   touches, and unioned per day with range_agg, so overlapping ranges never count twice.
 * A completed service, with its fee, users, firms and rating, belongs to the local day its
 * check-in (or, without one, its booked start) falls on; a no-show and a cancellation fee to the
 * day of the booked start.
 */
export const COMPILE_SQL = `
WITH inst AS (
  SELECT i.id, i.institution_id, i.time_zone AS tz
  FROM instrument i
  WHERE $3::uuid IS NULL OR i.id = $3::uuid
),
days AS (
  SELECT inst.id AS instrument_id, $1::date + n AS day,
         tstzrange(statistics_local_instant($1::date + n + time '00:00', inst.tz),
                   statistics_local_instant($1::date + n + 1 + time '00:00', inst.tz)) AS span
  FROM inst CROSS JOIN generate_series(0, $2::date - $1::date) AS n
),
schedule AS (
  SELECT inst.id AS instrument_id, inst.tz, true AS is_open,
         tstzrange(statistics_local_instant(on_date + w.opens, inst.tz),
                   statistics_local_instant(on_date + (w.closes <= w.opens)::int + w.closes, inst.tz)) AS r
  FROM inst
  JOIN opening_window w ON w.instrument_id = inst.id
  CROSS JOIN LATERAL (SELECT $1::date - 1 + n AS on_date FROM generate_series(0, $2::date - $1::date + 1) AS n) dates
  WHERE extract(isodow FROM dates.on_date)::int = w.weekday
  UNION ALL
  SELECT inst.id, inst.tz, e.kind = 'open',
         tstzrange(statistics_local_instant(e.on_date + coalesce(e.opens, time '00:00'), inst.tz),
                   statistics_local_instant(e.on_date + (e.opens IS NULL OR e.closes <= e.opens)::int + coalesce(e.closes, time '00:00'), inst.tz))
  FROM inst
  JOIN availability_exception e ON e.instrument_id = inst.id AND e.on_date BETWEEN $1::date - 1 AND $2::date
  UNION ALL
  SELECT inst.id, inst.tz, false,
         tstzrange(statistics_local_instant(greatest(c.starts_on, $1::date - 1) + time '00:00', inst.tz),
                   statistics_local_instant(least(c.ends_on, $2::date) + 1 + time '00:00', inst.tz))
  FROM inst
  JOIN institution_closure c ON c.institution_id = inst.institution_id AND c.starts_on <= $2::date AND c.ends_on >= $1::date - 1
  UNION ALL
  SELECT inst.id, inst.tz, false, tstzrange(m.starts_at, m.ends_at)
  FROM inst
  JOIN maintenance_period m ON m.instrument_id = inst.id
   AND m.starts_at < ($2::date + 2)::timestamp AT TIME ZONE 'UTC'
   AND m.ends_at > ($1::date - 1)::timestamp AT TIME ZONE 'UTC'
),
schedule_by_day AS MATERIALIZED (
  SELECT s.instrument_id, s.is_open, s.r, (lower(s.r) AT TIME ZONE s.tz)::date - 1 + k AS day
  FROM schedule s
  CROSS JOIN LATERAL generate_series(0, (upper(s.r) AT TIME ZONE s.tz)::date - (lower(s.r) AT TIME ZONE s.tz)::date + 1) AS k
),
schedule_days AS (
  SELECT d.instrument_id, d.day,
         range_agg(s.r * d.span) FILTER (WHERE s.is_open) AS open_time,
         range_agg(s.r * d.span) FILTER (WHERE NOT s.is_open) AS closed_time
  FROM schedule_by_day s
  JOIN days d ON d.instrument_id = s.instrument_id AND d.day = s.day AND d.span && s.r
  GROUP BY d.instrument_id, d.day
),
bookings AS (
  SELECT b.instrument_id, inst.tz, b.user_id, b.status, b.starts_at, b.final_fee_fen, b.cancellation_fee_fen, b.rating,
         coalesce(b.actual_start_at, b.starts_at) AS service_start,
         CASE WHEN b.status = ANY ($5::text[]) THEN tstzrange(b.starts_at, b.ends_at) END AS booked,
         CASE WHEN b.actual_start_at IS NOT NULL AND b.actual_end_at IS NOT NULL THEN tstzrange(b.actual_start_at, b.actual_end_at) END AS effective,
         NOT b.is_internal AS is_external,
         u.institution_id AS user_institution_id,
         coalesce(ui.kind = 'enterprise', false) AS by_firm,
         coalesce(ui.is_small_micro, false) AS by_small_micro_firm,
         tstzrange(least(b.starts_at, b.actual_start_at), greatest(b.ends_at, b.actual_end_at), '[]') AS touched
  FROM inst
  JOIN booking b ON b.instrument_id = inst.id
  JOIN app_user u ON u.id = b.user_id
  LEFT JOIN institution ui ON ui.id = u.institution_id
  WHERE (b.status = ANY ($5::text[]) OR b.cancellation_fee_fen > 0 OR (b.actual_start_at IS NOT NULL AND b.actual_end_at IS NOT NULL))
    AND least(b.starts_at, b.actual_start_at) < ($2::date + 2)::timestamp AT TIME ZONE 'UTC'
    AND greatest(b.ends_at, b.actual_end_at) > ($1::date - 1)::timestamp AT TIME ZONE 'UTC'
),
bookings_by_day AS MATERIALIZED (
  SELECT b.*, (lower(b.touched) AT TIME ZONE b.tz)::date - 1 + k AS day
  FROM bookings b
  CROSS JOIN LATERAL generate_series(0, (upper(b.touched) AT TIME ZONE b.tz)::date - (lower(b.touched) AT TIME ZONE b.tz)::date + 1) AS k
),
booking_days AS (
  SELECT d.instrument_id, d.day,
         range_agg(b.booked * d.span) FILTER (WHERE b.booked && d.span) AS booked_time,
         range_agg(b.effective * d.span) FILTER (WHERE b.effective && d.span) AS effective_time,
         range_agg(b.effective * d.span) FILTER (WHERE b.effective && d.span AND b.is_external) AS external_time,
         count(*) FILTER (WHERE b.status = 'completed' AND d.span @> b.service_start) AS services,
         count(DISTINCT b.user_id) FILTER (WHERE b.status = 'completed' AND d.span @> b.service_start) AS distinct_users,
         count(DISTINCT b.user_institution_id) FILTER (WHERE b.status = 'completed' AND d.span @> b.service_start AND b.by_firm) AS distinct_firms,
         count(DISTINCT b.user_institution_id)
           FILTER (WHERE b.status = 'completed' AND d.span @> b.service_start AND b.by_small_micro_firm) AS distinct_small_micro_firms,
         coalesce(sum(b.final_fee_fen) FILTER (WHERE b.status = 'completed' AND d.span @> b.service_start), 0)
           + coalesce(sum(b.cancellation_fee_fen) FILTER (WHERE b.status = 'cancelled' AND d.span @> b.starts_at), 0) AS revenue_fen,
         count(*) FILTER (WHERE b.status = 'no_show' AND d.span @> b.starts_at) AS no_shows,
         coalesce(sum(b.rating) FILTER (WHERE b.status = 'completed' AND d.span @> b.service_start), 0) AS rating_sum,
         count(b.rating) FILTER (WHERE b.status = 'completed' AND d.span @> b.service_start) AS rating_count
  FROM bookings_by_day b
  JOIN days d ON d.instrument_id = b.instrument_id AND d.day = b.day AND d.span && b.touched
  GROUP BY d.instrument_id, d.day
)
INSERT INTO instrument_day_statistics (
  instrument_id, day, open_minutes, booked_minutes, effective_minutes, external_minutes, services, distinct_users,
  distinct_firms, distinct_small_micro_firms, revenue_fen, no_shows, rating_sum, rating_count, compiled_at)
SELECT d.instrument_id, d.day,
       round(statistics_seconds(coalesce(s.open_time, '{}') - coalesce(s.closed_time, '{}')) / 60.0),
       round(statistics_seconds(b.booked_time) / 60.0),
       round(statistics_seconds(b.effective_time) / 60.0),
       round(statistics_seconds(b.external_time) / 60.0),
       coalesce(b.services, 0), coalesce(b.distinct_users, 0), coalesce(b.distinct_firms, 0), coalesce(b.distinct_small_micro_firms, 0),
       coalesce(b.revenue_fen, 0), coalesce(b.no_shows, 0), coalesce(b.rating_sum, 0), coalesce(b.rating_count, 0), $4::timestamptz
FROM days d
LEFT JOIN schedule_days s ON s.instrument_id = d.instrument_id AND s.day = d.day
LEFT JOIN booking_days b ON b.instrument_id = d.instrument_id AND b.day = d.day`;

export interface CompileRange {
  /** First local day, yyyy-MM-dd. */
  firstDay: string;
  /** Last local day (inclusive), yyyy-MM-dd. */
  lastDay: string;
  /** Only this instrument; all when absent. */
  instrumentId?: string | null;
}

/**
 * Writes the statistics of a range of local days in one transaction: the days' advisory locks
 * (in date order, so two compiles of overlapping ranges wait for each other instead of
 * deadlocking), then DELETE and one INSERT ... SELECT. Re-running a range replaces it; two workers
 * compiling the same days one after the other write the same rows, never twice as many.
 */
@Injectable()
export class StatisticsCompiler {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Returns the number of (instrument, day) rows written. */
  async compile(range: CompileRange, compiledAt: Date): Promise<number> {
    const instrumentId = range.instrumentId ?? null;
    return inTransaction(this.dataSource, async (manager) => {
      await manager.query(
        `SELECT pg_advisory_xact_lock(${DAY_LOCK_NAMESPACE}, $1::date + n - date '2000-01-01')
         FROM generate_series(0, $2::date - $1::date) AS n ORDER BY n`,
        [range.firstDay, range.lastDay],
      );
      await manager.query(
        `DELETE FROM instrument_day_statistics WHERE day BETWEEN $1::date AND $2::date AND ($3::uuid IS NULL OR instrument_id = $3::uuid)`,
        [range.firstDay, range.lastDay, instrumentId],
      );
      const rows: { count: string }[] = await manager.query(`WITH written AS (${COMPILE_SQL} RETURNING 1) SELECT count(*) FROM written`, [
        range.firstDay,
        range.lastDay,
        instrumentId,
        compiledAt,
        BOOKED_STATUSES,
      ]);
      return Number(rows[0].count);
    });
  }
}
