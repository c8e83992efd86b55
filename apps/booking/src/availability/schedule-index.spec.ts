import { busyIn, parseBusy, withBusyChanges } from './schedule-index';
import type { IndexedInstrument } from './schedule-index';

const rows = (busy: Float64Array): number[][] => Array.from({ length: busy.length / 3 }, (_, index) => Array.from(busy.subarray(index * 3, index * 3 + 3)));

describe('withBusyChanges', () => {
  const held = parseBusy('100,200,;300,400,350;500,Infinity,');

  it('adds a new block in start order', () => {
    expect(rows(withBusyChanges(held, '250,280,'))).toEqual([
      [100, 200, NaN],
      [250, 280, NaN],
      [300, 400, 350],
      [500, Infinity, NaN],
    ]);
  });

  it('removes a block no longer there and adds at either end', () => {
    expect(rows(withBusyChanges(held, '300,,;50,60,;600,700,650'))).toEqual([
      [50, 60, NaN],
      [100, 200, NaN],
      [500, Infinity, NaN],
      [600, 700, 650],
    ]);
  });

  it('replaces a block at the same start (a hold confirmed, an end moved) and moves one to another start', () => {
    expect(rows(withBusyChanges(held, '300,450,;100,,;150,220,'))).toEqual([
      [150, 220, NaN],
      [300, 450, NaN],
      [500, Infinity, NaN],
    ]);
  });

  it('leaves the array it was given as it was (a request may still be reading it)', () => {
    const before = rows(held);
    withBusyChanges(held, '100,,;300,,');
    expect(rows(held)).toEqual(before);
  });

  it('gives busyIn what a fresh parse of the same blocks gives', () => {
    const changed = withBusyChanges(held, '300,,;320,380,');
    const instrument = { busy: changed } as IndexedInstrument;
    const fresh = { busy: parseBusy('100,200,;320,380,;500,Infinity,') } as IndexedInstrument;
    expect(busyIn(instrument, { start: 0, end: 1000 }, 0)).toEqual(busyIn(fresh, { start: 0, end: 1000 }, 0));
    expect(busyIn(instrument, { start: 210, end: 330 }, 0)).toEqual([{ start: 320, end: 380 }]);
  });
});
