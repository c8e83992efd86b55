import { HttpStatus } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { SqlState, isSqlState } from '@app/db';

export type VoucherLedgerKind = 'grant' | 'reserve' | 'release' | 'redeem' | 'expire' | 'adjust';

export enum VoucherErrorCode {
  PROGRAM_NOT_OPEN = 'VOUCHER_PROGRAM_NOT_OPEN',
  PROGRAM_OUTSIDE_REGION = 'VOUCHER_PROGRAM_OUTSIDE_REGION',
  PROGRAM_DATES_INVALID = 'VOUCHER_PROGRAM_DATES_INVALID',
  FIRM_NOT_ELIGIBLE = 'VOUCHER_FIRM_NOT_ELIGIBLE',
  INDIVIDUALS_NOT_ELIGIBLE = 'VOUCHER_INDIVIDUALS_NOT_ELIGIBLE',
  INDIVIDUAL_OUTSIDE_REGION = 'VOUCHER_INDIVIDUAL_OUTSIDE_REGION',
  APPLICATION_CAP_EXCEEDED = 'VOUCHER_APPLICATION_CAP_EXCEEDED',
  FIRM_YEAR_CAP_EXCEEDED = 'VOUCHER_FIRM_YEAR_CAP_EXCEEDED',
  PROGRAM_BUDGET_EXCEEDED = 'VOUCHER_PROGRAM_BUDGET_EXCEEDED',
  ORDER_SHARE_EXCEEDED = 'VOUCHER_ORDER_SHARE_EXCEEDED',
  BALANCE_INSUFFICIENT = 'VOUCHER_BALANCE_INSUFFICIENT',
  NOT_APPLICABLE = 'VOUCHER_NOT_APPLICABLE',
  GRANT_EXPIRED = 'VOUCHER_GRANT_EXPIRED',
  NOT_YET_VALID = 'VOUCHER_NOT_YET_VALID',
  INVALID_TRANSITION = 'VOUCHER_INVALID_TRANSITION',
  ALREADY_APPLIED = 'VOUCHER_ALREADY_APPLIED',
  IDEMPOTENCY_KEY_REQUIRED = 'IDEMPOTENCY_KEY_REQUIRED',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  REASON_REQUIRED = 'REASON_REQUIRED',
  NOTHING_TO_CLAIM = 'VOUCHER_NOTHING_TO_CLAIM',
}

export class VoucherError extends DomainError {
  constructor(code: VoucherErrorCode | string, message: string, details?: unknown, status = HttpStatus.UNPROCESSABLE_ENTITY) {
    super(code, message, status, details);
  }
}

export interface VoucherLedgerEntry {
  grantId: string;
  kind: VoucherLedgerKind;
  amountFen: number;
  bookingId?: string | null;
  providerInstitutionId?: string | null;
  actorId: string | null;
  reason: string;
  /** One key per money movement: the same key never moves money twice. */
  operationKey: string;
}

/**
 * Appends one entry; the grant's balances move with it in the same statement (trigger). Returns
 * false when an entry with this operation key exists already (a retry: nothing moved). An entry
 * that would take the available balance below zero is refused by PostgreSQL and answered here.
 */
export async function appendLedgerEntry(manager: EntityManager, entry: VoucherLedgerEntry): Promise<boolean> {
  try {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, booking_id, provider_institution_id, actor_id, reason, operation_key)
       SELECT g.id, g.program_id, g.enterprise_id, $2, $3, $4, $5, $6, $7, $8 FROM voucher_grant g WHERE g.id = $1
       ON CONFLICT ON CONSTRAINT voucher_ledger_operation_key DO NOTHING
       RETURNING id`,
      [entry.grantId, entry.kind, entry.amountFen, entry.bookingId ?? null, entry.providerInstitutionId ?? null, entry.actorId, entry.reason, entry.operationKey],
    );
    return inserted.length > 0;
  } catch (error) {
    throw ledgerError(error, entry.amountFen);
  }
}

/**
 * What to throw for an error of a statement writing ledger entries: the entry PostgreSQL refused
 * because it would take the available balance below zero is answered as a short balance; any
 * other error is passed on as it is.
 */
export function ledgerError(error: unknown, wantedFen: number): unknown {
  if (!isSqlState(error, SqlState.CHECK_VIOLATION, 'voucher_grant_available_not_negative')) return error;
  // The transaction is aborted: nothing more can be read in it.
  return new VoucherError(VoucherErrorCode.BALANCE_INSUFFICIENT, 'The voucher balance does not cover this amount', { wantedFen });
}
