import { createTransport, type Transporter } from 'nodemailer';
import { NotificationChannel, OutgoingMessage } from './notification-channel';

/**
 * Email over SMTP with nodemailer, through a small pool of kept-open connections. Timeouts are
 * short and explicit: together they stay well inside the send lease (NOTIFICATION_LEASE_SECONDS),
 * so a sender that hangs on SMTP is never taken for a dead one while it may still deliver.
 */
export class EmailChannel extends NotificationChannel {
  readonly name = 'email';
  private readonly transport: Transporter;

  /**
   * One connection per concurrent delivery, so no message waits in nodemailer's queue while its
   * claim's lease runs; kept open for good (reconnecting every 100 messages, nodemailer's default,
   * costs a handshake).
   */
  constructor(smtpUrl: string, private readonly from: string, connections: number) {
    super();
    this.transport = createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: connections,
      maxMessages: Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: OutgoingMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: { name: message.toName, address: message.to },
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
    });
  }

  override close(): void {
    this.transport.close();
  }
}
