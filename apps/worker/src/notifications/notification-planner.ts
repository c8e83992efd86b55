import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@app/common';
import { AppConfig } from '@app/config';
import { inTransaction } from '@app/db';
import type { BookingEventPayload, VoucherClaimDecisionPayload, VoucherGrantDecisionPayload } from '@app/queue';
import type { NotificationKind, VoucherNoticeFacts } from './notification-templates';
import type { DueNotification } from './notification-queue';

/** The booker hears of these changes. */
const BOOKER_NOTICES: Partial<Record<string, NotificationKind>> = {
  approved: 'booking_approved',
  rejected: 'booking_rejected',
  rescheduled: 'booking_rescheduled',
  cancelled: 'booking_cancelled',
  lapsed: 'hold_lapsed',
  no_show: 'booking_no_show',
  expired: 'request_expired',
};

/** Who hears of which voucher decision: the applicant of a grant, the lab managers of a claim's provider. */
const VOUCHER_NOTICES: Partial<Record<string, NotificationKind>> = {
  'voucher.grant_approved': 'voucher_grant_approved',
  'voucher.grant_rejected': 'voucher_grant_rejected',
  'voucher.claim_approved': 'voucher_claim_approved',
  'voucher.claim_rejected': 'voucher_claim_rejected',
  'voucher.claim_paid': 'voucher_claim_paid',
};

/** The facts a voucher notice shows, kept with it: a decision does not change after it is made. */
function voucherFacts(decision: VoucherGrantDecisionPayload | VoucherClaimDecisionPayload): VoucherNoticeFacts {
  return {
    programName: decision.programName,
    amountFen: decision.amountFen,
    expiresAt: 'expiresAt' in decision ? decision.expiresAt : null,
    periodFrom: 'periodFrom' in decision ? decision.periodFrom : null,
    periodTo: 'periodTo' in decision ? decision.periodTo : null,
    paymentReference: 'paymentReference' in decision ? decision.paymentReference : null,
  };
}

interface SuspensionPayload {
  userId: string;
  reason: string;
  until: string;
}

const RETURNING = 'RETURNING id, due_at AS "dueAt", generation';

/**
 * Turns one outbox message into notification rows, once: the message is marked consumed in the
 * same transaction, so a job delivered twice, or replayed by the sweeper, plans nothing twice.
 * Reminders are reconciled with the booking as it is now, never with the event alone, so events
 * handled out of order still leave exactly the reminders the current booking needs.
 */
@Injectable()
export class NotificationPlanner {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Plans the notifications of an outbox message; returns the rows that need a delivery job (none when it was planned before). */
  consume(outboxId: number): Promise<DueNotification[]> {
    return inTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const [message]: { topic: string; payload: Record<string, unknown> }[] = await manager.query(
        `WITH consumed AS (UPDATE outbox_message SET consumed_at = now() WHERE id = $1 AND consumed_at IS NULL RETURNING topic, payload)
         SELECT * FROM consumed`,
        [outboxId],
      );
      if (!message) return [];
      if (message.topic === 'user.suspended') return this.planSuspension(manager, outboxId, message.payload as unknown as SuspensionPayload, now);
      if (message.topic.startsWith('booking.')) return this.planBookingEvent(manager, message.payload as unknown as BookingEventPayload, now);
      if (message.topic.startsWith('voucher.grant_')) return this.planGrantDecision(manager, message.topic, message.payload as unknown as VoucherGrantDecisionPayload, now);
      if (message.topic.startsWith('voucher.claim_')) return this.planClaimDecision(manager, message.topic, message.payload as unknown as VoucherClaimDecisionPayload, now);
      return [];
    });
  }

  private async planBookingEvent(manager: EntityManager, event: BookingEventPayload, now: Date): Promise<DueNotification[]> {
    // Events of one booking are planned one at a time, whichever worker handles them.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 42))`, [event.bookingId]);
    const planned: DueNotification[] = [];
    const bookerKind = BOOKER_NOTICES[event.type];
    if (bookerKind && !(event.type === 'cancelled' && event.from === 'held')) planned.push(...(await this.noticeToBooker(manager, bookerKind, event, now)));
    // Letting go of one's own hold is no news to anyone.
    if (event.type === 'cancelled' && event.from !== 'held' && !event.data?.byManager) {
      planned.push(...(await this.noticeToManagers(manager, 'booking_cancelled_by_user', event, now)));
    }
    if (event.type === 'held') planned.push(...(await this.waitlistOffer(manager, event, now)));
    // A new request, or a confirmed booking moved to a time that needs approval again.
    if (event.to === 'pending' && event.from !== 'pending') {
      planned.push(...(await this.noticeToManagers(manager, 'approval_requested', event, now)));
      const overdueAt = new Date(new Date(event.occurredAt).getTime() + this.config.APPROVAL_REMINDER_HOURS * 3600_000);
      planned.push(...(await this.noticeToManagers(manager, 'approval_overdue', event, overdueAt, { waitedHours: this.config.APPROVAL_REMINDER_HOURS })));
    }
    planned.push(...(await this.reconcileReminders(manager, event.bookingId, now)));
    return planned;
  }

  private noticeToBooker(manager: EntityManager, kind: NotificationKind, event: BookingEventPayload, dueAt: Date): Promise<DueNotification[]> {
    return manager.query(
      `INSERT INTO notification (kind, recipient_id, booking_id, source_event_id, dedupe_key, due_at, data)
       SELECT $1::text, b.user_id, b.id, $3::bigint, $1::text || ':' || $3::bigint || ':' || b.user_id, $4, $5
       FROM booking b WHERE b.id = $2
       ON CONFLICT (dedupe_key) DO NOTHING ${RETURNING}`,
      [kind, event.bookingId, event.eventId, dueAt, JSON.stringify({ reason: event.reason ?? null })],
    );
  }

  /** A hold made for the first in a waitlist: the user is told the time is theirs to submit. */
  private waitlistOffer(manager: EntityManager, event: BookingEventPayload, dueAt: Date): Promise<DueNotification[]> {
    return manager.query(
      `INSERT INTO notification (kind, recipient_id, booking_id, source_event_id, dedupe_key, due_at)
       SELECT 'waitlist_offer', w.user_id, w.offered_booking_id, $2::bigint, 'waitlist_offer:' || $2::bigint || ':' || w.user_id, $3
       FROM waitlist_entry w WHERE w.offered_booking_id = $1
       ON CONFLICT (dedupe_key) DO NOTHING ${RETURNING}`,
      [event.bookingId, event.eventId, dueAt],
    );
  }

  /** One notice to each lab manager of the institution that owns the instrument. */
  private noticeToManagers(
    manager: EntityManager,
    kind: NotificationKind,
    event: BookingEventPayload,
    dueAt: Date,
    data: Record<string, unknown> = {},
  ): Promise<DueNotification[]> {
    return manager.query(
      `INSERT INTO notification (kind, recipient_id, booking_id, source_event_id, dedupe_key, due_at, data)
       SELECT $1::text, u.id, b.id, $3::bigint, $1::text || ':' || $3::bigint || ':' || u.id, $4, $5
       FROM booking b
       JOIN instrument i ON i.id = b.instrument_id
       JOIN app_user u ON u.institution_id = i.institution_id AND u.role = 'lab_manager'
       WHERE b.id = $2
       ON CONFLICT (dedupe_key) DO NOTHING ${RETURNING}`,
      [kind, event.bookingId, event.eventId, dueAt, JSON.stringify({ reason: event.reason ?? null, ...data })],
    );
  }

  /**
   * Makes the booking's pending reminders exactly those its current state asks for: one per offset
   * of the instrument (default 24 h and 1 h) before the start of a confirmed booking, still in the
   * future. A reschedule cancels the old ones and plans new ones; a cancellation cancels them all.
   * A reminder cancelled earlier and wanted again (moved back) is revived with a new generation.
   */
  private reconcileReminders(manager: EntityManager, bookingId: string, now: Date): Promise<DueNotification[]> {
    // The dropped CTE runs although nothing reads it: PostgreSQL executes every data-modifying CTE.
    return manager.query(
      `WITH target AS (
         SELECT b.id, b.user_id, b.starts_at, b.status, coalesce(r.reminder_offsets_minutes, '{1440,60}') AS offsets
         FROM booking b LEFT JOIN booking_rules r ON r.instrument_id = b.instrument_id
         WHERE b.id = $1),
       valid AS (
         SELECT t.id AS booking_id, t.user_id, o AS offset_minutes, t.starts_at - make_interval(mins => o) AS due_at,
                floor(extract(epoch FROM t.starts_at))::bigint AS starts_epoch,
                'reminder:' || t.id || ':' || floor(extract(epoch FROM t.starts_at))::bigint || ':' || o AS dedupe_key
         FROM target t CROSS JOIN LATERAL unnest(t.offsets) AS o
         WHERE t.status = 'confirmed'),
       -- New reminders only for instants still ahead; one already due but unsent (a retry waiting) stays.
       wanted AS (SELECT * FROM valid WHERE due_at > $2),
       dropped AS (
         UPDATE notification n SET state = 'cancelled', updated_at = now()
         WHERE n.booking_id = $1 AND n.kind = 'reminder' AND n.state = 'pending'
           AND n.dedupe_key NOT IN (SELECT dedupe_key FROM valid)
         RETURNING n.id)
       INSERT INTO notification (kind, recipient_id, booking_id, dedupe_key, due_at, data)
       SELECT 'reminder', user_id, booking_id, dedupe_key, due_at, jsonb_build_object('offsetMinutes', offset_minutes, 'startsEpoch', starts_epoch)
       FROM wanted
       ON CONFLICT (dedupe_key) DO UPDATE SET state = 'pending', generation = notification.generation + 1, attempts = 0, last_error = NULL, updated_at = now()
         WHERE notification.state = 'cancelled'
       ${RETURNING}`,
      [bookingId, now],
    );
  }

  /**
   * The applicant hears of the decision on their voucher application, while they still act for
   * the grant's holder: a firm's grant goes to the firm's current members instead when the
   * applicant has left it (or changed role), so the news reaches the firm and nobody outside it.
   * An application is decided once, so its id keys the notice: a message replayed or written
   * twice notifies once.
   */
  private planGrantDecision(manager: EntityManager, topic: string, decision: VoucherGrantDecisionPayload, now: Date): Promise<DueNotification[]> {
    const kind = VOUCHER_NOTICES[topic];
    if (!kind) return Promise.resolve([]);
    return manager.query(
      `WITH applicant AS (
         SELECT u.id FROM app_user u
         WHERE u.id = $2::uuid AND ($6::uuid IS NULL OR (u.role = 'firm_member' AND u.institution_id = $6::uuid))
       ),
       recipients AS (
         SELECT id FROM applicant
         UNION ALL
         SELECT u.id FROM app_user u
         WHERE $6::uuid IS NOT NULL AND u.role = 'firm_member' AND u.institution_id = $6::uuid AND NOT EXISTS (SELECT 1 FROM applicant)
       )
       INSERT INTO notification (kind, recipient_id, dedupe_key, due_at, data)
       SELECT $1::text, r.id, $1::text || ':' || $3::text || ':' || r.id, $4, $5 FROM recipients r
       ON CONFLICT (dedupe_key) DO NOTHING ${RETURNING}`,
      [kind, decision.applicantId, decision.grantId, now, JSON.stringify({ reason: decision.reason, voucher: voucherFacts(decision) }), decision.enterpriseId ?? null],
    );
  }

  /** Each lab manager of the provider hears of a decision on its redemption claim; each status is reached once, so claim and kind key the notice. */
  private planClaimDecision(manager: EntityManager, topic: string, decision: VoucherClaimDecisionPayload, now: Date): Promise<DueNotification[]> {
    const kind = VOUCHER_NOTICES[topic];
    if (!kind) return Promise.resolve([]);
    return manager.query(
      `INSERT INTO notification (kind, recipient_id, dedupe_key, due_at, data)
       SELECT $1::text, u.id, $1::text || ':' || $3::text || ':' || u.id, $4, $5
       FROM app_user u WHERE u.institution_id = $2 AND u.role = 'lab_manager'
       ON CONFLICT (dedupe_key) DO NOTHING ${RETURNING}`,
      [kind, decision.providerInstitutionId, decision.claimId, now, JSON.stringify({ reason: decision.reason, voucher: voucherFacts(decision) })],
    );
  }

  private planSuspension(manager: EntityManager, outboxId: number, suspension: SuspensionPayload, now: Date): Promise<DueNotification[]> {
    return manager.query(
      `INSERT INTO notification (kind, recipient_id, dedupe_key, due_at, data)
       VALUES ('suspension_started', $1, 'suspension_started:outbox-' || $2::text, $3, $4)
       ON CONFLICT (dedupe_key) DO NOTHING ${RETURNING}`,
      [suspension.userId, outboxId, now, JSON.stringify({ reason: suspension.reason, until: suspension.until })],
    );
  }
}
