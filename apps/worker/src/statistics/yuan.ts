/** Fen as yuan with exactly two decimals ("1234.50"), computed on integers so no float rounding creeps in. */
export function yuanOf(fen: number | bigint | string): string {
  const value = BigInt(fen);
  const sign = value < 0n ? '-' : '';
  const magnitude = value < 0n ? -value : value;
  return `${sign}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, '0')}`;
}
