import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { SlotSearchPageDto, SlotSearchQuery } from './dto/slot-search.dto';
import { SlotSearchService } from './slot-search.service';

@ApiTags('availability')
@Controller('slots')
export class SlotSearchController {
  constructor(private readonly slotSearch: SlotSearchService) {}

  @Get('search')
  @Public()
  @ApiOperation({ summary: 'The earliest free time for a duration on every instrument matching the filters, earliest first, then cheapest' })
  @ApiOkResponse({ type: SlotSearchPageDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (to before from, over 90 days, bad codes)' })
  search(@CurrentUser() user: AuthUser | undefined, @Query() query: SlotSearchQuery): Promise<SlotSearchPageDto> {
    return this.slotSearch.search(user, query);
  }
}
