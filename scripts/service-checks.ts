import Redis from 'ioredis';
import { Client } from 'pg';

export interface ServiceProblem {
  service: 'PostgreSQL' | 'Redis';
  url: string;
  reason: string;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Connects to the server (its 'postgres' database, since ours may not exist yet). */
export async function checkPostgres(databaseUrl: string): Promise<ServiceProblem | null> {
  const serverUrl = new URL(databaseUrl);
  serverUrl.pathname = '/postgres';
  const client = new Client({ connectionString: serverUrl.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return { service: 'PostgreSQL', url: redactUrl(databaseUrl), reason: describe(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(redisUrl: string): Promise<ServiceProblem | null> {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // ioredis reports the cause (ECONNREFUSED ...) as an 'error' event and rejects with a generic one.
  let cause: unknown;
  redis.on('error', (error) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return { service: 'Redis', url: redactUrl(redisUrl), reason: describe(cause ?? error) };
  } finally {
    redis.disconnect();
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: string })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
