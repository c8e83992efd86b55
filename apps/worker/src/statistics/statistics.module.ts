import { Module } from '@nestjs/common';
import { InstrumentAccessPolicy } from '../../../catalog/src/instruments/instrument-access.policy';
import { EvaluationService } from './evaluation.service';
import { InstrumentPerformanceController } from './instrument-performance.controller';
import { InstrumentPerformanceService } from './instrument-performance.service';
import { ServiceRecordsService } from './service-records.service';
import { SharingGoalService } from './sharing-goal.service';
import { StatisticsBackfill } from './statistics-backfill';
import { StatisticsCompiler } from './statistics-compiler';
import { StatisticsQueue } from './statistics-queue';
import { StatisticsRunsService } from './statistics-runs.service';
import { StatisticsController } from './statistics.controller';
import { StatisticsProcessor } from './statistics.processor';
import { StatisticsSchedule } from './statistics.schedule';
import { StatisticsService } from './statistics.service';
import { VoucherStatisticsController } from './vouchers/voucher-statistics.controller';
import { VoucherStatisticsService } from './vouchers/voucher-statistics.service';

/**
 * Per-instrument daily statistics compiled by the worker, their roll-ups, the sharing goal, the
 * annual evaluation, instruments' public performance and the service records export (issue 4, items 5-10),
 * and the innovation voucher figures (issue 5, item 6).
 * Instrument visibility for the public performance is the catalog's own rule (InstrumentAccessPolicy).
 */
@Module({
  controllers: [StatisticsController, InstrumentPerformanceController, VoucherStatisticsController],
  providers: [
    SharingGoalService,
    StatisticsCompiler,
    StatisticsQueue,
    StatisticsRunsService,
    StatisticsProcessor,
    StatisticsBackfill,
    StatisticsSchedule,
    StatisticsService,
    EvaluationService,
    ServiceRecordsService,
    InstrumentPerformanceService,
    InstrumentAccessPolicy,
    VoucherStatisticsService,
  ],
  exports: [StatisticsCompiler, StatisticsRunsService],
})
export class StatisticsModule {}
