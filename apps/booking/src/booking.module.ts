import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { ClockModule, HealthModule, LoggingModule, RedisModule } from '@app/common';
import { ConfigModule } from '@app/config';
import { DatabaseModule } from '@app/db';
import { BookingsModule } from './bookings/bookings.module';
import { CalendarsModule } from './calendars/calendars.module';
import { OpeningRulesModule } from './opening-rules/opening-rules.module';
import { OutboxModule } from './outbox/outbox.module';
import { QualificationsModule } from './qualifications/qualifications.module';
import { SlotSearchModule } from './slot-search/slot-search.module';
import { VouchersModule } from './vouchers/vouchers.module';
import { WaitlistModule } from './waitlist/waitlist.module';

/** The booking service: published availability and conflict-free bookings. */
@Module({
  imports: [ConfigModule, ClockModule, LoggingModule, DatabaseModule, RedisModule, AuthModule, HealthModule, OpeningRulesModule, BookingsModule, CalendarsModule, SlotSearchModule, OutboxModule, QualificationsModule, WaitlistModule, VouchersModule],
})
export class BookingModule {}
