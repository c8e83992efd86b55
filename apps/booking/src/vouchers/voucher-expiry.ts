import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@app/common';
import { AppConfig } from '@app/config';
import { inTransaction } from '@app/db';

/**
 * At the end of a program's validity the unused quota of its grants expires (an 'expire' entry per
 * grant). Reserved money is not touched: it is redeemed or released with its booking, and what is
 * released after the end expires at the next sweep. A reservation on a booking nobody closed
 * (still confirmed or in use VOUCHER_RESERVATION_STALE_DAYS after its end) is released first, so
 * no money stays reserved for ever. Every replica may run it: rows are taken with SKIP LOCKED and
 * read under the lock, and each entry's key makes a repeat move nothing.
 */
@Injectable()
export class VoucherExpiry {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Releases stale reservations, then expires what is due now; returns how many entries each wrote. */
  async expireDue(): Promise<{ released: number; expired: number }> {
    const now = this.clock.now();
    const released = await inTransaction(this.dataSource, async (manager) => {
      const entries: unknown[] = await manager.query(
        `WITH stale AS (
           SELECT v.booking_id, v.grant_id, v.reserved_fen, v.attempt FROM booking_voucher v JOIN booking b ON b.id = v.booking_id
           WHERE v.status = 'reserved' AND b.status IN ('confirmed', 'in_use') AND b.ends_at <= $1
           ORDER BY v.booking_id FOR UPDATE OF v SKIP LOCKED LIMIT 1000),
         released AS (
           UPDATE booking_voucher v SET status = 'released', updated_at = now() FROM stale WHERE v.booking_id = stale.booking_id
           RETURNING stale.booking_id, stale.grant_id, stale.reserved_fen, stale.attempt)
         INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, booking_id, reason, operation_key)
         SELECT g.id, g.program_id, g.enterprise_id, 'release', r.reserved_fen, r.booking_id, 'booking not closed within ' || $2::int || ' days of its end',
                'release:' || r.booking_id || ':' || r.attempt
         FROM released r JOIN voucher_grant g ON g.id = r.grant_id WHERE r.reserved_fen > 0
         ON CONFLICT ON CONSTRAINT voucher_ledger_operation_key DO NOTHING
         RETURNING id`,
        [new Date(now.getTime() - this.config.VOUCHER_RESERVATION_STALE_DAYS * 86_400_000), this.config.VOUCHER_RESERVATION_STALE_DAYS],
      );
      return entries.length;
    });
    const expired = await inTransaction(this.dataSource, async (manager) => {
      // The key carries the grant's expired sum read under the lock: it grows with every expiry, so it never repeats.
      const entries: unknown[] = await manager.query(
        `WITH due AS (
           SELECT id, program_id, enterprise_id, available_fen, expired_fen FROM voucher_grant
           WHERE expires_at <= $1 AND available_fen > 0 AND status = 'approved'
           ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1000)
         INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, reason, operation_key)
         SELECT id, program_id, enterprise_id, 'expire', available_fen, 'validity ended', 'expire:' || id || ':' || expired_fen
         FROM due
         ON CONFLICT ON CONSTRAINT voucher_ledger_operation_key DO NOTHING
         RETURNING id`,
        [now],
      );
      return entries.length;
    });
    return { released, expired };
  }
}
