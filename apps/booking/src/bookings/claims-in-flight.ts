import { overlaps } from '../availability/interval';
import type { Interval } from '../availability/interval';

interface Claim {
  time: Interval;
  /** Resolves (never rejects) when the claim has settled, won or lost. */
  settled: Promise<void>;
}

/**
 * Claims under way in this process, by instrument. A request for time that overlaps one of them
 * waits for it to settle and then looks again (`look`: the refusal from the busy-time index, which
 * by then holds the time the first one won), so when many users go after one slot at once only the
 * first reaches the database and the rest are answered from memory. Requests for other time never
 * wait, nor do those the index cannot answer (`look` resolves false: the database decides them, side
 * by side as before). Only a shortcut: the exclusion constraint decides, across processes too.
 */
export class ClaimsInFlight {
  private readonly byInstrument = new Map<string, Set<Claim>>();

  /**
   * Runs `look` (it refuses by throwing), and again after each overlapping claim in flight settles,
   * until none is in flight or `look` says looking again would not help; then runs `claim` as one
   * in flight itself.
   */
  async claim<T>(instrumentId: string, wanted: Interval, look: () => Promise<boolean>, claim: () => Promise<T>): Promise<T> {
    let decidedByLooking = await look();
    for (let other = this.overlapping(instrumentId, wanted); decidedByLooking && other; other = this.overlapping(instrumentId, wanted)) {
      await other.settled;
      decidedByLooking = await look();
    }
    let settle!: () => void;
    const own: Claim = { time: wanted, settled: new Promise<void>((resolve) => (settle = resolve)) };
    const claims = this.byInstrument.get(instrumentId) ?? new Set<Claim>();
    this.byInstrument.set(instrumentId, claims.add(own));
    try {
      return await claim();
    } finally {
      claims.delete(own);
      if (claims.size === 0) this.byInstrument.delete(instrumentId);
      settle();
    }
  }

  /** How many claims are in flight (for tests). */
  get size(): number {
    let size = 0;
    for (const claims of this.byInstrument.values()) size += claims.size;
    return size;
  }

  private overlapping(instrumentId: string, wanted: Interval): Claim | undefined {
    const claims = this.byInstrument.get(instrumentId);
    if (!claims) return undefined;
    for (const claim of claims) if (overlaps(claim.time, wanted)) return claim;
    return undefined;
  }
}
