import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationFailedError } from '@app/common';
import { AppConfig } from '@app/config';
import { SqlState, inTransaction, isSqlState, isTransientTransactionError, queryPrepared } from '@app/db';
import type { ServiceMode } from '@app/db';
import type { Interval } from '../availability/interval';
import { freeStartTimes, ruleViolation } from '../availability/free-slots';
import type { RuleViolation } from '../availability/free-slots';
import { openIntervals } from '../availability/opening-hours';
import { ScheduleIndex, busyIn, openTimeAround, openTimeLookup } from '../availability/schedule-index';
import type { IndexedInstrument } from '../availability/schedule-index';
import { BookingRules, loadBookingRules, loadBusyTime, loadOpeningRules } from '../availability/instrument-schedule';
import { BookableInstrument, loadBookableInstrument } from '../instruments/bookable-instrument';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { BookingRecord, loadBookingRecord, recordTransition, toBookingResponse, transitionCtes } from './booking-records';
import { ClaimContext, loadClaimContext } from './claim-context';
import { ClaimsInFlight } from './claims-in-flight';
import {
  BLOCKING_STATUSES,
  BookingPolicyDto,
  BookingResponseDto,
  BookingStatus,
  CreateBookingDto,
  CreateHoldDto,
  CreateRecurringBookingDto,
  DecisionDto,
  RatingDto,
  RecurringBookingResponseDto,
  RescheduleBookingDto,
} from './dto/booking.dto';
import { lateCancellationFee, quoteFee } from './fee-quote';
import type { BookingVoucherDto, VoucherUseDto } from '../vouchers/dto/voucher.dto';
import { VoucherErrorCode } from '../vouchers/voucher-ledger';
import { VoucherPaymentsService } from '../vouchers/voucher-payments.service';
import type { WalletGrantRow } from '../vouchers/voucher-payments.service';

export enum BookingErrorCode {
  SLOT_TAKEN = 'SLOT_TAKEN',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  MODE_NOT_OFFERED = 'MODE_NOT_OFFERED',
  QUALIFICATION_REQUIRED = 'QUALIFICATION_REQUIRED',
  BOOKING_SUSPENDED = 'BOOKING_SUSPENDED',
  DAILY_LIMIT_EXCEEDED = 'DAILY_LIMIT_EXCEEDED',
  WEEKLY_LIMIT_EXCEEDED = 'WEEKLY_LIMIT_EXCEEDED',
  INVALID_TRANSITION = 'INVALID_BOOKING_TRANSITION',
  HOLD_NOT_USABLE = 'HOLD_NOT_USABLE',
  REASON_REQUIRED = 'REASON_REQUIRED',
  REQUEST_EXPIRED = 'REQUEST_EXPIRED',
  BOOKING_ALREADY_STARTED = 'BOOKING_ALREADY_STARTED',
  TOO_EARLY_TO_CHECK_IN = 'TOO_EARLY_TO_CHECK_IN',
  NO_SHOW_TOO_EARLY = 'NO_SHOW_TOO_EARLY',
  ALREADY_RATED = 'ALREADY_RATED',
  NOT_BOOKER = 'NOT_BOOKER',
  RECURRENCE_REFUSED = 'RECURRENCE_REFUSED',
}

const DAY_MS = 24 * 3600 * 1000;
/** Check-in opens this long before the booked start. */
const CHECK_IN_EARLY_MS = 30 * 60 * 1000;

/** A rule of the lab refused; unaligned times are malformed input (400), the others a refusal (422). */
export class BookingRuleError extends DomainError {
  constructor(code: RuleViolation | BookingErrorCode, message: string, details?: unknown) {
    super(code, message, code === 'NOT_ALIGNED' ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY, details);
  }
}

const RULE_MESSAGES: Record<RuleViolation, string> = {
  NOT_ALIGNED: 'Start and duration must fall on the instrument’s slot grid (local clock)',
  TOO_SHORT: 'Shorter than the shortest booking this instrument allows',
  TOO_LONG: 'Longer than the longest booking this instrument allows',
  TOO_SOON: 'Starts sooner than the notice this instrument needs',
  TOO_FAR_AHEAD: 'Starts further ahead than this instrument can be booked',
  OUTSIDE_OPENING_HOURS: 'Not within the published opening hours',
};

interface PreparedClaim {
  context: ClaimContext;
  request: ClaimRequest;
  now: Date;
  status: 'held' | 'pending' | 'confirmed';
  holdExpiresAt: Date | null;
  internal: boolean;
  quote: ReturnType<typeof quoteFee>;
  blocked: Interval;
  /** The instrument caps minutes per user: the claim must count under a lock, in a transaction. */
  capped: boolean;
}

interface WaitingEntry {
  id: string;
  user_id: string;
  wanted_from: Date;
  wanted_to: Date;
  duration_minutes: number;
  mode: ServiceMode;
  purpose: string;
  role: AuthUser['role'];
  institution_id: string | null;
  region_code: string | null;
}

/** Time taken: the new booking, the instrument it was checked against, and whether taking it lapsed expired holds in the way. */
interface Claimed {
  booking: BookingRecord;
  instrument: BookableInstrument;
  /** Lapsing a hold releases its voucher reservation: balances read before are stale then. */
  lapsedHolds: boolean;
}

/** What the claim statement says when it took no time: the block in the way it saw, and whether expired holds are in the way. */
interface ClaimRefusal {
  clash_start: Date | null;
  clash_end: Date | null;
  expired_in_way: boolean | null;
}

type ClaimAttempt = { booking: BookingRecord } | { clash: Interval | null; expiredInWay: boolean };

/** Leaving one of these statuses gives the booking's time back. */
const TAKES_TIME: readonly BookingStatus[] = BLOCKING_STATUSES;

interface ClaimRequest {
  instrumentId: string;
  start: number;
  end: number;
  mode: ServiceMode;
  status: 'held' | 'pending' | 'confirmed' | null;
  purpose: string;
  sampleCount: number | null;
  notes: string;
}

/**
 * Bookings: holds, requests, decisions, cancellation, check-in and out, no-shows, ratings. Every
 * command is one transaction that writes the change, its audit entry and its outbox message.
 * Overlaps are refused by PostgreSQL (time_block's exclusion constraint): a claim is an INSERT ...
 * ON CONFLICT DO NOTHING, so concurrent claims of one slot queue on the constraint, one wins and
 * the others see the conflict, instead of deadlocking as plain INSERTs do.
 */
@Injectable()
export class BookingsService {
  private readonly logger = new Logger(BookingsService.name);
  /** This process's claims under way: contenders for one slot wait for the first instead of all reaching the database. */
  private readonly claimsInFlight = new ClaimsInFlight();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccessPolicy,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly vouchers: VoucherPaymentsService,
    private readonly schedules: ScheduleIndex,
  ) {}

  policy(): BookingPolicyDto {
    return {
      freeCancellationHours: this.config.FREE_CANCELLATION_HOURS,
      lateCancellationFeePercent: this.config.LATE_CANCELLATION_FEE_PERCENT,
      checkInOpensMinutesBefore: CHECK_IN_EARLY_MS / 60_000,
      noShowGraceMinutes: this.config.NO_SHOW_GRACE_MINUTES,
      holdMinutes: this.config.BOOKING_HOLD_MINUTES,
      noShowLimit: this.config.NO_SHOW_LIMIT,
      noShowWindowDays: this.config.NO_SHOW_WINDOW_DAYS,
      suspensionDays: this.config.SUSPENSION_DAYS,
    };
  }

  /** A short hold on a slot while the user fills in the request; it lapses by itself. */
  async hold(user: AuthUser, dto: CreateHoldDto): Promise<BookingResponseDto> {
    const request = { ...this.times(dto), instrumentId: dto.instrumentId, mode: dto.mode };
    return this.claimUnlessKnownTaken(user, request, () =>
      inTransaction(this.dataSource, async (manager) => {
        const wallet = dto.voucher ? await this.vouchers.lockWallet(manager, user) : [];
        const claimed = await this.claim(manager, user, { ...request, status: 'held', purpose: '', sampleCount: null, notes: '' });
        if (!dto.voucher) return toBookingResponse(claimed.booking, true);
        return this.withVoucher(claimed.booking, await this.payNewBookingByVoucher(manager, user, claimed, wallet, dto.voucher));
      }),
    );
  }

  /**
   * A booking request: confirmed at once, or pending when the instrument needs approval. With an
   * Idempotency-Key the same key and body give the same booking, even when sent concurrently; the
   * same key with another body is refused.
   */
  create(user: AuthUser, dto: CreateBookingDto, idempotencyKey?: string): Promise<BookingResponseDto> {
    if (idempotencyKey === undefined && !dto.holdId && !dto.voucher) return this.createWithoutKey(user, dto);
    const requestHash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    return inTransaction(this.dataSource, async (manager) => {
      if (idempotencyKey !== undefined) {
        const replayed = await this.claimIdempotencyKey(manager, user, idempotencyKey, requestHash);
        if (replayed) return this.view(manager, user, replayed);
      }
      const times = this.times(dto);
      const request = {
        ...times,
        instrumentId: dto.instrumentId,
        mode: dto.mode,
        purpose: dto.purpose,
        sampleCount: dto.sampleCount ?? null,
        notes: dto.notes ?? '',
      };
      const wallet = dto.voucher ? await this.vouchers.lockWallet(manager, user) : [];
      if (dto.holdId) {
        const id = await this.submitHold(manager, user, dto.holdId, request);
        const submitted = await loadBookingRecord(manager, id);
        // The request may price differently from the hold (samples): its reservation follows the fee.
        await this.vouchers.trimToFee(manager, id, { feeFen: submitted.quote_fen === null ? null : Number(submitted.quote_fen), startsAt: submitted.starts_at }, user.id, submitted.version);
        if (dto.voucher) await this.payByVoucher(manager, user, submitted, dto.voucher, { keepExisting: true });
        await this.recordIdempotencyKey(manager, user, idempotencyKey, id);
        return this.view(manager, user, id);
      }
      const claimed = await this.claim(manager, user, { ...request, status: null });
      await this.recordIdempotencyKey(manager, user, idempotencyKey, claimed.booking.id);
      if (!dto.voucher) return toBookingResponse(claimed.booking, true);
      return this.withVoucher(claimed.booking, await this.payNewBookingByVoucher(manager, user, claimed, wallet, dto.voucher));
    });
  }

  /**
   * The common request (no key, no hold): the rules are read and checked, then one atomic
   * statement takes the time, with no transaction around them; caps, when the instrument has any,
   * are counted in a transaction under a lock. A request for time another request of this
   * process is claiming waits for it and asks the busy-time index again (ClaimsInFlight).
   */
  private async createWithoutKey(user: AuthUser, dto: CreateBookingDto): Promise<BookingResponseDto> {
    const request = { ...this.times(dto), instrumentId: dto.instrumentId, mode: dto.mode, status: null, purpose: dto.purpose, sampleCount: dto.sampleCount ?? null, notes: dto.notes ?? '' };
    return this.claimUnlessKnownTaken(user, request, async () => {
      const prepared = await this.prepareClaim(this.dataSource.manager, user, request);
      const outcome = prepared.capped
        ? await inTransaction(this.dataSource, async (manager) => {
            await this.assertCapsLocked(manager, user, prepared);
            return this.insertClaim(manager, user, prepared, null);
          })
        : await this.insertClaim(this.dataSource.manager, user, prepared, null);
      if ('clash' in outcome) throw outcome.clash;
      return toBookingResponse(outcome.booking, true);
    });
  }

  /**
   * Runs `claim` unless the busy-time index shows the time taken (409 at once), after any claim of
   * this process for overlapping time has settled (ClaimsInFlight).
   */
  private claimUnlessKnownTaken<T>(user: AuthUser, request: Pick<ClaimRequest, 'instrumentId' | 'start' | 'end' | 'mode'>, claim: () => Promise<T>): Promise<T> {
    return this.claimsInFlight.claim(request.instrumentId, request, (afterWaiting) => this.refuseKnownTakenTime(user, request, afterWaiting), claim);
  }

  /**
   * A weekly series at the same local time (so 09:00 stays 09:00 across a DST change): every
   * occurrence or none. When any date is taken or breaks a rule, nothing is booked and the answer
   * lists each such date with its reason.
   */
  createRecurring(user: AuthUser, dto: CreateRecurringBookingDto, idempotencyKey?: string): Promise<RecurringBookingResponseDto> {
    const requestHash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    const times = this.times(dto);
    return inTransaction(this.dataSource, async (manager) => {
      if (idempotencyKey !== undefined) {
        const replayed = await this.claimIdempotencyKey(manager, user, idempotencyKey, requestHash);
        if (replayed) return this.series(manager, user, replayed);
      }
      if (dto.voucher) await this.vouchers.lockWallet(manager, user);
      const instrument = await loadBookableInstrument(manager, dto.instrumentId);
      const first = { start: DateTime.fromMillis(times.start, { zone: instrument.timeZone }), end: DateTime.fromMillis(times.end, { zone: instrument.timeZone }) };
      const recurrenceId = randomUUID();
      const ids: string[] = [];
      const refused: { start: string; end: string; code: string; clash?: unknown }[] = [];
      for (let week = 0; week < dto.weeks; week++) {
        const occurrence = { start: first.start.plus({ weeks: week }).toMillis(), end: first.end.plus({ weeks: week }).toMillis() };
        const at = { start: new Date(occurrence.start).toISOString(), end: new Date(occurrence.end).toISOString() };
        try {
          const outcome = await this.tryClaim(
            manager,
            user,
            { ...occurrence, instrumentId: dto.instrumentId, mode: dto.mode, status: null, purpose: dto.purpose, sampleCount: dto.sampleCount ?? null, notes: dto.notes ?? '' },
            recurrenceId,
          );
          if ('clash' in outcome) refused.push({ ...at, code: outcome.clash.code, clash: (outcome.clash.details as { clash: unknown }).clash });
          else ids.push(outcome.booking.id);
          // Each date pays by voucher on its own; a balance that runs out refuses the whole series.
          if (!('clash' in outcome) && dto.voucher) await this.payByVoucher(manager, user, outcome.booking, dto.voucher, { instrument: outcome.instrument });
        } catch (error) {
          // A broken rule on one date (closed day, too far ahead, caps): reported with the others.
          if (!(error instanceof BookingRuleError) || error.status !== HttpStatus.UNPROCESSABLE_ENTITY) throw error;
          refused.push({ ...at, code: error.code });
        }
      }
      if (refused.length > 0) {
        throw new ConflictError(BookingErrorCode.RECURRENCE_REFUSED, `${refused.length} of ${dto.weeks} dates cannot be booked; nothing was booked`, { refused });
      }
      await this.recordIdempotencyKey(manager, user, idempotencyKey, ids[0]);
      return this.series(manager, user, ids[0]);
    });
  }

  approve(user: AuthUser, id: string, dto: DecisionDto): Promise<BookingResponseDto> {
    return this.command(user, id, async (manager, booking, instrument, now) => {
      this.access.assertManager(user, instrument);
      this.assertStatus(booking, ['pending']);
      if (booking.starts_at.getTime() <= now.getTime()) {
        // The expiry is kept (committed) and the approval refused.
        await this.changeStatus(manager, booking, 'expired', null, 'expired', 'Not decided before its start');
        return new ConflictError(BookingErrorCode.REQUEST_EXPIRED, 'The request was not decided before its start and has expired');
      }
      await manager.query(`UPDATE booking SET decided_by = $2, decided_at = $3, decision_reason = $4 WHERE id = $1`, [booking.id, user.id, now, dto.reason ?? null]);
      await this.changeStatus(manager, booking, 'confirmed', user.id, 'approved', dto.reason);
    });
  }

  reject(user: AuthUser, id: string, dto: DecisionDto): Promise<BookingResponseDto> {
    return this.command(user, id, async (manager, booking, instrument, now) => {
      this.access.assertManager(user, instrument);
      this.assertStatus(booking, ['pending']);
      const reason = requireReason(dto.reason, 'A rejection needs a reason the user can read');
      await manager.query(`UPDATE booking SET decided_by = $2, decided_at = $3, decision_reason = $4 WHERE id = $1`, [booking.id, user.id, now, reason]);
      await this.changeStatus(manager, booking, 'rejected', user.id, 'rejected', reason);
    });
  }

  /**
   * The booker cancels free of charge until FREE_CANCELLATION_HOURS before the start, later with the
   * late fee; lab managers cancel with a reason and no fee (maintenance, a broken instrument).
   */
  cancel(user: AuthUser, id: string, dto: DecisionDto): Promise<BookingResponseDto> {
    return this.command(user, id, async (manager, booking, instrument, now) => {
      const isManager = this.access.isManager(user, instrument);
      if (booking.user_id !== user.id && !isManager) this.access.assertManager(user, instrument);
      this.assertStatus(booking, ['held', 'pending', 'confirmed']);
      if (booking.starts_at.getTime() <= now.getTime()) {
        throw new BookingRuleError(BookingErrorCode.BOOKING_ALREADY_STARTED, 'The booking has started: check it out or mark it a no-show instead');
      }
      const byBooker = booking.user_id === user.id;
      const reason = byBooker ? (dto.reason ?? null) : requireReason(dto.reason, 'Cancelling another user’s booking needs a reason they can read');
      const late = byBooker && booking.status === 'confirmed' && booking.starts_at.getTime() - now.getTime() < this.config.FREE_CANCELLATION_HOURS * 3600_000;
      const fee = late ? lateCancellationFee(booking.quote_fen === null ? null : Number(booking.quote_fen), this.config.LATE_CANCELLATION_FEE_PERCENT) : 0;
      await manager.query(
        `UPDATE booking SET cancelled_by = $2, cancelled_at = $3, cancellation_reason = $4, cancellation_fee_fen = $5 WHERE id = $1`,
        [booking.id, user.id, now, reason, late ? fee : null],
      );
      await this.changeStatus(manager, booking, 'cancelled', user.id, 'cancelled', reason, { late, cancellationFeeFen: fee, byManager: !byBooker });
    });
  }

  /**
   * Moves a booking atomically: the block is updated in place, so the old time is given up only if
   * the new time is taken in the same statement; a clash leaves everything as it was.
   */
  reschedule(user: AuthUser, id: string, dto: RescheduleBookingDto): Promise<BookingResponseDto> {
    const times = this.times(dto);
    return this.command(user, id, async (manager, booking, instrument, now) => {
      if (booking.user_id !== user.id) this.access.assertManager(user, instrument);
      this.assertStatus(booking, ['pending', 'confirmed']);
      if (booking.starts_at.getTime() <= now.getTime()) throw new BookingRuleError(BookingErrorCode.BOOKING_ALREADY_STARTED, 'A started booking cannot be moved');
      const rules = await loadBookingRules(manager, instrument.id);
      await this.assertFitsRules(manager, instrument, rules, times, now);
      await this.lockUserOnInstrument(manager, booking.user_id, instrument.id);
      await this.assertWithinCaps(manager, booking.user_id, instrument, rules, times, booking.id);
      const blocked = { start: times.start, end: times.end + rules.bufferMinutes * 60_000 };
      await this.lapseExpiredHolds(manager, instrument.id, blocked, now);
      try {
        await manager.query(`SAVEPOINT reschedule`);
        await manager.query(`UPDATE time_block SET during = tstzrange($2, $3) WHERE booking_id = $1`, [booking.id, new Date(blocked.start), new Date(blocked.end)]);
        await manager.query(`RELEASE SAVEPOINT reschedule`);
      } catch (error) {
        // Another claim holds the new time (or was taking it at the same moment): nothing moved.
        if (isSqlState(error, SqlState.EXCLUSION_VIOLATION) || isSqlState(error, SqlState.DEADLOCK_DETECTED)) {
          await manager.query(`ROLLBACK TO SAVEPOINT reschedule`);
          throw await this.clashError(manager, instrument.id, blocked, now, booking.id);
        }
        throw error;
      }
      const minutes = (times.end - times.start) / 60_000;
      const quote = quoteFee(instrument.fee, { minutes, sampleCount: booking.sample_count, internal: booking.is_internal });
      const needsApproval = rules.requiresApproval && !this.access.isManager(user, instrument);
      await manager.query(`UPDATE booking SET starts_at = $2, ends_at = $3, quote_fen = $4, rate_fen = $5 WHERE id = $1`, [
        booking.id,
        new Date(times.start),
        new Date(times.end),
        quote?.amountFen ?? null,
        quote?.rateFen ?? null,
      ]);
      await this.vouchers.trimToFee(manager, booking.id, { feeFen: quote?.amountFen ?? null, startsAt: new Date(times.start) }, user.id, booking.version);
      const data = { previousStart: booking.starts_at.toISOString(), previousEnd: booking.ends_at.toISOString(), start: new Date(times.start).toISOString(), end: new Date(times.end).toISOString() };
      if (needsApproval && booking.status === 'confirmed') {
        await this.changeStatus(manager, booking, 'pending', user.id, 'rescheduled', null, data);
      } else {
        await this.touch(manager, booking.id);
        await recordTransition(manager, { bookingId: booking.id, type: 'rescheduled', from: booking.status, to: booking.status, actorId: user.id, data });
      }
      await this.offerToWaitlist(manager, instrument.id);
    });
  }

  checkIn(user: AuthUser, id: string): Promise<BookingResponseDto> {
    return this.command(user, id, async (manager, booking, instrument, now) => {
      if (booking.user_id !== user.id) this.access.assertManager(user, instrument);
      this.assertStatus(booking, ['confirmed']);
      if (now.getTime() < booking.starts_at.getTime() - CHECK_IN_EARLY_MS) {
        throw new BookingRuleError(BookingErrorCode.TOO_EARLY_TO_CHECK_IN, 'Check-in opens 30 minutes before the start');
      }
      await manager.query(`UPDATE booking SET actual_start_at = $2 WHERE id = $1`, [booking.id, now]);
      await this.changeStatus(manager, booking, 'in_use', user.id, 'checked_in', null, { actualStart: now.toISOString() });
    });
  }

  /** Ends the use; the fee is recomputed from the time actually used (the statistics' effective hours). */
  checkOut(user: AuthUser, id: string): Promise<BookingResponseDto> {
    return this.command(user, id, async (manager, booking, instrument, now) => {
      if (booking.user_id !== user.id) this.access.assertManager(user, instrument);
      this.assertStatus(booking, ['in_use']);
      const actualStart = booking.actual_start_at ?? booking.starts_at;
      const minutes = Math.max(1, Math.ceil((now.getTime() - actualStart.getTime()) / 60_000));
      const fee = quoteFee(instrument.fee, { minutes, sampleCount: booking.sample_count, internal: booking.is_internal });
      await manager.query(`UPDATE booking SET actual_end_at = $2, final_fee_fen = $3 WHERE id = $1`, [booking.id, now, fee?.amountFen ?? null]);
      await this.vouchers.redeemOnCompletion(manager, booking.id, fee?.amountFen ?? null, user.id, now);
      await this.changeStatus(manager, booking, 'completed', user.id, 'checked_out', null, { actualEnd: now.toISOString(), effectiveMinutes: minutes, finalFeeFen: fee?.amountFen ?? null });
    });
  }

  /**
   * Recorded, never deleted. NO_SHOW_LIMIT no-shows within NO_SHOW_WINDOW_DAYS suspend the user's
   * self-service booking for SUSPENSION_DAYS.
   */
  markNoShow(user: AuthUser, id: string, dto: DecisionDto): Promise<BookingResponseDto> {
    return this.command(user, id, async (manager, booking, instrument, now) => {
      this.access.assertManager(user, instrument);
      this.assertStatus(booking, ['confirmed']);
      if (now.getTime() < booking.starts_at.getTime() + this.config.NO_SHOW_GRACE_MINUTES * 60_000) {
        throw new BookingRuleError(BookingErrorCode.NO_SHOW_TOO_EARLY, `A no-show can be recorded ${this.config.NO_SHOW_GRACE_MINUTES} minutes after the start`);
      }
      await this.changeStatus(manager, booking, 'no_show', user.id, 'no_show', dto.reason ?? null);
      await this.suspendAfterRepeatedNoShows(manager, booking.user_id, now);
    });
  }

  rate(user: AuthUser, id: string, dto: RatingDto): Promise<BookingResponseDto> {
    return this.command(user, id, async (manager, booking, instrument, now) => {
      if (booking.user_id !== user.id) throw new ForbiddenError('Only the user who booked rates the service', BookingErrorCode.NOT_BOOKER);
      this.assertStatus(booking, ['completed']);
      if (booking.rating !== null) throw new ConflictError(BookingErrorCode.ALREADY_RATED, 'This booking has been rated already');
      await manager.query(`UPDATE booking SET rating = $2, rating_comment = $3, rated_at = $4 WHERE id = $1`, [booking.id, dto.rating, dto.comment ?? null, now]);
      await this.touch(manager, booking.id);
      await recordTransition(manager, { bookingId: booking.id, type: 'rated', from: 'completed', to: 'completed', actorId: user.id, data: { rating: dto.rating } });
    });
  }

  /** Lapses holds and expires undecided requests whose time has come (run by the sweeper, and safe to repeat). */
  async sweep(): Promise<{ lapsed: number; expired: number }> {
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const lapsed: { id: string }[] = await manager.query(
        `SELECT id FROM booking WHERE status = 'held' AND hold_expires_at <= $1 ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1000`,
        [now],
      );
      const freed = new Set<string>();
      for (const { id } of lapsed) freed.add(await this.lapse(manager, id));
      for (const instrumentId of freed) if (instrumentId) await this.offerToWaitlist(manager, instrumentId);
      const expired: { id: string }[] = await manager.query(
        `SELECT id FROM booking WHERE status = 'pending' AND starts_at <= $1 ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1000`,
        [now],
      );
      for (const { id } of expired) {
        const booking = await loadBookingRecord(manager, id);
        await this.changeStatus(manager, booking, 'expired', null, 'expired', 'Not decided before its start');
      }
      // Waiting for a window that has passed: nothing can be offered any more.
      await manager.query(`UPDATE waitlist_entry SET status = 'expired', updated_at = now() WHERE status = 'waiting' AND upper(wanted) <= $1`, [now]);
      return { lapsed: lapsed.length, expired: expired.length };
    });
  }

  /**
   * Offers free time on an instrument to its waitlist, in the caller's transaction (so time freed by
   * a cancellation is offered before anyone else can take it): in line order, each waiting user
   * whose window now has room for the wanted duration gets a hold on the earliest such slot, kept
   * WAITLIST_OFFER_MINUTES; when it lapses the next in line is offered. A user the rules refuse
   * (suspended, not qualified, over a cap) keeps waiting. Returns how many offers were made.
   */
  async offerToWaitlist(manager: EntityManager, instrumentId: string): Promise<number> {
    const now = this.clock.now();
    // One server of a line at a time, waiting rather than skipping: time freed by a transaction
    // that found the line busy is seen by the one holding it (busy time is read after the lock).
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('waitlist:' || $1::text, 0))`, [instrumentId]);
    const entries: WaitingEntry[] = await manager.query(
      `SELECT w.id, w.user_id, lower(w.wanted) AS wanted_from, upper(w.wanted) AS wanted_to, w.duration_minutes, w.mode, w.purpose,
              u.role, u.institution_id, u.region_code
       FROM waitlist_entry w JOIN app_user u ON u.id = w.user_id
       WHERE w.instrument_id = $1 AND w.status = 'waiting' AND upper(w.wanted) > $2
       ORDER BY w.created_at, w.id
       LIMIT 50
       FOR UPDATE OF w`,
      [instrumentId, now],
    );
    if (entries.length === 0) return 0;
    const instrument = await loadBookableInstrument(manager, instrumentId);
    const rules = await loadBookingRules(manager, instrumentId);
    const window = { start: Math.max(now.getTime(), Math.min(...entries.map((entry) => entry.wanted_from.getTime()))), end: Math.max(...entries.map((entry) => entry.wanted_to.getTime())) };
    const around = { start: window.start - DAY_MS, end: window.end + DAY_MS };
    const open = openIntervals(await loadOpeningRules(manager, instrument, around), around);
    let offered = 0;
    for (const entry of entries) {
      const durationMs = entry.duration_minutes * 60_000;
      const range = { start: Math.max(now.getTime(), entry.wanted_from.getTime()), end: entry.wanted_to.getTime() - durationMs + 1 };
      if (range.end <= range.start) continue;
      const busy = await loadBusyTime(manager, instrumentId, around, now);
      const [start] = freeStartTimes({ timeZone: instrument.timeZone, open, busy, rules, durationMinutes: entry.duration_minutes, now: now.getTime(), range });
      if (start === undefined) continue;
      const user: AuthUser = { id: entry.user_id, role: entry.role, institutionId: entry.institution_id, regionCode: entry.region_code };
      await manager.query(`SAVEPOINT waitlist_offer`);
      try {
        const outcome = await this.tryClaim(manager, user, {
          instrumentId,
          start,
          end: start + durationMs,
          mode: entry.mode,
          status: 'held',
          purpose: entry.purpose,
          sampleCount: null,
          notes: '',
        });
        if ('clash' in outcome) {
          await manager.query(`ROLLBACK TO SAVEPOINT waitlist_offer; RELEASE SAVEPOINT waitlist_offer`);
          continue;
        }
        // Never held past its own start: an offer nobody takes must not waste the slot.
        const expiresAt = new Date(Math.min(now.getTime() + this.config.WAITLIST_OFFER_MINUTES * 60_000, start));
        await manager.query(`UPDATE booking SET hold_expires_at = $2 WHERE id = $1`, [outcome.booking.id, expiresAt]);
        await manager.query(`UPDATE time_block SET expires_at = $2 WHERE booking_id = $1`, [outcome.booking.id, expiresAt]);
        await manager.query(`UPDATE waitlist_entry SET status = 'offered', offered_booking_id = $2, offered_at = $3, updated_at = now() WHERE id = $1`, [
          entry.id,
          outcome.booking.id,
          now,
        ]);
        await manager.query(`RELEASE SAVEPOINT waitlist_offer`);
        offered++;
      } catch (error) {
        // Deadlocks and serialization failures retry the whole command; anything else (a rule that
        // refuses this user, an unexpected error) skips this entry and never fails the command
        // that freed the time.
        if (isTransientTransactionError(error)) throw error;
        await manager.query(`ROLLBACK TO SAVEPOINT waitlist_offer; RELEASE SAVEPOINT waitlist_offer`);
        if (!(error instanceof DomainError)) this.logger.warn(`waitlist entry ${entry.id} not offered: ${(error as Error).message}`);
      }
    }
    return offered;
  }

  // --- claiming time ---------------------------------------------------------------------------

  /**
   * Reserves the voucher part of a booking just claimed, in the same transaction: a refusal (short
   * balance, a cap, a program that does not apply) undoes the claim too. keepExisting: a submitted
   * hold that reserved already keeps its reservation (null comes back). instrument: the booking's,
   * when the caller has it; locked: see VoucherPaymentsService.reserve.
   */
  private async payByVoucher(
    manager: EntityManager,
    user: AuthUser,
    booking: BookingRecord,
    use: VoucherUseDto,
    options: { keepExisting?: boolean; instrument?: BookableInstrument; locked?: readonly WalletGrantRow[] } = {},
  ): Promise<BookingVoucherDto | null> {
    if (options.keepExisting) {
      const reserved = await this.vouchers.reservation(manager, booking.id);
      if (reserved) {
        if ((use.grantId && use.grantId !== reserved.grantId) || (use.amountFen && use.amountFen !== reserved.reservedFen)) {
          throw new ConflictError(VoucherErrorCode.ALREADY_APPLIED, 'The hold already reserves another voucher payment; withdraw it first', { reserved });
        }
        return null;
      }
    }
    const instrument = options.instrument ?? (await loadBookableInstrument(manager, booking.instrument_id));
    return this.vouchers.reserve(manager, user, booking, this.vouchers.orderOf(booking, instrument), use, options.locked);
  }

  /**
   * A booking just claimed, paid by voucher from the wallet locked (and read) before the claim:
   * its grant is not read again unless the claim lapsed expired holds, whose release may have moved
   * a balance since.
   */
  private payNewBookingByVoucher(manager: EntityManager, user: AuthUser, claimed: Claimed, wallet: readonly WalletGrantRow[], use: VoucherUseDto): Promise<BookingVoucherDto | null> {
    return this.payByVoucher(manager, user, claimed.booking, use, { instrument: claimed.instrument, locked: claimed.lapsedHolds ? [] : wallet });
  }

  /** The answer for a booking just paid by voucher, without reading it back: nothing else changed it. */
  private withVoucher(booking: BookingRecord, voucher: BookingVoucherDto | null): BookingResponseDto {
    return toBookingResponse({ ...booking, voucher }, true);
  }

  /**
   * Refuses (409) a request for time the busy-time index shows taken, without a database read:
   * when many users are after one slot, all but the first few answers come from memory. Before
   * refusing, the index is synced after the request arrived, so it holds every block committed
   * before; time it shows free takes the full way, where the constraint decides. Whatever else the full way could
   * answer first is checked here too, and when any of it applies the full way answers instead: a
   * hidden instrument stays 404, a role that cannot book 403, a mode not offered or a broken rule
   * 422, per-user caps on the instrument 422 (they need the user's bookings). The caller's own
   * standing (a suspension, training) is read only for time that is free. The index is only a
   * shortcut: when its sync fails, the full way answers. Answers whether the index decided: true
   * when it found the time free with nothing else to answer first (so it would refuse the time once
   * taken), false when the full way has to answer anyway.
   */
  private async refuseKnownTakenTime(user: AuthUser, request: Pick<ClaimRequest, 'instrumentId' | 'start' | 'end' | 'mode'>, afterWaiting: boolean): Promise<boolean> {
    // First the index as last synced, without a round trip: time it shows free, and requests it
    // cannot answer, go to the database, which decides anyway (a write it missed only means the
    // constraint refuses). Only a refusal, or a look after a claim settled, needs a sync that sees
    // every write before it.
    const held = afterWaiting ? undefined : this.schedules.held(request.instrumentId);
    const heldAnswer = held && this.indexAnswer(user, held, request);
    if (heldAnswer === 'free') return true;
    if (heldAnswer === 'undecided') return false;
    let instrument: IndexedInstrument | undefined;
    try {
      instrument = (await this.schedules.current([request.instrumentId])).get(request.instrumentId);
    } catch (error) {
      this.logger.warn(`busy-time index unavailable for a booking request, deciding in the database (${(error as Error).message})`);
      return false;
    }
    const answer = instrument ? this.indexAnswer(user, instrument, request) : 'undecided';
    if (answer === 'undecided') return false;
    if (answer === 'free') return true;
    throw clashConflict(answer);
  }

  /** What the index alone can say of a request: its time free, the block in its way, or undecided (the full way answers). */
  private indexAnswer(user: AuthUser, instrument: IndexedInstrument, request: Pick<ClaimRequest, 'start' | 'end' | 'mode'>): 'undecided' | 'free' | Interval {
    if (!this.access.canBook(user, instrument) || !instrument.serviceModes.includes(request.mode)) return 'undecided';
    if (instrument.rules.maxMinutesPerDay !== null || instrument.rules.maxMinutesPerWeek !== null) return 'undecided';
    const now = this.clock.now().getTime();
    const [taken] = busyIn(instrument, { start: request.start, end: request.end + instrument.rules.bufferMinutes * 60_000 }, now);
    if (!taken) return 'free';
    // Whole UTC days around the request: requests for the same days share the computed open time.
    const around = { start: Math.floor(request.start / DAY_MS) * DAY_MS - DAY_MS, end: Math.ceil(request.end / DAY_MS) * DAY_MS + DAY_MS };
    const open = openTimeAround(instrument, openTimeLookup(around));
    if (ruleViolation({ timeZone: instrument.timeZone, open, rules: instrument.rules, now }, request) !== null) return 'undecided';
    return taken;
  }

  /** Checks every rule, then takes the time: the booking row, and its block if nothing overlaps. */
  private async claim(manager: EntityManager, user: AuthUser, request: ClaimRequest): Promise<Claimed> {
    const outcome = await this.tryClaim(manager, user, request);
    if ('clash' in outcome) throw outcome.clash;
    return outcome;
  }

  /**
   * As claim, but a clash is returned rather than thrown: a claim that finds its time taken writes
   * nothing, so a series can try every date and report them all.
   */
  private async tryClaim(
    manager: EntityManager,
    user: AuthUser,
    request: ClaimRequest,
    recurrenceId: string | null = null,
  ): Promise<Claimed | { clash: ConflictError }> {
    const prepared = await this.prepareClaim(manager, user, request);
    if (prepared.capped) await this.assertCapsLocked(manager, user, prepared);
    return this.insertClaim(manager, user, prepared, recurrenceId);
  }

  /** Reads what the claim checks (one statement) and checks every rule; writes nothing. */
  private async prepareClaim(manager: EntityManager, user: AuthUser, request: ClaimRequest): Promise<PreparedClaim> {
    const now = this.clock.now();
    const context = await loadClaimContext(manager, request.instrumentId, user.id, request, now);
    const { instrument, rules } = context;
    this.access.assertCanBook(user, instrument);
    this.assertMayBook(context, request);
    const open = openIntervals(context.opening, { start: request.start - DAY_MS, end: request.end + DAY_MS });
    const violation = ruleViolation({ timeZone: instrument.timeZone, open, rules, now: now.getTime() }, request);
    if (violation) throw new BookingRuleError(violation, RULE_MESSAGES[violation]);
    const status = request.status ?? (rules.requiresApproval ? 'pending' : 'confirmed');
    const internal = user.institutionId === instrument.institutionId;
    return {
      context,
      request,
      now,
      status,
      holdExpiresAt: status === 'held' ? new Date(now.getTime() + this.config.BOOKING_HOLD_MINUTES * 60_000) : null,
      internal,
      quote: quoteFee(instrument.fee, { minutes: (request.end - request.start) / 60_000, sampleCount: request.sampleCount, internal }),
      blocked: { start: request.start, end: request.end + rules.bufferMinutes * 60_000 },
      capped: rules.maxMinutesPerDay !== null || rules.maxMinutesPerWeek !== null,
    };
  }

  /** Per-user caps, under a lock on (user, instrument) held until the end of the caller's transaction. */
  private async assertCapsLocked(manager: EntityManager, user: AuthUser, prepared: PreparedClaim): Promise<void> {
    await this.lockUserOnInstrument(manager, user.id, prepared.context.instrument.id);
    await this.assertWithinCaps(manager, user.id, prepared.context.instrument, prepared.context.rules, prepared.request, null);
  }

  /**
   * Takes the time in one statement: the block first (INSERT ... ON CONFLICT DO NOTHING under the
   * exclusion constraint), then, only if it went in, the booking, its audit row and its outbox
   * message. One statement is atomic by itself, so a request without caps or Idempotency-Key needs
   * no explicit transaction. When the time is taken, the same statement answers with the block in
   * the way and whether expired holds are in the way, so a refusal needs no further round trip
   * (unless the block in the way committed while the statement ran, after its snapshot).
   */
  private async insertClaim(manager: EntityManager, user: AuthUser, prepared: PreparedClaim, recurrenceId: string | null): Promise<Claimed | { clash: ConflictError }> {
    const { context, request, now, status, holdExpiresAt, internal, quote, blocked } = prepared;
    const { instrument } = context;
    // Already taken when the rules were read: answer at once (the constraint would refuse anyway).
    if (context.taken) return { clash: clashConflict(context.taken) };
    const insert = async (): Promise<ClaimAttempt> => {
      const [row] = await queryPrepared<BookingRecord & ClaimRefusal>(
        manager,
        'booking-claim-insert',
        `WITH block AS (
           INSERT INTO time_block (instrument_id, during, booking_id, expires_at)
           VALUES ($1, tstzrange($16, $17), $18, $10)
           ON CONFLICT DO NOTHING RETURNING booking_id),
         new_booking AS (
           INSERT INTO booking (id, instrument_id, user_id, status, mode, purpose, sample_count, notes, starts_at, ends_at, hold_expires_at,
                                is_internal, fee_unit, rate_fen, quote_fen, recurrence_id)
           SELECT booking_id, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 FROM block
           RETURNING *, id AS booking_id),
         ${transitionCtes('new_booking', { type: '$19::text', from: 'NULL::text', to: '$3::text', actor: '$2::uuid', reason: 'NULL::text', data: '$20::jsonb' })}
         SELECT nb.*, way.clash_start, way.clash_end, way.expired_in_way
         FROM (SELECT) AS one
         LEFT JOIN new_booking nb ON true
         LEFT JOIN LATERAL (
           SELECT clash.clash_start, clash.clash_end,
                  EXISTS (SELECT 1 FROM time_block b
                          WHERE b.instrument_id = $1 AND b.during && tstzrange($16, $17) AND b.expires_at <= $21 AND b.booking_id IS NOT NULL) AS expired_in_way
           FROM (SELECT) AS refused
           LEFT JOIN LATERAL (
             SELECT lower(b.during) AS clash_start, upper(b.during) AS clash_end FROM time_block b
             WHERE b.instrument_id = $1 AND b.during && tstzrange($16, $17) AND (b.expires_at IS NULL OR b.expires_at > $21)
             ORDER BY lower(b.during) LIMIT 1) AS clash ON true
           WHERE nb.id IS NULL) AS way ON true`,
        [
          instrument.id,
          user.id,
          status,
          request.mode,
          request.purpose,
          request.sampleCount,
          request.notes,
          new Date(request.start),
          new Date(request.end),
          holdExpiresAt,
          internal,
          quote?.unit ?? null,
          quote?.rateFen ?? null,
          quote?.amountFen ?? null,
          recurrenceId,
          new Date(blocked.start),
          new Date(blocked.end),
          randomUUID(),
          status === 'held' ? 'held' : 'requested',
          JSON.stringify({ instrumentId: instrument.id, start: new Date(request.start).toISOString(), end: new Date(request.end).toISOString() }),
          now,
        ],
      );
      const { clash_start, clash_end, expired_in_way, ...booking } = row;
      if (booking.id !== null) return { booking };
      return { clash: clash_start ? { start: clash_start.getTime(), end: clash_end!.getTime() } : null, expiredInWay: expired_in_way === true };
    };
    let attempt = await insert();
    // Expired holds in the way are lapsed only when they are in the way (the common case pays nothing).
    const lapsedHolds = 'expiredInWay' in attempt && attempt.expiredInWay && (await this.lapseExpiredHolds(manager, instrument.id, blocked, now)) > 0;
    if (lapsedHolds) attempt = await insert();
    if (!('booking' in attempt)) {
      // No block in the statement's snapshot: the one in the way committed while the statement waited on it.
      return { clash: attempt.clash ? clashConflict(attempt.clash) : await this.clashError(manager, instrument.id, blocked, now, null) };
    }
    const row = attempt.booking;
    return { booking: { ...row, time_zone: instrument.timeZone, institution_id: instrument.institutionId, region_code: instrument.regionCode }, instrument, lapsedHolds };
  }

  /** Turns the user's live hold on exactly this time into the request; an expired hold is claimed afresh. */
  private async submitHold(manager: EntityManager, user: AuthUser, holdId: string, request: Omit<ClaimRequest, 'status'>): Promise<string> {
    const now = this.clock.now();
    const hold = await loadBookingRecord(manager, holdId, { lock: true });
    const matches =
      hold.user_id === user.id &&
      hold.instrument_id === request.instrumentId &&
      hold.starts_at.getTime() === request.start &&
      hold.ends_at.getTime() === request.end &&
      hold.mode === request.mode;
    if (!matches || hold.status !== 'held') {
      throw new BookingRuleError(BookingErrorCode.HOLD_NOT_USABLE, 'holdId must be your own live hold on the same instrument, time and mode');
    }
    if (hold.hold_expires_at!.getTime() <= now.getTime()) {
      await this.lapse(manager, hold.id);
      return (await this.claim(manager, user, { ...request, status: null })).booking.id;
    }
    const instrument = await loadBookableInstrument(manager, hold.instrument_id);
    const rules = await loadBookingRules(manager, instrument.id);
    const status = rules.requiresApproval ? 'pending' : 'confirmed';
    const quote = quoteFee(instrument.fee, { minutes: (request.end - request.start) / 60_000, sampleCount: request.sampleCount, internal: hold.is_internal });
    await manager.query(`UPDATE time_block SET expires_at = NULL WHERE booking_id = $1`, [hold.id]);
    await manager.query(
      `UPDATE booking SET status = $2, hold_expires_at = NULL, purpose = $3, sample_count = $4, notes = $5, quote_fen = $6,
                          version = version + 1, updated_at = now() WHERE id = $1`,
      [hold.id, status, request.purpose, request.sampleCount, request.notes, quote?.amountFen ?? null],
    );
    await recordTransition(manager, { bookingId: hold.id, type: 'requested', from: 'held', to: status, actorId: user.id });
    await manager.query(`UPDATE waitlist_entry SET status = 'booked', updated_at = now() WHERE offered_booking_id = $1 AND status = 'offered'`, [hold.id]);
    return hold.id;
  }

  /** The 409 answer: the interval in the way (with its buffer), never whose it is. */
  private async clashError(manager: EntityManager, instrumentId: string, wanted: Interval, now: Date, ownBookingId: string | null): Promise<ConflictError> {
    const [clash]: { start: Date; end: Date }[] = await manager.query(
      `SELECT lower(during) AS start, upper(during) AS end FROM time_block
       WHERE instrument_id = $1 AND during && tstzrange($2, $3) AND (expires_at IS NULL OR expires_at > $4)
         AND booking_id IS DISTINCT FROM $5
       ORDER BY lower(during) LIMIT 1`,
      [instrumentId, new Date(wanted.start), new Date(wanted.end), now, ownBookingId],
    );
    return clashConflict(clash ? { start: clash.start.getTime(), end: clash.end.getTime() } : wanted);
  }

  /** Expired holds in the way stop blocking now, so the claim does not depend on the sweeper's timing. */
  private async lapseExpiredHolds(manager: EntityManager, instrumentId: string, range: Interval, now: Date): Promise<number> {
    const expired: { booking_id: string }[] = await manager.query(
      `SELECT booking_id FROM time_block
       WHERE instrument_id = $1 AND during && tstzrange($2, $3) AND expires_at <= $4 AND booking_id IS NOT NULL`,
      [instrumentId, new Date(range.start), new Date(range.end), now],
    );
    for (const { booking_id } of expired) await this.lapse(manager, booking_id);
    return expired.length;
  }

  /**
   * One statement (status, audit row, outbox message, the waitlist offer it was, if any), so it is
   * atomic even outside a transaction. Returns the instrument whose time it gave back.
   */
  private async lapse(manager: EntityManager, bookingId: string): Promise<string> {
    const [row]: { instrument_id: string | null }[] = await manager.query(
      `WITH lapsed AS (
         UPDATE booking SET status = 'lapsed', hold_expires_at = NULL, version = version + 1, updated_at = now()
         FROM (SELECT set_config('app.actor_id', '', true)) AS actor
         WHERE id = $1 AND status = 'held' RETURNING id AS booking_id, instrument_id),
       ${transitionCtes('lapsed', { type: `'lapsed'::text`, from: `'held'::text`, to: `'lapsed'::text`, actor: 'NULL::uuid', reason: 'NULL::text', data: `'{}'::jsonb` })},
       offer_expired AS (
         UPDATE waitlist_entry SET status = 'expired', updated_at = now()
         WHERE offered_booking_id IN (SELECT booking_id FROM lapsed) AND status = 'offered')
       SELECT (SELECT instrument_id FROM lapsed) AS instrument_id`,
      [bookingId],
    );
    return row?.instrument_id ?? '';
  }

  // --- rules -----------------------------------------------------------------------------------

  private assertMayBook(context: ClaimContext, request: ClaimRequest): void {
    const { instrument, suspension } = context;
    if (!instrument.serviceModes.includes(request.mode)) {
      throw new BookingRuleError(BookingErrorCode.MODE_NOT_OFFERED, `This instrument does not offer ${request.mode}`, { offered: instrument.serviceModes });
    }
    if (suspension) {
      throw new DomainError(BookingErrorCode.BOOKING_SUSPENDED, `Self-service booking is suspended: ${suspension.reason}`, HttpStatus.FORBIDDEN, {
        until: suspension.endsAt.toISOString(),
        reason: suspension.reason,
      });
    }
    if (request.mode === 'self_operated' && !context.qualified) {
      throw new BookingRuleError(
        BookingErrorCode.QUALIFICATION_REQUIRED,
        'Operating this instrument yourself needs training recorded by its lab; book sample submission or ask the lab',
      );
    }
  }

  private async assertFitsRules(manager: EntityManager, instrument: BookableInstrument, rules: BookingRules, booking: Interval, now: Date): Promise<void> {
    const around = { start: booking.start - DAY_MS, end: booking.end + DAY_MS };
    const open = openIntervals(await loadOpeningRules(manager, instrument, around), around);
    const violation = ruleViolation({ timeZone: instrument.timeZone, open, rules, now: now.getTime() }, booking);
    if (violation) throw new BookingRuleError(violation, RULE_MESSAGES[violation]);
  }

  /** Serializes one user's claims on one instrument, so two concurrent requests cannot both pass the caps. */
  private async lockUserOnInstrument(manager: EntityManager, userId: string, instrumentId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`booking-caps:${userId}:${instrumentId}`]);
  }

  /** Per-user caps on one instrument, per local day and local week (Monday to Sunday) of the start. */
  private async assertWithinCaps(
    manager: EntityManager,
    userId: string,
    instrument: BookableInstrument,
    rules: BookingRules,
    booking: Interval,
    excludeBookingId: string | null,
  ): Promise<void> {
    const local = DateTime.fromMillis(booking.start, { zone: instrument.timeZone });
    const caps: [number | null, DateTime, DateTime, BookingErrorCode, string][] = [
      [rules.maxMinutesPerDay, local.startOf('day'), local.startOf('day').plus({ days: 1 }), BookingErrorCode.DAILY_LIMIT_EXCEEDED, 'day'],
      [rules.maxMinutesPerWeek, local.startOf('week'), local.startOf('week').plus({ weeks: 1 }), BookingErrorCode.WEEKLY_LIMIT_EXCEEDED, 'week'],
    ];
    for (const [cap, from, to, code, period] of caps) {
      if (cap === null) continue;
      const [{ minutes }]: { minutes: number }[] = await manager.query(
        `SELECT coalesce(sum(extract(epoch FROM (least(ends_at, $4) - greatest(starts_at, $3))) / 60), 0)::float8 AS minutes
         FROM booking
         WHERE user_id = $1 AND instrument_id = $2 AND status IN ('held', 'pending', 'confirmed', 'in_use')
           AND starts_at < $4 AND ends_at > $3 AND id IS DISTINCT FROM $5`,
        [userId, instrument.id, from.toJSDate(), to.toJSDate(), excludeBookingId],
      );
      const wanted = (Math.min(booking.end, to.toMillis()) - Math.max(booking.start, from.toMillis())) / 60_000;
      if (minutes + wanted > cap) {
        throw new BookingRuleError(code, `At most ${cap} minutes per ${period} on this instrument`, { limitMinutes: cap, bookedMinutes: minutes });
      }
    }
  }

  private async suspendAfterRepeatedNoShows(manager: EntityManager, userId: string, now: Date): Promise<void> {
    const windowStart = new Date(now.getTime() - this.config.NO_SHOW_WINDOW_DAYS * DAY_MS);
    const [{ count }]: { count: number }[] = await manager.query(
      `SELECT count(*)::int AS count FROM booking WHERE user_id = $1 AND status = 'no_show' AND starts_at >= $2`,
      [userId, windowStart],
    );
    if (count < this.config.NO_SHOW_LIMIT) return;
    const active = await manager.query(`SELECT 1 FROM booking_suspension WHERE user_id = $1 AND ends_at > $2`, [userId, now]);
    if (active.length > 0) return;
    const reason = `${count} no-shows within ${this.config.NO_SHOW_WINDOW_DAYS} days`;
    await manager.query(`INSERT INTO booking_suspension (user_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, $4)`, [
      userId,
      now,
      new Date(now.getTime() + this.config.SUSPENSION_DAYS * DAY_MS),
      reason,
    ]);
    await manager.query(`INSERT INTO outbox_message (topic, payload) VALUES ('user.suspended', $1)`, [
      JSON.stringify({ userId, reason, until: new Date(now.getTime() + this.config.SUSPENSION_DAYS * DAY_MS).toISOString() }),
    ]);
  }

  // --- plumbing --------------------------------------------------------------------------------

  /**
   * Runs a command on one locked booking and answers with the booking as it is afterwards. A
   * command may return an error instead of throwing it: what it wrote is committed, then the
   * error is the answer (a request found expired is recorded as expired, and the approval refused).
   */
  private async command(
    user: AuthUser,
    id: string,
    work: (manager: EntityManager, booking: BookingRecord, instrument: BookableInstrument, now: Date) => Promise<DomainError | void>,
  ): Promise<BookingResponseDto> {
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const booking = await loadBookingRecord(manager, id, { lock: true });
      const instrument = await loadBookableInstrument(manager, booking.instrument_id);
      // Bookings the caller may not see answer like unknown ones.
      if (!this.access.canSeePersonalDetails(user, instrument, booking.user_id)) throw new NotFoundError('Booking', id);
      const refusal = await work(manager, booking, instrument, this.clock.now());
      return refusal ?? (await this.view(manager, user, id));
    });
    if (outcome instanceof DomainError) throw outcome;
    return outcome;
  }

  private assertStatus(booking: BookingRecord, allowed: BookingStatus[]): void {
    if (!allowed.includes(booking.status)) {
      throw new ConflictError(BookingErrorCode.INVALID_TRANSITION, `Not possible while the booking is ${booking.status}`, {
        status: booking.status,
        allowedFrom: allowed,
      });
    }
  }

  private async changeStatus(
    manager: EntityManager,
    booking: BookingRecord,
    to: BookingStatus,
    actorId: string | null,
    type: string,
    reason?: string | null,
    data?: Record<string, unknown>,
  ): Promise<void> {
    // The actor is handed to the trigger that releases a voucher reservation (the ledger records who).
    await manager.query(
      `UPDATE booking SET status = $2, hold_expires_at = NULL, version = version + 1, updated_at = now()
       FROM (SELECT set_config('app.actor_id', $3, true)) AS actor WHERE id = $1`,
      [booking.id, to, actorId ?? ''],
    );
    await recordTransition(manager, { bookingId: booking.id, type, from: booking.status, to, actorId, reason, data });
    if (TAKES_TIME.includes(booking.status) && !TAKES_TIME.includes(to)) {
      if (booking.status === 'held') await manager.query(`UPDATE waitlist_entry SET status = 'declined', updated_at = now() WHERE offered_booking_id = $1 AND status = 'offered'`, [booking.id]);
      await this.offerToWaitlist(manager, booking.instrument_id);
    }
  }

  private async touch(manager: EntityManager, bookingId: string): Promise<void> {
    await manager.query(`UPDATE booking SET version = version + 1, updated_at = now() WHERE id = $1`, [bookingId]);
  }

  private async recordIdempotencyKey(manager: EntityManager, user: AuthUser, key: string | undefined, bookingId: string): Promise<void> {
    if (key === undefined) return;
    await manager.query(`UPDATE idempotency_key SET booking_id = $3 WHERE user_id = $1 AND key = $2`, [user.id, key, bookingId]);
  }

  /** Returns the booking id to replay when this key was used before with the same body. */
  private async claimIdempotencyKey(manager: EntityManager, user: AuthUser, key: string, requestHash: string): Promise<string | null> {
    // A concurrent request with the same key waits here until the first commits (or rolls back).
    const inserted = await manager.query(
      `INSERT INTO idempotency_key (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
      [user.id, key, requestHash],
    );
    if (inserted.length > 0) return null;
    const [existing]: { request_hash: string; booking_id: string | null }[] = await manager.query(
      `SELECT request_hash, booking_id FROM idempotency_key WHERE user_id = $1 AND key = $2`,
      [user.id, key],
    );
    if (!existing || existing.request_hash !== requestHash || existing.booking_id === null) {
      throw new BookingRuleError(BookingErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used for a different request');
    }
    return existing.booking_id;
  }

  private times(dto: { start: string; end: string }): Interval {
    const start = Date.parse(dto.start);
    const end = Date.parse(dto.end);
    if (!(end > start)) throw new ValidationFailedError([{ field: 'end', messages: ['end must be after start'] }]);
    return { start, end };
  }

  /** The whole series a booking belongs to, in date order. */
  private async series(manager: EntityManager, user: AuthUser, anyBookingId: string): Promise<RecurringBookingResponseDto> {
    const rows: { id: string; recurrence_id: string }[] = await manager.query(
      `SELECT b.id, b.recurrence_id FROM booking b
       WHERE b.recurrence_id = (SELECT recurrence_id FROM booking WHERE id = $1) ORDER BY b.starts_at`,
      [anyBookingId],
    );
    const bookings: BookingResponseDto[] = [];
    for (const row of rows) bookings.push(await this.view(manager, user, row.id));
    return { recurrenceId: rows[0].recurrence_id, bookings };
  }

  private async view(manager: EntityManager, user: AuthUser, id: string): Promise<BookingResponseDto> {
    const booking = await loadBookingRecord(manager, id);
    const instrument = { institutionId: booking.institution_id, regionCode: booking.region_code };
    return toBookingResponse(booking, this.access.canSeePersonalDetails(user, instrument, booking.user_id));
  }
}

/** The 409 answer: the interval in the way (with its buffer), never whose it is. */
function clashConflict(taken: Interval): ConflictError {
  return new ConflictError(BookingErrorCode.SLOT_TAKEN, 'This time is already taken on the instrument', {
    clash: { start: new Date(taken.start).toISOString(), end: new Date(taken.end).toISOString() },
  });
}

function requireReason(reason: string | undefined, message: string): string {
  if (!reason) throw new BookingRuleError(BookingErrorCode.REASON_REQUIRED, message);
  return reason;
}

/** Stable JSON of a request body: keys sorted, so the same body always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
