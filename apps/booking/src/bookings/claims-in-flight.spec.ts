import { ClaimsInFlight } from './claims-in-flight';

/** A claim whose end the test decides. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ClaimsInFlight', () => {
  it('lets a claim for overlapping time look again only after the one in flight settled', async () => {
    const claims = new ClaimsInFlight();
    const events: string[] = [];
    const first = pending<string>();
    const winner = claims.claim('i1', { start: 0, end: 60 }, async () => events.push('first looks') > 0, () => first.promise);
    await flush();
    const loser = claims.claim('i1', { start: 30, end: 90 }, async (afterWaiting) => events.push(afterWaiting ? 'second looks again' : 'second looks') > 0, async () => {
      events.push('second claims');
      return 'second';
    });
    await flush();
    expect(events).toEqual(['first looks', 'second looks']);
    expect(claims.size).toBe(1);
    first.resolve('first');
    expect(await winner).toBe('first');
    expect(await loser).toBe('second');
    expect(events).toEqual(['first looks', 'second looks', 'second looks again', 'second claims']);
    expect(claims.size).toBe(0);
  });

  it('stops a waiting request when its second look refuses, and never holds up other time or instruments', async () => {
    const claims = new ClaimsInFlight();
    const first = pending<string>();
    const claimed: string[] = [];
    const winner = claims.claim('i1', { start: 0, end: 60 }, async () => true, () => first.promise);
    let looks = 0;
    const refused = claims.claim(
      'i1',
      { start: 0, end: 60 },
      async () => {
        if (++looks === 2) throw new Error('409 taken');
        return true;
      },
      async () => void claimed.push('refused one'),
    );
    const touching = claims.claim('i1', { start: 60, end: 120 }, async () => true, async () => 'touching');
    const elsewhere = claims.claim('i2', { start: 0, end: 60 }, async () => true, async () => 'elsewhere');
    expect(await touching).toBe('touching');
    expect(await elsewhere).toBe('elsewhere');
    first.resolve('first');
    await expect(refused).rejects.toThrow('409 taken');
    expect(await winner).toBe('first');
    expect(claimed).toEqual([]);
  });

  it('does not hold up a request the index cannot answer', async () => {
    const claims = new ClaimsInFlight();
    const first = pending<string>();
    const winner = claims.claim('i1', { start: 0, end: 60 }, async () => true, () => first.promise);
    expect(await claims.claim('i1', { start: 0, end: 60 }, async () => false, async () => 'capped, decided by the database')).toBe('capped, decided by the database');
    first.resolve('first');
    expect(await winner).toBe('first');
  });

  it('holds up no one with a claim the index cannot answer', async () => {
    const claims = new ClaimsInFlight();
    const undecided = pending<string>();
    const first = claims.claim('i1', { start: 0, end: 60 }, async () => false, () => undecided.promise);
    expect(claims.size).toBe(0);
    expect(await claims.claim('i1', { start: 0, end: 60 }, async () => true, async () => 'not held up')).toBe('not held up');
    undecided.resolve('first');
    expect(await first).toBe('first');
  });

  it('stops waiting after three claims that settled without taking the time', async () => {
    const claims = new ClaimsInFlight();
    const failing = Array.from({ length: 5 }, () => pending<string>());
    const leaders = failing.map((claim) => claims.claim('i1', { start: 0, end: 60 }, async () => true, () => claim.promise).catch(() => 'failed'));
    let looks = 0;
    const patient = claims.claim('i1', { start: 0, end: 60 }, async () => ++looks > 0, async () => 'claimed after waiting');
    for (const claim of failing.slice(0, 3)) {
      claim.reject(new Error('422'));
      await flush();
    }
    expect(await patient).toBe('claimed after waiting');
    expect(looks).toBe(4);
    failing.slice(3).forEach((claim) => claim.reject(new Error('422')));
    expect(await Promise.all(leaders)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
  });

  it('releases a claim that failed, so the next in line claims', async () => {
    const claims = new ClaimsInFlight();
    const first = pending<string>();
    const failing = claims.claim('i1', { start: 0, end: 60 }, async () => true, () => first.promise);
    const next = claims.claim('i1', { start: 0, end: 60 }, async () => true, async () => 'next');
    first.reject(new Error('422 not trained'));
    await expect(failing).rejects.toThrow('422 not trained');
    expect(await next).toBe('next');
    expect(claims.size).toBe(0);
  });
});
