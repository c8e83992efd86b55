import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, withTimeout } from '@app/common';
import { AppConfig } from '@app/config';
import type { Language } from '@app/db';
import { WorkerMetrics } from '../operations/worker-metrics';
import { NotificationChannel } from './channels/notification-channel';
import { NotificationKind, renderNotification } from './notification-templates';
import type { VoucherNoticeFacts } from './notification-templates';
import { DueNotification, NotificationQueue } from './notification-queue';

interface ClaimedNotification {
  id: string;
  kind: NotificationKind;
  generation: number;
  attempts: number;
  data: { offsetMinutes?: number; startsEpoch?: number; reason?: string | null; waitedHours?: number; until?: string; voucher?: VoucherNoticeFacts };
  email: string;
  language: Language;
  recipient_name: string;
  booking_status: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  hold_expires_at: Date | null;
  decision_reason: string | null;
  cancellation_reason: string | null;
  cancellation_fee_fen: string | null;
  name_zh: string | null;
  name_en: string | null;
  time_zone: string | null;
  booker_name: string | null;
}

export type DeliveryOutcome = 'sent' | 'skipped' | 'obsolete' | 'retrying' | 'failed';

/** Longest a channel may take for one message before the attempt counts as failed. */
const SEND_TIMEOUT_MS = 60_000;

/**
 * Sends one notification at most once per claim. The claim (pending -> sending, with a lease) is
 * taken in PostgreSQL before the channel is called, and the send is recorded right after the
 * channel accepted it, before the job is acknowledged. A duplicated or re-run job finds the row no
 * longer pending and does nothing. The one window left: the process dies after the SMTP server
 * accepted the message and before `sent` is written (one UPDATE, about a millisecond); the lease then
 * expires and the message goes out again, with the same Message-ID so mail systems can drop it.
 */
@Injectable()
export class NotificationSender {
  private readonly logger = new Logger(NotificationSender.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly channel: NotificationChannel,
    private readonly queue: NotificationQueue,
    private readonly metrics: WorkerMetrics,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async deliver(notificationId: number, generation: number): Promise<DeliveryOutcome> {
    const [claimed]: ClaimedNotification[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE notification SET state = 'sending', attempts = attempts + 1, lease_until = now() + make_interval(secs => $3), updated_at = now()
         WHERE id = $1 AND generation = $2 AND state = 'pending'
         RETURNING *)
       SELECT n.id, n.kind, n.generation, n.attempts, n.data, u.email, u.language, u.display_name AS recipient_name,
              b.status AS booking_status, b.starts_at, b.ends_at, b.hold_expires_at, b.decision_reason, b.cancellation_reason, b.cancellation_fee_fen,
              i.name_zh, i.name_en, i.time_zone, booker.display_name AS booker_name
       FROM claimed n
       JOIN app_user u ON u.id = n.recipient_id
       LEFT JOIN booking b ON b.id = n.booking_id
       LEFT JOIN instrument i ON i.id = b.instrument_id
       LEFT JOIN app_user booker ON booker.id = b.user_id`,
      [notificationId, generation, this.config.NOTIFICATION_LEASE_SECONDS],
    );
    if (!claimed) return 'skipped';

    const obsolete = this.obsolete(claimed);
    if (obsolete) {
      await this.dataSource.query(
        `UPDATE notification SET state = 'cancelled', lease_until = NULL, last_error = $3, updated_at = now() WHERE id = $1 AND generation = $2 AND state = 'sending'`,
        [notificationId, generation, obsolete],
      );
      return 'obsolete';
    }

    const message = renderNotification({
      kind: claimed.kind,
      language: claimed.language,
      recipientName: claimed.recipient_name,
      instrumentNameZh: claimed.name_zh,
      instrumentNameEn: claimed.name_en,
      timeZone: claimed.time_zone,
      start: claimed.starts_at,
      end: claimed.ends_at,
      bookerName: claimed.booker_name,
      // The reason given with the change this notice is about, never another one.
      reason: claimed.data.reason ?? null,
      cancellationFeeFen: claimed.cancellation_fee_fen === null ? null : Number(claimed.cancellation_fee_fen),
      offsetMinutes: claimed.data.offsetMinutes ?? null,
      waitedHours: claimed.data.waitedHours ?? null,
      suspendedUntil: claimed.data.until ? new Date(claimed.data.until) : null,
      holdExpiresAt: claimed.hold_expires_at,
      voucher: claimed.data.voucher ?? null,
    });
    const sending = this.channel.send({ messageId: `<notification-${claimed.id}@instrument-marketplace>`, to: claimed.email, toName: claimed.recipient_name, ...message });
    try {
      await withTimeout(sending, this.sendTimeoutMs());
    } catch (error) {
      this.metrics.notificationSendFailed(claimed.kind);
      // A send that is only slow may still go out: the claim is left to expire (the sweeper then
      // sends again), never retried at once beside a message still on its way.
      if ((error as Error).message.startsWith('no answer within')) {
        sending.catch(() => undefined);
        return 'retrying';
      }
      return this.recordFailure(claimed, (error as Error).message);
    }
    this.metrics.notificationSent(this.channel.name, claimed.kind);
    await this.dataSource.query(
      `UPDATE notification SET state = 'sent', sent_at = now(), lease_until = NULL, channel = $3, address = $4, subject = $5, body = $6, last_error = NULL, updated_at = now()
       WHERE id = $1 AND generation = $2 AND state = 'sending'`,
      [notificationId, generation, this.channel.name, claimed.email, message.subject, message.text],
    );
    return 'sent';
  }

  /** Half the lease: a send still running when its lease expires would be sent twice. */
  private sendTimeoutMs(): number {
    return Math.min(SEND_TIMEOUT_MS, (this.config.NOTIFICATION_LEASE_SECONDS * 1000) / 2);
  }

  /** Why a notification no longer applies (the booking moved on since it was planned), or null. */
  private obsolete(claimed: ClaimedNotification): string | null {
    if (claimed.kind === 'reminder') {
      if (claimed.booking_status !== 'confirmed') return `booking is ${claimed.booking_status}`;
      if (claimed.starts_at && Math.floor(claimed.starts_at.getTime() / 1000) !== Number(claimed.data.startsEpoch)) return 'booking was moved';
      if (claimed.starts_at && claimed.starts_at.getTime() <= this.clock.now().getTime()) return 'booking has started';
    }
    if (claimed.kind === 'approval_overdue' && claimed.booking_status !== 'pending') return `request is ${claimed.booking_status}`;
    if (claimed.kind === 'waitlist_offer' && claimed.booking_status !== 'held') return `offered hold is ${claimed.booking_status}`;
    return null;
  }

  /** Another try later (exponential backoff) with a new job, or `failed` for admins once the attempts are spent. */
  private async recordFailure(claimed: ClaimedNotification, reason: string): Promise<DeliveryOutcome> {
    const retryAt = new Date(this.clock.now().getTime() + this.config.NOTIFICATION_RETRY_SECONDS * 1000 * 2 ** (claimed.attempts - 1));
    const [next]: (DueNotification & { state: string })[] = await this.dataSource.query(
      `WITH next AS (
       UPDATE notification SET
         state = CASE WHEN attempts >= $3 THEN 'failed' ELSE 'pending' END,
         generation = CASE WHEN attempts >= $3 THEN generation ELSE generation + 1 END,
         due_at = CASE WHEN attempts >= $3 THEN due_at ELSE $4 END,
         lease_until = NULL, last_error = $5, updated_at = now()
       WHERE id = $1 AND generation = $2 AND state = 'sending'
       RETURNING id, due_at AS "dueAt", generation, state)
       SELECT * FROM next`,
      [claimed.id, claimed.generation, this.config.NOTIFICATION_MAX_ATTEMPTS, retryAt, reason.slice(0, 1000)],
    );
    if (!next) return 'skipped';
    if (next.state === 'failed') {
      this.logger.warn(`notification ${claimed.id} failed after ${claimed.attempts} attempts: ${reason}`);
      return 'failed';
    }
    await this.queue.schedule([next]);
    return 'retrying';
  }
}
