import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { RedisClient, withTimeout } from '@app/common';
import { AppConfig } from '@app/config';
import type { InstitutionKind, SharingMode } from '@app/db';
import { buildSearchQuery, parseTsQuery } from '@app/search';
import type { TsQueryExpression } from '@app/search';
import { INSTRUMENT_LISTING_SQL, listingFragments } from '../instruments/instrument-views';
import { CATALOG_VERSION_KEY } from '../search-cache/search-result.cache';
import { IndexedInstrument, InstrumentSearchIndex } from './instrument-search-index';
import { SharedRound } from './shared-round';

/** Without news from Redis (a lost version bump, Redis down), the index still re-reads changes this often. */
const MAX_STALENESS_MS = 5_000;
/** Rebuild once the documents appended since loading exceed this share of the whole. */
const REBUILD_SHARE = 0.1;
const REBUILD_MINIMUM = 2_000;
/** Small batches die young, so loading does not grow the old heap (and the RSS) with garbage. */
const LOAD_BATCH = 500;
const TSQUERY_CACHE_SIZE = 1_000;

export type SearchIndexState = 'disabled' | 'loading' | 'ready' | 'failed';

interface IndexedRow {
  instrument_id: string;
  institution_id: string;
  sharing_mode: SharingMode;
  category_code: string;
  region_code: string;
  offers_self_operated: boolean;
  offers_sample_submission: boolean;
  external_price_fen: string | null;
  original_value_fen: string;
  created_micros: number;
  /** Lexemes joined by spaces: one string per row parses far faster than a text[] (lexemes never hold spaces). */
  lexemes: string | null;
  title_lexemes: string | null;
  listing: string;
  change_seq: string;
}

/** An institution's names as result pages show them (instruments refer to it by id). */
export interface InstitutionNames {
  nameZh: string;
  nameEn: string | null;
  kind: InstitutionKind;
}

const INDEXED_COLUMNS = `
  e.instrument_id, e.institution_id, e.sharing_mode, e.category_code, e.region_code, e.offers_self_operated,
  e.offers_sample_submission, e.external_price_fen, e.original_value_fen,
  (extract(epoch FROM e.created_at) * 1000000)::float8 AS created_micros,
  array_to_string(tsvector_to_array(t.document), ' ') AS lexemes, array_to_string(tsvector_to_array(t.title), ' ') AS title_lexemes,
  ${INSTRUMENT_LISTING_SQL} AS listing,
  greatest(e.change_seq, t.change_seq) AS change_seq`;

/** Every write to instrument rewrites its entry (trigger instrument_search_sync), so its listing is as current as the entry. */
const INDEXED_TABLES = `instrument_search_entry e JOIN instrument i ON i.id = e.instrument_id LEFT JOIN instrument_search_text t USING (instrument_id)`;

const INSTITUTION_NAMES = `SELECT id, name_zh, name_en, kind FROM institution`;

/**
 * Owns this replica's in-memory search index: loads it in the background at start (searches run in
 * PostgreSQL until it is ready), and before each search brings it up to date with every committed
 * catalog write. Writers bump the catalog version in Redis after commit; a search that sees a new
 * version first reads the rows whose change number is above the last one seen (see the migration
 * SearchChangeTracking), so a search sent after a write answered, to any replica, includes it.
 */
@Injectable()
export class InstrumentSearchIndexService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InstrumentSearchIndexService.name);
  private index: InstrumentSearchIndex | null = null;
  /** Highest change number applied to the index. */
  private watermark = 0;
  private syncedVersion: string | null = null;
  private syncedAt = 0;
  /** Concurrent searches share one version read and one catch-up, each begun after they arrived. */
  private readonly versionReads = new SharedRound<string | null>();
  private readonly syncRounds = new SharedRound<void>();
  private rebuilding: Promise<void> | null = null;
  private stopped = false;
  private loadFailed = false;
  private loadedAt: Date | null = null;
  private readonly tsqueries = new Map<string, TsQueryExpression | null>();
  /** Institutions' names for result pages: read with the index, again whenever the catalog version moves (institution edits bump it too). */
  private institutionNames = new Map<string, InstitutionNames>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RedisClient) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SEARCH_INDEX_ENABLED) this.startRebuild();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.rebuilding;
  }

  status(): { state: SearchIndexState; documents: number; appended: number; loadedAt?: string } {
    const state: SearchIndexState = !this.config.SEARCH_INDEX_ENABLED
      ? 'disabled'
      : this.index
        ? 'ready'
        : this.loadFailed
          ? 'failed'
          : 'loading';
    return { state, documents: this.index?.documentCount ?? 0, appended: this.index?.appended ?? 0, loadedAt: this.loadedAt?.toISOString() };
  }

  /** Resolves once the first load has finished (or failed); for tests and benchmarks. */
  async whenLoaded(): Promise<boolean> {
    await this.rebuilding;
    return this.index !== null;
  }

  /**
   * The index, current with every catalog write committed before this call, or null when searches
   * must run in SQL (still loading, disabled, or the database could not be read).
   */
  async current(): Promise<InstrumentSearchIndex | null> {
    if (!this.index) return null;
    const requestedAt = performance.now();
    try {
      const version = await this.versionReads.startedAfter(requestedAt, () => this.catalogVersion());
      const stale = version === null ? performance.now() - this.syncedAt > 1_000 : version !== this.syncedVersion;
      if (stale || performance.now() - this.syncedAt > MAX_STALENESS_MS) await this.syncRounds.startedAfter(requestedAt, () => this.applyChanges(version));
      return this.index;
    } catch (error) {
      this.logger.warn(`search index could not catch up, searching in SQL: ${(error as Error).message}`);
      return null;
    }
  }

  /** Names of an institution for result pages, as of the last catch-up (current() brings it up to date). */
  institution(id: string): InstitutionNames | undefined {
    return this.institutionNames.get(id);
  }

  /** The user's text as PostgreSQL analyses it (stemming, stop words), parsed; cached per text. */
  async textQuery(q: string): Promise<TsQueryExpression | null | undefined> {
    const cached = this.tsqueries.get(q);
    if (cached !== undefined || this.tsqueries.has(q)) {
      this.tsqueries.delete(q);
      this.tsqueries.set(q, cached!);
      return cached;
    }
    const built = buildSearchQuery(q, 1);
    if (!built) return undefined;
    const [row]: { tsquery: string }[] = await this.dataSource.query(`SELECT (${built.sql})::text AS tsquery`, built.params);
    const expression = parseTsQuery(row.tsquery);
    if (this.tsqueries.size >= TSQUERY_CACHE_SIZE) this.tsqueries.delete(this.tsqueries.keys().next().value!);
    this.tsqueries.set(q, expression);
    return expression;
  }

  private async catalogVersion(): Promise<string | null> {
    try {
      return (await withTimeout(this.redis.get(CATALOG_VERSION_KEY), 250)) ?? '0';
    } catch {
      return null;
    }
  }

  /** Applies every row changed after the watermark, in one statement (one snapshot). */
  private async applyChanges(version: string | null): Promise<void> {
    const index = this.index;
    const from = this.watermark;
    const rows: IndexedRow[] = await this.dataSource.query(
      `WITH changed AS (
         SELECT instrument_id FROM instrument_search_entry WHERE change_seq > $1
         UNION SELECT instrument_id FROM instrument_search_text WHERE change_seq > $1)
       SELECT ${INDEXED_COLUMNS}
       FROM changed JOIN instrument_search_entry e USING (instrument_id)
       JOIN instrument i ON i.id = e.instrument_id LEFT JOIN instrument_search_text t USING (instrument_id)`,
      [from],
    );
    // Read after the instruments: an institution an instrument refers to committed before it did.
    // Only when something was written (a new version) or Redis cannot tell: the table is small but not free.
    const institutions = version === null || version !== this.syncedVersion ? await this.readInstitutionNames(this.dataSource.manager) : null;
    // A rebuild swapped the index meanwhile: it has its own watermark, and the next search catches it up.
    if (index !== this.index || !index) return;
    let watermark = from;
    for (const row of rows) {
      index.upsert(toIndexed(row));
      watermark = Math.max(watermark, Number(row.change_seq));
    }
    this.watermark = watermark;
    if (institutions) this.institutionNames = institutions;
    this.syncedVersion = version;
    this.syncedAt = performance.now();
    if (rows.length > 0) this.logger.debug(`search index: ${rows.length} changed instruments applied`);
    if (index.appended > Math.max(REBUILD_MINIMUM, index.documentCount * REBUILD_SHARE)) this.startRebuild();
  }

  private startRebuild(): void {
    if (this.rebuilding) return;
    this.rebuilding = this.rebuild()
      .catch((error: Error) => {
        this.loadFailed = this.index === null;
        this.logger.error(`search index load failed, searches run in SQL: ${error.message}`);
      })
      .finally(() => (this.rebuilding = null));
  }

  /** Reads the whole catalog in one snapshot, in batches, into a fresh index, then swaps it in. */
  private async rebuild(): Promise<void> {
    const started = performance.now();
    const version = await this.catalogVersion();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      const [{ documents, watermark }]: { documents: number; watermark: string }[] = await runner.query(
        `SELECT (SELECT count(*)::int FROM instrument_search_entry) AS documents,
                greatest((SELECT max(change_seq) FROM instrument_search_entry), (SELECT max(change_seq) FROM instrument_search_text), 0) AS watermark`,
      );
      const frequencies = async (column: 'document' | 'title') =>
        new Map(
          ((await runner.query(`SELECT word, ndoc FROM ts_stat('SELECT ${column} FROM instrument_search_text')`)) as { word: string; ndoc: number }[]).map(
            (row) => [row.word, row.ndoc],
          ),
        );
      const index = new InstrumentSearchIndex(documents, await frequencies('document'), await frequencies('title'));
      // One cursor over one plan: batches by keyset would re-plan and re-walk the text table each time.
      await runner.query(
        `DECLARE instrument_index_load NO SCROLL CURSOR FOR
         SELECT ${INDEXED_COLUMNS} FROM ${INDEXED_TABLES} ORDER BY e.instrument_id`,
      );
      for (;;) {
        if (this.stopped) return;
        const rows: IndexedRow[] = await runner.query(`FETCH ${LOAD_BATCH} FROM instrument_index_load`);
        for (const row of rows) index.load(toIndexed(row));
        if (rows.length < LOAD_BATCH) break;
      }
      const institutions = await this.readInstitutionNames(runner.manager);
      await runner.commitTransaction();
      index.seal();
      // Once per process: later rebuilds find the search code compiled.
      if (!this.index) {
        index.warmUp();
        await this.warmUpTextAnalysis();
      }
      this.index = index;
      this.institutionNames = institutions;
      this.watermark = Number(watermark);
      this.syncedVersion = version;
      this.syncedAt = performance.now();
      this.loadedAt = new Date();
      this.loadFailed = false;
      this.logger.log(`search index loaded: ${index.documentCount} instruments in ${Math.round(performance.now() - started)} ms`);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * Analyses one text the way a search does, outside the cache, on every pooled connection at once:
   * the first analysis builds the OpenCC and synonym tables (about 20 ms of blocked event loop), and
   * searches served from the index no longer open the pool's connections, so the first burst of new
   * texts would otherwise wait for connections and for each backend to load the text search setup.
   */
  private async warmUpTextAnalysis(): Promise<void> {
    const built = buildSearchQuery('質譜 mass spectrometers', 1);
    if (!built) return;
    const analyse = () => this.dataSource.query(`SELECT (${built.sql})::text AS tsquery, pg_sleep(0.05)`, built.params);
    // Only a warm-up: a failure here is the next search's to report.
    await Promise.all(Array.from({ length: this.config.DATABASE_POOL_SIZE }, analyse)).catch(() => undefined);
  }

  private async readInstitutionNames(manager: EntityManager): Promise<Map<string, InstitutionNames>> {
    const rows: { id: string; name_zh: string; name_en: string | null; kind: InstitutionKind }[] = await manager.query(INSTITUTION_NAMES);
    return new Map(rows.map((row) => [row.id, { nameZh: row.name_zh, nameEn: row.name_en, kind: row.kind }]));
  }
}

function toIndexed(row: IndexedRow): IndexedInstrument {
  return {
    instrumentId: row.instrument_id,
    institutionId: row.institution_id,
    sharingMode: row.sharing_mode,
    categoryCode: row.category_code,
    regionCode: row.region_code,
    offersSelfOperated: row.offers_self_operated,
    offersSampleSubmission: row.offers_sample_submission,
    externalPriceFen: row.external_price_fen === null ? null : Number(row.external_price_fen),
    originalValueFen: Number(row.original_value_fen),
    createdAtMicros: row.created_micros,
    lexemes: row.lexemes ? row.lexemes.split(' ') : [],
    titleLexemes: row.title_lexemes ? row.title_lexemes.split(' ') : [],
    listing: listingFragments(row.listing),
  };
}
