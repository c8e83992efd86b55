import { Module } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { BookingEventsProcessor } from './booking-events.processor';
import { EmailChannel } from './channels/email.channel';
import { LogChannel } from './channels/log.channel';
import { NotificationChannel } from './channels/notification-channel';
import { NotificationDeliveryProcessor } from './notification-delivery.processor';
import { NotificationPlanner } from './notification-planner';
import { NotificationQueue } from './notification-queue';
import { NotificationSender } from './notification-sender';
import { NotificationSweeper } from './notification-sweeper';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Module({
  controllers: [NotificationsController],
  providers: [
    {
      provide: NotificationChannel,
      useFactory: (config: AppConfig) => (config.SMTP_URL ? new EmailChannel(config.SMTP_URL, config.MAIL_FROM, config.NOTIFICATION_CONCURRENCY) : new LogChannel()),
      inject: [AppConfig],
    },
    NotificationPlanner,
    NotificationQueue,
    NotificationSender,
    NotificationSweeper,
    BookingEventsProcessor,
    NotificationDeliveryProcessor,
    NotificationsService,
  ],
  exports: [NotificationQueue, NotificationSweeper],
})
export class NotificationsModule {}
