import { overlaps } from '../availability/interval';
import type { Interval } from '../availability/interval';

/** Claims in flight a request waits for, at most, before it claims regardless. */
const MAX_WAITS = 3;

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
   * Runs `look` (it refuses by throwing), and again after each overlapping claim in flight settles
   * (`afterWaiting` true: it must see what that claim wrote),
   * until none is in flight; then runs `claim`, as one in flight itself when `look` decided (a claim
   * the index cannot decide is left to the database and holds up no one). A request gives up
   * waiting after MAX_WAITS claims that settled without taking its time, so a run of failing
   * claims cannot keep it waiting.
   */
  async claim<T>(instrumentId: string, wanted: Interval, look: (afterWaiting: boolean) => Promise<boolean>, claim: () => Promise<T>): Promise<T> {
    let decidedByLooking = await look(false);
    for (let waits = 0, other = this.overlapping(instrumentId, wanted); decidedByLooking && other && waits < MAX_WAITS; waits++) {
      await other.settled;
      decidedByLooking = await look(true);
      other = this.overlapping(instrumentId, wanted);
    }
    if (!decidedByLooking) return claim();
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
