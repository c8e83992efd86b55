import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@app/common';
import type { ServiceMode } from '@app/db';
import type { FeeUnit } from '@app/db';
import { requireTimeZone } from '../availability/opening-hours';
import { localIso } from '../availability/zone-offsets';
import type { BookingVoucherDto } from '../vouchers/dto/voucher.dto';
import type { BookingResponseDto, BookingStatus } from './dto/booking.dto';

/** A booking row with what its views need of the instrument. */
export interface BookingRecord {
  id: string;
  instrument_id: string;
  user_id: string;
  status: BookingStatus;
  mode: ServiceMode;
  purpose: string;
  sample_count: number | null;
  notes: string;
  starts_at: Date;
  ends_at: Date;
  hold_expires_at: Date | null;
  is_internal: boolean;
  fee_unit: FeeUnit | null;
  rate_fen: string | null;
  quote_fen: string | null;
  final_fee_fen: string | null;
  cancellation_fee_fen: string | null;
  actual_start_at: Date | null;
  actual_end_at: Date | null;
  decision_reason: string | null;
  cancellation_reason: string | null;
  recurrence_id: string | null;
  rating: number | null;
  rating_comment: string | null;
  version: number;
  created_at: Date;
  time_zone: string;
  institution_id: string;
  region_code: string;
  /** The booker's display name (absent on rows straight from an INSERT). */
  user_name?: string | null;
  /** The voucher part of the payment (absent on rows straight from an INSERT: none yet). */
  voucher?: BookingVoucherDto | null;
}

/** The voucher part of booking `b` as BookingVoucherDto (keys in its order), or null. */
export const BOOKING_VOUCHER_JSON = `
  (SELECT json_build_object('grantId', v.grant_id, 'programId', g.program_id, 'programName', p.name, 'status', v.status,
                            'reservedFen', v.reserved_fen, 'redeemedFen', v.redeemed_fen, 'allowTopUp', v.allow_top_up)
   FROM booking_voucher v JOIN voucher_grant g ON g.id = v.grant_id JOIN voucher_program p ON p.id = g.program_id
   WHERE v.booking_id = b.id)`;

export const BOOKING_RECORD_SELECT = `
  SELECT b.*, i.time_zone, i.institution_id, i.region_code, (SELECT u.display_name FROM app_user u WHERE u.id = b.user_id) AS user_name, ${BOOKING_VOUCHER_JSON} AS voucher
  FROM booking b JOIN instrument i ON i.id = b.instrument_id`;

/** One booking, locked for the rest of the transaction when lock is set; 404 when it does not exist. */
export async function loadBookingRecord(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<BookingRecord> {
  const [row]: BookingRecord[] = await manager.query(`${BOOKING_RECORD_SELECT} WHERE b.id = $1 ${options.lock ? 'FOR UPDATE OF b' : ''}`, [id]);
  if (!row) throw new NotFoundError('Booking', id);
  return row;
}

/**
 * The booking as a caller sees it: time, status and mode for everyone allowed to see the booking
 * at all; who booked, why, and the money only for the booker, the lab managers and regional staff.
 */
export function toBookingResponse(row: BookingRecord, personal: boolean): BookingResponseDto {
  const zone = requireTimeZone(row.time_zone);
  const local = (instant: Date) => localIso(zone, instant.getTime());
  const view: BookingResponseDto = {
    id: row.id,
    instrumentId: row.instrument_id,
    status: row.status,
    mode: row.mode,
    start: row.starts_at.toISOString(),
    end: row.ends_at.toISOString(),
    timeZone: row.time_zone,
    startLocal: local(row.starts_at),
    endLocal: local(row.ends_at),
    version: row.version,
    createdAt: row.created_at.toISOString(),
  };
  if (row.hold_expires_at) view.holdExpiresAt = row.hold_expires_at.toISOString();
  if (!personal) return view;
  return {
    ...view,
    userId: row.user_id,
    ...(row.user_name && { userName: row.user_name }),
    purpose: row.purpose,
    ...(row.sample_count !== null && { sampleCount: row.sample_count }),
    notes: row.notes,
    quote:
      row.fee_unit === null
        ? null
        : { unit: row.fee_unit, rateFen: Number(row.rate_fen), amountFen: Number(row.quote_fen), internal: row.is_internal },
    ...(row.final_fee_fen !== null && { finalFeeFen: Number(row.final_fee_fen) }),
    ...(row.cancellation_fee_fen !== null && { cancellationFeeFen: Number(row.cancellation_fee_fen) }),
    ...(row.actual_start_at && { actualStart: row.actual_start_at.toISOString() }),
    ...(row.actual_end_at && { actualEnd: row.actual_end_at.toISOString() }),
    ...(row.decision_reason !== null && { decisionReason: row.decision_reason }),
    ...(row.cancellation_reason !== null && { cancellationReason: row.cancellation_reason }),
    ...(row.recurrence_id !== null && { recurrenceId: row.recurrence_id }),
    ...(row.rating !== null && { rating: row.rating }),
    ...(row.rating_comment !== null && { ratingComment: row.rating_comment }),
    ...(row.voucher && { voucher: row.voucher }),
  };
}

export interface BookingTransition {
  bookingId: string;
  type: string;
  from: BookingStatus | null;
  to: BookingStatus;
  actorId: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
}

/**
 * CTEs writing the audit entry and the outbox message of a state change for each booking_id coming
 * out of the CTE `source`, to be placed after it in a WITH list. Placeholders name the parameters
 * holding type, from, to, actor, reason and data (jsonb).
 */
export function transitionCtes(source: string, p: { type: string; from: string; to: string; actor: string; reason: string; data: string }): string {
  return `
    transition_event AS (
      INSERT INTO booking_event (booking_id, type, from_status, to_status, actor_id, reason, data)
      SELECT booking_id, ${p.type}, ${p.from}, ${p.to}, ${p.actor}, ${p.reason}, ${p.data} FROM ${source}
      RETURNING id, booking_id, occurred_at),
    transition_message AS (
      INSERT INTO outbox_message (topic, payload)
      SELECT 'booking.' || ${p.type}, jsonb_build_object(
        'eventId', e.id, 'bookingId', e.booking_id, 'type', ${p.type}::text, 'from', ${p.from}::text, 'to', ${p.to}::text,
        'actorId', ${p.actor}::uuid, 'reason', ${p.reason}::text, 'occurredAt', e.occurred_at, 'data', ${p.data}::jsonb)
      FROM transition_event e RETURNING id)`;
}

/**
 * The audit entry and the outbox message of a state change, in the caller's transaction: both
 * commit with the change or not at all, and the relay delivers the message after commit.
 */
export async function recordTransition(manager: EntityManager, transition: BookingTransition): Promise<void> {
  const data = transition.data ?? {};
  await manager.query(
    `WITH changed AS (SELECT $1::uuid AS booking_id),
     ${transitionCtes('changed', { type: '$2::text', from: '$3::text', to: '$4::text', actor: '$5::uuid', reason: '$6::text', data: '$7::jsonb' })}
     SELECT count(*) FROM transition_message`,
    [transition.bookingId, transition.type, transition.from, transition.to, transition.actorId, transition.reason ?? null, JSON.stringify(data)],
  );
}
