import { readFileSync } from 'node:fs';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  requestsPerSecond: number;
}

export function summarize(latenciesMs: number[], wallMs: number): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    requestsPerSecond: (sorted.length / wallMs) * 1000,
  };
}

/** Runs `work(i)` for i in [0, count) on `concurrency` lanes; returns each call's latency in ms. */
export async function runConcurrently(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies = new Array<number>(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) {
        const begin = performance.now();
        await work(index);
        latencies[index] = performance.now() - begin;
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

/** Resident set size of a process, now and at its peak (VmHWM), in MB. */
export function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { rssMb: read('VmRSS'), peakRssMb: read('VmHWM') };
}

/** A small deterministic PRNG (mulberry32), so every run sends the same mix. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function formatRow(label: string, summary: LatencySummary): string {
  const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;
  return `${label.padEnd(12)} p50 ${ms(summary.p50)}  p95 ${ms(summary.p95)}  p99 ${ms(summary.p99)}  max ${ms(summary.max)}  ${summary.requestsPerSecond.toFixed(0).padStart(6)} req/s`;
}
