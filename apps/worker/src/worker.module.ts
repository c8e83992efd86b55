import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { ClockModule, HealthModule, LoggingModule, RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/db';
import { NotificationsModule } from './notifications/notifications.module';
import { OperationsModule } from './operations/operations.module';
import { StatisticsModule } from './statistics/statistics.module';

/**
 * The BullMQ worker: notifications (reminders and notices, exactly once) and utilization
 * statistics (issue 4). Its HTTP side serves health, the notification log and, for admins, failures.
 */
@Module({
  imports: [ConfigModule, ClockModule, LoggingModule, DatabaseModule, RedisModule, AuthModule, HealthModule, OperationsModule, NotificationsModule, StatisticsModule],
})
export class WorkerModule {}
