/**
 * The contract between producers and the worker: queue names, job names and their payloads.
 * Producers and processors import these; nothing else names a queue.
 */
export const QUEUES = {
  /** Every booking state change, relayed from the outbox after commit. */
  bookingEvents: 'booking-events',
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

/** Job name -> payload, per queue. */
export interface JobPayloads {
  [QUEUES.bookingEvents]: {
    /** Topic of the outbox message: booking.<type>, user.suspended, ... */
    [topic: string]: BookingEventPayload | Record<string, unknown>;
  };
}

/** Deterministic job id of an outbox message: relaying it twice adds it once. */
export function outboxJobId(outboxId: number | string): string {
  return `outbox-${outboxId}`;
}
