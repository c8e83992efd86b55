import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles } from '@app/auth';
import type { AuthUser } from '@app/auth';
import { ErrorResponseDto } from '@app/common';
import { SharingGoalDto } from './dto/sharing-goal.dto';
import { RequestCompilationDto, StatisticsRunDto } from './dto/statistics-run.dto';
import { SummaryDto, SummaryQuery } from './dto/statistics-summary.dto';
import { SharingGoalService } from './sharing-goal.service';
import { StatisticsRunsService } from './statistics-runs.service';
import { StatisticsService } from './statistics.service';

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('statistics')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED, STATISTICS_RANGE_* and STATISTICS_INVALID_DATE' })
@ApiForbiddenResponse({ type: ErrorResponseDto })
export class StatisticsController {
  constructor(
    private readonly statistics: StatisticsService,
    private readonly runs: StatisticsRunsService,
    private readonly goal: SharingGoalService,
  ) {}

  @Get('goal')
  @Roles('department_staff', 'lab_manager', 'admin')
  @ApiOperation({
    summary: "Progress towards the province's sharing goal (9,000 instruments, 4.5 billion yuan) by city and county, with non-compliant and idle instruments",
    description: 'Counts publicly funded instruments at or above the sharing threshold; within the caller\'s region or institution.',
  })
  @ApiOkResponse({ type: SharingGoalDto })
  sharingGoal(@CurrentUser() user: AuthUser): Promise<SharingGoalDto> {
    return this.goal.progress(user);
  }

  @Post('compilations')
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'Compile (again) the statistics of a range of local days, for every instrument; follow it at GET /statistics/compilations/:id' })
  @ApiAcceptedResponse({ type: StatisticsRunDto })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'STATISTICS_QUEUE_UNAVAILABLE' })
  request(@CurrentUser() user: AuthUser, @Body() body: RequestCompilationDto): Promise<StatisticsRunDto> {
    return this.runs.request(user, body);
  }

  @Get('compilations/:id')
  @Roles('department_staff', 'admin')
  @ApiOperation({ summary: 'State and progress of a compile run' })
  @ApiOkResponse({ type: StatisticsRunDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'STATISTICS_RUN_NOT_FOUND' })
  run(@Param('id', ParseIntPipe) id: number): Promise<StatisticsRunDto> {
    return this.runs.get(id);
  }

  @Get('summary')
  @Roles('department_staff', 'lab_manager', 'admin')
  @ApiOperation({
    summary: 'Open, booked, effective and external hours, utilization, sharing rate, services and revenue per institution, region or category',
    description: 'Department staff see their region, lab managers their institution. ?format=csv answers the same rows as text/csv.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: SummaryDto })
  async summary(@CurrentUser() user: AuthUser, @Query() query: SummaryQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<SummaryDto | string> {
    const summary = await this.statistics.summary(user, query);
    if (query.format !== 'csv') return summary;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="statistics-${summary.groupBy}-${summary.from}-${summary.to}.csv"`);
    return this.statistics.summaryCsv(summary);
  }
}
