/**
 * The contract between producers and the worker: queue names, job names and their payloads.
 * Producers and processors import these; nothing else names a queue.
 */
export const QUEUES = {
  /** Every booking state change, relayed from the outbox after commit. */
  bookingEvents: 'booking-events',
  /** One job per notification and delivery attempt, delayed until the notification is due. */
  notifications: 'notifications',
  /** Statistics compiles: nightly (job scheduler) and on demand by staff (one job per statistics_run row). */
  statistics: 'statistics',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** A booking state change as written to outbox_message (topic `booking.<type>`). */
export interface BookingEventPayload {
  eventId: number;
  bookingId: string;
  type: string;
  from: string | null;
  to: string;
  actorId: string | null;
  reason: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Topics of the outbox messages written with a voucher decision; each notifies the people it concerns. */
export const VOUCHER_DECISION_TOPICS = ['voucher.grant_approved', 'voucher.grant_rejected', 'voucher.claim_approved', 'voucher.claim_rejected', 'voucher.claim_paid'] as const;
export type VoucherDecisionTopic = (typeof VOUCHER_DECISION_TOPICS)[number];

/** A decision on a voucher application, as written to outbox_message: the applicant hears of it. */
export interface VoucherGrantDecisionPayload {
  grantId: string;
  applicantId: string;
  /** The firm the grant belongs to; null for an individual's grant (the applicant holds it). */
  enterpriseId: string | null;
  programName: string;
  /** Approved amount (approvals only). */
  amountFen: number | null;
  /** When the unused quota expires (approvals only). */
  expiresAt: string | null;
  reason: string | null;
  decidedAt: string;
}

/** A decision on a redemption claim, as written to outbox_message: the provider's lab managers hear of it. */
export interface VoucherClaimDecisionPayload {
  claimId: string;
  providerInstitutionId: string;
  programName: string;
  amountFen: number;
  periodFrom: string;
  periodTo: string;
  reason: string | null;
  paymentReference: string | null;
  decidedAt: string;
}

/** What the relay adds for an outbox message: its payload and the message's id. */
export type OutboxJobData = (BookingEventPayload | VoucherGrantDecisionPayload | VoucherClaimDecisionPayload | Record<string, unknown>) & { outboxId: number };

/** Delivers one notification; a job whose generation is no longer the row's does nothing. */
export interface DeliverNotificationJobData {
  notificationId: number;
  generation: number;
}

export const NOTIFICATION_JOBS = { deliver: 'deliver' } as const;

/** Compiles the days of one statistics_run row; a run already done does nothing. */
export interface CompileStatisticsJobData {
  runId: number;
}

/** The nightly compile: the worker creates its statistics_run row for the last few local days. */
export type NightlyStatisticsJobData = Record<string, never>;

export const STATISTICS_JOBS = { compile: 'compile', nightly: 'nightly' } as const;

/** Job name -> payload, per queue. */
export interface JobPayloads {
  [QUEUES.bookingEvents]: {
    /** Topic of the outbox message: booking.<type>, user.suspended, ... */
    [topic: string]: OutboxJobData;
  };
  [QUEUES.notifications]: {
    [NOTIFICATION_JOBS.deliver]: DeliverNotificationJobData;
  };
  [QUEUES.statistics]: {
    [STATISTICS_JOBS.compile]: CompileStatisticsJobData;
    [STATISTICS_JOBS.nightly]: NightlyStatisticsJobData;
  };
}

/** Deterministic job id of an outbox message: relaying it twice adds it once. */
export function outboxJobId(outboxId: number | string): string {
  return `outbox-${outboxId}`;
}

/** Deterministic job id of one delivery attempt: enqueueing it again (the sweeper does) adds nothing. */
export function notificationJobId(notificationId: number | string, generation: number): string {
  return `notification-${notificationId}-${generation}`;
}

/** Deterministic job id of a statistics run: enqueueing it again adds nothing. */
export function statisticsRunJobId(runId: number | string): string {
  return `statistics-run-${runId}`;
}
