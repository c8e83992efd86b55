import { Module } from '@nestjs/common';
import { ScheduleIndex } from './schedule-index';

/** One ScheduleIndex per process, shared by free slots, the search and the sweeper that prunes its log. */
@Module({
  providers: [ScheduleIndex],
  exports: [ScheduleIndex],
})
export class ScheduleIndexModule {}
