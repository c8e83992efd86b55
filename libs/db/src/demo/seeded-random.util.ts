import { createHash } from 'node:crypto';

/** 32-bit FNV-1a of a label, used to give each part of the generator its own random stream. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < label.length; index++) {
    hash ^= label.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A small seeded PRNG (the mulberry32 mixing function): the same seed always yields the same
 * sequence, which is what makes the demo catalog reproducible. Not for anything secret.
 */
export class SeededRandom {
  private state: number;

  constructor(private readonly seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * An independent stream for one concern, derived from the seed (not from the draws so far),
   * so adding draws in one place does not shift another.
   */
  fork(label: string): SeededRandom {
    return new SeededRandom(hashLabel(`${this.seed >>> 0}:${label}`));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let mixed = this.state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SeededRandom.pick: empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct items in random order (all of them when the list is shorter). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    this.shuffle(copy);
    return copy.slice(0, Math.min(count, copy.length));
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1));
      [items[index], items[other]] = [items[other], items[index]];
    }
    return items;
  }

  /** Digits as a string, leading zeros kept (phone numbers, asset numbers). */
  digits(count: number): string {
    let text = '';
    for (let index = 0; index < count; index++) text += Math.floor(this.next() * 10);
    return text;
  }
}

/** Picks items with probability proportional to their weight: O(log n) per draw by binary search. */
export class WeightedPicker<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weightOf: (item: T) => number,
  ) {
    let total = 0;
    for (const item of items) {
      const weight = weightOf(item);
      if (!(weight >= 0)) throw new Error(`WeightedPicker: weight must be >= 0, got ${weight}`);
      total += weight;
      this.cumulative.push(total);
    }
    if (total <= 0) throw new Error('WeightedPicker: the weights add up to zero');
    this.total = total;
  }

  pick(random: SeededRandom): T {
    const target = random.next() * this.total;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low];
  }
}

/** murmur3's 32-bit finaliser: a bijection on 32-bit integers with good avalanche. */
function mix32(value: number): number {
  let mixed = value >>> 0;
  mixed ^= mixed >>> 16;
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  mixed ^= mixed >>> 16;
  return mixed >>> 0;
}

const hex8 = (word: number): string => word.toString(16).padStart(8, '0');

/**
 * Deterministic ids for one kind of row: index -> a UUID in version 4 layout (accepted by every
 * validator). The kind and seed are hashed once into four keys; each 32-bit word is a bijection of
 * the index, so ids of one kind never collide, and an id depends only on (seed, kind, index), not
 * on the order in which the generator draws its random values.
 */
export function deterministicUuids(seed: number, kind: string): (index: number) => string {
  const digest = createHash('sha256').update(`instrument-marketplace-demo:${seed}:${kind}`).digest();
  const keys = [0, 4, 8, 12].map((offset) => digest.readUInt32BE(offset));
  return (index) => {
    if (!Number.isInteger(index) || index < 0 || index > 0xffff_ffff) throw new RangeError(`id index out of range: ${index}`);
    const [first, second, third, fourth] = keys.map((key, word) => mix32(key ^ mix32(index + word * 0x9e37_79b9)));
    const versioned = ((second & 0xffff_0fff) | 0x0000_4000) >>> 0;
    const variant = ((third & 0x3fff_ffff) | 0x8000_0000) >>> 0;
    const middle = hex8(versioned);
    const last = hex8(variant);
    return `${hex8(first)}-${middle.slice(0, 4)}-${middle.slice(4)}-${last.slice(0, 4)}-${last.slice(4)}${hex8(fourth)}`;
  };
}
