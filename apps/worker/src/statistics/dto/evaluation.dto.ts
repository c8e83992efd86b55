import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { EVALUATION_GRADES } from '../evaluation-scoring';
import type { EvaluationGrade } from '../evaluation-scoring';

export const EVALUATION_LEVELS = ['institution', 'instrument'] as const;
export type EvaluationLevel = (typeof EVALUATION_LEVELS)[number];

export class EvaluationQuery {
  @ApiProperty({ example: 2026, description: 'Calendar year evaluated (local days 1 January to 31 December)' })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @ApiProperty({ enum: EVALUATION_LEVELS })
  @IsIn(EVALUATION_LEVELS)
  level: EvaluationLevel;

  @ApiPropertyOptional({ enum: EVALUATION_GRADES, description: 'Only rows of this grade; 较差 gives the rectification (整改) list' })
  @IsOptional()
  @IsIn(EVALUATION_GRADES)
  grade?: EvaluationGrade;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** The year's figures behind the scores. */
export class EvaluationIndicatorsDto {
  @ApiProperty({ description: 'Rated hours (定额机时) of the year by purpose, pro-rated from the date put into service' })
  ratedHours: number;

  @ApiProperty({ description: 'Effective hours (有效机时)' })
  effectiveHours: number;

  @ApiProperty({ description: 'External service hours (对外服务机时)' })
  externalHours: number;

  @ApiPropertyOptional({ description: 'external / effective hours; null without effective hours' })
  sharingRate: number | null;

  @ApiProperty({ description: 'Completed services to users outside the owner institution' })
  externalServices: number;

  @ApiProperty({ description: 'Completed services to outside firms' })
  firmServices: number;

  @ApiPropertyOptional({ description: 'Average rating 1-5; null without ratings' })
  averageRating: number | null;

  @ApiProperty()
  ratingCount: number;

  @ApiProperty({ description: 'Share (0-1) of the national platform record fields filled; for an institution the mean over its instruments' })
  completeness: number;
}

/** 0-100 per indicator. */
export class EvaluationScoresDto {
  @ApiProperty({ description: 'effective / rated hours' })
  effectiveHours: number;

  @ApiProperty({ description: 'external hours / EVALUATION_EXTERNAL_HOURS_REFERENCE per instrument' })
  externalHours: number;

  @ApiProperty({ description: 'sharing rate / EVALUATION_SHARING_RATE_REFERENCE_PERCENT' })
  sharingRate: number;

  @ApiProperty({ description: 'outside services / EVALUATION_EXTERNAL_SERVICES_REFERENCE per instrument' })
  externalServices: number;

  @ApiProperty({ description: 'firm services / EVALUATION_FIRM_SERVICES_REFERENCE per instrument' })
  firmServices: number;

  @ApiPropertyOptional({ description: 'average rating / 5; null without ratings (its weight is then left out of the total)' })
  rating: number | null;

  @ApiProperty({ description: 'completeness x 100' })
  completeness: number;
}

export class EvaluationRowDto {
  @ApiProperty({ format: 'uuid', description: 'Institution or instrument id' })
  id: string;

  @ApiProperty({ description: 'Institution or instrument name' })
  name: string;

  @ApiPropertyOptional({ description: 'Owner asset number (instrument level)' })
  assetNumber: string | null;

  @ApiProperty({ format: 'uuid' })
  institutionId: string;

  @ApiProperty()
  institutionName: string;

  @ApiProperty({ example: '330106', description: 'County of the instrument, or of the institution' })
  regionCode: string;

  @ApiProperty({ description: 'Instruments evaluated (1 at instrument level)' })
  instruments: number;

  @ApiProperty({ type: EvaluationIndicatorsDto })
  indicators: EvaluationIndicatorsDto;

  @ApiProperty({ type: EvaluationScoresDto })
  scores: EvaluationScoresDto;

  @ApiProperty({ description: 'Weighted mean of the scores, one decimal' })
  total: number;

  @ApiProperty({ enum: EVALUATION_GRADES })
  grade: EvaluationGrade;

  @ApiProperty({ type: [String], description: 'Record fields not filled (instrument level; empty for institutions)', example: ['nameEn', 'assetNumber'] })
  missingFields: string[];
}

export class EvaluationWeightsDto {
  @ApiProperty() effectiveHours: number;
  @ApiProperty() externalHours: number;
  @ApiProperty() sharingRate: number;
  @ApiProperty() externalServices: number;
  @ApiProperty() firmServices: number;
  @ApiProperty() rating: number;
  @ApiProperty() completeness: number;
}

export class EvaluationReferencesDto {
  @ApiProperty({ example: 273 }) externalHoursPerInstrument: number;
  @ApiProperty({ example: 0.16 }) sharingRate: number;
  @ApiProperty({ example: 50 }) externalServicesPerInstrument: number;
  @ApiProperty({ example: 10 }) firmServicesPerInstrument: number;
}

export class EvaluationCutOffsDto {
  @ApiProperty({ example: 85, description: 'Lowest total graded 优秀' }) excellent: number;
  @ApiProperty({ example: 70, description: 'Lowest total graded 良好' }) good: number;
  @ApiProperty({ example: 60, description: 'Lowest total graded 合格; lower is 较差' }) pass: number;
}

export class EvaluationPolicyDto {
  @ApiProperty({ type: EvaluationWeightsDto }) weights: EvaluationWeightsDto;
  @ApiProperty({ type: EvaluationReferencesDto }) references: EvaluationReferencesDto;
  @ApiProperty({ type: EvaluationCutOffsDto }) cutOffs: EvaluationCutOffsDto;
}

export class EvaluationDto {
  @ApiProperty({ example: 2026 })
  year: number;

  @ApiProperty({ enum: EVALUATION_LEVELS })
  level: EvaluationLevel;

  @ApiPropertyOptional({ enum: EVALUATION_GRADES, description: 'The grade filter, if any' })
  grade: EvaluationGrade | null;

  @ApiProperty({ type: EvaluationPolicyDto, description: 'Weights, references and cut-offs in force (settings EVALUATION_*)' })
  policy: EvaluationPolicyDto;

  @ApiProperty({ type: [EvaluationRowDto], description: 'Highest total first' })
  rows: EvaluationRowDto[];
}
