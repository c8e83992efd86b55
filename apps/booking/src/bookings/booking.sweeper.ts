import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { ScheduleIndex } from '../availability/schedule-index';
import { VoucherExpiry } from '../vouchers/voucher-expiry';
import { BookingsService } from './bookings.service';

/**
 * Lapses holds and expires undecided requests whose time has come, and releases stale voucher
 * reservations and expires voucher quota whose validity ended, and prunes the busy-time change log
 * (ScheduleIndex), every BOOKING_SWEEP_SECONDS.
 * Claims never wait for it (they lapse expired holds in their way themselves); it keeps lists and
 * notices current. Every replica may run it: rows are taken with SKIP LOCKED and each change is
 * made once.
 */
@Injectable()
export class BookingSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BookingSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly bookings: BookingsService,
    private readonly vouchers: VoucherExpiry,
    private readonly schedules: ScheduleIndex,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.BOOKING_SWEEP_SECONDS === 0) return;
    this.timer = setInterval(() => this.tick(), this.config.BOOKING_SWEEP_SECONDS * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.bookings
      .sweep()
      .then(({ lapsed, expired }) => {
        if (lapsed + expired > 0) this.logger.log(`${lapsed} holds lapsed, ${expired} requests expired`);
      })
      .then(() => this.vouchers.expireDue())
      .then(({ released, expired }) => {
        if (released + expired > 0) this.logger.log(`${released} stale voucher reservations released, unused quota of ${expired} grants expired`);
      })
      .then(() => this.schedules.pruneChanges())
      .catch((error: Error) => this.logger.warn(`booking sweep failed: ${error.message}`))
      .finally(() => (this.running = null));
  }
}
