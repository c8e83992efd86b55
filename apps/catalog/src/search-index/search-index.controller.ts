import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { InstrumentSearchIndexService } from './instrument-search-index.service';
import type { SearchIndexState } from './instrument-search-index.service';

export class SearchIndexStatusDto {
  @ApiProperty({ enum: ['disabled', 'loading', 'ready', 'failed'], description: 'Searches run in SQL unless ready' })
  state!: SearchIndexState;

  @ApiProperty({ description: 'Instruments in the index (0 until loaded)' })
  documents!: number;

  @ApiProperty({ description: 'Changes applied since the last full load' })
  appended!: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the last full load finished' })
  loadedAt?: string;
}

/** Whether this replica answers searches from its in-memory index: for operators and the benchmark. */
@ApiTags('instruments')
@Controller('search-index')
export class SearchIndexController {
  constructor(private readonly searchIndex: InstrumentSearchIndexService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "State of this replica's in-memory search index" })
  @ApiOkResponse({ type: SearchIndexStatusDto })
  status(): SearchIndexStatusDto {
    return this.searchIndex.status();
  }
}
