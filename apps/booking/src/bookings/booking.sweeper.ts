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
    this.running = this.sweep().finally(() => (this.running = null));
  }

  /** Each step on its own: one that fails (and is retried next time) does not hold up the others. */
  private async sweep(): Promise<void> {
    await this.step('holds and requests', async () => {
      const { lapsed, expired } = await this.bookings.sweep();
      if (lapsed + expired > 0) this.logger.log(`${lapsed} holds lapsed, ${expired} requests expired`);
    });
    await this.step('vouchers', async () => {
      const { released, expired } = await this.vouchers.expireDue();
      if (released + expired > 0) this.logger.log(`${released} stale voucher reservations released, unused quota of ${expired} grants expired`);
    });
    await this.step('busy-time change log', () => this.schedules.pruneChanges());
  }

  private async step(name: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.logger.warn(`booking sweep (${name}) failed: ${(error as Error).message}`);
    }
  }
}
