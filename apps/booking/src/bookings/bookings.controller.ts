import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe, Public } from '@app/common';
import { BookingQueriesService } from './booking-queries.service';
import { BookingsService } from './bookings.service';
import {
  BookingPageDto,
  BookingPolicyDto,
  BookingResponseDto,
  CreateBookingDto,
  CreateHoldDto,
  CreateRecurringBookingDto,
  DecisionDto,
  ListBookingsQuery,
  RatingDto,
  RecurringBookingResponseDto,
  RescheduleBookingDto,
} from './dto/booking.dto';
import { IdempotencyKey } from './idempotency-key.decorator';

const RULE_CODES =
  'A rule refused it: OUTSIDE_OPENING_HOURS, TOO_SHORT, TOO_LONG, TOO_SOON, TOO_FAR_AHEAD, MODE_NOT_OFFERED, QUALIFICATION_REQUIRED, ' +
  'DAILY_LIMIT_EXCEEDED, WEEKLY_LIMIT_EXCEEDED, HOLD_NOT_USABLE, IDEMPOTENCY_KEY_REUSED';

@ApiTags('bookings')
@ApiBearerAuth()
@Controller()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields), NOT_ALIGNED, MALFORMED_JSON' })
@ApiUnauthorizedResponse({ type: ErrorResponseDto })
@ApiNotFoundResponse({ type: ErrorResponseDto })
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly queries: BookingQueriesService,
  ) {}

  @Post('holds')
  @ApiOperation({ summary: 'Hold a slot for a few minutes while you fill in the request (lapses by itself)' })
  @ApiCreatedResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SLOT_TAKEN, with the interval in the way' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: RULE_CODES })
  hold(@CurrentUser() user: AuthUser, @Body() dto: CreateHoldDto): Promise<BookingResponseDto> {
    return this.bookings.hold(user, dto);
  }

  @Post('bookings')
  @ApiOperation({ summary: 'Request a booking: confirmed at once, or pending when the lab approves requests' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the same booking; same key, other body: 422' })
  @ApiCreatedResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SLOT_TAKEN, with the interval in the way' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'BOOKING_SUSPENDED (with until and reason), ROLE_CANNOT_BOOK' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: RULE_CODES })
  create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateBookingDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<BookingResponseDto> {
    return this.bookings.create(user, dto, idempotencyKey);
  }

  @Post('bookings/recurring')
  @ApiOperation({ summary: 'A weekly series (2 to 12 weeks) at the same local time: every date or none' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: RecurringBookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'RECURRENCE_REFUSED: details.refused lists each date with its code' })
  createRecurring(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateRecurringBookingDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<RecurringBookingResponseDto> {
    return this.bookings.createRecurring(user, dto, idempotencyKey);
  }

  @Get('booking-policy')
  @Public()
  @ApiOperation({ summary: 'The rules every booking shares: free cancellation, late fee, check-in, no-shows, holds' })
  @ApiOkResponse({ type: BookingPolicyDto })
  policy(): BookingPolicyDto {
    return this.bookings.policy();
  }

  @Get('bookings')
  @ApiOperation({ summary: 'Your bookings (mine=true, the default), or one instrument’s or institution’s for its lab managers and regional staff' })
  @ApiOkResponse({ type: BookingPageDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  list(@CurrentUser() user: AuthUser, @Query() query: ListBookingsQuery): Promise<BookingPageDto> {
    return this.queries.list(user, query);
  }

  @Get('bookings/:id')
  @ApiOperation({ summary: 'One booking (the booker, the lab managers, staff of the region)' })
  @ApiOkResponse({ type: BookingResponseDto })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<BookingResponseDto> {
    return this.queries.get(user, id);
  }

  @Post('bookings/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a pending request (lab manager of the owner)' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'INVALID_BOOKING_TRANSITION, REQUEST_EXPIRED' })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  approve(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: DecisionDto): Promise<BookingResponseDto> {
    return this.bookings.approve(user, id, dto);
  }

  @Post('bookings/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a pending request with a reason (lab manager of the owner)' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'INVALID_BOOKING_TRANSITION' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'REASON_REQUIRED' })
  reject(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: DecisionDto): Promise<BookingResponseDto> {
    return this.bookings.reject(user, id, dto);
  }

  @Post('bookings/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel: free until FREE_CANCELLATION_HOURS before the start, then the late fee; lab managers give a reason' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'INVALID_BOOKING_TRANSITION' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'BOOKING_ALREADY_STARTED, REASON_REQUIRED' })
  cancel(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: DecisionDto): Promise<BookingResponseDto> {
    return this.bookings.cancel(user, id, dto);
  }

  @Post('bookings/:id/reschedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a booking: the old time is given up only if the new one is taken' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SLOT_TAKEN, INVALID_BOOKING_TRANSITION' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: RULE_CODES })
  reschedule(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() dto: RescheduleBookingDto,
  ): Promise<BookingResponseDto> {
    return this.bookings.reschedule(user, id, dto);
  }

  @Post('bookings/:id/check-in')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the actual start (the booker or a lab manager), from 30 minutes before the start' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'INVALID_BOOKING_TRANSITION' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'TOO_EARLY_TO_CHECK_IN' })
  checkIn(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<BookingResponseDto> {
    return this.bookings.checkIn(user, id);
  }

  @Post('bookings/:id/check-out')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the actual end; the fee is recomputed from the time used' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'INVALID_BOOKING_TRANSITION' })
  checkOut(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<BookingResponseDto> {
    return this.bookings.checkOut(user, id);
  }

  @Post('bookings/:id/no-show')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record a no-show after the grace period (lab manager); repeated no-shows suspend self-service booking' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'INVALID_BOOKING_TRANSITION' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'NO_SHOW_TOO_EARLY' })
  noShow(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: DecisionDto): Promise<BookingResponseDto> {
    return this.bookings.markNoShow(user, id, dto);
  }

  @Post('bookings/:id/rating')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rate a completed booking, once (the booker)' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'ALREADY_RATED, INVALID_BOOKING_TRANSITION' })
  rate(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: RatingDto): Promise<BookingResponseDto> {
    return this.bookings.rate(user, id, dto);
  }
}
