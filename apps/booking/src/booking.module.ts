import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { Clock, HealthModule, LoggingModule, RedisModule, SystemClock } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/db';

/** The booking service: published availability and conflict-free bookings (features arrive with issue 3). */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, RedisModule, AuthModule, HealthModule],
  providers: [{ provide: Clock, useClass: SystemClock }],
})
export class BookingModule {}
