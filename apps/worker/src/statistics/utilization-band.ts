import type { AppConfig } from '@app/config';

export const UTILIZATION_BANDS = ['low', 'medium', 'high', 'fully_booked'] as const;
/** How busy an instrument was, as buyers see it: never the exact hours. */
export type UtilizationBand = (typeof UTILIZATION_BANDS)[number];

export interface UtilizationBandPolicy {
  /** At or above this utilization (0-1) of the rated hours: medium. */
  medium: number;
  /** Above this utilization (0-1): high. */
  high: number;
  /** At or above this many effective hours a year: fully booked, whatever the rated hours. */
  fullyBookedHours: number;
}

export function utilizationBandPolicyOf(config: AppConfig): UtilizationBandPolicy {
  return {
    medium: config.PERFORMANCE_MEDIUM_UTILIZATION_PERCENT / 100,
    high: config.PERFORMANCE_HIGH_UTILIZATION_PERCENT / 100,
    fullyBookedHours: config.FULLY_BOOKED_HOURS,
  };
}

/**
 * low: under `medium` of the rated hours; medium: from `medium` up to and including `high`; high:
 * above `high`; fully_booked: at least `fullyBookedHours` effective hours in the year (DOMAIN.md:
 * 1,200 h/year), which a special-purpose instrument (800 rated hours) can reach only above 100%.
 */
export function utilizationBand(effectiveHours: number, ratedHours: number, policy: UtilizationBandPolicy): UtilizationBand {
  if (effectiveHours >= policy.fullyBookedHours) return 'fully_booked';
  const utilization = ratedHours > 0 ? effectiveHours / ratedHours : 0;
  if (utilization > policy.high) return 'high';
  if (utilization >= policy.medium) return 'medium';
  return 'low';
}
