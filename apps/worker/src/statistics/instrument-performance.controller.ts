import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import { InstrumentPerformanceDto } from './dto/instrument-performance.dto';
import { InstrumentPerformanceService } from './instrument-performance.service';

@ApiTags('statistics')
@Controller('instruments')
export class InstrumentPerformanceController {
  constructor(private readonly performance: InstrumentPerformanceService) {}

  @Get(':id/performance')
  @Public()
  @ApiOperation({
    summary: "An instrument's public performance over the last 12 months: utilization band, median approval time, completion rate, rating",
    description: 'For buyers; the instrument must be readable as in the catalog (shared externally, or within the caller\'s own scope).',
  })
  @ApiOkResponse({ type: InstrumentPerformanceDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'INSTRUMENT_NOT_FOUND: no such instrument, or not readable by the caller' })
  get(@CurrentUser() user: AuthUser | undefined, @Param('id', new ParseUuidPipe()) id: string): Promise<InstrumentPerformanceDto> {
    return this.performance.performance(user, id);
  }
}
