import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import { ClaimDecisionDto, ClaimPaymentDto, ListClaimsQuery, ReceiptsQuery, RedemptionClaimDto, SubmitClaimDto, VoucherReceiptsDto } from './dto/voucher-claim.dto';
import { VoucherClaimsService } from './voucher-claims.service';

@ApiTags('vouchers')
@ApiBearerAuth()
@Controller()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields)' })
@ApiForbiddenResponse({ type: ErrorResponseDto })
@ApiNotFoundResponse({ type: ErrorResponseDto })
export class VoucherClaimsController {
  constructor(private readonly claims: VoucherClaimsService) {}

  @Get('voucher-receipts')
  @Roles('lab_manager')
  @ApiOperation({ summary: 'What your institution received by voucher: per program received, claimed, paid and unclaimed, and each service' })
  @ApiOkResponse({ type: VoucherReceiptsDto })
  receipts(@CurrentUser() user: AuthUser, @Query() query: ReceiptsQuery): Promise<VoucherReceiptsDto> {
    return this.claims.receipts(user, query);
  }

  @Post('voucher-claims')
  @Roles('lab_manager')
  @ApiOperation({ summary: 'Claim the unclaimed receipts of one program over a period (lab managers of the provider)' })
  @ApiCreatedResponse({ type: RedemptionClaimDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'VOUCHER_NOTHING_TO_CLAIM' })
  submit(@CurrentUser() user: AuthUser, @Body() dto: SubmitClaimDto): Promise<RedemptionClaimDto> {
    return this.claims.submit(user, dto);
  }

  @Get('voucher-claims')
  @ApiOperation({ summary: 'Claims: a provider’s own, or those on programs of the staff member’s region' })
  @ApiOkResponse({ type: [RedemptionClaimDto] })
  list(@CurrentUser() user: AuthUser, @Query() query: ListClaimsQuery): Promise<RedemptionClaimDto[]> {
    return this.claims.list(user, query);
  }

  @Get('voucher-claims/:id')
  @ApiOperation({ summary: 'One claim with the service records behind it' })
  @ApiOkResponse({ type: RedemptionClaimDto })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<RedemptionClaimDto> {
    return this.claims.get(user, id);
  }

  @Post('voucher-claims/:id/approve')
  @HttpCode(HttpStatus.OK)
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'Approve a submitted claim (staff of the issuing region)' })
  @ApiOkResponse({ type: RedemptionClaimDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VOUCHER_INVALID_TRANSITION' })
  approve(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: ClaimDecisionDto): Promise<RedemptionClaimDto> {
    return this.claims.approve(user, id, dto);
  }

  @Post('voucher-claims/:id/reject')
  @HttpCode(HttpStatus.OK)
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'Reject a claim with a reason; its receipts may be claimed again' })
  @ApiOkResponse({ type: RedemptionClaimDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VOUCHER_INVALID_TRANSITION' })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'REASON_REQUIRED' })
  reject(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: ClaimDecisionDto): Promise<RedemptionClaimDto> {
    return this.claims.reject(user, id, dto);
  }

  @Post('voucher-claims/:id/pay')
  @HttpCode(HttpStatus.OK)
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'Mark an approved claim paid, with the payment reference' })
  @ApiOkResponse({ type: RedemptionClaimDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'VOUCHER_INVALID_TRANSITION' })
  pay(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: ClaimPaymentDto): Promise<RedemptionClaimDto> {
    return this.claims.pay(user, id, dto);
  }
}
