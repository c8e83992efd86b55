import { Module } from '@nestjs/common';
import { ScheduleIndexModule } from '../availability/schedule-index.module';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { SlotSearchController } from './slot-search.controller';
import { SlotSearchService } from './slot-search.service';

@Module({
  imports: [ScheduleIndexModule],
  controllers: [SlotSearchController],
  providers: [SlotSearchService, BookingAccessPolicy],
})
export class SlotSearchModule {}
