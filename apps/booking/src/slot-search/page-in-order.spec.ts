import { pageInOrder } from './page-in-order';

interface Item {
  first: number;
  price: number;
  id: string;
}

const byFirstThenPriceThenId = (a: Item, b: Item) => a.first - b.first || a.price - b.price || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Deterministic pseudo-random items with many equal starts and prices, as a search finds them. */
function items(count: number, seed: number): Item[] {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  return Array.from({ length: count }, (_, index) => ({ first: Math.floor(next() * 20), price: Math.floor(next() * 5), id: `id-${index.toString().padStart(5, '0')}` }));
}

describe('pageInOrder', () => {
  it.each([
    [2418, 0, 20],
    [2418, 20, 20],
    [2418, 480, 20],
    [2418, 2400, 20],
    [433, 0, 20],
    [15, 0, 20],
    [15, 10, 20],
    [0, 0, 20],
  ])('gives what sort and slice give: %i items, offset %i, %i a page', (count, offset, pageSize) => {
    const found = items(count, count + offset);
    const expected = [...found].sort(byFirstThenPriceThenId).slice(offset, offset + pageSize);
    expect(pageInOrder(found, offset, pageSize, byFirstThenPriceThenId)).toEqual(expected);
  });

  it('leaves the items as they were', () => {
    const found = items(1000, 7);
    const copy = [...found];
    pageInOrder(found, 0, 20, byFirstThenPriceThenId);
    expect(found).toEqual(copy);
  });
});
