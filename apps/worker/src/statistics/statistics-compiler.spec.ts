import { INSTRUMENT_SLICES, slicesOf } from './statistics-compiler';

describe('slicesOf (the slice locks a compile takes)', () => {
  it('locks exactly its own slice for each run slice', () => {
    INSTRUMENT_SLICES.forEach((slice, digit) => expect(slicesOf(slice)).toEqual([digit]));
  });

  it('locks every slice for all instruments, and the slice of one instrument', () => {
    expect(slicesOf({})).toEqual(Array.from({ length: 16 }, (_, digit) => digit));
    expect(slicesOf({ instrumentId: 'B1234567-89ab-4def-8123-456789abcdef' })).toEqual([11]);
  });

  it('locks a slice a bound falls inside', () => {
    expect(slicesOf({ idFrom: '2a000000-0000-0000-0000-000000000000', idBelow: '4b000000-0000-0000-0000-000000000000' })).toEqual([2, 3, 4]);
  });
});
