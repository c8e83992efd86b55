import { Module } from '@nestjs/common';
import { SearchResultCache } from './search-result.cache';

@Module({
  providers: [SearchResultCache],
  exports: [SearchResultCache],
})
export class SearchCacheModule {}
