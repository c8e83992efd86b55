import { SeededRandom, WeightedPicker, deterministicUuids } from './seeded-random.util';

const UUID_V4_LAYOUT = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 20 }, () => random.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const random = new SeededRandom(1);
    const buckets = new Array(10).fill(0);
    let outside = 0;
    for (let index = 0; index < 100_000; index++) {
      const value = random.next();
      if (!(value >= 0 && value < 1)) outside++;
      else buckets[Math.floor(value * 10)]++;
    }
    expect(outside).toBe(0);
    for (const bucket of buckets) expect(Math.abs(bucket - 10_000)).toBeLessThan(600);
  });

  it('forks streams that depend on the seed and label only, not on earlier draws', () => {
    const fresh = new SeededRandom(7);
    const used = new SeededRandom(7);
    for (let index = 0; index < 100; index++) used.next();
    expect(fresh.fork('names').next()).toBe(used.fork('names').next());
    expect(fresh.fork('names').next()).not.toBe(fresh.fork('slots').next());
  });

  it('draws integers within both bounds', () => {
    const random = new SeededRandom(3);
    const seen = new Set<number>();
    for (let index = 0; index < 1_000; index++) seen.add(random.int(2, 5));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });
});

describe('WeightedPicker', () => {
  it('picks in proportion to the weights and never a zero-weight item', () => {
    const picker = new WeightedPicker(['rare', 'common', 'never'], (item) => ({ rare: 1, common: 9, never: 0 })[item] ?? 0);
    const random = new SeededRandom(5);
    const counts: Record<string, number> = { rare: 0, common: 0, never: 0 };
    for (let index = 0; index < 20_000; index++) counts[picker.pick(random)]++;
    expect(counts.never).toBe(0);
    expect(counts.rare / 20_000).toBeGreaterThan(0.08);
    expect(counts.rare / 20_000).toBeLessThan(0.12);
  });

  it('refuses weights that add up to nothing', () => {
    expect(() => new WeightedPicker(['a'], () => 0)).toThrow(/zero/);
  });
});

describe('deterministicUuids', () => {
  it('gives stable, unique ids in UUID version 4 layout', () => {
    const ids = deterministicUuids(20261125, 'instrument');
    const again = deterministicUuids(20261125, 'instrument');
    const seen = new Set<string>();
    for (let index = 0; index < 200_000; index++) {
      const id = ids(index);
      seen.add(id);
      if (index % 10_000 === 0) {
        expect(id).toMatch(UUID_V4_LAYOUT);
        expect(again(index)).toBe(id);
      }
    }
    expect(seen.size).toBe(200_000);
  });

  it('depends on the seed and the kind', () => {
    expect(deterministicUuids(1, 'instrument')(0)).not.toBe(deterministicUuids(2, 'instrument')(0));
    expect(deterministicUuids(1, 'instrument')(0)).not.toBe(deterministicUuids(1, 'institution')(0));
  });
});
