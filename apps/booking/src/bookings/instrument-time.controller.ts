import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import { BookingQueriesService } from './booking-queries.service';
import { BusyPeriodDto, FreeSlotsDto, FreeSlotsQuery, SlotRangeQuery } from './dto/booking.dto';

@ApiTags('availability')
@Controller('instruments/:id')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (to before from, over 90 days, ...), NOT_ALIGNED' })
@ApiNotFoundResponse({ type: ErrorResponseDto })
export class InstrumentTimeController {
  constructor(private readonly queries: BookingQueriesService) {}

  @Get('slots')
  @Public()
  @ApiOperation({ summary: 'Free start times for a duration over up to 90 days, in UTC and on the instrument’s clock' })
  @ApiOkResponse({ type: FreeSlotsDto })
  slots(@CurrentUser() user: AuthUser | undefined, @Param('id', new ParseUuidPipe()) id: string, @Query() query: FreeSlotsQuery): Promise<FreeSlotsDto> {
    return this.queries.freeSlots(user, id, query);
  }

  @Get('busy')
  @Public()
  @ApiOperation({ summary: 'When the instrument is taken (bookings with their buffers, holds, maintenance), without who or why' })
  @ApiOkResponse({ type: [BusyPeriodDto] })
  busy(@CurrentUser() user: AuthUser | undefined, @Param('id', new ParseUuidPipe()) id: string, @Query() query: SlotRangeQuery): Promise<BusyPeriodDto[]> {
    return this.queries.busy(user, id, query);
  }
}
