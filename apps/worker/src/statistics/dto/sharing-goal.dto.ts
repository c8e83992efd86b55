import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class GoalTargetDto {
  @ApiProperty({ example: 9000 })
  instruments: number;

  @ApiProperty({ example: 450_000_000_000, description: 'Original value in fen (4.5 billion yuan)' })
  originalValueFen: number;
}

export class GoalRegionDto {
  @ApiProperty({ example: '330100' })
  code: string;

  @ApiProperty({ example: '杭州市' })
  name: string;

  @ApiProperty({ description: 'Publicly funded instruments at or above the threshold' })
  eligibleInstruments: number;

  @ApiProperty({ description: 'Of those, open for external sharing' })
  sharedInstruments: number;

  @ApiProperty()
  sharedValueFen: number;

  @ApiProperty({ description: 'Eligible, not open for external sharing and without an approved exemption' })
  nonCompliantInstruments: number;
}

export class GoalInstrumentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  nameZh: string;

  @ApiProperty({ format: 'uuid' })
  institutionId: string;

  @ApiProperty()
  institutionName: string;

  @ApiProperty({ example: '330106' })
  regionCode: string;

  @ApiProperty()
  originalValueFen: number;

  @ApiProperty({ enum: ['external', 'internal_only', 'not_shared'] })
  sharingMode: string;

  @ApiPropertyOptional({ description: 'Last compiled local day with external minutes; null if none' })
  lastExternalDay: string | null;
}

export class SharingGoalDto {
  @ApiProperty({ description: 'Sharing threshold (SHARING_THRESHOLD_YUAN) in fen' })
  thresholdFen: number;

  @ApiProperty({ type: GoalTargetDto, description: "The province's goal (settings SHARING_GOAL_*)" })
  goal: GoalTargetDto;

  @ApiProperty({ type: GoalTargetDto, description: 'Publicly funded instruments at or above the threshold' })
  eligible: GoalTargetDto;

  @ApiProperty({ type: GoalTargetDto, description: 'Of those, open for external sharing: the progress towards the goal' })
  shared: GoalTargetDto;

  @ApiProperty({ description: 'shared / goal instruments' })
  instrumentProgress: number;

  @ApiProperty({ description: 'shared / goal original value' })
  valueProgress: number;

  @ApiProperty({ type: [GoalRegionDto] })
  byCity: GoalRegionDto[];

  @ApiProperty({ type: [GoalRegionDto] })
  byCounty: GoalRegionDto[];

  @ApiProperty({ type: [GoalInstrumentDto], description: 'Eligible instruments not open for external sharing and without an approved exemption (non-compliant)' })
  nonCompliant: GoalInstrumentDto[];

  @ApiProperty({ example: '2025-04-02', description: 'First day of the window in which idle instruments had no external minutes' })
  idleSince: string;

  @ApiProperty({ type: [GoalInstrumentDto], description: 'Shared instruments without external minutes since idleSince' })
  idle: GoalInstrumentDto[];
}
