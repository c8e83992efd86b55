import { Module } from '@nestjs/common';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { SlotSearchController } from './slot-search.controller';
import { SlotSearchService } from './slot-search.service';

@Module({
  controllers: [SlotSearchController],
  providers: [SlotSearchService, BookingAccessPolicy],
})
export class SlotSearchModule {}
