/**
 * Work that concurrent callers share, where each caller needs a run that began after it asked (a
 * read that must see everything committed before its request): a caller joins the run in progress
 * if that began after it asked, otherwise waits for it to end and joins or starts the next one.
 */
export class SharedRound<T> {
  private round: { startedAt: number; done: Promise<T> } | null = null;

  async startedAfter(requestedAt: number, start: () => Promise<T>): Promise<T> {
    for (;;) {
      const round = this.round;
      if (round && round.startedAt >= requestedAt) return round.done;
      if (round) {
        await round.done.catch(() => undefined);
        continue;
      }
      const startedAt = performance.now();
      const done = start().finally(() => {
        if (this.round?.done === done) this.round = null;
      });
      this.round = { startedAt, done };
      return done;
    }
  }
}
