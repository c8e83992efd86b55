import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '@app/common';
import { inTransaction, queryPrepared } from '@app/db';
import type { ServiceMode } from '@app/db';
import { BOOKING_VOUCHER_JSON, loadBookingRecord, toBookingResponse } from '../bookings/booking-records';
import type { BookingRecord } from '../bookings/booking-records';
import type { BookingResponseDto } from '../bookings/dto/booking.dto';
import { quoteFee } from '../bookings/fee-quote';
import { bookableInstrumentFromRow, loadBookableInstrument } from '../instruments/bookable-instrument';
import type { BookableInstrument, BookableInstrumentRow } from '../instruments/bookable-instrument';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { BookingQuoteDto, BookingVoucherDto, VoucherOptionDto, VoucherQuoteQuery, VoucherUseDto } from './dto/voucher.dto';
import { VoucherError, VoucherErrorCode, appendLedgerEntry, ledgerError } from './voucher-ledger';
import { voucherHolderOf } from './voucher-holder';
import type { VoucherHolder } from './voucher-holder';
import { programTerms } from './voucher-programs.service';
import type { ProgramTermsRow, VoucherProgramRow } from './voucher-programs.service';
import { orderShareCapFen, voucherRefusal } from './voucher-rules';

/** An order a voucher may pay for: what the caps and eligibility rules look at. */
export interface VoucherOrderContext {
  instrument: BookableInstrument;
  mode: ServiceMode;
  startsAt: Date;
  feeFen: number | null;
}

/** A grant with its program's terms: what decides whether and how much it pays for an order. */
export interface WalletGrantRow extends ProgramTermsRow {
  grant_id: string;
  program_id: string;
  program_name: string;
  available_fen: string;
  grant_expires_at: Date;
  program_starts_at: Date;
}

/** The columns of WalletGrantRow, over voucher_grant g JOIN voucher_program p. */
const WALLET_GRANT_COLUMNS = `
  g.id AS grant_id, g.program_id, p.name AS program_name, g.available_fen, g.expires_at AS grant_expires_at,
  p.eligible_service_modes, p.eligible_category_codes::text[] AS eligible_category_codes, p.accepted_region_codes::text[] AS accepted_region_codes,
  p.full_cover_below_fen, p.share_above_percent, (p.valid_from::timestamp AT TIME ZONE 'Asia/Shanghai') AS program_starts_at`;

/**
 * A booking locked for a voucher command, with its instrument and primary fee line (instrument_fee_unit:
 * booking has a fee_unit of its own), its voucher part, and, when the statement asked for one, the
 * grant locked after it.
 */
type OwnBookingRow = BookingRecord &
  Omit<BookableInstrumentRow, 'id' | 'fee_unit'> & { instrument_fee_unit: BookableInstrumentRow['fee_unit'] } & Partial<WalletGrantRow>;

/**
 * The booking with everything a voucher command on it reads, in one round trip: locked (FOR UPDATE
 * OF b) for detach, which writes in a transaction; read only for the optimistic attach, whose write
 * statement locks and checks the version. With a grant: the approved grant $2 of the caller's wallet $3 (a firm, or the individual) and
 * its program too, as an inner join, so a grant that is not there, or not the firm's, returns no
 * row, and the caller asks again without it to learn why.
 */
function ownBookingStatement(withGrant: VoucherHolder['column'] | null, lock: boolean): string {
  return `
    SELECT b.*, i.time_zone, i.institution_id, i.region_code, ${BOOKING_VOUCHER_JSON} AS voucher,
           i.name_zh, i.category_code, i.sharing_mode, i.service_modes,
           f.unit AS instrument_fee_unit, f.internal_rate_fen, f.external_rate_fen
           ${withGrant ? `, ${WALLET_GRANT_COLUMNS}` : ''}
    FROM booking b JOIN instrument i ON i.id = b.instrument_id
    LEFT JOIN instrument_fee f ON f.instrument_id = i.id AND f.position = 0
    ${withGrant ? `JOIN voucher_grant g ON g.id = $2 AND g.${withGrant} = $3 AND g.status = 'approved' JOIN voucher_program p ON p.id = g.program_id` : ''}
    WHERE b.id = $1
    ${lock ? 'FOR UPDATE OF b' : ''}`;
}
const OWN_BOOKING_LOCKED = ownBookingStatement(null, true);
const OWN_BOOKING = ownBookingStatement(null, false);
/** Per holder column: a firm's grant, or an individual's. */
const OWN_BOOKING_WITH_GRANT = { enterprise_id: ownBookingStatement('enterprise_id', false), holder_user_id: ownBookingStatement('holder_user_id', false) };

/**
 * The payment row and its 'reserve' entry, written for the booking the CTE `target` yields (the
 * entry's trigger moves the balance in the same statement; its CHECK refuses a short one, failing
 * the whole statement). A payment released before is reserved again under the next attempt, so its
 * operation key is new; a live one is left alone and `payment` stays empty. The entry's key is
 * derived from the booking and attempt as appendLedgerEntry's callers derive it, and an existing
 * key moves nothing, as there. Parameters: $2 grant, $3 amount, $4 top-up allowed, $5 provider, $6 actor.
 */
const RESERVATION_WRITES = `
  payment AS (
    INSERT INTO booking_voucher (booking_id, grant_id, status, reserved_fen, allow_top_up, provider_institution_id)
    SELECT target.id, $2, 'reserved', $3, $4, $5 FROM target
    ON CONFLICT (booking_id) DO UPDATE SET grant_id = EXCLUDED.grant_id, attempt = booking_voucher.attempt + 1, status = 'reserved',
      reserved_fen = EXCLUDED.reserved_fen, redeemed_fen = 0, allow_top_up = EXCLUDED.allow_top_up, updated_at = now()
    WHERE booking_voucher.status = 'released'
    RETURNING booking_id, grant_id, attempt),
  entry AS (
    INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, booking_id, actor_id, reason, operation_key)
    SELECT g.id, g.program_id, g.enterprise_id, 'reserve', $3, v.booking_id, $6, 'reserved for a booking', 'reserve:' || v.booking_id || ':' || v.attempt
    FROM payment v JOIN voucher_grant g ON g.id = v.grant_id
    ON CONFLICT ON CONSTRAINT voucher_ledger_operation_key DO NOTHING)`;

/** Within the caller's transaction, which holds the booking ($1) already. */
const INSERT_RESERVATION = `
  WITH target AS (SELECT $1::uuid AS id),
  ${RESERVATION_WRITES}
  SELECT attempt FROM payment`;

/**
 * An attach as one statement, so it needs no transaction around it: the booking is locked and must
 * still be the version that was read ($7) and open for vouchers ($8: now) before anything is
 * written. What the statement saw says why nothing was written.
 */
const ATTACH_RESERVATION = `
  WITH target AS (
    SELECT b.id FROM booking b
    WHERE b.id = $1 AND b.version = $7 AND b.status IN ('held', 'pending', 'confirmed') AND b.starts_at > $8
    FOR UPDATE),
  ${RESERVATION_WRITES}
  SELECT (SELECT count(*) FROM target)::int AS found, (SELECT attempt FROM payment) AS attempt`;

/** How often an attach reads again when what it read changed before it wrote (a status change, a spent balance). */
const ATTACH_ATTEMPTS = 3;

interface PaymentRow {
  booking_id: string;
  grant_id: string;
  attempt: number;
  status: 'reserved' | 'released' | 'redeemed';
  reserved_fen: string;
  allow_top_up: boolean;
  provider_institution_id: string;
}

const BOOKER_STATUSES_FOR_VOUCHERS = ['held', 'pending', 'confirmed'];

/**
 * Paying for bookings by voucher. A request reserves the voucher part in the booking's own
 * transaction (the grant row is locked, so concurrent orders of one firm queue and each sees what
 * the last left); completion redeems it on the actual fee; whatever ends a booking unused releases
 * it (a trigger, see the vouchers migration). Every movement is a ledger entry with a key derived
 * from the booking, so no retry moves money twice.
 */
@Injectable()
export class VoucherPaymentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccessPolicy,
    private readonly clock: Clock,
  ) {}

  /** The fee of an intended booking and what each of the caller's grants could pay of it. */
  async quote(user: AuthUser, query: VoucherQuoteQuery): Promise<BookingQuoteDto> {
    const start = Date.parse(query.start);
    const end = Date.parse(query.end);
    if (!(end > start)) throw new ValidationFailedError([{ field: 'end', messages: ['end must be after start'] }]);
    const manager = this.dataSource.manager;
    const instrument = await loadBookableInstrument(manager, query.instrumentId);
    this.access.assertCanSee(user, instrument);
    const fee = quoteFee(instrument.fee, { minutes: (end - start) / 60_000, sampleCount: query.sampleCount ?? null, internal: user.institutionId === instrument.institutionId });
    const options = await this.options(manager, user, { instrument, mode: query.mode, startsAt: new Date(start), feeFen: fee?.amountFen ?? null });
    const best = options.find((option) => option.coverableFen > 0);
    const voucherFen = best?.coverableFen ?? 0;
    return {
      fee,
      voucherOptions: options,
      ...(best && { bestGrantId: best.grantId }),
      voucherFen,
      payableOtherwiseFen: (fee?.amountFen ?? 0) - voucherFen,
    };
  }

  /** The caller's live grants, each with what it could pay of this order: most first, then expiring first. */
  async options(manager: EntityManager, user: AuthUser, order: VoucherOrderContext): Promise<VoucherOptionDto[]> {
    const holder = voucherHolderOf(user);
    if (!holder) return [];
    const rows: WalletGrantRow[] = await manager.query(
      `SELECT ${WALLET_GRANT_COLUMNS}
       FROM voucher_grant g JOIN voucher_program p ON p.id = g.program_id
       WHERE g.${holder.column} = $1 AND g.status = 'approved' AND g.available_fen > 0 AND g.expires_at > $2`,
      [holder.id, this.clock.now()],
    );
    return rows.map((row) => this.option(row, order, user)).sort((left, right) => right.coverableFen - left.coverableFen || left.expiresAt.localeCompare(right.expiresAt));
  }

  /**
   * Reserves the voucher part of a booking, in the caller's transaction, and returns it as the
   * booking now shows it. Refuses with the reason when the grant does not apply, the amount passes
   * the program's share of the order, or the balance is short. `locked`: grant rows this
   * transaction has read under their lock with no ledger entry written since (their balances are
   * current); the chosen grant is taken from them when it is there, else locked and read now.
   */
  async reserve(
    manager: EntityManager,
    user: AuthUser,
    booking: BookingRecord,
    order: VoucherOrderContext,
    use: VoucherUseDto,
    locked: readonly WalletGrantRow[] = [],
  ): Promise<BookingVoucherDto> {
    const plan = await this.planReservation(manager, user, order, use, locked, true);
    const [payment] = await queryPrepared<{ attempt: number }>(manager, 'voucher-reservation-insert', INSERT_RESERVATION, [
      booking.id,
      plan.grant.grant_id,
      plan.amountFen,
      plan.allowTopUp,
      order.instrument.institutionId,
      user.id,
    ]).catch((error: unknown) => {
      throw ledgerError(error, plan.amountFen);
    });
    if (!payment) throw new ConflictError(VoucherErrorCode.ALREADY_APPLIED, 'This booking is paid by voucher already');
    return plan.voucher;
  }

  /**
   * Which grant pays how much of an order, or the refusal. `known`: grant rows already read (under
   * their lock when `lockOthers`, else as read); a grant not among them is read now, locked when
   * `lockOthers`. Writes nothing.
   */
  private async planReservation(
    manager: EntityManager,
    user: AuthUser,
    order: VoucherOrderContext,
    use: VoucherUseDto,
    known: readonly WalletGrantRow[],
    lockOthers = false,
  ): Promise<{ grant: WalletGrantRow; amountFen: number; allowTopUp: boolean; voucher: BookingVoucherDto }> {
    if (!voucherHolderOf(user)) throw new VoucherError(VoucherErrorCode.NOT_APPLICABLE, 'Only members of small and micro firms and individual holders pay by voucher');
    if (!order.feeFen) throw new VoucherError(VoucherErrorCode.NOT_APPLICABLE, 'This booking has no fee to pay by voucher');
    const grantId = use.grantId ?? (await this.options(manager, user, order)).find((option) => option.coverableFen > 0)?.grantId;
    if (!grantId) throw new VoucherError(VoucherErrorCode.NOT_APPLICABLE, 'None of your vouchers can pay for this booking', { options: await this.options(manager, user, order) });
    const grant = known.find((row) => row.grant_id === grantId) ?? (await this.readGrant(manager, user, grantId, lockOthers));
    if (!grant) throw new VoucherError(VoucherErrorCode.NOT_APPLICABLE, 'grantId is not an approved grant of your wallet', { grantId }, HttpStatus.NOT_FOUND);
    const option = this.option(grant, order, user);
    if (option.refusal) throw new VoucherError(option.refusal, refusalMessage(option.refusal), { grantId });
    const amount = use.amountFen ?? option.coverableFen;
    if (amount > option.orderCapFen) {
      throw new VoucherError(VoucherErrorCode.ORDER_SHARE_EXCEEDED, 'Vouchers may pay at most the program’s share of this order', { orderCapFen: option.orderCapFen, feeFen: order.feeFen });
    }
    if (amount <= 0 || amount > option.availableFen) {
      throw new VoucherError(VoucherErrorCode.BALANCE_INSUFFICIENT, 'The voucher balance does not cover this amount', { availableFen: option.availableFen, wantedFen: amount });
    }
    const allowTopUp = use.allowTopUp ?? false;
    // What BOOKING_VOUCHER_JSON reads back once written, known without reading it.
    const voucher: BookingVoucherDto = { grantId: grant.grant_id, programId: grant.program_id, programName: grant.program_name, status: 'reserved', reservedFen: amount, redeemedFen: 0, allowTopUp };
    return { grant, amountFen: amount, allowTopUp, voucher };
  }

  /** One grant of the caller's wallet with its program's terms (locked when asked: FOR UPDATE OF g); undefined when it is not an approved grant of theirs. */
  private async readGrant(manager: EntityManager, user: AuthUser, grantId: string, lock: boolean): Promise<WalletGrantRow | undefined> {
    const holder = voucherHolderOf(user);
    if (!holder) return undefined;
    const [grant] = await queryPrepared<WalletGrantRow>(
      manager,
      `${lock ? 'voucher-grant-lock' : 'voucher-grant-read'}:${holder.column}`,
      `SELECT ${WALLET_GRANT_COLUMNS}
       FROM voucher_grant g JOIN voucher_program p ON p.id = g.program_id
       WHERE g.id = $1 AND g.${holder.column} = $2 AND g.status = 'approved'
       ${lock ? 'FOR UPDATE OF g' : ''}`,
      [grantId, holder.id],
    );
    return grant;
  }

  /**
   * On completion: redeems the voucher part on the actual fee, within the program's share of it,
   * never above what was reserved unless the firm allowed a top-up; the rest is released.
   */
  async redeemOnCompletion(manager: EntityManager, bookingId: string, finalFeeFen: number | null, actorId: string, now: Date): Promise<void> {
    const [payment]: (PaymentRow & Pick<VoucherProgramRow, 'full_cover_below_fen' | 'share_above_percent'> & { available_fen: string; grant_expires_at: Date })[] = await manager.query(
      `SELECT v.*, p.full_cover_below_fen, p.share_above_percent, g.available_fen, g.expires_at AS grant_expires_at
       FROM booking_voucher v JOIN voucher_grant g ON g.id = v.grant_id JOIN voucher_program p ON p.id = g.program_id
       WHERE v.booking_id = $1 AND v.status = 'reserved' FOR UPDATE OF v, g`,
      [bookingId],
    );
    if (!payment) return;
    const cap = finalFeeFen ? orderShareCapFen({ fullCoverBelowFen: Number(payment.full_cover_below_fen), shareAbovePercent: payment.share_above_percent }, finalFeeFen) : 0;
    let reserved = Number(payment.reserved_fen);
    const key = `${bookingId}:${payment.attempt}`;
    // A top-up draws on quota still valid now; money reserved earlier is redeemed even after the end.
    const topUp = payment.allow_top_up && payment.grant_expires_at.getTime() > now.getTime() ? Math.max(0, Math.min(cap - reserved, Number(payment.available_fen))) : 0;
    if (topUp > 0) {
      await appendLedgerEntry(manager, { grantId: payment.grant_id, kind: 'reserve', amountFen: topUp, bookingId, actorId, reason: 'top-up on actual usage, agreed by the firm', operationKey: `reserve:${key}:top-up` });
      reserved += topUp;
    }
    const redeemed = Math.min(reserved, cap);
    if (reserved > redeemed) {
      await appendLedgerEntry(manager, { grantId: payment.grant_id, kind: 'release', amountFen: reserved - redeemed, bookingId, actorId, reason: 'not used: actual fee below the reservation', operationKey: `release:${key}` });
    }
    if (redeemed > 0) {
      await appendLedgerEntry(manager, {
        grantId: payment.grant_id,
        kind: 'redeem',
        amountFen: redeemed,
        bookingId,
        providerInstitutionId: payment.provider_institution_id,
        actorId,
        reason: 'service completed',
        operationKey: `redeem:${key}`,
      });
    }
    await manager.query(
      `UPDATE booking_voucher SET status = $2, reserved_fen = $3, redeemed_fen = $4, redeemed_at = $5, updated_at = now() WHERE booking_id = $1`,
      [bookingId, redeemed > 0 ? 'redeemed' : 'released', reserved, redeemed, redeemed > 0 ? now : null],
    );
  }

  /**
   * A moved or re-priced booking: a reservation above the program's share of the new fee is cut to
   * it, and one whose grant expires before the new start is given back whole.
   */
  async trimToFee(manager: EntityManager, bookingId: string, order: { feeFen: number | null; startsAt: Date }, actorId: string, version: number): Promise<void> {
    const [payment]: (PaymentRow & Pick<VoucherProgramRow, 'full_cover_below_fen' | 'share_above_percent'> & { grant_expires_at: Date })[] = await manager.query(
      `SELECT v.*, p.full_cover_below_fen, p.share_above_percent, g.expires_at AS grant_expires_at
       FROM booking_voucher v JOIN voucher_grant g ON g.id = v.grant_id JOIN voucher_program p ON p.id = g.program_id
       WHERE v.booking_id = $1 AND v.status = 'reserved' FOR UPDATE OF v`,
      [bookingId],
    );
    if (!payment) return;
    const valid = payment.grant_expires_at.getTime() > order.startsAt.getTime();
    const cap = valid && order.feeFen ? orderShareCapFen({ fullCoverBelowFen: Number(payment.full_cover_below_fen), shareAbovePercent: payment.share_above_percent }, order.feeFen) : 0;
    const excess = Number(payment.reserved_fen) - cap;
    if (excess <= 0) return;
    await appendLedgerEntry(manager, {
      grantId: payment.grant_id,
      kind: 'release',
      amountFen: excess,
      bookingId,
      actorId,
      reason: valid ? 'booking changed: the new fee allows less' : 'booking moved past the voucher’s validity',
      operationKey: `release:${bookingId}:${payment.attempt}:v${version}`,
    });
    await manager.query(`UPDATE booking_voucher SET reserved_fen = $2, status = $3, updated_at = now() WHERE booking_id = $1`, [bookingId, cap, cap > 0 ? 'reserved' : 'released']);
  }

  /**
   * Locks the firm's grants before a booking claims time, so every command that pays by voucher
   * takes the wallet first and the instrument's time second (one order, no deadlock). Returns them
   * as locked, with their programs' terms: until a ledger entry moves a balance in this
   * transaction, reserve() can take its grant from here instead of locking and reading it again.
   */
  async lockWallet(manager: EntityManager, user: AuthUser): Promise<WalletGrantRow[]> {
    const holder = voucherHolderOf(user);
    if (!holder) return [];
    // Locked in id order (the sort runs below the lock), the same order in every transaction.
    return queryPrepared<WalletGrantRow>(
      manager,
      `voucher-wallet-lock:${holder.column}`,
      `SELECT ${WALLET_GRANT_COLUMNS}
       FROM voucher_grant g JOIN voucher_program p ON p.id = g.program_id
       WHERE g.${holder.column} = $1 AND g.status = 'approved'
       ORDER BY g.id FOR UPDATE OF g`,
      [holder.id],
    );
  }

  /** The reservation a booking holds, if any. */
  async reservation(manager: EntityManager, bookingId: string): Promise<{ grantId: string; reservedFen: number } | null> {
    const [payment]: PaymentRow[] = await manager.query(`SELECT * FROM booking_voucher WHERE booking_id = $1 AND status = 'reserved'`, [bookingId]);
    return payment ? { grantId: payment.grant_id, reservedFen: Number(payment.reserved_fen) } : null;
  }

  /**
   * Pays an existing booking of the caller's (held, pending or confirmed, not started) by voucher,
   * optimistically, in two round trips and no transaction: one read of the booking, its
   * instrument, its voucher part and the grant, the checks, then one statement that locks the
   * booking, verifies it is the version read, and writes the payment and its ledger entry (the
   * CHECK on the balance is PostgreSQL's). When the booking changed, or the balance was spent while
   * the amount was left to the caps, it reads again; the answer is built from what was read and written.
   */
  async attach(user: AuthUser, bookingId: string, use: VoucherUseDto): Promise<BookingResponseDto> {
    for (let attempt = 1; ; attempt++) {
      const { booking, instrument, grant } = await this.ownBooking(this.dataSource.manager, user, bookingId, { lock: false, grantId: use.grantId });
      const existing = booking.voucher?.status === 'reserved' ? booking.voucher : null;
      // A retried attach of the same voucher answers as the first did.
      if (existing && (use.grantId === undefined || use.grantId === existing.grantId) && (use.amountFen === undefined || use.amountFen === existing.reservedFen)) {
        return toBookingResponse(booking, true);
      }
      if (existing) throw new ConflictError(VoucherErrorCode.ALREADY_APPLIED, 'This booking is paid by voucher already');
      const order = this.orderOf(booking, instrument);
      const plan = await this.planReservation(this.dataSource.manager, user, order, use, grant ? [grant] : []);
      const last = attempt >= ATTACH_ATTEMPTS;
      let written: { found: number; attempt: number | null } | undefined;
      try {
        [written] = await queryPrepared<{ found: number; attempt: number | null }>(this.dataSource.manager, 'voucher-attach', ATTACH_RESERVATION, [
          booking.id,
          plan.grant.grant_id,
          plan.amountFen,
          plan.allowTopUp,
          instrument.institutionId,
          user.id,
          booking.version,
          this.clock.now(),
        ]);
      } catch (error) {
        const refusal = ledgerError(error, plan.amountFen);
        // The caps chose the amount from a balance spent meanwhile: choose again from the new one.
        if (refusal instanceof VoucherError && use.amountFen === undefined && !last) continue;
        throw refusal;
      }
      // The booking moved on (or a concurrent attach won): read again, and answer as it is now.
      if (!written || written.found === 0 || written.attempt === null) {
        if (!last) continue;
        throw new ConflictError(VoucherErrorCode.INVALID_TRANSITION, 'The booking changed while the voucher was applied; try again');
      }
      return toBookingResponse({ ...booking, voucher: plan.voucher }, true);
    }
  }

  /** Gives the reservation back: the booking stays, paid otherwise. Repeating it changes nothing. */
  detach(user: AuthUser, bookingId: string): Promise<BookingResponseDto> {
    return inTransaction(this.dataSource, async (manager) => {
      const { booking } = await this.ownBooking(manager, user, bookingId, { lock: true });
      const [payment]: PaymentRow[] = await manager.query(`SELECT * FROM booking_voucher WHERE booking_id = $1 AND status = 'reserved' FOR UPDATE`, [booking.id]);
      if (!payment) return toBookingResponse(booking, true);
      await manager.query(`UPDATE booking_voucher SET status = 'released', updated_at = now() WHERE booking_id = $1`, [booking.id]);
      if (Number(payment.reserved_fen) > 0) {
        await appendLedgerEntry(manager, {
          grantId: payment.grant_id,
          kind: 'release',
          amountFen: Number(payment.reserved_fen),
          bookingId: booking.id,
          actorId: user.id,
          reason: 'voucher payment withdrawn by the firm',
          operationKey: `release:${booking.id}:${payment.attempt}`,
        });
      }
      return toBookingResponse(await loadBookingRecord(manager, bookingId), true);
    });
  }

  orderOf(booking: BookingRecord, instrument: BookableInstrument): VoucherOrderContext {
    return { instrument, mode: booking.mode, startsAt: booking.starts_at, feeFen: booking.quote_fen === null ? null : Number(booking.quote_fen) };
  }

  /**
   * The caller's own booking that vouchers may still be applied to or withdrawn from (held,
   * pending or confirmed, not started), with its instrument. `lock`: the booking alone, locked
   * (detach); otherwise read, with grantId that grant of the caller's firm too, when it is an
   * approved grant of theirs (attach).
   */
  private async ownBooking(
    manager: EntityManager,
    user: AuthUser,
    bookingId: string,
    options: { lock: true } | { lock: false; grantId: string | undefined },
  ): Promise<{ booking: BookingRecord; instrument: BookableInstrument; grant?: WalletGrantRow }> {
    const grantId = options.lock ? undefined : options.grantId;
    const holder = voucherHolderOf(user);
    const [withGrant] =
      grantId === undefined || !holder
        ? []
        : await queryPrepared<OwnBookingRow>(manager, `voucher-own-booking-grant:${holder.column}`, OWN_BOOKING_WITH_GRANT[holder.column], [bookingId, grantId, holder.id]);
    // No grant asked for, or none matched (planReservation() then answers why): the booking alone.
    const [row] = withGrant
      ? [withGrant]
      : await queryPrepared<OwnBookingRow>(manager, options.lock ? 'voucher-own-booking-locked' : 'voucher-own-booking', options.lock ? OWN_BOOKING_LOCKED : OWN_BOOKING, [bookingId]);
    if (!row) throw new NotFoundError('Booking', bookingId);
    const instrument = bookableInstrumentFromRow({ ...row, id: row.instrument_id, fee_unit: row.instrument_fee_unit });
    // Bookings the caller may not see answer like unknown ones.
    if (!this.access.canSeePersonalDetails(user, instrument, row.user_id)) throw new NotFoundError('Booking', bookingId);
    if (row.user_id !== user.id) throw new ForbiddenError('Only the user who booked pays it by voucher', 'NOT_BOOKER');
    if (!BOOKER_STATUSES_FOR_VOUCHERS.includes(row.status) || row.starts_at.getTime() <= this.clock.now().getTime()) {
      throw new ConflictError(VoucherErrorCode.INVALID_TRANSITION, 'Vouchers are applied or withdrawn before the booking starts', { status: row.status });
    }
    return { booking: row, instrument, ...(withGrant && { grant: row as WalletGrantRow }) };
  }

  private option(row: WalletGrantRow, order: VoucherOrderContext, caller: AuthUser): VoucherOptionDto & { refusal?: string } {
    const feeFen = order.feeFen ?? 0;
    const refusal =
      voucherRefusal(programTerms(row), {
        feeFen,
        mode: order.mode,
        categoryCode: order.instrument.categoryCode,
        providerRegionCode: order.instrument.regionCode,
        providerIsOwnInstitution: caller.institutionId === order.instrument.institutionId,
      }) ?? validityRefusal(row, order.startsAt);
    const orderCapFen = orderShareCapFen({ fullCoverBelowFen: Number(row.full_cover_below_fen), shareAbovePercent: row.share_above_percent }, feeFen);
    const availableFen = Number(row.available_fen);
    return {
      grantId: row.grant_id,
      programId: row.program_id,
      programName: row.program_name,
      availableFen,
      orderCapFen,
      coverableFen: refusal ? 0 : Math.min(orderCapFen, availableFen),
      expiresAt: row.grant_expires_at.toISOString(),
      ...(refusal && { refusal }),
    };
  }
}

/** The service must fall within the program's validity: after its first day, before the grant expires. */
function validityRefusal(row: Pick<WalletGrantRow, 'grant_expires_at' | 'program_starts_at'>, startsAt: Date): VoucherErrorCode | null {
  if (row.grant_expires_at.getTime() <= startsAt.getTime()) return VoucherErrorCode.GRANT_EXPIRED;
  if (row.program_starts_at.getTime() > startsAt.getTime()) return VoucherErrorCode.NOT_YET_VALID;
  return null;
}

function refusalMessage(code: string): string {
  switch (code) {
    case 'VOUCHER_MODE_NOT_ELIGIBLE':
      return 'The program does not fund this service mode';
    case 'VOUCHER_CATEGORY_NOT_ELIGIBLE':
      return 'The program does not fund this instrument category';
    case 'VOUCHER_PROVIDER_REGION_NOT_ACCEPTED':
      return 'The program does not accept providers in this instrument’s region';
    case 'VOUCHER_OWN_PROVIDER':
      return 'Vouchers pay for services of other institutions, not of your own';
    case 'VOUCHER_GRANT_EXPIRED':
      return 'The voucher expires before this booking starts';
    case 'VOUCHER_NOT_YET_VALID':
      return 'The program is not valid yet when this booking starts';
    default:
      return 'This booking has no fee to pay by voucher';
  }
}
