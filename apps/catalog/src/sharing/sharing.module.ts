import { Module } from '@nestjs/common';
import { SearchCacheModule } from '../search-cache/search-cache.module';
import { SharingController } from './sharing.controller';
import { SharingExemptionsService } from './sharing-exemptions.service';
import { SharingPolicy } from './sharing-policy';

@Module({
  imports: [SearchCacheModule],
  controllers: [SharingController],
  providers: [SharingExemptionsService, SharingPolicy],
  exports: [SharingExemptionsService, SharingPolicy],
})
export class SharingModule {}
