import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags, ApiBadRequestResponse } from '@nestjs/swagger';
import { CurrentUser, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import {
  DecideExemptionDto,
  ExemptionPageDto,
  ExemptionResponseDto,
  ListExemptionsQuery,
  NonCompliantPageDto,
  NonCompliantQuery,
  RejectExemptionDto,
} from './dto/sharing.dto';
import { SharingExemptionsService } from './sharing-exemptions.service';

@ApiTags('sharing compliance')
@ApiBearerAuth()
@Controller('sharing')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields), MALFORMED_JSON' })
@Roles('department_staff', 'admin')
@ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Not department staff, or outside your region' })
export class SharingController {
  constructor(private readonly exemptions: SharingExemptionsService) {}

  @Get('non-compliant')
  @ApiOperation({ summary: 'Publicly funded instruments above the threshold that are not shared externally without an approved exemption' })
  nonCompliant(@CurrentUser() user: AuthUser, @Query() query: NonCompliantQuery): Promise<NonCompliantPageDto> {
    return this.exemptions.nonCompliant(user, query);
  }

  @Get('exemptions')
  @ApiOperation({ summary: 'Restriction requests in your region (pending by default)' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListExemptionsQuery): Promise<ExemptionPageDto> {
    return this.exemptions.list(user, query);
  }

  @Post('exemptions/:id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve: the requested mode applies to the instrument' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Decided already' })
  approve(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() dto: DecideExemptionDto,
  ): Promise<ExemptionResponseDto> {
    return this.exemptions.approve(user, id, dto.note);
  }

  @Post('exemptions/:id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject with a reason: the instrument stays shared externally' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Decided already' })
  reject(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() dto: RejectExemptionDto,
  ): Promise<ExemptionResponseDto> {
    return this.exemptions.reject(user, id, dto.note);
  }
}
