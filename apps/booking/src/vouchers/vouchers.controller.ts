import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
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
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import { BookingResponseDto } from '../bookings/dto/booking.dto';
import { IdempotencyKey } from '../bookings/idempotency-key.decorator';
import {
  ApplyForVoucherDto,
  BookingQuoteDto,
  CreateVoucherProgramDto,
  GrantAdjustmentDto,
  GrantDecisionDto,
  ListGrantsQuery,
  VoucherGrantResponseDto,
  VoucherLedgerDto,
  VoucherProgramResponseDto,
  VoucherQuoteQuery,
  VoucherUseDto,
  VoucherWalletDto,
} from './dto/voucher.dto';
import { VoucherGrantsService } from './voucher-grants.service';
import { VoucherPaymentsService } from './voucher-payments.service';
import { VoucherProgramsService } from './voucher-programs.service';

@ApiTags('vouchers')
@ApiBearerAuth()
@Controller()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields)' })
@ApiNotFoundResponse({ type: ErrorResponseDto })
export class VouchersController {
  constructor(
    private readonly programs: VoucherProgramsService,
    private readonly grants: VoucherGrantsService,
    private readonly payments: VoucherPaymentsService,
  ) {}

  @Post('voucher-programs')
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'Issue a voucher program for your region (department staff)' })
  @ApiCreatedResponse({ type: VoucherProgramResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'VOUCHER_PROGRAM_OUTSIDE_REGION' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'VOUCHER_PROGRAM_DATES_INVALID' })
  createProgram(@CurrentUser() user: AuthUser, @Body() dto: CreateVoucherProgramDto): Promise<VoucherProgramResponseDto> {
    return this.programs.create(user, dto);
  }

  @Get('voucher-programs')
  @ApiOperation({ summary: 'Programs: staff see their region’s, everyone else the open ones' })
  @ApiOkResponse({ type: [VoucherProgramResponseDto] })
  listPrograms(@CurrentUser() user: AuthUser): Promise<VoucherProgramResponseDto[]> {
    return this.programs.list(user);
  }

  @Get('voucher-programs/:id')
  @ApiOkResponse({ type: VoucherProgramResponseDto })
  getProgram(@Param('id', new ParseUuidPipe()) id: string): Promise<VoucherProgramResponseDto> {
    return this.programs.get(id);
  }

  @Post('voucher-programs/:id/close')
  @HttpCode(HttpStatus.OK)
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'Stop taking applications; granted quota stays usable until it expires' })
  @ApiOkResponse({ type: VoucherProgramResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VOUCHER_INVALID_TRANSITION' })
  closeProgram(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<VoucherProgramResponseDto> {
    return this.programs.close(user, id);
  }

  @Post('voucher-grants')
  @Roles('firm_member', 'researcher')
  @ApiOperation({ summary: 'Apply for quota under a program (members of small and micro firms; researchers as individuals where the program allows)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the same application' })
  @ApiCreatedResponse({ type: VoucherGrantResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'VOUCHER_FIRM_NOT_ELIGIBLE' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VOUCHER_PROGRAM_NOT_OPEN' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'VOUCHER_APPLICATION_CAP_EXCEEDED, VOUCHER_FIRM_YEAR_CAP_EXCEEDED, VOUCHER_FIRM_NOT_ELIGIBLE, VOUCHER_INDIVIDUALS_NOT_ELIGIBLE, VOUCHER_INDIVIDUAL_OUTSIDE_REGION, IDEMPOTENCY_KEY_REUSED',
  })
  apply(@CurrentUser() user: AuthUser, @Body() dto: ApplyForVoucherDto, @IdempotencyKey() idempotencyKey: string | undefined): Promise<VoucherGrantResponseDto> {
    return this.grants.apply(user, dto, idempotencyKey);
  }

  @Get('voucher-grants')
  @ApiOperation({ summary: 'Applications and grants: a firm’s or an individual’s own, or those of programs in the staff member’s region' })
  @ApiOkResponse({ type: [VoucherGrantResponseDto] })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  listGrants(@CurrentUser() user: AuthUser, @Query() query: ListGrantsQuery): Promise<VoucherGrantResponseDto[]> {
    return this.grants.list(user, query);
  }

  @Get('voucher-grants/:id')
  @ApiOkResponse({ type: VoucherGrantResponseDto })
  getGrant(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<VoucherGrantResponseDto> {
    return this.grants.get(user, id);
  }

  @Get('voucher-grants/:id/ledger')
  @ApiOperation({ summary: 'Every movement of a grant, and its balances replayed from them beside those kept' })
  @ApiOkResponse({ type: VoucherLedgerDto })
  ledger(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<VoucherLedgerDto> {
    return this.grants.ledger(user, id);
  }

  @Post('voucher-grants/:id/approve')
  @HttpCode(HttpStatus.OK)
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'Approve an application, possibly for less (staff of the issuing region)' })
  @ApiOkResponse({ type: VoucherGrantResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VOUCHER_INVALID_TRANSITION, VOUCHER_PROGRAM_NOT_OPEN' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'VOUCHER_PROGRAM_BUDGET_EXCEEDED, VOUCHER_FIRM_YEAR_CAP_EXCEEDED, VOUCHER_APPLICATION_CAP_EXCEEDED' })
  approve(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: GrantDecisionDto): Promise<VoucherGrantResponseDto> {
    return this.grants.approve(user, id, dto);
  }

  @Post('voucher-grants/:id/reject')
  @HttpCode(HttpStatus.OK)
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'Reject an application with a reason (staff of the issuing region)' })
  @ApiOkResponse({ type: VoucherGrantResponseDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'REASON_REQUIRED' })
  reject(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: GrantDecisionDto): Promise<VoucherGrantResponseDto> {
    return this.grants.reject(user, id, dto);
  }

  @Post('voucher-grants/:id/adjustments')
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'Correct a grant’s quota with a reason (Idempotency-Key required)' })
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiCreatedResponse({ type: VoucherGrantResponseDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'VOUCHER_BALANCE_INSUFFICIENT, VOUCHER_PROGRAM_BUDGET_EXCEEDED, IDEMPOTENCY_KEY_REUSED' })
  adjust(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() dto: GrantAdjustmentDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<VoucherGrantResponseDto> {
    return this.grants.adjust(user, id, dto, idempotencyKey);
  }

  @Get('vouchers/wallet')
  @Roles('firm_member', 'researcher')
  @ApiOperation({ summary: 'Your voucher wallet (your firm’s, or your own as an individual): grants with their balances and expiry, and the totals' })
  @ApiOkResponse({ type: VoucherWalletDto })
  wallet(@CurrentUser() user: AuthUser): Promise<VoucherWalletDto> {
    return this.grants.wallet(user);
  }

  @Get('bookings/quote')
  @ApiOperation({ summary: 'The fee of an intended booking, and how much each of your vouchers may pay of it under every cap' })
  @ApiOkResponse({ type: BookingQuoteDto })
  quote(@CurrentUser() user: AuthUser, @Query() query: VoucherQuoteQuery): Promise<BookingQuoteDto> {
    return this.payments.quote(user, query);
  }

  @Post('bookings/:id/voucher')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Pay your booking partly by voucher: the amount is reserved now, redeemed on completion' })
  @ApiOkResponse({ type: BookingResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VOUCHER_ALREADY_APPLIED, VOUCHER_INVALID_TRANSITION' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'VOUCHER_BALANCE_INSUFFICIENT, VOUCHER_ORDER_SHARE_EXCEEDED, VOUCHER_NOT_APPLICABLE, VOUCHER_PROVIDER_REGION_NOT_ACCEPTED, VOUCHER_OWN_PROVIDER, ...' })
  attach(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: VoucherUseDto): Promise<BookingResponseDto> {
    return this.payments.attach(user, id, dto);
  }

  @Delete('bookings/:id/voucher')
  @ApiOperation({ summary: 'Withdraw the voucher payment of your booking (the reservation is released)' })
  @ApiOkResponse({ type: BookingResponseDto })
  detach(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<BookingResponseDto> {
    return this.payments.detach(user, id);
  }
}
