import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ConflictError, ForbiddenError, NotFoundError } from '@app/common';
import { inTransaction, isWithin, likeBelow } from '@app/db';
import {
  ApplyForVoucherDto,
  GrantAdjustmentDto,
  GrantDecisionDto,
  ListGrantsQuery,
  VoucherBalancesDto,
  VoucherGrantResponseDto,
  VoucherLedgerDto,
  VoucherWalletDto,
} from './dto/voucher.dto';
import type { GrantStatus } from './dto/voucher.dto';
import { VoucherError, VoucherErrorCode, appendLedgerEntry } from './voucher-ledger';
import { holdsGrant, voucherHolderOf } from './voucher-holder';
import type { VoucherHolder } from './voucher-holder';
import { recordVoucherDecision } from './voucher-notices';
import { loadProgram, mayRunProgram } from './voucher-programs.service';
import type { VoucherProgramRow } from './voucher-programs.service';
import { capYear, programStartsAt, yearStart } from './voucher-rules';

interface GrantRow {
  id: string;
  program_id: string;
  program_name: string;
  issuing_region_code: string;
  enterprise_id: string | null;
  enterprise_name: string | null;
  holder_user_id: string | null;
  holder_name: string;
  applicant_id: string;
  requested_fen: string;
  approved_fen: string | null;
  purpose: string;
  status: GrantStatus;
  decision_reason: string | null;
  decided_at: Date | null;
  expires_at: Date;
  available_fen: string;
  reserved_fen: string;
  redeemed_fen: string;
  expired_fen: string;
  created_at: Date;
}

const GRANT_SELECT = `
  SELECT g.*, p.name AS program_name, p.issuing_region_code, e.name_zh AS enterprise_name, coalesce(e.name_zh, h.display_name) AS holder_name
  FROM voucher_grant g JOIN voucher_program p ON p.id = g.program_id
  LEFT JOIN institution e ON e.id = g.enterprise_id LEFT JOIN app_user h ON h.id = g.holder_user_id`;

/**
 * Grants of quota: a small or micro firm (or, where the program allows, an individual) applies under a program, staff of the issuing region
 * approve (possibly less) or reject; an approval puts the amount into the firm's wallet through the
 * ledger. The budget is enforced by PostgreSQL (voucher_program_within_budget) on the program row,
 * which also serializes the approvals of one program, so the per-firm-year sum is read under it.
 */
@Injectable()
export class VoucherGrantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  apply(user: AuthUser, dto: ApplyForVoucherDto, idempotencyKey?: string): Promise<VoucherGrantResponseDto> {
    const requestHash = createHash('sha256').update(JSON.stringify([dto.programId, dto.amountFen, dto.purpose ?? ''])).digest('hex');
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      if (idempotencyKey !== undefined) {
        const replayed = await this.replay(manager, user, idempotencyKey, requestHash);
        if (replayed) return replayed;
      }
      const program = await loadProgram(manager, dto.programId);
      const holder = await this.eligibleHolder(manager, user, program);
      if (program.status !== 'open' || program.expires_at.getTime() <= now.getTime() || programStartsAt(program.valid_from).getTime() > now.getTime()) {
        throw new VoucherError(VoucherErrorCode.PROGRAM_NOT_OPEN, 'The program does not take applications', undefined, HttpStatus.CONFLICT);
      }
      if (dto.amountFen > Number(program.application_cap_fen)) {
        throw new VoucherError(VoucherErrorCode.APPLICATION_CAP_EXCEEDED, 'More than one application may ask for', { capFen: Number(program.application_cap_fen) });
      }
      const grantedThisYear = await this.grantedToHolderInYear(manager, program.id, holder, capYear(now));
      if (grantedThisYear + dto.amountFen > Number(program.firm_year_cap_fen)) {
        throw new VoucherError(VoucherErrorCode.FIRM_YEAR_CAP_EXCEEDED, `More than the ${holder.kind === 'enterprise' ? 'firm' : 'person'} may be granted this year`, {
          capFen: Number(program.firm_year_cap_fen),
          grantedFen: grantedThisYear,
        });
      }
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO voucher_grant (program_id, enterprise_id, holder_user_id, applicant_id, idempotency_key, request_hash, requested_fen, purpose, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          program.id,
          holder.kind === 'enterprise' ? holder.id : null,
          holder.kind === 'individual' ? holder.id : null,
          user.id,
          idempotencyKey ?? null,
          requestHash,
          dto.amountFen,
          dto.purpose ?? '',
          program.expires_at,
        ],
      );
      return toGrantResponse(await loadGrant(manager, id));
    });
  }

  approve(user: AuthUser, id: string, dto: GrantDecisionDto): Promise<VoucherGrantResponseDto> {
    return this.decide(user, id, async (manager, grant, now) => {
      const amount = dto.amountFen ?? Number(grant.requested_fen);
      if (amount > Number(grant.requested_fen)) {
        throw new VoucherError(VoucherErrorCode.APPLICATION_CAP_EXCEEDED, 'An approval may not exceed the amount asked for', { requestedFen: Number(grant.requested_fen) });
      }
      const program = await loadProgram(manager, grant.program_id);
      if (program.status !== 'open' || program.expires_at.getTime() <= now.getTime()) {
        throw new VoucherError(VoucherErrorCode.PROGRAM_NOT_OPEN, 'The program is closed or has expired', undefined, HttpStatus.CONFLICT);
      }
      await this.takeFromBudget(manager, grant.program_id, amount);
      // The program row is locked now: approvals of this program are serialized from here on.
      const year = capYear(now);
      const grantedThisYear = await this.grantedToHolderInYear(manager, grant.program_id, holderOfGrant(grant), year);
      if (grantedThisYear + amount > Number(program.firm_year_cap_fen)) {
        throw new VoucherError(VoucherErrorCode.FIRM_YEAR_CAP_EXCEEDED, 'The holder would be granted more than the yearly cap', {
          capFen: Number(program.firm_year_cap_fen),
          grantedFen: grantedThisYear,
        });
      }
      await manager.query(
        `UPDATE voucher_grant SET status = 'approved', approved_fen = $2, grant_year = $3, decided_by = $4, decided_at = $5, decision_reason = $6, updated_at = now()
         WHERE id = $1`,
        [grant.id, amount, year, user.id, now, dto.reason ?? null],
      );
      await appendLedgerEntry(manager, { grantId: grant.id, kind: 'grant', amountFen: amount, actorId: user.id, reason: dto.reason || 'grant approved', operationKey: `grant:${grant.id}` });
      await recordVoucherDecision(manager, 'voucher.grant_approved', {
        grantId: grant.id,
        applicantId: grant.applicant_id,
        enterpriseId: grant.enterprise_id,
        programName: grant.program_name,
        amountFen: amount,
        expiresAt: grant.expires_at.toISOString(),
        reason: dto.reason ?? null,
        decidedAt: now.toISOString(),
      });
    });
  }

  reject(user: AuthUser, id: string, dto: GrantDecisionDto): Promise<VoucherGrantResponseDto> {
    return this.decide(user, id, async (manager, grant, now) => {
      if (!dto.reason) throw new VoucherError(VoucherErrorCode.REASON_REQUIRED, 'A rejection needs a reason the firm can read');
      await manager.query(
        `UPDATE voucher_grant SET status = 'rejected', decided_by = $2, decided_at = $3, decision_reason = $4, updated_at = now() WHERE id = $1`,
        [grant.id, user.id, now, dto.reason],
      );
      await recordVoucherDecision(manager, 'voucher.grant_rejected', {
        grantId: grant.id,
        applicantId: grant.applicant_id,
        enterpriseId: grant.enterprise_id,
        programName: grant.program_name,
        amountFen: null,
        expiresAt: null,
        reason: dto.reason,
        decidedAt: now.toISOString(),
      });
    });
  }

  /**
   * A correction by staff, with a reason: positive adds quota (within the program budget and the
   * firm's yearly cap, on an open program), negative takes unspent quota back. The Idempotency-Key
   * makes a retried correction move nothing.
   */
  adjust(user: AuthUser, id: string, dto: GrantAdjustmentDto, idempotencyKey: string | undefined): Promise<VoucherGrantResponseDto> {
    if (idempotencyKey === undefined) {
      throw new VoucherError(VoucherErrorCode.IDEMPOTENCY_KEY_REQUIRED, 'An adjustment moves money: send an Idempotency-Key header', undefined, HttpStatus.BAD_REQUEST);
    }
    return inTransaction(this.dataSource, async (manager) => {
      const grant = await loadGrant(manager, id, { lock: true });
      if (!mayRunProgram(user, grant.issuing_region_code)) throw new ForbiddenError('Only staff of the issuing region adjust its grants', VoucherErrorCode.PROGRAM_OUTSIDE_REGION);
      if (grant.status !== 'approved') throw new ConflictError(VoucherErrorCode.INVALID_TRANSITION, 'Only approved grants are adjusted', { status: grant.status });
      const operationKey = `adjust:${grant.id}:${idempotencyKey}`;
      const [previous]: { amount_fen: string }[] = await manager.query(`SELECT amount_fen FROM voucher_ledger_entry WHERE operation_key = $1`, [operationKey]);
      if (previous) {
        if (Number(previous.amount_fen) !== dto.amountFen) throw new VoucherError(VoucherErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used for a different adjustment');
        return toGrantResponse(await loadGrant(manager, id));
      }
      if (dto.amountFen < 0 && -dto.amountFen > Number(grant.available_fen)) {
        throw new VoucherError(VoucherErrorCode.BALANCE_INSUFFICIENT, 'Only unspent, unreserved quota can be taken back', { availableFen: Number(grant.available_fen) });
      }
      const now = this.clock.now();
      if (dto.amountFen > 0) {
        const program = await loadProgram(manager, grant.program_id);
        if (program.status !== 'open' || program.expires_at.getTime() <= now.getTime()) {
          throw new VoucherError(VoucherErrorCode.PROGRAM_NOT_OPEN, 'Quota is added only while the program is open', undefined, HttpStatus.CONFLICT);
        }
        await this.takeFromBudget(manager, grant.program_id, dto.amountFen);
        const grantedThisYear = await this.grantedToHolderInYear(manager, grant.program_id, holderOfGrant(grant), capYear(now));
        if (grantedThisYear + dto.amountFen > Number(program.firm_year_cap_fen)) {
          throw new VoucherError(VoucherErrorCode.FIRM_YEAR_CAP_EXCEEDED, 'The holder would be granted more than the yearly cap', {
            capFen: Number(program.firm_year_cap_fen),
            grantedFen: grantedThisYear,
          });
        }
      } else {
        await this.takeFromBudget(manager, grant.program_id, dto.amountFen);
      }
      await appendLedgerEntry(manager, { grantId: grant.id, kind: 'adjust', amountFen: dto.amountFen, actorId: user.id, reason: dto.reason, operationKey });
      return toGrantResponse(await loadGrant(manager, id));
    });
  }

  async list(user: AuthUser, query: ListGrantsQuery): Promise<VoucherGrantResponseDto[]> {
    const scope = this.scope(user);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    if (query.status) where.push(`g.status = $${params.push(query.status)}`);
    if (query.programId) where.push(`g.program_id = $${params.push(query.programId)}`);
    // Applications waiting for a decision oldest first, so the longest waiting never fall past the limit.
    const order = query.status === 'applied' ? 'g.created_at' : 'g.created_at DESC';
    const rows: GrantRow[] = await this.dataSource.query(`${GRANT_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT 500`, params);
    return rows.map(toGrantResponse);
  }

  async get(user: AuthUser, id: string): Promise<VoucherGrantResponseDto> {
    return toGrantResponse(await this.visibleGrant(user, id));
  }

  /** The caller's wallet: a firm member's enterprise's grants, or an individual's own, and the sums of the approved ones. */
  async wallet(user: AuthUser): Promise<VoucherWalletDto> {
    const holder = voucherHolderOf(user);
    if (!holder) throw new ForbiddenError('Wallets belong to firms and to individuals', VoucherErrorCode.FIRM_NOT_ELIGIBLE);
    const rows: GrantRow[] = await this.dataSource.query(`${GRANT_SELECT} WHERE g.${holder.column} = $1 ORDER BY g.expires_at, g.created_at`, [holder.id]);
    const grants = rows.map(toGrantResponse);
    const totals: VoucherBalancesDto = { availableFen: 0, reservedFen: 0, redeemedFen: 0, expiredFen: 0 };
    for (const grant of grants.filter((candidate) => candidate.status === 'approved')) {
      totals.availableFen += grant.availableFen;
      totals.reservedFen += grant.reservedFen;
      totals.redeemedFen += grant.redeemedFen;
      totals.expiredFen += grant.expiredFen;
    }
    return { totals, grants };
  }

  /** Every movement of one grant, and its balances replayed from them beside the balances kept. */
  async ledger(user: AuthUser, id: string): Promise<VoucherLedgerDto> {
    const grant = await this.visibleGrant(user, id);
    const entries: { id: string; kind: string; amount_fen: string; booking_id: string | null; provider_institution_id: string | null; actor_id: string | null; reason: string; created_at: Date }[] =
      await this.dataSource.query(`SELECT * FROM voucher_ledger_entry WHERE grant_id = $1 ORDER BY id`, [id]);
    const replayed: VoucherBalancesDto = { availableFen: 0, reservedFen: 0, redeemedFen: 0, expiredFen: 0 };
    for (const entry of entries) applyEntry(replayed, entry.kind, Number(entry.amount_fen));
    const view = toGrantResponse(grant);
    return {
      balances: { availableFen: view.availableFen, reservedFen: view.reservedFen, redeemedFen: view.redeemedFen, expiredFen: view.expiredFen },
      replayed,
      entries: entries.map((entry) => ({
        id: Number(entry.id),
        kind: entry.kind,
        amountFen: Number(entry.amount_fen),
        ...(entry.booking_id && { bookingId: entry.booking_id }),
        ...(entry.provider_institution_id && { providerInstitutionId: entry.provider_institution_id }),
        ...(entry.actor_id && { actorId: entry.actor_id }),
        reason: entry.reason,
        createdAt: entry.created_at.toISOString(),
      })),
    };
  }

  // --- plumbing --------------------------------------------------------------------------------

  private async decide(
    user: AuthUser,
    id: string,
    work: (manager: EntityManager, grant: GrantRow, now: Date) => Promise<void>,
  ): Promise<VoucherGrantResponseDto> {
    return inTransaction(this.dataSource, async (manager) => {
      const grant = await loadGrant(manager, id, { lock: true });
      if (!mayRunProgram(user, grant.issuing_region_code)) throw new ForbiddenError('Only staff of the issuing region decide its applications', VoucherErrorCode.PROGRAM_OUTSIDE_REGION);
      if (grant.status !== 'applied') throw new ConflictError(VoucherErrorCode.INVALID_TRANSITION, `The application is ${grant.status} already`, { status: grant.status });
      await work(manager, grant, this.clock.now());
      return toGrantResponse(await loadGrant(manager, id));
    });
  }

  /** Moves the program's granted sum (negative: quota taken back); refuses what would pass the budget (the CHECK is the backstop). */
  private async takeFromBudget(manager: EntityManager, programId: string, amountFen: number): Promise<void> {
    const taken: unknown[] = await manager.query(
      `WITH taken AS (
         UPDATE voucher_program SET granted_fen = granted_fen + $2, updated_at = now()
         WHERE id = $1 AND granted_fen + $2 <= budget_fen AND granted_fen + $2 >= 0 RETURNING id)
       SELECT id FROM taken`,
      [programId, amountFen],
    );
    if (taken.length > 0) return;
    const [program]: { budget_fen: string; granted_fen: string }[] = await manager.query(`SELECT budget_fen, granted_fen FROM voucher_program WHERE id = $1`, [programId]);
    throw new VoucherError(VoucherErrorCode.PROGRAM_BUDGET_EXCEEDED, 'The program budget does not cover this amount', {
      remainingFen: Number(program.budget_fen) - Number(program.granted_fen),
    });
  }

  /**
   * Approved grants of the year plus the year's adjustments (China Standard Time), for the per-firm-year
   * cap, which binds an individual holder as it binds a firm.
   */
  private async grantedToHolderInYear(manager: EntityManager, programId: string, holder: VoucherHolder, year: number): Promise<number> {
    const [{ total }]: { total: string }[] = await manager.query(
      `SELECT (SELECT coalesce(sum(approved_fen), 0) FROM voucher_grant
               WHERE program_id = $1 AND ${holder.column} = $2 AND status = 'approved' AND grant_year = $3)
            + (SELECT coalesce(sum(e.amount_fen), 0) FROM voucher_ledger_entry e
               WHERE e.program_id = $1 AND e.${holder.column} = $2 AND e.kind = 'adjust' AND e.created_at >= $4 AND e.created_at < $5) AS total`,
      [programId, holder.id, year, yearStart(year), yearStart(year + 1)],
    );
    return Number(total);
  }

  /**
   * Who would hold a grant the caller applies for, or why nobody: a member of a small or micro
   * enterprise registered in the program's region applies for the firm; a researcher whose
   * institution is no enterprise (a firm's staff apply through their firm) applies as an
   * individual, if the program admits individuals, with the region of the institution their
   * account is registered with (see the voucher-individuals migration for why that region).
   */
  private async eligibleHolder(manager: EntityManager, user: AuthUser, program: VoucherProgramRow): Promise<VoucherHolder> {
    const holder = voucherHolderOf(user);
    const [institution]: { kind: string; is_small_micro: boolean; region_code: string }[] = await manager.query(
      `SELECT kind, is_small_micro, region_code FROM institution WHERE id = $1`,
      [user.institutionId],
    );
    if (holder?.kind === 'enterprise') {
      if (!institution || institution.kind !== 'enterprise' || !institution.is_small_micro) {
        throw new ForbiddenError('Innovation vouchers are for members of small and micro enterprises', VoucherErrorCode.FIRM_NOT_ELIGIBLE);
      }
      if (!isWithin(institution.region_code, program.issuing_region_code)) {
        throw new VoucherError(VoucherErrorCode.FIRM_NOT_ELIGIBLE, 'The program is for firms registered in its issuing region', {
          firmRegionCode: institution.region_code,
          issuingRegionCode: program.issuing_region_code,
        });
      }
      return holder;
    }
    if (holder?.kind === 'individual' && institution && institution.kind !== 'enterprise') {
      if (!program.allows_individuals) throw new VoucherError(VoucherErrorCode.INDIVIDUALS_NOT_ELIGIBLE, 'The program is for firms only, not for individuals');
      if (!isWithin(institution.region_code, program.issuing_region_code)) {
        throw new VoucherError(VoucherErrorCode.INDIVIDUAL_OUTSIDE_REGION, 'The program is for individuals registered in its issuing region', {
          registeredRegionCode: institution.region_code,
          issuingRegionCode: program.issuing_region_code,
        });
      }
      return holder;
    }
    throw new ForbiddenError('Innovation vouchers are for members of small and micro enterprises and, where a program allows, individuals', VoucherErrorCode.FIRM_NOT_ELIGIBLE);
  }

  private async replay(manager: EntityManager, user: AuthUser, key: string, requestHash: string): Promise<VoucherGrantResponseDto | null> {
    // Serializes two requests with one key: the second waits for the first to commit.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`voucher-apply:${user.id}:${key}`]);
    const [existing]: { id: string; request_hash: string }[] = await manager.query(
      `SELECT id, request_hash FROM voucher_grant WHERE applicant_id = $1 AND idempotency_key = $2`,
      [user.id, key],
    );
    if (!existing) return null;
    if (existing.request_hash !== requestHash) throw new VoucherError(VoucherErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used for a different application');
    return toGrantResponse(await loadGrant(manager, existing.id));
  }

  /** Firms see their enterprise's grants, staff those of programs in their region, admins all. */
  private scope(user: AuthUser): { sql: string; params: unknown[] } {
    switch (user.role) {
      case 'admin':
        return { sql: 'true', params: [] };
      case 'department_staff':
        return { sql: 'p.issuing_region_code LIKE $1', params: [likeBelow(user.regionCode ?? '000000')] };
      default: {
        // A firm sees its enterprise's grants, an individual their own.
        const holder = voucherHolderOf(user);
        if (!holder) throw new ForbiddenError('Voucher grants are seen by their holders and the issuing staff');
        return { sql: `g.${holder.column} = $1`, params: [holder.id] };
      }
    }
  }

  private async visibleGrant(user: AuthUser, id: string): Promise<GrantRow> {
    const grant = await loadGrant(this.dataSource.manager, id);
    const visible = mayRunProgram(user, grant.issuing_region_code) || holdsGrant(user, grant);
    if (!visible) throw new NotFoundError('Voucher grant', id);
    return grant;
  }
}

/** How one ledger entry moves the four balances (the SQL trigger's rule, for replays). */
export function applyEntry(balances: VoucherBalancesDto, kind: string, amountFen: number): void {
  switch (kind) {
    case 'grant':
    case 'adjust':
      balances.availableFen += amountFen;
      break;
    case 'reserve':
      balances.availableFen -= amountFen;
      balances.reservedFen += amountFen;
      break;
    case 'release':
      balances.reservedFen -= amountFen;
      balances.availableFen += amountFen;
      break;
    case 'redeem':
      balances.reservedFen -= amountFen;
      balances.redeemedFen += amountFen;
      break;
    case 'expire':
      balances.availableFen -= amountFen;
      balances.expiredFen += amountFen;
      break;
  }
}

async function loadGrant(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<GrantRow> {
  const [row]: GrantRow[] = await manager.query(`${GRANT_SELECT} WHERE g.id = $1 ${options.lock ? 'FOR UPDATE OF g' : ''}`, [id]);
  if (!row) throw new NotFoundError('Voucher grant', id);
  return row;
}

/** The holder of an existing grant, as voucherHolderOf() names the caller's. */
function holderOfGrant(grant: Pick<GrantRow, 'enterprise_id' | 'holder_user_id'>): VoucherHolder {
  return grant.enterprise_id !== null
    ? { kind: 'enterprise', column: 'enterprise_id', id: grant.enterprise_id }
    : { kind: 'individual', column: 'holder_user_id', id: grant.holder_user_id! };
}

function toGrantResponse(row: GrantRow): VoucherGrantResponseDto {
  return {
    id: row.id,
    programId: row.program_id,
    programName: row.program_name,
    holderKind: row.enterprise_id !== null ? 'enterprise' : 'individual',
    ...(row.enterprise_id !== null && { enterpriseId: row.enterprise_id }),
    ...(row.holder_user_id !== null && { holderUserId: row.holder_user_id }),
    holderName: row.holder_name,
    ...(row.enterprise_name !== null && { enterpriseName: row.enterprise_name }),
    requestedFen: Number(row.requested_fen),
    ...(row.approved_fen !== null && { approvedFen: Number(row.approved_fen) }),
    purpose: row.purpose,
    status: row.status,
    ...(row.decision_reason !== null && { decisionReason: row.decision_reason }),
    ...(row.decided_at && { decidedAt: row.decided_at.toISOString() }),
    expiresAt: row.expires_at.toISOString(),
    availableFen: Number(row.available_fen),
    reservedFen: Number(row.reserved_fen),
    redeemedFen: Number(row.redeemed_fen),
    expiredFen: Number(row.expired_fen),
    createdAt: row.created_at.toISOString(),
  };
}
