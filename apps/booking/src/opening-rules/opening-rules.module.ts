import { Module } from '@nestjs/common';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { OpeningRulesController } from './opening-rules.controller';
import { OpeningRulesService } from './opening-rules.service';

@Module({
  controllers: [OpeningRulesController],
  providers: [OpeningRulesService, BookingAccessPolicy],
})
export class OpeningRulesModule {}
