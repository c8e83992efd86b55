/** One message, ready to go out. messageId is stable per notification, so a receiver can drop a repeat. */
export interface OutgoingMessage {
  messageId: string;
  to: string;
  toName: string;
  subject: string;
  text: string;
}

/**
 * Where notifications go. The scheduling never knows which channel it talks to: SMS or a
 * messaging app is another implementation of this port.
 */
export abstract class NotificationChannel {
  /** Stored on each sent notification. */
  abstract readonly name: string;
  /** Resolves once the channel has accepted the message; rejects when it did not. */
  abstract send(message: OutgoingMessage): Promise<void>;
  close(): Promise<void> | void {}
}
