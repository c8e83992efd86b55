/**
 * `npm start`: checks PostgreSQL and Redis, prepares the database (create, migrate, regions,
 * demo data when empty), starts every app, prints their URLs and stops them all on Ctrl-C.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError, loadAppConfig } from '@app/config';
import { prepareDatabase } from '@app/db';
import { BOOKING_NODE_ARGUMENTS } from '../apps/booking/src/booking-node-arguments';
import { CATALOG_NODE_ARGUMENTS } from '../apps/catalog/src/catalog-node-arguments';
import { seedDemoDataIfEmpty } from './demo-seeding';
import { checkPostgres, checkRedis } from './service-checks';

interface AppSpec {
  name: string;
  port: number;
  entry: string;
  envPortKey: string;
  nodeArguments?: readonly string[];
}

const APPS: AppSpec[] = [
  { name: 'catalog', port: 3001, entry: 'apps/catalog/src/main.js', envPortKey: 'CATALOG_PORT', nodeArguments: CATALOG_NODE_ARGUMENTS },
  { name: 'booking', port: 3002, entry: 'apps/booking/src/main.js', envPortKey: 'BOOKING_PORT', nodeArguments: BOOKING_NODE_ARGUMENTS },
  { name: 'worker', port: 3003, entry: 'apps/worker/src/main.js', envPortKey: 'WORKER_PORT' },
  { name: 'web', port: 3000, entry: 'apps/web/src/main.js', envPortKey: 'WEB_PORT' },
];

const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m'];
const RESET = '\x1b[0m';

function fail(message: string): never {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }

  const problems = (await Promise.all([checkPostgres(config.DATABASE_URL), checkRedis(config.REDIS_URL)])).filter((problem) => problem !== null);
  if (problems.length > 0) {
    fail(
      problems.map((problem) => `${problem.service} is not reachable at ${problem.url} (${problem.reason}).`).join('\n') +
        '\nStart it with `docker compose up -d` (docker-compose.yml is in this folder), or set DATABASE_URL / REDIS_URL to a running server.',
    );
  }

  log(`preparing database ${config.databaseName} ...`);
  const prepared = await prepareDatabase(config);
  log(
    `${prepared.created ? 'created database, ' : ''}${prepared.migrationsRun.length} migration(s) applied, ${prepared.regions} regions loaded`,
  );
  const seeded = await seedDemoDataIfEmpty(config, log);
  if (seeded) log(seeded);

  for (const app of APPS) app.port = Number(process.env[app.envPortKey] ?? app.port);
  // The web server proxies /api/<service> to the services on the ports chosen here.
  const serviceUrls = Object.fromEntries(
    APPS.filter((app) => app.name !== 'web').map((app) => [`${app.name.toUpperCase()}_URL`, `http://127.0.0.1:${app.port}`]),
  );
  const children = APPS.map((app, index) => startApp(app, COLORS[index % COLORS.length], serviceUrls));
  let stopping = false;
  const stopAll = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping ...');
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
    const deadline = setTimeout(() => {
      for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
    }, 10_000);
    deadline.unref();
    Promise.all(children.map(({ exited }) => exited)).then(() => process.exit(exitCode));
  };
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
  for (const { app, exited } of children) {
    void exited.then((code) => {
      if (!stopping) {
        log(`${app.name} exited with code ${code}; stopping the others`);
        stopAll(code === 0 ? 1 : code ?? 1);
      }
    });
  }

  const ready = await Promise.all(children.map(({ app }) => waitForHealth(app)));
  if (stopping) return;
  const lines = children.map(({ app }, index) => {
    const base = `http://localhost:${app.port}`;
    return `  ${app.name.padEnd(8)} ${base}   docs ${base}/docs   health ${base}/health${ready[index] ? '' : '   (not healthy yet)'}`;
  });
  const webApp = APPS.find((app) => app.name === 'web')!;
  process.stdout.write(
    `\nInstrument marketplace is running. Open http://localhost:${webApp.port} in a browser.\n${lines.join('\n')}\n` +
      `Demo accounts: researcher@ firm@ labmanager@ staff@ admin@demo.example, password demo-password\n` +
      `Press Ctrl-C to stop.\n\n`,
  );
}

function startApp(app: AppSpec, color: string, serviceUrls: Record<string, string>): { app: AppSpec; child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...(app.nodeArguments ?? []), resolve(__dirname, '..', app.entry)], {
    env: { ...serviceUrls, ...process.env, PORT: String(app.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `${color}${app.name.padEnd(8)}|${RESET} `;
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix}${line}\n`));
  }
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return { app, child, exited };
}

async function waitForHealth(app: AppSpec, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${app.port}/health`);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 300));
  }
  return false;
}

function log(message: string): void {
  process.stdout.write(`[start] ${message}\n`);
}

main().catch((error) => fail(`npm start failed: ${error instanceof Error ? error.message : String(error)}`));
