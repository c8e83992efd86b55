import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '@app/common';
import { inTransaction, likeBelow } from '@app/db';
import type { VoucherClaimDecisionPayload } from '@app/queue';
import {
  ClaimDecisionDto,
  ClaimPaymentDto,
  ClaimStatus,
  ListClaimsQuery,
  ReceiptsQuery,
  RedemptionClaimDto,
  SubmitClaimDto,
  VoucherReceiptDto,
  VoucherReceiptsDto,
} from './dto/voucher-claim.dto';
import { VoucherError, VoucherErrorCode } from './voucher-ledger';
import { recordVoucherDecision } from './voucher-notices';
import { loadProgram, mayRunProgram } from './voucher-programs.service';
import { VOUCHER_TIME_ZONE } from './voucher-rules';

interface ReceiptRow {
  booking_id: string;
  instrument_id: string;
  instrument_name: string;
  program_id: string;
  program_name: string;
  holder_name: string;
  by_individual: boolean;
  starts_at: Date;
  effective_minutes: number | null;
  final_fee_fen: string | null;
  redeemed_fen: string;
  redeemed_at: Date;
  claim_id: string | null;
}

interface ClaimRow {
  id: string;
  program_id: string;
  program_name: string;
  issuing_region_code: string;
  provider_institution_id: string;
  provider_name: string;
  period_from: string;
  period_to: string;
  amount_fen: string;
  item_count: number;
  status: ClaimStatus;
  submitted_at: Date;
  decided_at: Date | null;
  decision_reason: string | null;
  paid_at: Date | null;
  payment_reference: string | null;
}

const RECEIPT_SELECT = `
  SELECT v.booking_id, b.instrument_id, i.name_zh AS instrument_name, g.program_id, p.name AS program_name, coalesce(e.name_zh, h.display_name) AS holder_name,
         g.holder_user_id IS NOT NULL AS by_individual,
         b.starts_at, CASE WHEN b.actual_start_at IS NOT NULL AND b.actual_end_at IS NOT NULL
                           THEN ceil(extract(epoch FROM b.actual_end_at - b.actual_start_at) / 60)::int END AS effective_minutes,
         b.final_fee_fen, v.redeemed_fen, v.redeemed_at, v.claim_id
  FROM booking_voucher v
  JOIN booking b ON b.id = v.booking_id
  JOIN instrument i ON i.id = b.instrument_id
  JOIN voucher_grant g ON g.id = v.grant_id
  JOIN voucher_program p ON p.id = g.program_id
  LEFT JOIN institution e ON e.id = g.enterprise_id
  LEFT JOIN app_user h ON h.id = g.holder_user_id`;

const CLAIM_SELECT = `
  SELECT c.id, c.program_id, p.name AS program_name, p.issuing_region_code, c.provider_institution_id, pi.name_zh AS provider_name,
         to_char(c.period_from, 'YYYY-MM-DD') AS period_from, to_char(c.period_to, 'YYYY-MM-DD') AS period_to, c.amount_fen, c.item_count,
         c.status, c.submitted_at, c.decided_at, c.decision_reason, c.paid_at, c.payment_reference
  FROM voucher_redemption_claim c JOIN voucher_program p ON p.id = c.program_id JOIN institution pi ON pi.id = c.provider_institution_id`;

/**
 * What providers received by voucher, and their redemption claims: a lab manager claims the
 * unclaimed receipts of one program over a period (each receipt joins at most one live claim);
 * staff of the issuing region approve or reject it and mark it paid. Received, claimed and paid
 * amounts are kept apart.
 */
@Injectable()
export class VoucherClaimsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async receipts(user: AuthUser, query: ReceiptsQuery): Promise<VoucherReceiptsDto> {
    const providerId = this.providerOf(user);
    const params: unknown[] = [providerId];
    const where = [`v.status = 'redeemed'`, `v.provider_institution_id = $1`];
    if (query.programId) where.push(`g.program_id = $${params.push(query.programId)}`);
    const period = periodBounds(query.from, query.to);
    if (period.start) where.push(`v.redeemed_at >= $${params.push(period.start)}`);
    if (period.end) where.push(`v.redeemed_at < $${params.push(period.end)}`);
    const programs: { program_id: string; program_name: string; received: string; claimed: string; paid: string; unclaimed: string }[] = await this.dataSource.query(
      `SELECT g.program_id, p.name AS program_name, sum(v.redeemed_fen) AS received,
              coalesce(sum(v.redeemed_fen) FILTER (WHERE c.status IN ('submitted', 'approved')), 0) AS claimed,
              coalesce(sum(v.redeemed_fen) FILTER (WHERE c.status = 'paid'), 0) AS paid,
              coalesce(sum(v.redeemed_fen) FILTER (WHERE v.claim_id IS NULL), 0) AS unclaimed
       FROM booking_voucher v JOIN voucher_grant g ON g.id = v.grant_id JOIN voucher_program p ON p.id = g.program_id
       LEFT JOIN voucher_redemption_claim c ON c.id = v.claim_id
       WHERE ${where.join(' AND ')} GROUP BY g.program_id, p.name ORDER BY p.name`,
      params,
    );
    const rows: ReceiptRow[] = await this.dataSource.query(`${RECEIPT_SELECT} WHERE ${where.join(' AND ')} ORDER BY v.redeemed_at DESC LIMIT 1000`, params);
    return {
      programs: programs.map((row) => ({
        programId: row.program_id,
        programName: row.program_name,
        receivedFen: Number(row.received),
        claimedFen: Number(row.claimed),
        paidFen: Number(row.paid),
        unclaimedFen: Number(row.unclaimed),
      })),
      receipts: rows.map(toReceipt),
    };
  }

  submit(user: AuthUser, dto: SubmitClaimDto): Promise<RedemptionClaimDto> {
    const providerId = this.providerOf(user);
    if (dto.to < dto.from) throw new ValidationFailedError([{ field: 'to', messages: ['to must not be before from'] }]);
    const period = periodBounds(dto.from, dto.to);
    return inTransaction(this.dataSource, async (manager) => {
      await loadProgram(manager, dto.programId);
      // Locked and re-checked: a receipt taken by a concurrent claim drops out here.
      const items: { booking_id: string; redeemed_fen: string }[] = await manager.query(
        `SELECT v.booking_id, v.redeemed_fen FROM booking_voucher v JOIN voucher_grant g ON g.id = v.grant_id
         WHERE v.provider_institution_id = $1 AND g.program_id = $2 AND v.status = 'redeemed' AND v.claim_id IS NULL
           AND v.redeemed_at >= $3 AND v.redeemed_at < $4
         ORDER BY v.redeemed_at FOR UPDATE OF v`,
        [providerId, dto.programId, period.start, period.end],
      );
      if (items.length === 0) throw new VoucherError(VoucherErrorCode.NOTHING_TO_CLAIM, 'No unclaimed voucher receipts of this program in the period');
      const amount = items.reduce((sum, item) => sum + Number(item.redeemed_fen), 0);
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO voucher_redemption_claim (program_id, provider_institution_id, period_from, period_to, amount_fen, item_count, submitted_by, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [dto.programId, providerId, dto.from, dto.to, amount, items.length, user.id, this.clock.now()],
      );
      const bookingIds = items.map((item) => item.booking_id);
      await manager.query(
        `INSERT INTO voucher_claim_item (claim_id, booking_id, amount_fen)
         SELECT $1, v.booking_id, v.redeemed_fen FROM booking_voucher v WHERE v.booking_id = ANY($2::uuid[])`,
        [id, bookingIds],
      );
      await manager.query(`UPDATE booking_voucher SET claim_id = $1, updated_at = now() WHERE booking_id = ANY($2::uuid[])`, [id, bookingIds]);
      return this.view(manager, id, true);
    });
  }

  async list(user: AuthUser, query: ListClaimsQuery): Promise<RedemptionClaimDto[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (user.role === 'lab_manager') where.push(`c.provider_institution_id = $${params.push(user.institutionId)}`);
    else if (user.role === 'department_staff') where.push(`p.issuing_region_code LIKE $${params.push(likeBelow(user.regionCode ?? '000000'))}`);
    else if (user.role !== 'admin') throw new ForbiddenError('Redemption claims are seen by providers and the issuing staff');
    if (query.status) where.push(`c.status = $${params.push(query.status)}`);
    const rows: ClaimRow[] = await this.dataSource.query(
      `${CLAIM_SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.submitted_at DESC LIMIT 500`,
      params,
    );
    return rows.map((row) => toClaim(row));
  }

  async get(user: AuthUser, id: string): Promise<RedemptionClaimDto> {
    const claim = await this.loadClaim(this.dataSource.manager, id);
    const visible = mayRunProgram(user, claim.issuing_region_code) || (user.role === 'lab_manager' && user.institutionId === claim.provider_institution_id);
    if (!visible) throw new NotFoundError('Redemption claim', id);
    return this.view(this.dataSource.manager, id, true);
  }

  approve(user: AuthUser, id: string, dto: ClaimDecisionDto): Promise<RedemptionClaimDto> {
    return this.decide(user, id, ['submitted'], async (manager, now, claim) => {
      await manager.query(`UPDATE voucher_redemption_claim SET status = 'approved', decided_by = $2, decided_at = $3, decision_reason = $4 WHERE id = $1`, [
        id,
        user.id,
        now,
        dto.reason ?? null,
      ]);
      await recordVoucherDecision(manager, 'voucher.claim_approved', claimDecision(claim, now, { reason: dto.reason ?? null }));
    });
  }

  /** A rejected claim frees its receipts for a corrected claim; its items stay on record. */
  reject(user: AuthUser, id: string, dto: ClaimDecisionDto): Promise<RedemptionClaimDto> {
    return this.decide(user, id, ['submitted', 'approved'], async (manager, now, claim) => {
      if (!dto.reason) throw new VoucherError(VoucherErrorCode.REASON_REQUIRED, 'A rejection needs a reason the provider can read');
      await manager.query(`UPDATE voucher_redemption_claim SET status = 'rejected', decided_by = $2, decided_at = $3, decision_reason = $4 WHERE id = $1`, [
        id,
        user.id,
        now,
        dto.reason,
      ]);
      await manager.query(`UPDATE booking_voucher SET claim_id = NULL, updated_at = now() WHERE claim_id = $1`, [id]);
      await recordVoucherDecision(manager, 'voucher.claim_rejected', claimDecision(claim, now, { reason: dto.reason }));
    });
  }

  pay(user: AuthUser, id: string, dto: ClaimPaymentDto): Promise<RedemptionClaimDto> {
    return this.decide(user, id, ['approved'], async (manager, now, claim) => {
      await manager.query(`UPDATE voucher_redemption_claim SET status = 'paid', paid_by = $2, paid_at = $3, payment_reference = $4 WHERE id = $1`, [
        id,
        user.id,
        now,
        dto.paymentReference,
      ]);
      await recordVoucherDecision(manager, 'voucher.claim_paid', claimDecision(claim, now, { paymentReference: dto.paymentReference }));
    });
  }

  private async decide(
    user: AuthUser,
    id: string,
    from: ClaimStatus[],
    work: (manager: EntityManager, now: Date, claim: ClaimRow) => Promise<void>,
  ): Promise<RedemptionClaimDto> {
    return inTransaction(this.dataSource, async (manager) => {
      const claim = await this.loadClaim(manager, id, { lock: true });
      if (!mayRunProgram(user, claim.issuing_region_code)) throw new ForbiddenError('Only staff of the issuing region decide its claims', VoucherErrorCode.PROGRAM_OUTSIDE_REGION);
      if (!from.includes(claim.status)) throw new ConflictError(VoucherErrorCode.INVALID_TRANSITION, `The claim is ${claim.status}`, { status: claim.status, allowedFrom: from });
      await work(manager, this.clock.now(), claim);
      return this.view(manager, id, false);
    });
  }

  private providerOf(user: AuthUser): string {
    if (user.role !== 'lab_manager' || !user.institutionId) throw new ForbiddenError('Lab managers see and claim what their institution received by voucher');
    return user.institutionId;
  }

  private async loadClaim(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<ClaimRow> {
    const [row]: ClaimRow[] = await manager.query(`${CLAIM_SELECT} WHERE c.id = $1 ${options.lock ? 'FOR UPDATE OF c' : ''}`, [id]);
    if (!row) throw new NotFoundError('Redemption claim', id);
    return row;
  }

  private async view(manager: EntityManager, id: string, withItems: boolean): Promise<RedemptionClaimDto> {
    const claim = await this.loadClaim(manager, id);
    if (!withItems) return toClaim(claim);
    const items: ReceiptRow[] = await manager.query(
      `${RECEIPT_SELECT} JOIN voucher_claim_item ci ON ci.booking_id = v.booking_id WHERE ci.claim_id = $1 ORDER BY v.redeemed_at`,
      [id],
    );
    return toClaim(claim, items.map(toReceipt));
  }
}

/** What the provider's lab managers are told of a decision on their claim. */
function claimDecision(claim: ClaimRow, now: Date, facts: { reason?: string | null; paymentReference?: string }): VoucherClaimDecisionPayload {
  return {
    claimId: claim.id,
    providerInstitutionId: claim.provider_institution_id,
    programName: claim.program_name,
    amountFen: Number(claim.amount_fen),
    periodFrom: claim.period_from,
    periodTo: claim.period_to,
    reason: facts.reason ?? null,
    paymentReference: facts.paymentReference ?? null,
    decidedAt: now.toISOString(),
  };
}

/** Local days in China Standard Time as instants: [start of from, start of the day after to). */
function periodBounds(from: string | undefined, to: string | undefined): { start: Date | null; end: Date | null } {
  const day = (date: string) => DateTime.fromISO(date, { zone: VOUCHER_TIME_ZONE }).startOf('day');
  return { start: from ? day(from).toJSDate() : null, end: to ? day(to).plus({ days: 1 }).toJSDate() : null };
}

function toReceipt(row: ReceiptRow): VoucherReceiptDto {
  return {
    bookingId: row.booking_id,
    instrumentId: row.instrument_id,
    instrumentName: row.instrument_name,
    programId: row.program_id,
    programName: row.program_name,
    holderName: row.holder_name,
    holderKind: row.by_individual ? 'individual' : 'enterprise',
    ...(!row.by_individual && { firmName: row.holder_name }),
    start: row.starts_at.toISOString(),
    ...(row.effective_minutes !== null && { effectiveMinutes: row.effective_minutes }),
    ...(row.final_fee_fen !== null && { finalFeeFen: Number(row.final_fee_fen) }),
    amountFen: Number(row.redeemed_fen),
    redeemedAt: row.redeemed_at.toISOString(),
    ...(row.claim_id && { claimId: row.claim_id }),
  };
}

function toClaim(row: ClaimRow, items?: VoucherReceiptDto[]): RedemptionClaimDto {
  return {
    id: row.id,
    programId: row.program_id,
    programName: row.program_name,
    providerInstitutionId: row.provider_institution_id,
    providerName: row.provider_name,
    from: row.period_from,
    to: row.period_to,
    amountFen: Number(row.amount_fen),
    itemCount: row.item_count,
    status: row.status,
    submittedAt: row.submitted_at.toISOString(),
    ...(row.decided_at && { decidedAt: row.decided_at.toISOString() }),
    ...(row.decision_reason !== null && { decisionReason: row.decision_reason }),
    ...(row.paid_at && { paidAt: row.paid_at.toISOString() }),
    ...(row.payment_reference !== null && { paymentReference: row.payment_reference }),
    ...(items && { items }),
  };
}
