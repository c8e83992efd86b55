import './register-paths';
import Redis from 'ioredis';
import { dropRunDatabases } from '@app/testing/test-database';
import { testRedisPrefix } from '@app/testing/test-environment';

/** Drops the run's databases and deletes its Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.TEST_RUN_ID;
  if (!runId) return;
  await dropRunDatabases(runId);
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${testRedisPrefix(runId)}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
