import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories/categories.module';
import { RegionsModule } from '../regions/regions.module';
import { SearchCacheModule } from '../search-cache/search-cache.module';
import { SearchIndexModule } from '../search-index/search-index.module';
import { SharingModule } from '../sharing/sharing.module';
import { InstrumentAccessPolicy } from './instrument-access.policy';
import { InstrumentSearchService } from './instrument-search.service';
import { InstrumentsController } from './instruments.controller';
import { InstrumentsService } from './instruments.service';

@Module({
  imports: [CategoriesModule, RegionsModule, SearchCacheModule, SearchIndexModule, SharingModule],
  controllers: [InstrumentsController],
  providers: [InstrumentsService, InstrumentSearchService, InstrumentAccessPolicy],
})
export class InstrumentsModule {}
