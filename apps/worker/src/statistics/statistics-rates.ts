/** Hours from minutes, to two decimals (minutes stay the exact figure). */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 100) / 100;
}

/** numerator / denominator to four decimals; null when the denominator is zero (a rate of nothing). */
export function rateOf(numerator: number, denominator: number): number | null {
  if (!(denominator > 0)) return null;
  return Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** Average of a sum over a count to two decimals; null without any. */
export function averageOf(sum: number, count: number): number | null {
  if (!(count > 0)) return null;
  return Math.round((sum / count) * 100) / 100;
}

/** What a group's compiled days add up to; every figure of a summary is derived from these. */
export interface SummarySums {
  instruments: number;
  instrumentDays: number;
  openMinutes: number;
  bookedMinutes: number;
  effectiveMinutes: number;
  externalMinutes: number;
  /** Exact (not rounded) rated hours of the compiled days. */
  ratedHours: number;
  services: number;
  revenueFen: number;
  noShows: number;
  ratingSum: number;
  ratingCount: number;
}

export const EMPTY_SUMS: SummarySums = {
  instruments: 0,
  instrumentDays: 0,
  openMinutes: 0,
  bookedMinutes: 0,
  effectiveMinutes: 0,
  externalMinutes: 0,
  ratedHours: 0,
  services: 0,
  revenueFen: 0,
  noShows: 0,
  ratingSum: 0,
  ratingCount: 0,
};

/** Field by field sum (groups never share an instrument, so instruments add up too). */
export function addSums(a: SummarySums, b: SummarySums): SummarySums {
  const sum = { ...a };
  for (const key of Object.keys(EMPTY_SUMS) as (keyof SummarySums)[]) sum[key] = a[key] + b[key];
  return sum;
}

/** The figures staff read: hours, utilization against rated and open hours, sharing rate, average rating. */
export function figuresOf(sums: SummarySums) {
  return {
    instruments: sums.instruments,
    instrumentDays: sums.instrumentDays,
    openMinutes: sums.openMinutes,
    bookedMinutes: sums.bookedMinutes,
    effectiveMinutes: sums.effectiveMinutes,
    externalMinutes: sums.externalMinutes,
    openHours: hoursOf(sums.openMinutes),
    bookedHours: hoursOf(sums.bookedMinutes),
    effectiveHours: hoursOf(sums.effectiveMinutes),
    externalHours: hoursOf(sums.externalMinutes),
    ratedHours: Math.round(sums.ratedHours * 100) / 100,
    utilizationRated: rateOf(sums.effectiveMinutes / 60, sums.ratedHours),
    utilizationOpen: rateOf(sums.effectiveMinutes, sums.openMinutes),
    sharingRate: rateOf(sums.externalMinutes, sums.effectiveMinutes),
    services: sums.services,
    revenueFen: sums.revenueFen,
    noShows: sums.noShows,
    ratingCount: sums.ratingCount,
    averageRating: averageOf(sums.ratingSum, sums.ratingCount),
  };
}
