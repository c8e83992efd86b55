import { Module } from '@nestjs/common';
import { SharingGoalService } from './sharing-goal.service';
import { StatisticsCompiler } from './statistics-compiler';
import { StatisticsQueue } from './statistics-queue';
import { StatisticsRunsService } from './statistics-runs.service';
import { StatisticsController } from './statistics.controller';
import { StatisticsProcessor } from './statistics.processor';
import { StatisticsSchedule } from './statistics.schedule';
import { StatisticsService } from './statistics.service';

/** Per-instrument daily statistics compiled by the worker, their roll-ups and the sharing goal (issue 4, items 5-7). */
@Module({
  controllers: [StatisticsController],
  providers: [SharingGoalService, StatisticsCompiler, StatisticsQueue, StatisticsRunsService, StatisticsProcessor, StatisticsSchedule, StatisticsService],
  exports: [StatisticsCompiler, StatisticsRunsService],
})
export class StatisticsModule {}
