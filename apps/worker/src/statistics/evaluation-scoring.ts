import type { AppConfig } from '@app/config';

export const EVALUATION_GRADES = ['优秀', '良好', '合格', '较差'] as const;
/** 优秀 excellent, 良好 good, 合格 pass, 较差 poor (listed for rectification, 整改). */
export type EvaluationGrade = (typeof EVALUATION_GRADES)[number];

export const EVALUATION_INDICATORS = [
  'effectiveHours',
  'externalHours',
  'sharingRate',
  'externalServices',
  'firmServices',
  'rating',
  'completeness',
] as const;
export type EvaluationIndicator = (typeof EVALUATION_INDICATORS)[number];

/** What one instrument, or all instruments of an institution together, did in the evaluated year. */
export interface EvaluationInputs {
  /** Instruments evaluated together (1 for one instrument). */
  instruments: number;
  /** Rated hours (定额机时) of the year, pro-rated for instruments put into service during it. */
  ratedHours: number;
  effectiveMinutes: number;
  externalMinutes: number;
  /** Completed services to users outside the owner institution. */
  externalServices: number;
  /** Completed services to outside firms. */
  firmServices: number;
  ratingSum: number;
  ratingCount: number;
  /** Share (0-1) of the national platform's record fields filled; for a group, the mean over its instruments. */
  completeness: number;
}

/** Nothing at all: the start of a sum. */
export const NO_EVALUATION_INPUTS: Readonly<EvaluationInputs> = {
  instruments: 0,
  ratedHours: 0,
  effectiveMinutes: 0,
  externalMinutes: 0,
  externalServices: 0,
  firmServices: 0,
  ratingSum: 0,
  ratingCount: 0,
  completeness: 0,
};

/** How indicators become scores: per-instrument references, weights and grade cut-offs (all settings). */
export interface EvaluationPolicy {
  weights: Record<EvaluationIndicator, number>;
  references: {
    /** External hours a year per instrument that score 100. */
    externalHoursPerInstrument: number;
    /** Sharing rate (0-1) that scores 100. */
    sharingRate: number;
    externalServicesPerInstrument: number;
    firmServicesPerInstrument: number;
  };
  /** Lowest totals graded 优秀, 良好 and 合格; anything lower is 较差. */
  cutOffs: { excellent: number; good: number; pass: number };
}

export interface EvaluationResult {
  /** 0-100 per indicator, one decimal; null when the indicator has no value (no ratings). */
  scores: Record<EvaluationIndicator, number | null>;
  /** Weighted mean of the scores that have a value, one decimal. */
  total: number;
  grade: EvaluationGrade;
}

export function evaluationPolicyOf(config: AppConfig): EvaluationPolicy {
  return {
    weights: {
      effectiveHours: config.EVALUATION_WEIGHT_EFFECTIVE_HOURS,
      externalHours: config.EVALUATION_WEIGHT_EXTERNAL_HOURS,
      sharingRate: config.EVALUATION_WEIGHT_SHARING_RATE,
      externalServices: config.EVALUATION_WEIGHT_EXTERNAL_SERVICES,
      firmServices: config.EVALUATION_WEIGHT_FIRM_SERVICES,
      rating: config.EVALUATION_WEIGHT_RATING,
      completeness: config.EVALUATION_WEIGHT_COMPLETENESS,
    },
    references: {
      externalHoursPerInstrument: config.EVALUATION_EXTERNAL_HOURS_REFERENCE,
      sharingRate: config.EVALUATION_SHARING_RATE_REFERENCE_PERCENT / 100,
      externalServicesPerInstrument: config.EVALUATION_EXTERNAL_SERVICES_REFERENCE,
      firmServicesPerInstrument: config.EVALUATION_FIRM_SERVICES_REFERENCE,
    },
    cutOffs: { excellent: config.EVALUATION_GRADE_EXCELLENT, good: config.EVALUATION_GRADE_GOOD, pass: config.EVALUATION_GRADE_PASS },
  };
}

/** value / reference as 0-100, capped at 100; nothing to reach (reference 0) scores 100. */
function against(value: number, reference: number): number {
  if (!(reference > 0)) return 100;
  return Math.min(100, (100 * value) / reference);
}

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

export function gradeOf(total: number, cutOffs: EvaluationPolicy['cutOffs']): EvaluationGrade {
  if (total >= cutOffs.excellent) return '优秀';
  if (total >= cutOffs.good) return '良好';
  if (total >= cutOffs.pass) return '合格';
  return '较差';
}

/**
 * Scores an instrument or an institution (its instruments summed; per-instrument references are
 * multiplied by the number of instruments, so an institution is judged on its average):
 * - effectiveHours: effective / rated hours;
 * - externalHours: external hours / (reference x instruments);
 * - sharingRate: (external / effective hours) / reference rate; no effective hours scores 0;
 * - externalServices, firmServices: count / (reference x instruments);
 * - rating: average / 5; without ratings the indicator has no score and its weight is left out;
 * - completeness: share of record fields filled.
 * Each is capped at 100. The total is graded on its one-decimal value, the figure people read.
 */
export function scoreEvaluation(inputs: EvaluationInputs, policy: EvaluationPolicy): EvaluationResult {
  const n = Math.max(1, inputs.instruments);
  const effectiveHours = inputs.effectiveMinutes / 60;
  const externalHours = inputs.externalMinutes / 60;
  const raw: Record<EvaluationIndicator, number | null> = {
    effectiveHours: against(effectiveHours, inputs.ratedHours),
    externalHours: against(externalHours, policy.references.externalHoursPerInstrument * n),
    sharingRate: inputs.effectiveMinutes > 0 ? against(inputs.externalMinutes / inputs.effectiveMinutes, policy.references.sharingRate) : 0,
    externalServices: against(inputs.externalServices, policy.references.externalServicesPerInstrument * n),
    firmServices: against(inputs.firmServices, policy.references.firmServicesPerInstrument * n),
    rating: inputs.ratingCount > 0 ? (100 * inputs.ratingSum) / inputs.ratingCount / 5 : null,
    completeness: Math.min(100, Math.max(0, 100 * inputs.completeness)),
  };
  let weighted = 0;
  let weights = 0;
  for (const indicator of EVALUATION_INDICATORS) {
    const score = raw[indicator];
    if (score === null) continue;
    weighted += policy.weights[indicator] * score;
    weights += policy.weights[indicator];
  }
  const total = weights > 0 ? oneDecimal(weighted / weights) : 0;
  const scores = Object.fromEntries(
    EVALUATION_INDICATORS.map((indicator) => [indicator, raw[indicator] === null ? null : oneDecimal(raw[indicator])]),
  ) as Record<EvaluationIndicator, number | null>;
  return { scores, total, grade: gradeOf(total, policy.cutOffs) };
}

/** Adds up the inputs of several instruments (completeness becomes their mean). */
export function sumEvaluationInputs(parts: readonly EvaluationInputs[]): EvaluationInputs {
  const sum = { ...NO_EVALUATION_INPUTS };
  for (const part of parts) {
    sum.instruments += part.instruments;
    sum.ratedHours += part.ratedHours;
    sum.effectiveMinutes += part.effectiveMinutes;
    sum.externalMinutes += part.externalMinutes;
    sum.externalServices += part.externalServices;
    sum.firmServices += part.firmServices;
    sum.ratingSum += part.ratingSum;
    sum.ratingCount += part.ratingCount;
    sum.completeness += part.completeness * part.instruments;
  }
  sum.completeness = sum.instruments > 0 ? sum.completeness / sum.instruments : 0;
  return sum;
}
