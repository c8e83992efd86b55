import Redis from 'ioredis';
import { withTimeout } from '@app/common';
import type { AppConfig } from '@app/config';

/**
 * BullMQ keeps its keys under its own prefix and refuses ioredis's keyPrefix, so queues get a
 * connection of their own, prefixed `<REDIS_KEY_PREFIX>bull`.
 */
export function queuePrefix(config: AppConfig): string {
  return `${config.REDIS_KEY_PREFIX}bull`;
}

/**
 * A producer's connection: fails fast while Redis is away (no offline queue), so the outbox relay
 * leaves messages in PostgreSQL and retries instead of piling them up in memory.
 */
export function createProducerConnection(config: AppConfig): Redis {
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
}

/** A worker's connection: BullMQ's blocking commands need unlimited retries per request. */
export function createWorkerConnection(config: AppConfig): Redis {
  return new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
}

/**
 * Resolves once the connection is ready, rejects after the timeout: producers without an offline
 * queue wait here instead of failing on their first command after (re)connecting.
 */
export async function connectionReady(connection: Redis, milliseconds = 2_000): Promise<void> {
  if (connection.status === 'ready') return;
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = () => resolve();
    connection.once('ready', onReady);
  });
  await withTimeout(ready, milliseconds)
    .catch(() => {
      throw new Error(`Redis connection is ${connection.status}`);
    })
    .finally(() => connection.off('ready', onReady));
}
