import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, NotFoundError } from '@app/common';
import { AppConfig } from '@app/config';
import { InstrumentAccessPolicy } from '../../../catalog/src/instruments/instrument-access.policy';
import { InstrumentPerformanceDto } from './dto/instrument-performance.dto';
import { averageOf, rateOf } from './statistics-rates';
import { utilizationBand, utilizationBandPolicyOf } from './utilization-band';

interface PerformanceRow {
  sharing_mode: 'external' | 'internal_only' | 'not_shared';
  institution_id: string;
  region_code: string;
  rated_hours: number;
  effective_minutes: string;
  rating_sum: string;
  rating_count: string;
  median_approval_seconds: number | null;
  decisions: string;
  completed: string;
  settled: string;
}

/**
 * The public performance of one instrument over the last 12 months (local days in
 * STATISTICS_NIGHTLY_TZ, up to yesterday): utilization band and ratings from the compiled days,
 * approval time and completion rate from the bookings. Readable by whoever may read the instrument
 * in the catalog (the catalog's own rule); anyone else gets 404, as the catalog answers.
 */
@Injectable()
export class InstrumentPerformanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly access: InstrumentAccessPolicy,
  ) {}

  async performance(user: AuthUser | undefined, instrumentId: string): Promise<InstrumentPerformanceDto> {
    const today = DateTime.fromJSDate(this.clock.now(), { zone: this.config.STATISTICS_NIGHTLY_TZ }).startOf('day');
    const from = today.minus({ months: 12 }).toISODate()!;
    const to = today.minus({ days: 1 }).toISODate()!;
    // Instants of the window in the instrument's own zone, as its days are compiled.
    const [row]: PerformanceRow[] = await this.dataSource.query(
      `WITH inst AS (
         SELECT i.id, i.sharing_mode, i.institution_id, i.region_code::text,
                CASE i.purpose WHEN 'general' THEN $4::int ELSE $5::int END AS rated_hours,
                statistics_local_instant($2::date + time '00:00', i.time_zone) AS starts,
                statistics_local_instant($3::date + 1 + time '00:00', i.time_zone) AS ends
         FROM instrument i WHERE i.id = $1::uuid
       )
       SELECT inst.sharing_mode, inst.institution_id, inst.region_code, inst.rated_hours, days.*, decisions.*, outcomes.*
       FROM inst
       CROSS JOIN LATERAL (
         SELECT coalesce(sum(s.effective_minutes), 0) AS effective_minutes, coalesce(sum(s.rating_sum), 0) AS rating_sum,
                coalesce(sum(s.rating_count), 0) AS rating_count
         FROM instrument_day_statistics s
         WHERE s.instrument_id = inst.id AND s.month BETWEEN date_trunc('month', $2::date) AND $3::date AND s.day BETWEEN $2::date AND $3::date) days
       CROSS JOIN LATERAL (
         SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM b.decided_at - coalesce(requested.at, b.created_at))) AS median_approval_seconds,
                count(*) AS decisions
         FROM booking b
         LEFT JOIN LATERAL (SELECT max(e.occurred_at) AS at FROM booking_event e WHERE e.booking_id = b.id AND e.type = 'requested') requested ON true
         WHERE b.instrument_id = inst.id AND b.decided_at >= inst.starts AND b.decided_at < inst.ends) decisions
       CROSS JOIN LATERAL (
         SELECT count(*) FILTER (WHERE b.status = 'completed') AS completed,
                count(*) AS settled
         FROM booking b
         WHERE b.instrument_id = inst.id AND b.starts_at >= inst.starts AND b.starts_at < inst.ends
           AND (b.status IN ('completed', 'no_show')
                OR (b.status = 'cancelled' AND b.cancelled_by = b.user_id AND b.cancelled_at > b.starts_at - make_interval(hours => $6::int))
                OR (b.status = 'cancelled' AND b.cancelled_by <> b.user_id))) outcomes`,
      [instrumentId, from, to, this.config.RATED_HOURS_GENERAL, this.config.RATED_HOURS_SPECIAL, this.config.FREE_CANCELLATION_HOURS],
    );
    if (!row || !this.access.canRead(user, { sharingMode: row.sharing_mode, institutionId: row.institution_id, regionCode: row.region_code })) {
      throw new NotFoundError('Instrument', instrumentId);
    }
    const effectiveHours = Number(row.effective_minutes) / 60;
    return {
      instrumentId,
      from,
      to,
      utilizationBand: utilizationBand(effectiveHours, row.rated_hours, utilizationBandPolicyOf(this.config)),
      medianApprovalHours: row.median_approval_seconds === null ? null : Math.round(row.median_approval_seconds / 360) / 10,
      decisions: Number(row.decisions),
      completionRate: rateOf(Number(row.completed), Number(row.settled)),
      settledBookings: Number(row.settled),
      averageRating: averageOf(Number(row.rating_sum), Number(row.rating_count)),
      ratingCount: Number(row.rating_count),
    };
  }
}
