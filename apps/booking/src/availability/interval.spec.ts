import type { Interval } from './interval';
import { clipIntervals, mergeIntervals, overlaps, subtractIntervals } from './interval';

const iv = (start: number, end: number): Interval => ({ start, end });

describe('mergeIntervals', () => {
  it('sorts and joins overlapping and touching intervals', () => {
    expect(mergeIntervals([iv(20, 30), iv(0, 10), iv(10, 15), iv(12, 18), iv(40, 50)])).toEqual([iv(0, 18), iv(20, 30), iv(40, 50)]);
  });

  it('keeps an interval swallowed by an earlier one inside it', () => {
    expect(mergeIntervals([iv(0, 100), iv(10, 20), iv(30, 40)])).toEqual([iv(0, 100)]);
  });

  it('drops empty and inverted intervals', () => {
    expect(mergeIntervals([iv(5, 5), iv(9, 3), iv(1, 2)])).toEqual([iv(1, 2)]);
    expect(mergeIntervals([])).toEqual([]);
  });

  it('leaves its input untouched', () => {
    const input = [iv(10, 20), iv(0, 15)];
    mergeIntervals(input);
    expect(input).toEqual([iv(10, 20), iv(0, 15)]);
  });
});

describe('subtractIntervals', () => {
  it('splits an interval around a hole', () => {
    expect(subtractIntervals([iv(0, 100)], [iv(40, 60)])).toEqual([iv(0, 40), iv(60, 100)]);
  });

  it('lets one hole cut the end of one interval and the start of the next', () => {
    expect(subtractIntervals([iv(0, 10), iv(20, 30)], [iv(5, 25)])).toEqual([iv(0, 5), iv(25, 30)]);
  });

  it('applies several holes, unsorted and overlapping, to several intervals', () => {
    expect(subtractIntervals([iv(50, 80), iv(0, 40)], [iv(30, 35), iv(10, 20), iv(15, 22), iv(70, 90)])).toEqual([
      iv(0, 10),
      iv(22, 30),
      iv(35, 40),
      iv(50, 70),
    ]);
  });

  it('keeps time that only touches a hole, and removes time covered entirely', () => {
    expect(subtractIntervals([iv(0, 10)], [iv(10, 20)])).toEqual([iv(0, 10)]);
    expect(subtractIntervals([iv(0, 10), iv(12, 14)], [iv(-5, 15)])).toEqual([]);
    expect(subtractIntervals([iv(0, 10)], [])).toEqual([iv(0, 10)]);
  });
});

describe('clipIntervals', () => {
  it('keeps only the parts inside the window', () => {
    expect(clipIntervals([iv(0, 10), iv(15, 25), iv(30, 40), iv(50, 60)], iv(5, 35))).toEqual([iv(5, 10), iv(15, 25), iv(30, 35)]);
  });

  it('returns nothing for an empty window or intervals outside it', () => {
    expect(clipIntervals([iv(0, 10)], iv(5, 5))).toEqual([]);
    expect(clipIntervals([iv(0, 10)], iv(10, 20))).toEqual([]);
  });
});

describe('overlaps', () => {
  it('is true only when the intervals share an instant', () => {
    expect(overlaps(iv(0, 10), iv(9, 20))).toBe(true);
    expect(overlaps(iv(0, 10), iv(2, 3))).toBe(true);
    expect(overlaps(iv(0, 10), iv(10, 20))).toBe(false);
    expect(overlaps(iv(10, 20), iv(0, 10))).toBe(false);
  });

  it('treats an empty interval as overlapping nothing', () => {
    expect(overlaps(iv(5, 5), iv(0, 10))).toBe(false);
  });
});
