import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@app/common';
import { inTransaction } from '@app/db';

/**
 * At the end of a program's validity the unused quota of its grants expires (an 'expire' entry per
 * grant). Reserved money is not touched: it is redeemed or released with its booking, and what is
 * released after the end expires at the next sweep. Every replica may run it: grants are taken with
 * SKIP LOCKED and the balance is read under the lock, so nothing expires twice.
 */
@Injectable()
export class VoucherExpiry {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Expires what is due now; returns how many grants lost quota. Run by the booking sweeper. */
  expireDue(): Promise<number> {
    return inTransaction(this.dataSource, async (manager) => {
      const expired: unknown[] = await manager.query(
        `WITH due AS (
           SELECT id, available_fen FROM voucher_grant
           WHERE expires_at <= $1 AND available_fen > 0 AND status = 'approved'
           ORDER BY expires_at FOR UPDATE SKIP LOCKED LIMIT 1000)
         INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, reason, operation_key)
         SELECT g.id, g.program_id, g.enterprise_id, 'expire', due.available_fen, 'validity ended',
                'expire:' || g.id || ':' || (SELECT count(*) FROM voucher_ledger_entry e WHERE e.grant_id = g.id AND e.kind = 'expire')
         FROM due JOIN voucher_grant g ON g.id = due.id
         RETURNING id`,
        [this.clock.now()],
      );
      return expired.length;
    });
  }
}
