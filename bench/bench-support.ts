import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { sign } from 'jsonwebtoken';
import { Pool } from 'pg';

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

/**
 * `lanes` clients side by side, each calling `work(lane, iteration)` `perLane` times one after the
 * other (a client that owns something, e.g. one firm's wallet); returns each call's latency in ms.
 */
export async function runLanes(lanes: number, perLane: number, work: (lane: number, iteration: number) => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let iteration = 0; iteration < perLane; iteration++) {
        const begin = performance.now();
        await work(lane, iteration);
        latencies.push(performance.now() - begin);
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

/** CPU time a process has used so far (user and system, all its threads), in ms: /proc/<pid>/stat counts clock ticks of 10 ms. */
export function cpuMsOf(pid: number): number {
  // Fields after the command name (which may hold spaces) start at the state, field 3; utime and stime are 14 and 15.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time (user and system, ms) used so far by every running process whose command is `command`
 * ('postgres': the server and its backends; 'redis-server'): where the machine's other core goes.
 * Children that exited and were waited for count in their parent's cutime/cstime (PostgreSQL's
 * postmaster reaps its backends), so a backend that ends between two readings keeps its time in
 * the total instead of taking it away (a search phase once showed -34 ms per search without it).
 */
export function cpuMsOfCommand(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== command) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14-17.
      total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
    } catch {
      // gone since the listing
    }
  }
  return total;
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

export function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, milliseconds));
}

export type Timed = <T>(step: string, work: () => Promise<T>) => Promise<T>;

/** Times named steps, logs each and keeps their seconds for the summary. */
export function stepTimer(): { timed: Timed; seconds: Record<string, number> } {
  const seconds: Record<string, number> = {};
  const timed: Timed = async (step, work) => {
    const started = performance.now();
    const result = await work();
    seconds[step] = (performance.now() - started) / 1000;
    log(`${step}: ${seconds[step].toFixed(1)} s`);
    return result;
  };
  return { timed, seconds };
}

/** The URL of a bench database on the configured server, and of the server's maintenance database. */
export function benchDatabaseUrls(serverDatabaseUrl: string, databaseName: string): { databaseUrl: string; maintenanceUrl: string } {
  const url = new URL(serverDatabaseUrl);
  url.pathname = `/${databaseName}`;
  const maintenance = new URL(serverDatabaseUrl);
  maintenance.pathname = '/postgres';
  return { databaseUrl: url.toString(), maintenanceUrl: maintenance.toString() };
}

export interface BenchApp {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a built app (dist/apps/<app>/src/main.js) as its own process in production mode on a free
 * bench port, and waits until it answers /health.
 */
export async function startBenchApp(app: 'booking' | 'worker', env: Record<string, string>, nodeArguments: string[] = []): Promise<BenchApp> {
  const port = 3900 + Math.floor(Math.random() * 90);
  const child: ChildProcess = spawn(process.execPath, [...nodeArguments, resolve(__dirname, `../apps/${app}/src/main.js`)], {
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`the ${app} app exited with code ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) break;
      } catch {
        // not up yet
      }
      if (attempt >= 200) throw new Error(`the ${app} app did not become healthy`);
      await sleep(250);
    }
    return { pid: child.pid!, port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The JWT secret the bench apps run with; bench tokens are signed with it directly (no login). */
export const BENCH_JWT_SECRET = 'bench-secret-bench-secret-bench-secret';

/** A bearer token for a bench user, as the apps sign theirs (6 hours). */
export function benchToken(user: { id: string; role: string; institutionId: string | null; regionCode?: string | null }): string {
  return sign({ sub: user.id, role: user.role, inst: user.institutionId, region: user.regionCode ?? null }, BENCH_JWT_SECRET, { algorithm: 'HS256', expiresIn: 6 * 3600 });
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface HttpClient {
  call(method: string, path: string, body?: unknown, token?: string): Promise<HttpAnswer>;
}

/** node:http with keep-alive: lighter on the shared 2 cores than fetch. */
export function httpClient(port: number, maxSockets: number): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    call(method, path, body, token) {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      return new Promise<HttpAnswer>((resolveAnswer, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: {
              ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
              ...(token !== undefined && { authorization: `Bearer ${token}` }),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}

export function expectStatus(answer: HttpAnswer, expected: number[]): void {
  if (!expected.includes(answer.status)) throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
}

/**
 * The built booking app on a bench database, signed tokens accepted, the sweeper off, its Redis
 * keys under `<databaseName>:` (deleteRedisKeys removes them), with an HTTP client of maxSockets.
 */
export async function startBookingBenchApp(
  databaseUrl: string,
  databaseName: string,
  options: { poolSize: number; maxSockets: number; nodeArguments?: string[] },
): Promise<{ pid: number; http: HttpClient; stop(): Promise<void> }> {
  const app = await startBenchApp(
    'booking',
    {
      JWT_SECRET: BENCH_JWT_SECRET,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: String(options.poolSize),
      BOOKING_SWEEP_SECONDS: '0',
      REDIS_KEY_PREFIX: `${databaseName}:`,
    },
    options.nodeArguments,
  );
  return { pid: app.pid, http: httpClient(app.port, options.maxSockets), stop: app.stop };
}

export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Loads bookings with one set-based statement per loader connection, each for its own range of
 * instruments ($1 <= position < $2, then the caller's parameters). booking's plain indexes (no
 * constraint behind them) are built after the load from their own definitions: the same indexes,
 * sorted builds instead of millions of random inserts; the key and constraint indexes stay and
 * check every row as it goes in.
 */
export async function loadBookingsInParallel(
  databaseUrl: string,
  options: { loaders: number; statement: string; params: unknown[]; step: string; timed: Timed },
): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: options.loaders });
  const onOwnConnection = async (settings: string[], statement: string, params: unknown[] = []) => {
    const client = await pool.connect();
    try {
      for (const setting of settings) await client.query(setting);
      await client.query(statement, params);
    } finally {
      client.release();
    }
  };
  try {
    const { rows: deferred } = await pool.query<{ name: string; definition: string }>(
      `SELECT x.indexrelid::regclass::text AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x WHERE x.indrelid = 'booking'::regclass
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    );
    for (const { name } of deferred) await pool.query(`DROP INDEX ${name}`);
    const [{ count }] = (await pool.query(`SELECT count(*)::int AS count FROM instrument`)).rows;
    const chunk = Math.ceil(count / options.loaders);
    const settings = [`SET synchronous_commit = off`, `SET work_mem = '64MB'`];
    await options.timed(options.step, () =>
      Promise.all(Array.from({ length: options.loaders }, (_, loader) => onOwnConnection(settings, options.statement, [loader * chunk, (loader + 1) * chunk, ...options.params]))),
    );
    await options.timed('booking indexes', () => Promise.all(deferred.map(({ definition }) => onOwnConnection([`SET maintenance_work_mem = '512MB'`], definition))));
  } finally {
    await pool.end();
  }
}
