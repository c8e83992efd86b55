import { Module } from '@nestjs/common';
import { SharingController } from './sharing.controller';
import { SharingExemptionsService } from './sharing-exemptions.service';
import { SharingPolicy } from './sharing-policy';

@Module({
  controllers: [SharingController],
  providers: [SharingExemptionsService, SharingPolicy],
  exports: [SharingExemptionsService, SharingPolicy],
})
export class SharingModule {}
