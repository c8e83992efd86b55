import { Module } from '@nestjs/common';
import { Clock, HealthModule, LoggingModule, RedisModule, SystemClock } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/db';

/**
 * The BullMQ worker: reminders and utilization statistics (issue 4). Its HTTP side serves
 * only health and, later, metrics.
 */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, RedisModule, HealthModule],
  providers: [{ provide: Clock, useClass: SystemClock }],
})
export class WorkerModule {}
