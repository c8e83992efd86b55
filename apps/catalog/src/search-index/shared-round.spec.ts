import { SharedRound } from './shared-round';

describe('SharedRound', () => {
  it('lets callers that asked before a run started share it, and gives later ones the next run', async () => {
    const rounds = new SharedRound<number>();
    const finishers: (() => void)[] = [];
    let started = 0;
    const start = () => {
      const run = ++started;
      return new Promise<number>((resolve) => finishers.push(() => resolve(run)));
    };
    const first = rounds.startedAfter(performance.now(), start);
    const joining = rounds.startedAfter(performance.now() - 1_000, start);
    const later = rounds.startedAfter(performance.now() + 1, start);
    expect(started).toBe(1);
    finishers[0]();
    expect(await first).toBe(1);
    expect(await joining).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(2);
    finishers[1]();
    expect(await later).toBe(2);
  });
});
