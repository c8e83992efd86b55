import type { FeeUnit } from '@app/db';

export interface FeeQuote {
  unit: FeeUnit;
  /** Rate per unit in fen: the internal one for members of the owner institution, the external one otherwise. */
  rateFen: number;
  amountFen: number;
  internal: boolean;
}

export interface FeeLine {
  unit: FeeUnit;
  internalRateFen: number;
  externalRateFen: number;
}

/**
 * The fee for a use of the instrument, from its primary fee line, in integer fen: per hour by the
 * minute (rounded half up to the fen), per started day, per sample (at least one), per run.
 */
export function quoteFee(line: FeeLine | null, usage: { minutes: number; sampleCount: number | null; internal: boolean }): FeeQuote | null {
  if (!line) return null;
  const rateFen = usage.internal ? line.internalRateFen : line.externalRateFen;
  return { unit: line.unit, rateFen, amountFen: amountFor(line.unit, rateFen, usage), internal: usage.internal };
}

function amountFor(unit: FeeUnit, rateFen: number, usage: { minutes: number; sampleCount: number | null }): number {
  switch (unit) {
    case 'hour':
      return Math.floor((rateFen * usage.minutes + 30) / 60);
    case 'day':
      return rateFen * Math.max(1, Math.ceil(usage.minutes / 1440));
    case 'sample':
      return rateFen * Math.max(1, usage.sampleCount ?? 1);
    case 'run':
      return rateFen;
  }
}

/** The late-cancellation fee: a share of the quote, rounded down to the fen. */
export function lateCancellationFee(quoteFen: number | null, percent: number): number {
  return quoteFen === null ? 0 : Math.floor((quoteFen * percent) / 100);
}
