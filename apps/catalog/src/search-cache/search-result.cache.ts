import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { RedisClient, withTimeout } from '@app/common';
import { AppConfig } from '@app/config';

/** Bumped after every committed catalog write; the search cache and the search index watch it. */
export const CATALOG_VERSION_KEY = 'catalog:version';

export interface CachedSearch<Counts, Items> {
  version: string;
  countsKey: string;
  itemsKey: string;
  counts?: Counts;
  items?: Items;
}

interface SearchShape {
  q?: string;
  sort: string;
  page: number;
  pageSize: number;
  [filter: string]: unknown;
}

/**
 * Search results in Redis, per visibility scope: the total and facets per query (shared by every
 * page and sort order), and each page. Every catalog write bumps one version number, which every
 * entry carries, so a change is visible at once on every replica; TTL bounds what a lost bump costs.
 * Redis trouble never fails a search: it only makes it a miss.
 */
@Injectable()
export class SearchResultCache {
  private readonly logger = new Logger(SearchResultCache.name);
  private readonly ttlSeconds: number;

  constructor(
    @Inject(RedisClient) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.ttlSeconds = config.SEARCH_CACHE_TTL_SECONDS;
  }

  async read<Counts, Items>(scope: string, query: SearchShape): Promise<CachedSearch<Counts, Items>> {
    // Switched off: no keys to hash (write does nothing either).
    if (this.ttlSeconds === 0) return { version: '0', countsKey: '', itemsKey: '' };
    const { sort, page, pageSize, ...matching } = query;
    const countsKey = `search:counts:${scope}:${digest(matching)}`;
    const itemsKey = `search:items:${scope}:${digest({ ...matching, sort, page, pageSize })}`;
    try {
      const [version, counts, items] = await withTimeout(this.redis.mget(CATALOG_VERSION_KEY, countsKey, itemsKey), 250);
      const current = version ?? '0';
      return {
        version: current,
        countsKey,
        itemsKey,
        counts: unpack<Counts>(counts, current),
        items: unpack<Items>(items, current),
      };
    } catch (error) {
      this.logger.warn(`search cache read failed: ${(error as Error).message}`);
      return { version: 'unavailable', countsKey, itemsKey };
    }
  }

  /** Stores what was computed; the response does not wait for it. */
  write<Counts, Items>(entry: CachedSearch<Counts, Items>, counts: Counts, items: Items): void {
    if (this.ttlSeconds === 0 || entry.version === 'unavailable') return;
    const pipeline = this.redis.pipeline();
    if (!entry.counts) pipeline.set(entry.countsKey, JSON.stringify({ v: entry.version, data: counts }), 'EX', this.ttlSeconds);
    if (!entry.items) pipeline.set(entry.itemsKey, JSON.stringify({ v: entry.version, data: items }), 'EX', this.ttlSeconds);
    pipeline.exec().catch((error: Error) => this.logger.warn(`search cache write failed: ${error.message}`));
  }

  /** Called after every committed catalog write: all cached results become stale at once. */
  async invalidate(): Promise<void> {
    try {
      await withTimeout(this.redis.incr(CATALOG_VERSION_KEY), 1_000);
    } catch (error) {
      this.logger.warn(`search cache invalidation failed (results may be stale for ${this.ttlSeconds} s): ${(error as Error).message}`);
    }
  }
}

function digest(value: Record<string, unknown>): string {
  const canonical = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => [key, value[key]]);
  return createHash('sha1').update(JSON.stringify(canonical)).digest('base64url');
}

function unpack<T>(raw: string | null, version: string): T | undefined {
  if (!raw) return undefined;
  const parsed = JSON.parse(raw) as { v: string; data: T };
  return parsed.v === version ? parsed.data : undefined;
}
