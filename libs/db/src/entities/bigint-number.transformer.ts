import { ValueTransformer } from 'typeorm';

/**
 * Money is stored as bigint fen; node-postgres returns bigint as a string.
 * Amounts stay far below 2^53 fen (90 trillion yuan), so a JS integer holds them exactly.
 */
export const bigintNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : Number(value)),
};
