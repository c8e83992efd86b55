/**
 * bench/catalog-search: 100,000 instruments, a fixed mix of 500 searches sent through HTTP by 16
 * concurrent clients, and the very same SQL statements sent through pg with the same concurrency,
 * in the same run. Prints p50/p95/p99 of both, the HTTP/SQL ratio and the catalog's peak RSS.
 * Targets on the 2-core machine: HTTP p99 <= 50 ms, peak RSS <= 250 MB.
 *
 *   npm run bench                    (BENCH_INSTRUMENTS=20000 for a quicker run)
 *   BENCH_CPU_PROFILE=<dir>          also a CPU profile of the catalog over each measured HTTP run (bench/cpu-profile.ts)
 *   BENCH_CACHED_FIRST=1             the cache-on HTTP run first (to tell a run-order effect from the configuration's)
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { Pool } from 'pg';
import { loadAppConfig } from '@app/config';
import { prepareDatabase, quoteIdentifier } from '@app/db';
import { seedDemoData } from '@app/db/setup/seed-demo-data';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@app/db';
import { SearchInstrumentsQuery } from '../apps/catalog/src/instruments/dto/search-instruments.query';
import { InstrumentAccessPolicy } from '../apps/catalog/src/instruments/instrument-access.policy';
import {
  buildSearchCountStatement,
  buildSearchPageStatement,
  buildTextSearchStatement,
} from '../apps/catalog/src/instruments/instrument-search.statements';
import { INSTRUMENT_SUMMARY_SELECT } from '../apps/catalog/src/instruments/instrument-views';
import { CATALOG_NODE_ARGUMENTS } from '../apps/catalog/src/catalog-node-arguments';
import { cpuMsOf, formatRow, memoryOf, runConcurrently, seededRandom, summarize } from './bench-support';

const INSTRUMENTS = Number(process.env.BENCH_INSTRUMENTS ?? 100_000);
const SEARCHES = 500;
const CONCURRENCY = 16;
const WARM_UP = 100;
const WARM_UP_SEED = 9_001;
const TARGET_P99_MS = 50;
const TARGET_PEAK_RSS_MB = 250;

type SearchParams = Record<string, string | number>;

const MEASURED_WORDS = {
  chinese: ['质谱', '电镜', '色谱', '光谱', '核磁', '显微', '激光', '测序', '衍射', '荧光', '流式', '热分', '粒度', '拉曼', '红外', '能谱', '探伤', '示波', '成像', '離心'],
  english: ['microscope', 'spectrometer', 'chromatograph', 'laser', 'analyzer', 'diffractometer', 'cytometer', 'sequencer', 'oscilloscope', 'calorimeter'],
};
/** Words of the warm-up, none of them in the measured mix: the code paths get warm, the cache of analysed texts does not. */
const WARM_UP_WORDS = {
  chinese: ['天平', '电泳', '纯水', '培养', '恒温', '硬度', '振动', '光度', '滴定'],
  english: ['centrifuge', 'balance', 'incubator', 'electrophoresis', 'titrator'],
};

/** The fixed mix: Chinese 2-character terms, English words, filters only, filter + text, deep pages. */
function searchMix(seed = 500, words = MEASURED_WORDS, searches = SEARCHES): { kind: string; params: SearchParams }[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const { chinese, english } = words;
  const categories = ['010000', '010200', '010100', '010101', '020000', '010500', '040000', '010800'];
  const regions = ['330100', '330200', '330300', '330106', '330702', '331000', '330400', '330600'];
  const filters = (): SearchParams => {
    const params: SearchParams = {};
    const choices = ['category', 'region', 'serviceMode', 'price', 'value'];
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i++) {
      switch (pick(choices)) {
        case 'category':
          params.category = pick(categories);
          break;
        case 'region':
          params.region = pick(regions);
          break;
        case 'serviceMode':
          params.serviceMode = pick(['self_operated', 'sample_submission']);
          break;
        case 'price':
          params.maxPriceFen = pick([30_000, 60_000, 100_000, 200_000]);
          break;
        case 'value':
          params.minValueFen = pick([50_000_000, 100_000_000, 500_000_000]);
          break;
      }
    }
    return params;
  };
  const sorted = (params: SearchParams): SearchParams =>
    random() < 0.25 ? { ...params, sort: pick(['price_asc', 'value_desc', 'newest']) } : params;
  const mix: { kind: string; params: SearchParams }[] = [];
  for (let i = 0; i < searches; i++) {
    const roll = random();
    if (roll < 0.3) mix.push({ kind: 'zh-term', params: sorted({ q: pick(chinese) }) });
    else if (roll < 0.5) mix.push({ kind: 'en-word', params: sorted({ q: pick(english) }) });
    else if (roll < 0.7) mix.push({ kind: 'filters', params: sorted(filters()) });
    else if (roll < 0.9) mix.push({ kind: 'filter+text', params: sorted({ ...filters(), q: pick([...chinese, ...english]) }) });
    else mix.push({ kind: 'deep-page', params: { ...(random() < 0.5 ? { q: pick(chinese) } : filters()), page: 10 + Math.floor(random() * 40) } });
  }
  return mix;
}

async function main(): Promise<void> {
  const config = loadAppConfig({ ...process.env, NODE_ENV: 'development' });
  const databaseName = `im_bench_${Date.now().toString(36)}`;
  const url = new URL(config.DATABASE_URL);
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();
  const admin = new Pool({ connectionString: (() => { const server = new URL(config.DATABASE_URL); server.pathname = '/postgres'; return server.toString(); })(), max: 1 });
  try {
    log(`database ${databaseName}: migrating and loading ${INSTRUMENTS.toLocaleString('en')} instruments ...`);
    await prepareDatabase(config, databaseUrl);
    const loader = new DataSource({ ...buildDataSourceOptions(config, { url: databaseUrl, poolSize: 1 }) });
    await loader.initialize();
    const seeded = await loader.transaction((manager) => seedDemoData(manager, config, { instrumentCount: INSTRUMENTS, seed: 100_000, bookings: false }));
    await loader.query('VACUUM ANALYZE instrument');
    await loader.destroy();
    log(`loaded ${seeded.instruments} instruments of ${seeded.institutions} institutions in ${(seeded.milliseconds / 1000).toFixed(1)} s`);

    const mix = searchMix();
    const pool = new Pool({ connectionString: databaseUrl, max: config.DATABASE_POOL_SIZE });
    const anonymous = new InstrumentAccessPolicy().readableCondition(undefined, 'i', 1);
    const statements = mix.map(({ params }) => {
      const query = plainToInstance(SearchInstrumentsQuery, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
      return {
        text: buildTextSearchStatement(anonymous, query),
        count: buildSearchCountStatement(anonymous, query),
        page: buildSearchPageStatement(anonymous, query),
      };
    });
    const paths = mix.map(({ params }) => `/instruments?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`);

    // The SQL side runs what the service runs on a cache miss: with text, one pass then the page's rows;
    // without, the count and page statements side by side.
    const sqlSearch = async (index: number) => {
      const { text, count, page } = statements[index];
      if (text) {
        // As the service does: sequential scans off for text statements, in one transaction.
        const client = await pool.connect();
        let rows;
        try {
          await client.query('BEGIN');
          await client.query('SET LOCAL enable_seqscan = off');
          ({ rows } = await client.query(text.sql, text.params));
          await client.query('COMMIT');
        } finally {
          client.release();
        }
        if (rows[0].page_ids.length > 0) await pool.query(`${INSTRUMENT_SUMMARY_SELECT} WHERE i.id = ANY($1::uuid[])`, [rows[0].page_ids]);
      } else {
        await Promise.all([pool.query(count.sql, count.params), pool.query(page.sql, page.params)]);
      }
    };

    log(`warming up PostgreSQL (${WARM_UP} searches) ...`);
    await runConcurrently(WARM_UP, CONCURRENCY, (i) => sqlSearch(i % SEARCHES));
    log(`SQL: ${SEARCHES} searches, ${CONCURRENCY} concurrent clients ...`);
    const sqlRun = await runConcurrently(SEARCHES, CONCURRENCY, sqlSearch);
    await pool.end();

    // HTTP twice: every search computed (cache off), then as deployed (Redis result cache, starting cold).
    // BENCH_CACHED_FIRST=1 swaps the two HTTP runs, to tell a run-order effect from the configuration's.
    const cachedFirst = process.env.BENCH_CACHED_FIRST === '1';
    const first = await measureHttp(databaseUrl, databaseName, paths, { SEARCH_CACHE_TTL_SECONDS: cachedFirst ? '60' : '0' });
    const second = await measureHttp(databaseUrl, databaseName, paths, { SEARCH_CACHE_TTL_SECONDS: cachedFirst ? '0' : '60' });
    const [uncached, cached] = cachedFirst ? [second, first] : [first, second];
    const sql = summarize(sqlRun.latencies, sqlRun.wallMs);
    const http = summarize(uncached.latencies, uncached.wallMs);
    const httpCached = summarize(cached.latencies, cached.wallMs);
    const memory = { rssMb: Math.max(uncached.memory.rssMb, cached.memory.rssMb), peakRssMb: Math.max(uncached.memory.peakRssMb, cached.memory.peakRssMb) };
    const httpRun = uncached;

    const byKind = new Map<string, number[]>();
    mix.forEach(({ kind }, index) => byKind.set(kind, [...(byKind.get(kind) ?? []), httpRun.latencies[index]]));

    const report = [
      '',
      `bench/catalog-search: ${INSTRUMENTS.toLocaleString('en')} instruments, ${SEARCHES} searches, ${CONCURRENCY} concurrent clients, pool ${config.DATABASE_POOL_SIZE}`,
      formatRow('SQL (pg)', sql),
      formatRow('HTTP nocache', http),
      formatRow('HTTP cached', httpCached),
      `HTTP/SQL     (no cache) p50 ${(http.p50 / sql.p50).toFixed(2)}x  p95 ${(http.p95 / sql.p95).toFixed(2)}x  p99 ${(http.p99 / sql.p99).toFixed(2)}x  throughput ${(http.requestsPerSecond / sql.requestsPerSecond).toFixed(2)}x`,
      `HTTP/SQL     (cached)   p50 ${(httpCached.p50 / sql.p50).toFixed(2)}x  p95 ${(httpCached.p95 / sql.p95).toFixed(2)}x  p99 ${(httpCached.p99 / sql.p99).toFixed(2)}x  throughput ${(httpCached.requestsPerSecond / sql.requestsPerSecond).toFixed(2)}x`,
      `catalog RSS  end ${memory.rssMb.toFixed(0)} MB, peak ${memory.peakRssMb.toFixed(0)} MB`,
      // Less noisy than latency on a shared machine: the catalog's own CPU per search (the load generator and PostgreSQL share the cores).
      `catalog CPU  per search: ${uncached.cpuMsPerSearch.toFixed(2)} ms (no cache), ${cached.cpuMsPerSearch.toFixed(2)} ms (cached)`,
      `HTTP p99 by kind (no cache): ${[...byKind].map(([kind, values]) => `${kind} ${summarize(values, 1).p99.toFixed(1)} ms`).join(', ')}`,
      `targets      HTTP p99 <= ${TARGET_P99_MS} ms: no cache ${http.p99 <= TARGET_P99_MS ? 'met' : 'NOT met'}, cached ${httpCached.p99 <= TARGET_P99_MS ? 'met' : 'NOT met'}; peak RSS <= ${TARGET_PEAK_RSS_MB} MB: ${memory.peakRssMb <= TARGET_PEAK_RSS_MB ? 'met' : 'NOT met'}`,
      '',
    ].join('\n');
    process.stdout.write(report);
    mkdirSync(resolve(process.cwd(), 'bench/results'), { recursive: true });
    writeFileSync(
      resolve(process.cwd(), `bench/results/catalog-search-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
      JSON.stringify(
        { instruments: INSTRUMENTS, searches: SEARCHES, concurrency: CONCURRENCY, sql, http, httpCached, memory, cpuMsPerSearch: { http: uncached.cpuMsPerSearch, httpCached: cached.cpuMsPerSearch } },
        null,
        2,
      ),
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(databaseName)} WITH (FORCE)`);
    await admin.end();
  }
}

/** Starts the built catalog app on the bench database, warms it up, sends the mix, stops it. */
async function measureHttp(
  databaseUrl: string,
  databaseName: string,
  paths: string[],
  env: Record<string, string>,
): Promise<{ latencies: number[]; wallMs: number; cpuMsPerSearch: number; memory: { rssMb: number; peakRssMb: number } }> {
  const port = 3900 + Math.floor(Math.random() * 90);
  // Started as npm start starts it, with the same Node options.
  const profiling = process.env.BENCH_CPU_PROFILE ? ['--require', resolve(__dirname, 'cpu-profile.js')] : [];
  const catalog: ChildProcess = spawn(process.execPath, [...CATALOG_NODE_ARGUMENTS, ...profiling, resolve(__dirname, '../apps/catalog/src/main.js')], {
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'production',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      REDIS_KEY_PREFIX: `${databaseName}:${env.SEARCH_CACHE_TTL_SECONDS}:`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl);
    await waitForSearchIndex(baseUrl);
    const get = async (path: string) => {
      const response = await fetch(`${baseUrl}${path}`);
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 200)}`);
    };
    // Warm-up with searches of every kind in the mix but other words (filters drawn apart), as a
    // running catalog has served before: its code is compiled, yet the measured texts are new to it.
    const warmUp = searchMix(WARM_UP_SEED, WARM_UP_WORDS, WARM_UP).map(({ params }) => `/instruments?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]))}`);
    await runConcurrently(WARM_UP, CONCURRENCY, (i) => get(warmUp[i]));
    log(`HTTP (${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}): ${paths.length} searches, ${CONCURRENCY} concurrent clients ...`);
    if (profiling.length > 0) catalog.kill('SIGWINCH');
    const cpuBefore = cpuMsOf(catalog.pid!);
    const run = await runConcurrently(paths.length, CONCURRENCY, (index) => get(paths[index]));
    const cpuMsPerSearch = (cpuMsOf(catalog.pid!) - cpuBefore) / paths.length;
    if (profiling.length > 0) {
      catalog.kill('SIGWINCH');
      await new Promise((resolveDelay) => setTimeout(resolveDelay, 1_000));
    }
    return { ...run, cpuMsPerSearch, memory: memoryOf(catalog.pid!) };
  } finally {
    catalog.kill('SIGTERM');
    await new Promise((resolveExit) => catalog.once('exit', resolveExit));
  }
}

async function waitForHealth(baseUrl: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 250));
  }
  throw new Error('the catalog app did not become healthy');
}

/** Searches are measured on the in-memory index, as deployed; until it is loaded they would run in SQL. */
async function waitForSearchIndex(baseUrl: string): Promise<void> {
  const started = performance.now();
  for (;;) {
    const status = (await (await fetch(`${baseUrl}/search-index`)).json()) as { state: string; documents: number };
    if (status.state !== 'loading') {
      log(`search index ${status.state}: ${status.documents.toLocaleString('en')} instruments after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return;
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 250));
  }
}

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
