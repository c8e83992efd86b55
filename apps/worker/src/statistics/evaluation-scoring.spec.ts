import { loadAppConfig } from '@app/config';
import { EvaluationInputs, NO_EVALUATION_INPUTS, evaluationPolicyOf, gradeOf, scoreEvaluation, sumEvaluationInputs } from './evaluation-scoring';

const policy = evaluationPolicyOf(loadAppConfig({}));
/** One unused general-purpose instrument. */
const NOTHING: EvaluationInputs = { ...NO_EVALUATION_INPUTS, instruments: 1, ratedHours: 1400 };

describe('scoreEvaluation', () => {
  it('uses the documented defaults', () => {
    expect(policy).toEqual({
      weights: { effectiveHours: 25, externalHours: 20, sharingRate: 15, externalServices: 10, firmServices: 10, rating: 10, completeness: 10 },
      references: { externalHoursPerInstrument: 273, sharingRate: 0.16, externalServicesPerInstrument: 50, firmServicesPerInstrument: 10 },
      cutOffs: { excellent: 85, good: 70, pass: 60 },
    });
  });

  it('scores each indicator against its reference, capped at 100, and weights the total', () => {
    // 700 of 1,400 rated hours: 50; 136.5 of 273 external hours: 50; sharing 19.5% > 16%: 100;
    // 25 of 50 outside services: 50; 20 of 10 firm services: 100 (capped); rating 4/5: 80; completeness 0.5: 50.
    const result = scoreEvaluation(
      { ...NOTHING, effectiveMinutes: 700 * 60, externalMinutes: 136.5 * 60, externalServices: 25, firmServices: 20, ratingSum: 8, ratingCount: 2, completeness: 0.5 },
      policy,
    );
    expect(result.scores).toEqual({ effectiveHours: 50, externalHours: 50, sharingRate: 100, externalServices: 50, firmServices: 100, rating: 80, completeness: 50 });
    // (25*50 + 20*50 + 15*100 + 10*50 + 10*100 + 10*80 + 10*50) / 100 = 65.5
    expect(result).toMatchObject({ total: 65.5, grade: '合格' });
  });

  it('leaves the rating out of the total when nobody rated, and scores no use as 0', () => {
    const result = scoreEvaluation({ ...NOTHING, completeness: 1 }, policy);
    expect(result.scores.rating).toBeNull();
    expect(result.scores.sharingRate).toBe(0);
    // Only completeness scores: 10 * 100 / 90 = 11.1
    expect(result).toMatchObject({ total: 11.1, grade: '较差' });
  });

  it('judges a group on its average: references scale with the number of instruments', () => {
    const one = { ...NOTHING, effectiveMinutes: 1400 * 60, externalMinutes: 273 * 60, externalServices: 50, firmServices: 10, completeness: 1 };
    const idle = { ...NOTHING, completeness: 0.5 };
    const group = sumEvaluationInputs([one, idle]);
    expect(group).toMatchObject({ instruments: 2, ratedHours: 2800, completeness: 0.75 });
    expect(scoreEvaluation(one, policy)).toMatchObject({ total: 100, grade: '优秀' });
    expect(scoreEvaluation(group, policy).scores).toMatchObject({ effectiveHours: 50, externalHours: 50, externalServices: 50, firmServices: 50, completeness: 75 });
  });

  it('grades on the cut-offs, inclusive', () => {
    const cutOffs = policy.cutOffs;
    expect([85, 84.9, 70, 69.9, 60, 59.9].map((total) => gradeOf(total, cutOffs))).toEqual(['优秀', '良好', '良好', '合格', '合格', '较差']);
  });

  it('refuses cut-offs out of order at boot', () => {
    expect(() => loadAppConfig({ EVALUATION_GRADE_GOOD: '90' })).toThrow(/EVALUATION_GRADE_EXCELLENT > EVALUATION_GRADE_GOOD/);
    expect(() => loadAppConfig({ PERFORMANCE_MEDIUM_UTILIZATION_PERCENT: '80' })).toThrow(/PERFORMANCE_HIGH_UTILIZATION_PERCENT/);
  });
});
