import { Module } from '@nestjs/common';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { QualificationsController } from './qualifications.controller';
import { QualificationsService } from './qualifications.service';

@Module({
  controllers: [QualificationsController],
  providers: [QualificationsService, BookingAccessPolicy],
})
export class QualificationsModule {}
