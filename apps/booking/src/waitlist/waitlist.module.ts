import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { WaitlistController } from './waitlist.controller';
import { WaitlistService } from './waitlist.service';

@Module({
  imports: [BookingsModule],
  controllers: [WaitlistController],
  providers: [WaitlistService, BookingAccessPolicy],
})
export class WaitlistModule {}
