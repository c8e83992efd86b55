import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ConflictError, DomainError, NotFoundError } from '@app/common';
import { inTransaction } from '@app/db';
import { loadBookingRules } from '../availability/instrument-schedule';
import { BookingsService } from '../bookings/bookings.service';
import { loadBookableInstrument } from '../instruments/bookable-instrument';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { JoinWaitlistDto, WaitlistEntryResponseDto, WaitlistStatus } from './dto/waitlist.dto';

const MAX_WINDOW_DAYS = 90;

interface WaitlistRow {
  id: string;
  instrument_id: string;
  user_id: string;
  wanted_from: Date;
  wanted_to: Date;
  duration_minutes: number;
  mode: WaitlistEntryResponseDto['mode'];
  status: WaitlistStatus;
  offered_booking_id: string | null;
  hold_expires_at: Date | null;
  position: number | null;
  created_at: Date;
}

const SELECT_ENTRY = `
  SELECT w.id, w.instrument_id, w.user_id, lower(w.wanted) AS wanted_from, upper(w.wanted) AS wanted_to, w.duration_minutes, w.mode,
         w.status, w.offered_booking_id, b.hold_expires_at, w.created_at,
         CASE WHEN w.status = 'waiting' THEN (
           SELECT count(*)::int FROM waitlist_entry ahead
           WHERE ahead.instrument_id = w.instrument_id AND ahead.status = 'waiting' AND (ahead.created_at, ahead.id) <= (w.created_at, w.id)) END AS position
  FROM waitlist_entry w LEFT JOIN booking b ON b.id = w.offered_booking_id`;

function toResponse(row: WaitlistRow): WaitlistEntryResponseDto {
  return {
    id: row.id,
    instrumentId: row.instrument_id,
    from: row.wanted_from.toISOString(),
    to: row.wanted_to.toISOString(),
    durationMinutes: row.duration_minutes,
    mode: row.mode,
    status: row.status,
    ...(row.offered_booking_id && { offeredBookingId: row.offered_booking_id }),
    ...(row.status === 'offered' && row.hold_expires_at && { holdExpiresAt: row.hold_expires_at.toISOString() }),
    ...(row.position !== null && { position: row.position }),
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Waiting for time on an instrument: joining (offered at once when the window already has room),
 * the user's own entries, leaving. Offers themselves are made by BookingsService.offerToWaitlist,
 * in the same transaction as whatever frees the time.
 */
@Injectable()
export class WaitlistService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bookings: BookingsService,
    private readonly access: BookingAccessPolicy,
    private readonly clock: Clock,
  ) {}

  join(user: AuthUser, instrumentId: string, dto: JoinWaitlistDto): Promise<WaitlistEntryResponseDto> {
    return inTransaction(this.dataSource, async (manager) => {
      const instrument = await loadBookableInstrument(manager, instrumentId);
      this.access.assertCanBook(user, instrument);
      const rules = await loadBookingRules(manager, instrumentId);
      const from = new Date(dto.from).getTime();
      const to = new Date(dto.to).getTime();
      const now = this.clock.now().getTime();
      if (to - from < dto.durationMinutes * 60_000 || to <= now || to - Math.max(from, now) > MAX_WINDOW_DAYS * 24 * 3600_000) {
        throw new DomainError('WAITLIST_WINDOW_INVALID', `The window must end in the future, hold the duration and span at most ${MAX_WINDOW_DAYS} days`, HttpStatus.UNPROCESSABLE_ENTITY);
      }
      if (dto.durationMinutes < rules.minDurationMinutes || dto.durationMinutes > rules.maxDurationMinutes) {
        throw new DomainError('WAITLIST_DURATION_NOT_ALLOWED', `This instrument takes bookings of ${rules.minDurationMinutes} to ${rules.maxDurationMinutes} minutes`, HttpStatus.UNPROCESSABLE_ENTITY, {
          minDurationMinutes: rules.minDurationMinutes,
          maxDurationMinutes: rules.maxDurationMinutes,
        });
      }
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO waitlist_entry (instrument_id, user_id, wanted, duration_minutes, mode, purpose)
         VALUES ($1, $2, tstzrange($3, $4), $5, $6, $7) RETURNING id`,
        [instrumentId, user.id, new Date(from), new Date(to), dto.durationMinutes, dto.mode, dto.purpose ?? ''],
      );
      // Time may be free already: the line is served now, this entry included.
      await this.bookings.offerToWaitlist(manager, instrumentId);
      return toResponse(await this.load(manager, id));
    });
  }

  async listMine(user: AuthUser): Promise<WaitlistEntryResponseDto[]> {
    const rows: WaitlistRow[] = await this.dataSource.query(`${SELECT_ENTRY} WHERE w.user_id = $1 ORDER BY w.created_at DESC LIMIT 200`, [user.id]);
    return rows.map(toResponse);
  }

  /** Leaves the line; an offered hold stays the user's to submit or let lapse. */
  leave(user: AuthUser, id: string): Promise<WaitlistEntryResponseDto> {
    return inTransaction(this.dataSource, async (manager) => {
      const entry = await this.load(manager, id);
      if (entry.user_id !== user.id) throw new NotFoundError('Waitlist entry', id);
      const left: unknown[] = await manager.query(
        `WITH left_line AS (UPDATE waitlist_entry SET status = 'cancelled', updated_at = now() WHERE id = $1 AND status = 'waiting' RETURNING id)
         SELECT id FROM left_line`,
        [id],
      );
      // An offer made meanwhile stands: the hold is the user's to submit or let lapse.
      if (left.length === 0) throw new ConflictError('WAITLIST_ENTRY_NOT_WAITING', `The entry is ${(await this.load(manager, id)).status}`);
      return toResponse(await this.load(manager, id));
    });
  }

  private async load(manager: EntityManager, id: string): Promise<WaitlistRow> {
    const [row]: WaitlistRow[] = await manager.query(`${SELECT_ENTRY} WHERE w.id = $1`, [id]);
    if (!row) throw new NotFoundError('Waitlist entry', id);
    return row;
  }
}
