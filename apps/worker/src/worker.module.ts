import { Module } from '@nestjs/common';
import { ClockModule, HealthModule, LoggingModule, RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/db';

/**
 * The BullMQ worker: reminders and utilization statistics (issue 4). Its HTTP side serves
 * only health and, later, metrics.
 */
@Module({
  imports: [ConfigModule, ClockModule, LoggingModule, DatabaseModule, RedisModule, HealthModule],
})
export class WorkerModule {}
