import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto, ParseUuidPipe } from '@app/common';
import {
  AvailabilityExceptionDto,
  AvailabilityExceptionResponseDto,
  BookingRulesDto,
  DryRunQuery,
  InstitutionClosureDto,
  InstitutionClosureResponseDto,
  MaintenancePeriodDto,
  MaintenancePeriodResponseDto,
  OpeningHoursDto,
  OpeningRulesResponseDto,
} from './dto/opening-rules.dto';
import { OpeningRulesService } from './opening-rules.service';

@ApiTags('opening rules')
@Controller()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED (details list the fields), MALFORMED_JSON' })
@ApiNotFoundResponse({ type: ErrorResponseDto })
export class OpeningRulesController {
  constructor(private readonly openingRules: OpeningRulesService) {}

  @Get('instruments/:id/booking-rules')
  @Public()
  @ApiOperation({ summary: 'Booking rules and weekly opening hours of an instrument (in its own time zone)' })
  @ApiOkResponse({ type: OpeningRulesResponseDto })
  get(@CurrentUser() user: AuthUser | undefined, @Param('id', new ParseUuidPipe()) id: string): Promise<OpeningRulesResponseDto> {
    return this.openingRules.get(user, id);
  }

  @Put('instruments/:id/booking-rules')
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Publish booking rules; lists upcoming bookings they no longer admit (dryRun=true only reports)' })
  @ApiOkResponse({ type: OpeningRulesResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  putRules(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() rules: BookingRulesDto,
    @Query() query: DryRunQuery,
  ): Promise<OpeningRulesResponseDto> {
    return this.openingRules.putRules(user, id, rules, query.dryRun === 'true');
  }

  @Put('instruments/:id/opening-hours')
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Replace the weekly opening hours; lists upcoming bookings outside them (dryRun=true only reports)' })
  @ApiOkResponse({ type: OpeningRulesResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  putOpeningHours(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() hours: OpeningHoursDto,
    @Query() query: DryRunQuery,
  ): Promise<OpeningRulesResponseDto> {
    return this.openingRules.putOpeningHours(user, id, hours, query.dryRun === 'true');
  }

  @Get('instruments/:id/availability-exceptions')
  @Public()
  @ApiOperation({ summary: 'Closed days and extra openings from yesterday on' })
  @ApiOkResponse({ type: [AvailabilityExceptionDto] })
  listExceptions(@CurrentUser() user: AuthUser | undefined, @Param('id', new ParseUuidPipe()) id: string): Promise<AvailabilityExceptionDto[]> {
    return this.openingRules.listExceptions(user, id);
  }

  @Post('instruments/:id/availability-exceptions')
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Close a date (or part of it) or open an extra window; lists bookings that no longer fit' })
  @ApiCreatedResponse({ type: AvailabilityExceptionResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  addException(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() exception: AvailabilityExceptionDto,
  ): Promise<AvailabilityExceptionResponseDto> {
    return this.openingRules.addException(user, id, exception);
  }

  @Delete('instruments/:id/availability-exceptions/:exceptionId')
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a date exception' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  removeException(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Param('exceptionId', new ParseUuidPipe()) exceptionId: string,
  ): Promise<void> {
    return this.openingRules.removeException(user, id, exceptionId);
  }

  @Get('institutions/:id/closures')
  @Public()
  @ApiOperation({ summary: 'Holidays and closures of an institution (all its instruments), from yesterday on' })
  @ApiOkResponse({ type: [InstitutionClosureResponseDto] })
  listClosures(@Param('id', new ParseUuidPipe()) id: string): Promise<InstitutionClosureResponseDto[]> {
    return this.openingRules.listClosures(id);
  }

  @Post('institutions/:id/closures')
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Close the whole institution on these local dates; lists the bookings inside' })
  @ApiCreatedResponse({ type: InstitutionClosureResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  addClosure(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() closure: InstitutionClosureDto,
  ): Promise<InstitutionClosureResponseDto> {
    return this.openingRules.addClosure(user, id, closure);
  }

  @Delete('institutions/:id/closures/:closureId')
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a closure' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  removeClosure(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Param('closureId', new ParseUuidPipe()) closureId: string,
  ): Promise<void> {
    return this.openingRules.removeClosure(user, id, closureId);
  }

  @Get('instruments/:id/maintenance')
  @Public()
  @ApiOperation({ summary: 'Current and future maintenance and downtime, with reasons' })
  @ApiOkResponse({ type: [MaintenancePeriodResponseDto] })
  listMaintenance(@CurrentUser() user: AuthUser | undefined, @Param('id', new ParseUuidPipe()) id: string): Promise<MaintenancePeriodResponseDto[]> {
    return this.openingRules.listMaintenance(user, id);
  }

  @Post('instruments/:id/maintenance')
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Block time for maintenance or downtime' })
  @ApiCreatedResponse({ type: MaintenancePeriodResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'MAINTENANCE_CLASHES_WITH_BOOKINGS (details list them), MAINTENANCE_OVERLAPS_MAINTENANCE' })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  addMaintenance(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Body() period: MaintenancePeriodDto,
  ): Promise<MaintenancePeriodResponseDto> {
    return this.openingRules.addMaintenance(user, id, period);
  }

  @Delete('instruments/:id/maintenance/:maintenanceId')
  @Roles('lab_manager', 'admin')
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiOperation({ summary: 'Withdraw a maintenance period (its time becomes bookable)' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  removeMaintenance(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUuidPipe()) id: string,
    @Param('maintenanceId', new ParseUuidPipe()) maintenanceId: string,
  ): Promise<void> {
    return this.openingRules.removeMaintenance(user, id, maintenanceId);
  }
}
