import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateIf } from 'class-validator';

export const GOAL_LISTS = ['cities', 'counties', 'non_compliant', 'idle'] as const;
export type GoalList = (typeof GOAL_LISTS)[number];

export class SharingGoalQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ enum: GOAL_LISTS, description: 'With format=csv (required there): which list of the goal to export' })
  @ValidateIf((query: SharingGoalQuery) => query.format === 'csv' || query.list !== undefined)
  @IsIn(GOAL_LISTS)
  list?: GoalList;
}
