import { Controller, Delete, Get, Header, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, Public } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import { CALENDAR_CONTENT_TYPE, CalendarsService } from './calendars.service';
import { CalendarFeedDto } from './dto/calendar.dto';

const ICALENDAR = { description: 'An RFC 5545 iCalendar document (text/calendar; charset=utf-8)', schema: { type: 'string' } };

@ApiTags('calendars')
@Controller()
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Post('calendar-feeds')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Issue your private calendar feed URL (any earlier one stops working)',
    description:
      'Answers { url, token, createdAt }; url is the path /calendar-feeds/<token>.ics on this service. Prefix the public origin ' +
      '(https:// or webcal://) and subscribe to it in Google Calendar, Outlook, Thunderbird or Apple Calendar.',
  })
  @ApiCreatedResponse({ type: CalendarFeedDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  issue(@CurrentUser() user: AuthUser): Promise<CalendarFeedDto> {
    return this.calendars.issue(user);
  }

  @Delete('calendar-feeds')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke your calendar feed: its URL answers 404 from now on (204 also when there was none)' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  revoke(@CurrentUser() user: AuthUser): Promise<void> {
    return this.calendars.revoke(user);
  }

  @Get('calendar-feeds/:token.ics')
  @Public()
  @Header('Content-Type', CALENDAR_CONTENT_TYPE)
  @Header('Cache-Control', 'private, no-store')
  @ApiParam({ name: 'token', description: 'The token from POST /calendar-feeds: the only credential, so no bearer token is needed' })
  @ApiOperation({ summary: 'Your bookings (held, pending, confirmed, in use, completed) from 90 days ago to a year ahead, as iCalendar' })
  @ApiProduces('text/calendar')
  @ApiOkResponse(ICALENDAR)
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'CALENDAR_FEED_NOT_FOUND: unknown, revoked or replaced' })
  feed(@Param('token') token: string): Promise<string> {
    return this.calendars.userFeed(token);
  }

  @Get('instruments/:id/busy.ics')
  @Public()
  @Header('Content-Type', CALENDAR_CONTENT_TYPE)
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'When the instrument is taken, from 7 days ago to 90 days ahead, as iCalendar: times only, never who or why' })
  @ApiProduces('text/calendar')
  @ApiOkResponse(ICALENDAR)
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED: malformed id' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'INSTRUMENT_NOT_FOUND, also for instruments not shared with the public' })
  busy(@Param('id', new ParseUuidPipe()) id: string): Promise<string> {
    return this.calendars.instrumentBusyFeed(id);
  }
}
