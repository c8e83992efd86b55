import { Module } from '@nestjs/common';
import { InstrumentSearchIndexService } from './instrument-search-index.service';
import { SearchIndexController } from './search-index.controller';

@Module({
  controllers: [SearchIndexController],
  providers: [InstrumentSearchIndexService],
  exports: [InstrumentSearchIndexService],
})
export class SearchIndexModule {}
