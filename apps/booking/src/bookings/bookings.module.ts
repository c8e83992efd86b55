import { Module } from '@nestjs/common';
import { ScheduleIndexModule } from '../availability/schedule-index.module';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { BookingQueriesService } from './booking-queries.service';
import { BookingSweeper } from './booking.sweeper';
import { BookingsController } from './bookings.controller';
import { BookingsService } from './bookings.service';
import { InstrumentTimeController } from './instrument-time.controller';
import { VouchersModule } from '../vouchers/vouchers.module';

@Module({
  imports: [VouchersModule, ScheduleIndexModule],
  controllers: [BookingsController, InstrumentTimeController],
  providers: [BookingsService, BookingQueriesService, BookingAccessPolicy, BookingSweeper],
  exports: [BookingsService],
})
export class BookingsModule {}
