import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { quoteIdentifier } from '@app/db';

/** Where the test run's databases live; the server is the one in TEST_DATABASE_SERVER_URL or the local default. */
export function testServerUrl(database = 'postgres'): string {
  const url = new URL(process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh name per run, so runs never see each other's state. */
export function testRunId(): string {
  const id = process.env.TEST_RUN_ID;
  if (!id) throw new Error('TEST_RUN_ID is not set: run the e2e tests through jest (test/support/global-setup.ts)');
  return id;
}

export function templateDatabaseName(runId = testRunId()): string {
  return `im_test_${runId}_template`;
}

async function withServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Clones the run's migrated template into a database of its own (fast: a file copy, no migrations). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `im_test_${testRunId()}_${randomBytes(4).toString('hex')}`;
  await withServer(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(templateDatabaseName())}`);
        return;
      } catch (error) {
        // Two clones starting at once may find the template busy; wait and retry.
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return { name, url: testServerUrl(name), drop: () => dropDatabase(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await withServer((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`));
}

/** Drops every database of a run (its template and clones). */
export async function dropRunDatabases(runId: string): Promise<string[]> {
  return withServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`im\\_test\\_${runId}\\_%`],
    );
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(row.datname)} WITH (FORCE)`);
    return rows.map((row) => row.datname);
  });
}

/** Drops databases of runs that started longer ago than maxAgeMs (run ids begin with the start time in base 36). */
export async function dropStaleRunDatabases(maxAgeMs: number): Promise<string[]> {
  return withServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'im\\_test\\_%'`);
    const stale = rows
      .map((row) => row.datname)
      .filter((name) => {
        const startedAt = parseInt(name.split('_')[2] ?? '', 36);
        return Number.isFinite(startedAt) && Date.now() - startedAt > maxAgeMs;
      });
    for (const name of stale) await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    return stale;
  });
}
