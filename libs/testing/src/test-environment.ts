import { randomBytes } from 'node:crypto';
import { AppConfig, loadAppConfig } from '@app/config';
import { testRunId } from './test-database';

/** The configuration an app under test runs with: its own database and Redis key prefix. */
export function testAppConfig(databaseUrl: string, overrides: Record<string, string> = {}): AppConfig {
  return loadAppConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_KEY_PREFIX: `${testRedisPrefix()}${randomBytes(3).toString('hex')}:`,
    // Tests compile statistics when they mean to.
    STATISTICS_BACKFILL_DAYS: '0',
    ...overrides,
  });
}

/** Every Redis key a run writes starts with this; global teardown deletes them. */
export function testRedisPrefix(runId = testRunId()): string {
  return `im_test:${runId}:`;
}
