import { Module } from '@nestjs/common';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { CalendarsController } from './calendars.controller';
import { CalendarsService } from './calendars.service';

/** iCalendar feeds: a private, revocable one per user and a public busy-time one per instrument. */
@Module({
  controllers: [CalendarsController],
  providers: [CalendarsService, BookingAccessPolicy],
})
export class CalendarsModule {}
