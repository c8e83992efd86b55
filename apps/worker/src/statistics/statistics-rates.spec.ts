import { EMPTY_SUMS, addSums, averageOf, figuresOf, hoursOf, rateOf } from './statistics-rates';

describe('statistics rates', () => {
  it('derives hours and rates, null where the denominator is zero', () => {
    expect(hoursOf(90)).toBe(1.5);
    expect(hoursOf(50)).toBe(0.83);
    expect(rateOf(1, 3)).toBe(0.3333);
    expect(rateOf(5, 0)).toBeNull();
    expect(averageOf(9, 2)).toBe(4.5);
    expect(averageOf(0, 0)).toBeNull();
  });

  it('computes utilization against rated and open hours and the sharing rate', () => {
    const figures = figuresOf({ ...EMPTY_SUMS, instruments: 1, openMinutes: 600, effectiveMinutes: 300, externalMinutes: 60, ratedHours: 10, ratingSum: 9, ratingCount: 2 });
    expect(figures).toMatchObject({ effectiveHours: 5, utilizationRated: 0.5, utilizationOpen: 0.5, sharingRate: 0.2, averageRating: 4.5 });
    expect(figuresOf(EMPTY_SUMS)).toMatchObject({ utilizationRated: null, utilizationOpen: null, sharingRate: null, averageRating: null });
  });

  it('adds sums field by field', () => {
    const one = { ...EMPTY_SUMS, instruments: 1, openMinutes: 10, revenueFen: 5, ratedHours: 0.5 };
    expect(addSums(one, one)).toEqual({ ...EMPTY_SUMS, instruments: 2, openMinutes: 20, revenueFen: 10, ratedHours: 1 });
  });
});
