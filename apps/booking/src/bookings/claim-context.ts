import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@app/common';
import { queryPrepared } from '@app/db';
import type { BookingRules } from '../availability/instrument-schedule';
import type { Interval } from '../availability/interval';
import type { OpeningRules } from '../availability/opening-hours';
import { instrumentScheduleColumns, scheduleFromRow } from '../availability/slot-context';
import type { InstrumentScheduleRow } from '../availability/slot-context';
import { bookableInstrumentFromRow } from '../instruments/bookable-instrument';
import type { BookableInstrument, BookableInstrumentRow } from '../instruments/bookable-instrument';

/** Everything a claim checks, read in one statement: the instrument, its rules and hours, the user's standing. */
export interface ClaimContext {
  instrument: BookableInstrument;
  rules: BookingRules;
  opening: OpeningRules;
  suspension: { endsAt: Date; reason: string } | null;
  /** Trained on this instrument (or accepted training for its category), valid at the booked start. */
  qualified: boolean;
  /**
   * Time already taken in the way of the booking and its buffer, when the read saw any: the request
   * can be refused without trying to insert. (Only a shortcut: the constraint decides.)
   */
  taken: Interval | null;
}

interface ContextRow extends BookableInstrumentRow, InstrumentScheduleRow {
  suspension: { endsAt: string; reason: string } | null;
  taken: { start: string; end: string } | null;
  qualified: boolean;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * One round trip instead of eight: a booking request is mostly reading, and under load the round
 * trips, not the work, dominate. Exceptions and closures are read for the UTC dates two days
 * either side of the booking, which covers its local dates in any zone.
 */
export async function loadClaimContext(manager: EntityManager, instrumentId: string, userId: string, booking: Interval, now: Date): Promise<ClaimContext> {
  const firstDate = new Date(booking.start - 2 * DAY_MS).toISOString().slice(0, 10);
  const lastDate = new Date(booking.end + 2 * DAY_MS).toISOString().slice(0, 10);
  const [row] = await queryPrepared<ContextRow>(
    manager,
    'booking-claim-context',
    `SELECT i.id, i.name_zh, i.institution_id, i.region_code, i.category_code, i.time_zone, i.sharing_mode, i.service_modes,
            f.unit AS fee_unit, f.internal_rate_fen, f.external_rate_fen,
            ${instrumentScheduleColumns({ from: '$2', to: '$3' })},
            (SELECT json_build_object('endsAt', s.ends_at, 'reason', s.reason) FROM booking_suspension s
             WHERE s.user_id = $4 AND s.starts_at <= $5 AND s.ends_at > $5 ORDER BY s.ends_at DESC LIMIT 1) AS suspension,
            (SELECT json_build_object('start', lower(b.during), 'end', upper(b.during)) FROM time_block b
             WHERE b.instrument_id = i.id AND (b.expires_at IS NULL OR b.expires_at > $5)
               AND b.during && tstzrange($6, $7::timestamptz
                                         + coalesce((SELECT buffer_minutes FROM booking_rules WHERE instrument_id = i.id), 0) * interval '1 minute')
             ORDER BY lower(b.during) LIMIT 1) AS taken,
            EXISTS (SELECT 1 FROM qualification q
                    WHERE q.user_id = $4 AND q.revoked_at IS NULL AND q.valid_until > $6
                      AND (q.instrument_id = i.id OR EXISTS (
                            SELECT 1 FROM qualification_acceptance a JOIN instrument trained ON trained.id = q.instrument_id
                            WHERE a.qualification_id = q.id AND a.institution_id = i.institution_id AND trained.category_code = i.category_code))) AS qualified
     FROM instrument i LEFT JOIN instrument_fee f ON f.instrument_id = i.id AND f.position = 0
     WHERE i.id = $1`,
    [instrumentId, firstDate, lastDate, userId, now, new Date(booking.start), new Date(booking.end)],
  );
  if (!row) throw new NotFoundError('Instrument', instrumentId);
  return {
    instrument: bookableInstrumentFromRow(row),
    ...scheduleFromRow(row),
    suspension: row.suspension ? { endsAt: new Date(row.suspension.endsAt), reason: row.suspension.reason } : null,
    qualified: row.qualified,
    taken: row.taken ? { start: Date.parse(row.taken.start), end: Date.parse(row.taken.end) } : null,
  };
}
