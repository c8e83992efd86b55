import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { HttpClient } from './http-client';

export interface AppProcess {
  baseUrl: string;
  http: HttpClient;
  pid: number;
  stop(): Promise<void>;
  /** Kills the process at once (SIGKILL: no shutdown hooks run), as a crash would, and waits for it to be gone. */
  kill(): Promise<void>;
}

/**
 * Starts a built app (dist/, from `npm run build`) as a process of its own on a free port, as a
 * deployment runs replicas, and waits until it answers /health. The port is one the system just
 * handed out; another process may still take it before the app listens (a random port once
 * collided with a connection's), so an app that exits before answering is started again on
 * another port, up to three times.
 */
export async function startAppProcess(app: 'catalog' | 'booking' | 'worker' | 'web', env: Record<string, string>): Promise<AppProcess> {
  const entry = resolve(__dirname, `../../../dist/apps/${app}/src/main.js`);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first (npm test does)`);
  for (let start = 1; ; start++) {
    try {
      return await startOnce(app, entry, env, await freePort());
    } catch (error) {
      if (!(error instanceof ExitedBeforeAnswering) || start === 3) throw error;
    }
  }
}

class ExitedBeforeAnswering extends Error {}

/** A port nothing listens on now: the one the system picks for a listener on port 0. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

async function startOnce(app: string, entry: string, env: Record<string, string>, port: number): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, [entry], {
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new ExitedBeforeAnswering(`${app} exited with ${child.exitCode} before answering`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return { baseUrl, http: new HttpClient(baseUrl), pid: child.pid!, stop, kill };
    } catch {
      // not listening yet
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 100));
  }
  await stop();
  throw new Error(`${app} did not answer /health within 15 s`);
}
