import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
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
import { AcceptQualificationDto, GrantQualificationDto, QualificationResponseDto } from './dto/qualification.dto';
import { QualificationsService } from './qualifications.service';

@ApiTags('qualifications')
@ApiBearerAuth()
@Controller()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@ApiNotFoundResponse({ type: ErrorResponseDto })
export class QualificationsController {
  constructor(private readonly qualifications: QualificationsService) {}

  @Post('instruments/:id/qualifications')
  @Roles('lab_manager', 'admin')
  @ApiOperation({ summary: 'Record that a user was trained on this instrument and may operate it until validUntil' })
  @ApiCreatedResponse({ type: QualificationResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'USER_NOT_FOUND' })
  grant(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: GrantQualificationDto): Promise<QualificationResponseDto> {
    return this.qualifications.grant(user, id, dto);
  }

  @Get('instruments/:id/qualifications')
  @Roles('lab_manager', 'admin')
  @ApiOperation({ summary: 'Who is trained on this instrument (its lab managers)' })
  @ApiOkResponse({ type: [QualificationResponseDto] })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  list(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string): Promise<QualificationResponseDto[]> {
    return this.qualifications.listForInstrument(user, id);
  }

  @Post('instruments/:id/qualifications/:qualificationId/revoke')
  @Roles('lab_manager', 'admin')
  @ApiOperation({ summary: 'Withdraw a qualification (kept on record)' })
  @ApiCreatedResponse({ type: QualificationResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  revoke(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Param('qualificationId', new ParseUuidPipe()) qualificationId: string,
  ): Promise<QualificationResponseDto> {
    return this.qualifications.revoke(user, id, qualificationId);
  }

  @Post('institutions/:id/accepted-qualifications')
  @Roles('lab_manager', 'admin')
  @ApiOperation({ summary: 'Accept another institution’s training for this institution’s instruments of the same category' })
  @ApiCreatedResponse({ type: QualificationResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'QUALIFICATION_ALREADY_OWN' })
  accept(@CurrentUser() user: AuthUser, @Param('id', new ParseUuidPipe()) id: string, @Body() dto: AcceptQualificationDto): Promise<QualificationResponseDto> {
    return this.qualifications.accept(user, id, dto);
  }

  @Get('qualifications')
  @ApiOperation({ summary: 'Your own qualifications' })
  @ApiOkResponse({ type: [QualificationResponseDto] })
  mine(@CurrentUser() user: AuthUser): Promise<QualificationResponseDto[]> {
    return this.qualifications.listMine(user);
  }
}
