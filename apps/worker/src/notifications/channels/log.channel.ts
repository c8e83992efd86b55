import { Logger } from '@nestjs/common';
import { NotificationChannel, OutgoingMessage } from './notification-channel';

/** Development without SMTP_URL: each message goes to the log (and, like every send, stays in the database). */
export class LogChannel extends NotificationChannel {
  readonly name = 'log';
  private readonly logger = new Logger('Notifications');

  send(message: OutgoingMessage): Promise<void> {
    this.logger.log(`to ${message.to}: ${message.subject}`);
    return Promise.resolve();
  }
}
