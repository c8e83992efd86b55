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
import { csvReply } from './csv';
import { EvaluationDto, EvaluationQuery } from './dto/evaluation.dto';
import { ServiceRecordsDto, ServiceRecordsQuery } from './dto/service-record.dto';
import { SharingGoalDto } from './dto/sharing-goal.dto';
import { SharingGoalQuery } from './dto/sharing-goal.query';
import { RequestCompilationDto, StatisticsRunDto } from './dto/statistics-run.dto';
import { SummaryDto, SummaryQuery } from './dto/statistics-summary.dto';
import { EvaluationService } from './evaluation.service';
import { ServiceRecordsService } from './service-records.service';
import { sharingGoalCsv } from './sharing-goal-csv';
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
    private readonly evaluation: EvaluationService,
    private readonly serviceRecords: ServiceRecordsService,
  ) {}

  @Get('goal')
  @Roles('department_staff', 'lab_manager', 'admin')
  @ApiOperation({
    summary: "Progress towards the province's sharing goal (9,000 instruments, 4.5 billion yuan) by city and county, with non-compliant and idle instruments",
    description:
      'Counts publicly funded instruments at or above the sharing threshold; within the caller\'s region or institution. ' +
      '?format=csv&list=cities|counties|non_compliant|idle answers one of its lists as text/csv.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: SharingGoalDto })
  async sharingGoal(@CurrentUser() user: AuthUser, @Query() query: SharingGoalQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<SharingGoalDto | string> {
    const goal = await this.goal.progress(user);
    if (query.format !== 'csv') return goal;
    return csvReply(reply, `sharing-goal-${query.list}.csv`, sharingGoalCsv(goal, query.list!));
  }

  @Get('evaluation')
  @Roles('department_staff', 'lab_manager', 'admin')
  @ApiOperation({
    summary: 'Annual evaluation (绩效考核) per institution or instrument: indicator values, 0-100 scores, weighted total and grade 优秀/良好/合格/较差',
    description:
      'Instruments at or above the sharing threshold, within the caller\'s region or institution. grade=较差 gives the rectification list. ' +
      'Weights, references and cut-offs are settings (EVALUATION_*) and are echoed in policy. ?format=csv answers the rows as text/csv.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: EvaluationDto })
  async evaluate(@CurrentUser() user: AuthUser, @Query() query: EvaluationQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<EvaluationDto | string> {
    const evaluation = await this.evaluation.evaluate(user, query);
    if (query.format !== 'csv') return evaluation;
    return csvReply(reply, `evaluation-${evaluation.level}-${evaluation.year}.csv`, this.evaluation.csv(evaluation));
  }

  @Get('service-records')
  @Roles('department_staff', 'lab_manager', 'admin')
  @ApiOperation({
    summary: "Completed services of a period in the national platform's layout: instrument, service way (送样/自测), 校内/校外, user institution, hours, amount, satisfaction",
    description: 'Within the caller\'s region or institution; each service on the local day of its check-in. ?format=csv answers them as text/csv.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ServiceRecordsDto })
  async listServiceRecords(
    @CurrentUser() user: AuthUser,
    @Query() query: ServiceRecordsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServiceRecordsDto | string> {
    const records = await this.serviceRecords.list(user, query);
    if (query.format !== 'csv') return records;
    return csvReply(reply, `service-records-${records.from}-${records.to}.csv`, this.serviceRecords.csv(records));
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
    return csvReply(reply, `statistics-${summary.groupBy}-${summary.from}-${summary.to}.csv`, this.statistics.summaryCsv(summary));
  }
}
