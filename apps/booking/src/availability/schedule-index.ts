import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { queryPrepared } from '@app/db';
import type { ServiceMode, SharingMode } from '@app/db';
import { bookingRulesFromRow, DEFAULT_BOOKING_RULES } from './instrument-schedule';
import type { BookingRules } from './instrument-schedule';
import type { Interval } from './interval';
import { openIntervals } from './opening-hours';
import type { DateClosure, DateException, OpeningRules, WeeklyWindow } from './opening-hours';
import { dateExceptionsFromRow, instrumentScheduleColumns } from './slot-context';
import type { InstrumentScheduleRow } from './slot-context';
import type { VisibleInstrument } from '../instruments/booking-access.policy';

/** What free slots and the earliest-slot search know of one instrument, held in memory. */
export interface IndexedInstrument {
  id: string;
  institutionId: string;
  regionCode: string;
  sharingMode: SharingMode;
  serviceModes: readonly ServiceMode[];
  timeZone: string;
  rules: BookingRules;
  weekly: readonly WeeklyWindow[];
  /** Every exception and institution closure, sorted by date; `openingAround` picks those near a range. */
  exceptions: readonly DateException[];
  closures: readonly DateClosure[];
  /** Every time_block row by start: [start, end, expiresAt or NaN] in epoch milliseconds, three numbers a row. */
  busy: Float64Array;
  /** The weekly hours alone as opening rules, and as text: what ranges without exceptions or closures share. */
  weeklyOnly: OpeningRules;
  weeklyKey: string;
  /** Its catalog search entry (what the earliest-slot search filters on); null without one. */
  searchEntry: SearchEntry | null;
}

/** The instrument_search_entry columns the earliest-slot search filters on. */
export interface SearchEntry {
  institutionId: string;
  sharingMode: SharingMode;
  /** What BookingAccessPolicy.canSee looks at, as the search entry says it. */
  visibility: VisibleInstrument;
  categoryCodes: { 1: string; 2: string | null; 3: string };
  regionCodes: { 1: string; 2: string; 3: string };
  offersSelfOperated: boolean;
  offersSampleSubmission: boolean;
  externalPriceFen: number | null;
}

/** Change-log rows live at least this long; a replica that has not synced for longer reloads. */
const PRUNE_AFTER_MINUTES = 10;

interface IndexRow extends InstrumentScheduleRow {
  id: string;
  exists: boolean;
  institution_id: string;
  region_code: string;
  sharing_mode: SharingMode;
  service_modes: ServiceMode[];
  /** The search entry's columns as [institution_id, sharing_mode, category_l1_code, category_l2_code, category_code, province_code, city_code, region_code, offers_self_operated, offers_sample_submission, external_price_fen], or null. */
  search_entry: [string, SharingMode, string, string | null, string, string, string, string, boolean, boolean, number | null] | null;
  /** start,end,expires;... in epoch ms (end Infinity when unbounded, expires empty for none): cheaper to parse than JSON. */
  busy: string;
}

/** A row of CHANGES_STATEMENT: the header (id null), or an instrument's changed blocks. */
interface ChangesRow {
  sync_snapshot: string;
  /** How many TRUNCATEs of tracked tables there have been: they bypass the log, so a change means reload. */
  voided_count: string;
  stale: boolean;
  /** On the header: instruments to read whole (their schedule or catalog entry changed); null for none. */
  whole: string[] | null;
  id: string | null;
  /** 'start,end,expires;...' for each start a write named (end empty: no block starts there now). */
  busy_changes: string | null;
}

interface SyncRound {
  ids: Set<string>;
  /** Load every instrument. */
  all: boolean;
  /** Resolves to the ids asked for in this round that name no instrument. */
  done: Promise<Set<string>>;
}

/**
 * Busy time and schedules of instruments, in memory, exactly as current as a fresh read.
 *
 * Writers: every statement writing time_block, hours, exceptions, rules, closures, an instrument
 * or its catalog search entry adds (instrument_id, changed_xid = its transaction id) to time_block_change (statement-level
 * triggers, migration 1765000000000); nothing is serialized. A time_block write logs, per block it
 * inserted, deleted or moved, the block's start (old and new) beside the instrument (migration
 * 1765200000000); the other tables log no start, meaning "read the instrument whole".
 *
 * Reader: one changes statement per sync, hence one snapshot S. It reads the ids logged by transactions
 * the previous sync's snapshot P did not see (changed_xid >= xmin(P) and not visible in P) and,
 * for those and for the instruments not held yet, their whole current state as S sees it, and
 * remembers S as the next P. Why no change is missed: a transaction T that wrote instrument X and
 * is not visible in S was either running when S was taken or got its id later; either way S does
 * not see it, and its log row carries that id and becomes visible exactly when T's writes do (same
 * transaction). So every change S did not show is picked up by the first later sync that sees T
 * committed; every change S shows was either in X's state as read in S or in a state read
 * earlier and not changed since. Ids below xmin(P) were all decided when P was taken, so P's
 * visibility settles them. Only transactions P did not see are read again, so a long-running
 * transaction holding xmin back does not make every sync re-read what it already applied.
 * pg_current_xact_id() in the trigger is the top-level id even inside a savepoint.
 * An instrument held whose only unseen changes are blocks is not read whole: for each start named
 * the sync reads the block starting there in S (if any) and replaces what the index holds at that
 * start. The same argument applies per start: every block that differs between the state held and
 * S starts (before or after the change) at a start some unseen transaction logged, so busy time
 * corrected at those starts equals S's. A booking then costs each replica's sync one indexed
 * lookup instead of the instrument's whole busy time and schedule.
 * Instruments read whole are read by a second statement (only when there are any), which may see
 * a later snapshot than S: what it adds beyond S is logged by transactions S did not see, so the
 * next sync (from S) applies it again, and re-reading is harmless.
 * Syncs of one process run one at a time, so states are applied in snapshot order; a request
 * waits for a sync that starts after it arrived, so it sees every write committed before it.
 *
 * Pruning (pruneChanges, from the sweeper) deletes log rows below an xmin seen at least
 * PRUNE_AFTER_MINUTES ago and records that bound in time_block_change_horizon in the same
 * transaction; a reader whose xmin(P) is below it may have lost rows, drops everything it holds
 * and reloads lazily. TRUNCATE bypasses the row triggers: a statement trigger counts it in the same
 * row (voided_count), and a reader that sees the count move reloads the same way.
 *
 * Between requests a sync runs every SCHEDULE_SYNC_INTERVAL_MS when none is under way, so a burst
 * of writes with no reads in between is applied a little at a time instead of by the next request
 * (after 4,400 bookings without a read, that request took 2.1 s).
 *
 * Every instrument is loaded at boot in the background (the search filters them in memory); until
 * then, or after a reload, free slots load the one instrument they need inside their sync
 * statement. Memory: 24 bytes per time_block row plus the schedule and catalog filter columns,
 * with equal hours, rules, closures and codes held once (SharedValues).
 */
@Injectable()
export class ScheduleIndex implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly instruments = new Map<string, IndexedInstrument>();
  /** The last sync's snapshot, as text (pg_snapshot); null before the first. */
  private syncedSnapshot: string | null = null;
  /** time_block_change_horizon.voided_count as the last sync saw it; null before the first. */
  private syncedVoidedCount: string | null = null;
  /** The round requests join until it starts; null while none waits. */
  private nextRound: SyncRound | null = null;
  /** The last round started (or finished), so rounds run one after another. */
  private lastRound: Promise<unknown> = Promise.resolve();
  /** Whether every instrument is held (after `everyInstrument` loaded them, until a reload). */
  private complete = false;

  private backgroundSync: NodeJS.Timeout | null = null;

  private readonly logger = new Logger(ScheduleIndex.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * The instrument as the last sync left it, without syncing: it may miss writes committed since
   * (at most SCHEDULE_SYNC_INTERVAL_MS old while requests are few). Only for answers that a
   * fresher read could only make stricter, never for a refusal; undefined when not held.
   */
  held(id: string): IndexedInstrument | undefined {
    return this.instruments.get(id);
  }

  /** Loads every instrument in the background, so that the first search does not wait for it. */
  onApplicationBootstrap(): void {
    const started = performance.now();
    this.everyInstrument().then(
      () => this.logger.log(`schedule index: ${this.size().instruments} instruments, ${this.size().busyRows} busy rows loaded in ${Math.round(performance.now() - started)} ms`),
      (error: Error) => this.logger.warn(`schedule index: loading every instrument failed (${error.message}); the first search loads them`),
    );
    const interval = this.config.SCHEDULE_SYNC_INTERVAL_MS;
    if (interval > 0) {
      this.backgroundSync = setInterval(() => {
        // Only when idle and loaded: requests sync themselves, and the boot load is still running otherwise.
        if (this.nextRound || !this.complete) return;
        this.sync([]).catch((error: Error) => this.logger.warn(`schedule index: background sync failed (${error.message})`));
      }, interval);
      this.backgroundSync.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.backgroundSync) clearInterval(this.backgroundSync);
    this.backgroundSync = null;
  }

  /**
   * The current state of the instruments `ids` (those that exist), after a sync that started
   * after this call: it includes every write committed before.
   */
  async current(ids: readonly string[]): Promise<Map<string, IndexedInstrument>> {
    let absent = await this.sync(ids.filter((id) => !this.instruments.has(id)));
    // After a reload (a stale log) the ones held before are gone: ask again for what is missing.
    for (let attempt = 0; ids.some((id) => !this.instruments.has(id) && !absent.has(id)); attempt++) {
      if (attempt === 3) throw new Error('schedule index: instruments kept disappearing while loading');
      absent = await this.sync(ids.filter((id) => !this.instruments.has(id)));
    }
    const found = new Map<string, IndexedInstrument>();
    for (const id of ids) {
      const instrument = this.instruments.get(id);
      if (instrument) found.set(id, instrument);
    }
    return found;
  }

  /**
   * Deletes change-log rows below the xmin recorded at least PRUNE_AFTER_MINUTES ago and records
   * that bound, in one statement; the recorded xmin moves on to the current one. Replicas that
   * synced since (every active one) lose nothing; one idle for longer sees `stale` and reloads.
   * Any replica may run it: the horizon row's lock makes concurrent runs prune once.
   */
  async pruneChanges(): Promise<number> {
    const [{ pruned }]: { pruned: number }[] = await this.dataSource.query(
      `WITH horizon AS (
         UPDATE time_block_change_horizon
         SET pruned_below = next_below, next_below = pg_snapshot_xmin(pg_current_snapshot()), next_below_at = now()
         WHERE next_below_at <= now() - make_interval(mins => $1)
         RETURNING pruned_below),
       deleted AS (DELETE FROM time_block_change WHERE changed_xid < (SELECT pruned_below FROM horizon) RETURNING 1)
       SELECT count(*)::int AS pruned FROM deleted`,
      [PRUNE_AFTER_MINUTES],
    );
    return pruned;
  }

  /**
   * Every instrument, current as `current` describes; the first call loads them all (one
   * statement), later ones only sync.
   */
  async everyInstrument(): Promise<ReadonlyMap<string, IndexedInstrument>> {
    for (let attempt = 0; ; attempt++) {
      await this.sync([], !this.complete);
      if (this.complete) return this.instruments;
      if (attempt === 3) throw new Error('schedule index: the full load kept being invalidated');
    }
  }

  /** How many instruments and busy rows are held (for logs and tests). */
  size(): { instruments: number; busyRows: number } {
    let busyRows = 0;
    for (const instrument of this.instruments.values()) busyRows += instrument.busy.length / 3;
    return { instruments: this.instruments.size, busyRows };
  }

  private sync(load: readonly string[], all = false): Promise<Set<string>> {
    let round = this.nextRound;
    if (!round) {
      const next: SyncRound = { ids: new Set<string>(), all: false, done: Promise.resolve(new Set()) };
      next.done = this.lastRound
        .catch(() => undefined)
        .then(() => {
          // From here on new requests wait for the following round: this statement may already be under way.
          this.nextRound = null;
          return this.syncOnce([...next.ids], next.all);
        });
      round = this.nextRound = next;
      this.lastRound = next.done;
    }
    for (const id of load) round.ids.add(id);
    round.all ||= all;
    return round.done;
  }

  /**
   * One statement in the common case: what changed since the last sync (blocks applied at once);
   * a second only when instruments must be read whole (asked for, not held, or a schedule change).
   * That read may see a later snapshot than the first: harmless, since the next sync starts from
   * the first one's snapshot and re-applies whatever came between (every correction is a re-read).
   */
  private async syncOnce(load: string[], all: boolean): Promise<Set<string>> {
    const rows = await queryPrepared<ChangesRow>(this.dataSource.manager, 'schedule-index-changes', CHANGES_STATEMENT, [this.syncedSnapshot, this.syncedVoidedCount]);
    const header = rows.find((row) => row.id === null)!;
    const moved = rows.filter((row) => row !== header);
    if (header.stale) {
      this.instruments.clear();
      this.complete = false;
    }
    for (const row of moved) {
      // Not held: nothing to correct (it is read whole when asked for).
      const held = this.instruments.get(row.id!);
      if (held) this.instruments.set(row.id!, { ...held, busy: withBusyChanges(held.busy, row.busy_changes!) });
    }
    const absent = new Set<string>();
    const whole = [...new Set([...(header.whole ?? []), ...load])];
    if (whole.length > 0 || all) {
      const rows = await queryPrepared<IndexRow>(this.dataSource.manager, 'schedule-index-whole', WHOLE_STATEMENT, [whole, all]);
      for (const row of rows) {
        if (row.exists) this.instruments.set(row.id, indexedInstrument(row));
        else {
          this.instruments.delete(row.id);
          absent.add(row.id);
        }
      }
    }
    this.syncedSnapshot = header.sync_snapshot;
    this.syncedVoidedCount = header.voided_count;
    // Held now: every instrument of that snapshot; later ones arrive through the log (their inserts are logged).
    if (all) this.complete = true;
    return absent;
  }
}

/** An instant as text of epoch milliseconds (SQL). */
const epochMs = (instant: string) => `floor(extract(epoch FROM ${instant}) * 1000)::text`;

/** A time_block row's 'end,expires' (SQL): end Infinity when unbounded, expires empty for none. */
const blockEndAndExpiry = (block: string) => `coalesce(${epochMs(`upper(${block}.during)`)}, 'Infinity') || ',' || coalesce(${epochMs(`${block}.expires_at`)}, '')`;

/**
 * $1: the last sync's snapshot (null: none yet), $2: the count of truncations the last sync saw.
 * The header row (id null): the new snapshot, whether the log was pruned past $1 or truncated
 * tables voided it (`stale`), and the instruments a transaction $1 did not see changed other than
 * by their blocks (`whole`). Then one row per other instrument whose blocks such a transaction
 * inserted, deleted or moved: the block now at each start it named. Small on purpose: planning it
 * is most of a sync's cost when nothing changed (0.4-0.5 ms; with the whole-instrument columns in
 * the same statement, 1.2 ms).
 */
const CHANGES_STATEMENT = `
  WITH unseen AS MATERIALIZED (
    SELECT instrument_id, block_start FROM time_block_change
    WHERE changed_xid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(changed_xid, $1::pg_snapshot)
  ),
  whole AS (SELECT DISTINCT instrument_id AS id FROM unseen WHERE block_start IS NULL),
  moved AS (
    -- 'start,end,expires' per start named ('start,,' when no block starts there any more).
    SELECT m.instrument_id AS id,
           string_agg(${epochMs('m.block_start')} || ',' || CASE WHEN b.during IS NULL THEN ',' ELSE ${blockEndAndExpiry('b')} END, ';') AS busy_changes
    FROM (SELECT DISTINCT u.instrument_id, u.block_start FROM unseen u
          WHERE u.block_start IS NOT NULL AND NOT EXISTS (SELECT 1 FROM whole w WHERE w.id = u.instrument_id)) m
    -- LATERAL with LIMIT: one index probe per start, whatever the estimates (as a join the planner
    -- chose a hash join over every block of every instrument: 0.1-0.2 s per sync).
    LEFT JOIN LATERAL (
      SELECT b.during, b.expires_at FROM time_block b
      WHERE b.instrument_id = m.instrument_id AND b.during && tstzrange(m.block_start, m.block_start, '[]') AND lower(b.during) = m.block_start
      LIMIT 1) b ON true
    GROUP BY m.instrument_id
  )
  SELECT pg_current_snapshot()::text AS sync_snapshot, (SELECT voided_count FROM time_block_change_horizon) AS voided_count,
         coalesce(pg_snapshot_xmin($1::pg_snapshot) < (SELECT pruned_below FROM time_block_change_horizon), false)
           OR coalesce((SELECT voided_count FROM time_block_change_horizon) <> $2::bigint, false) AS stale,
         (SELECT array_agg(id) FROM whole) AS whole, NULL::uuid AS id, NULL AS busy_changes
  UNION ALL
  SELECT NULL, NULL, NULL, NULL, m.id, m.busy_changes FROM moved m`;

/**
 * $1: instruments to read whole, $2: every instrument. One row per instrument; exists false for
 * an id that names none (any more).
 */
const WHOLE_STATEMENT = `
  SELECT w.id, i.id IS NOT NULL AS exists, i.institution_id, i.region_code, i.sharing_mode, i.service_modes, i.time_zone,
         ${instrumentScheduleColumns()},
         (SELECT json_build_array(e.institution_id, e.sharing_mode, e.category_l1_code, e.category_l2_code, e.category_code, e.province_code, e.city_code,
                                  e.region_code, e.offers_self_operated, e.offers_sample_submission, e.external_price_fen)
          FROM instrument_search_entry e WHERE e.instrument_id = i.id) AS search_entry,
         (SELECT coalesce(string_agg(${epochMs('lower(b.during)')} || ',' || ${blockEndAndExpiry('b')}, ';' ORDER BY lower(b.during)), '')
          FROM time_block b WHERE b.instrument_id = i.id) AS busy
  FROM (SELECT unnest($1::uuid[]) AS id UNION SELECT id FROM instrument WHERE $2::boolean) w
  LEFT JOIN instrument i ON i.id = w.id`;

function indexedInstrument(row: IndexRow): IndexedInstrument {
  const timeZone = sharedText(row.time_zone);
  const weeklyKey = JSON.stringify({ timeZone, weekly: row.weekly, exceptions: NONE, closures: NONE });
  const schedule = sharedWeeklySchedules.share(weeklyKey, () => ({ weekly: row.weekly, weeklyOnly: { timeZone, weekly: row.weekly, exceptions: NONE, closures: NONE }, weeklyKey }));
  const rules = row.rules ? bookingRulesFromRow(row.rules) : { ...DEFAULT_BOOKING_RULES };
  return {
    id: row.id,
    institutionId: sharedText(row.institution_id),
    regionCode: sharedText(row.region_code),
    sharingMode: sharedText(row.sharing_mode),
    serviceModes: sharedServiceModes.share(row.service_modes.join(','), () => row.service_modes),
    timeZone,
    rules: sharedRules.share(JSON.stringify(rules), () => rules),
    weekly: schedule.weekly,
    exceptions: row.exceptions.length === 0 ? NONE : dateExceptionsFromRow(row.exceptions),
    closures: row.closures.length === 0 ? NONE : sharedClosures.share(JSON.stringify(row.closures), () => row.closures),
    busy: parseBusy(row.busy),
    weeklyOnly: schedule.weeklyOnly,
    weeklyKey: schedule.weeklyKey,
    searchEntry: row.search_entry && searchEntryFrom(row.id, row.search_entry),
  };
}

/**
 * One copy of each equal value the index would otherwise hold once per instrument: labs publish
 * few distinct weekly hours and rules, an institution's closures apply to all its instruments, and
 * thousands of instruments share a few zones, modes and codes. Fewer objects for V8's full
 * collections to trace, whose pauses set the slowest answers (the 9,000-instrument index held 176,000
 * strings). Values are never changed once stored; a pool that grows past its limit starts afresh.
 */
class SharedValues<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly limit = 20_000) {}

  share(key: string, make: () => T): T {
    let value = this.values.get(key);
    if (value === undefined) {
      if (this.values.size >= this.limit) this.values.clear();
      value = make();
      this.values.set(key, value);
    }
    return value;
  }
}

const sharedWeeklySchedules = new SharedValues<{ weekly: readonly WeeklyWindow[]; weeklyOnly: OpeningRules; weeklyKey: string }>();
const sharedRules = new SharedValues<BookingRules>();
const sharedClosures = new SharedValues<readonly DateClosure[]>();
const sharedServiceModes = new SharedValues<readonly ServiceMode[]>();
const sharedTexts = new SharedValues<string>();

function sharedText<T extends string>(text: T): T {
  return sharedTexts.share(text, () => text) as T;
}

function searchEntryFrom(id: string, [institutionId, sharingMode, l1, l2, category, province, city, region, offersSelfOperated, offersSampleSubmission, price]: NonNullable<IndexRow['search_entry']>): SearchEntry {
  const institution = sharedText(institutionId);
  const mode = sharedText(sharingMode);
  const regionCode = sharedText(region);
  return {
    institutionId: institution,
    sharingMode: mode,
    visibility: { id, institutionId: institution, regionCode, sharingMode: mode },
    categoryCodes: { 1: sharedText(l1), 2: l2 === null ? null : sharedText(l2), 3: sharedText(category) },
    regionCodes: { 1: sharedText(province), 2: sharedText(city), 3: regionCode },
    offersSelfOperated,
    offersSampleSubmission,
    externalPriceFen: price === null ? null : Number(price),
  };
}

/** 'start,end,expires;...' (expires empty for none) as [start, end, expires or NaN, ...]. */
export function parseBusy(text: string): Float64Array {
  if (text === '') return new Float64Array(0);
  const rows = text.split(';');
  const busy = new Float64Array(rows.length * 3);
  for (let index = 0; index < rows.length; index++) {
    const [start, end, expires] = rows[index].split(',');
    busy[index * 3] = Number(start);
    busy[index * 3 + 1] = Number(end);
    busy[index * 3 + 2] = expires === '' ? NaN : Number(expires);
  }
  return busy;
}

/**
 * `busy` with the blocks at the starts `changes` names replaced by the blocks there now
 * ('start,end,expires;...', end empty when none is): a new array, so a request still reading the
 * old one is not disturbed. Starts name at most one block (blocks never overlap).
 */
export function withBusyChanges(busy: Float64Array, changes: string): Float64Array {
  const replaced = new Set<number>();
  const added: [number, number, number][] = [];
  for (const change of changes.split(';')) {
    const [start, end, expires] = change.split(',');
    replaced.add(Number(start));
    if (end !== '') added.push([Number(start), Number(end), expires === '' ? NaN : Number(expires)]);
  }
  added.sort((a, b) => a[0] - b[0]);
  let kept = 0;
  for (let index = 0; index < busy.length; index += 3) if (!replaced.has(busy[index])) kept++;
  // Both sorted by start: merge.
  const result = new Float64Array((kept + added.length) * 3);
  let next = 0;
  let write = 0;
  for (let index = 0; index < busy.length; index += 3) {
    if (replaced.has(busy[index])) continue;
    while (next < added.length && added[next][0] < busy[index]) result.set(added[next++], write++ * 3);
    result.set(busy.subarray(index, index + 3), write++ * 3);
  }
  while (next < added.length) result.set(added[next++], write++ * 3);
  return result;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Busy time of the instrument overlapping `range`, by start; holds lapsed at `now` are free.
 * Rows never overlap (the exclusion constraint), so ends ascend with starts and a binary search
 * finds the first row ending after the range starts.
 */
export function busyIn(instrument: IndexedInstrument, range: Interval, now: number): Interval[] {
  const busy = instrument.busy;
  const rows = busy.length / 3;
  let low = 0;
  let high = rows;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (busy[middle * 3 + 1] <= range.start) low = middle + 1;
    else high = middle;
  }
  const found: Interval[] = [];
  for (let index = low; index < rows && busy[index * 3] < range.end; index++) {
    const expires = busy[index * 3 + 2];
    if (expires !== expires || expires > now) found.push({ start: busy[index * 3], end: busy[index * 3 + 1] });
  }
  return found;
}

/** The UTC dates from two days before `range` to two days after it: they cover its local dates in any zone. */
export interface DatesAround {
  firstDate: string;
  lastDate: string;
}

export function datesAround(range: Interval): DatesAround {
  return { firstDate: new Date(range.start - 2 * DAY_MS).toISOString().slice(0, 10), lastDate: new Date(range.end + 2 * DAY_MS).toISOString().slice(0, 10) };
}

/**
 * The opening rules that matter for a range (its `datesAround`): weekly hours, and the exceptions
 * and closures on those dates (openIntervals ignores others; fewer to parse). Without any that
 * apply, the instrument's own weekly-only rules, the same object every time.
 */
export function openingAround(instrument: IndexedInstrument, dates: DatesAround): OpeningRules {
  const { firstDate, lastDate } = dates;
  const exceptions = instrument.exceptions.length === 0 ? NONE : instrument.exceptions.filter((exception) => exception.date >= firstDate && exception.date <= lastDate);
  const closures = instrument.closures.length === 0 ? NONE : instrument.closures.filter((closure) => closure.startsOn <= lastDate && closure.endsOn >= firstDate);
  if (exceptions.length === 0 && closures.length === 0) return instrument.weeklyOnly;
  return { timeZone: instrument.timeZone, weekly: instrument.weekly, exceptions, closures };
}

const NONE: readonly never[] = [];

/** Open time computed lately, by range and then schedule: labs publish few distinct schedules and ranges repeat. */
const recentOpenTime = new Map<string, Map<string, readonly Interval[]>>();
const RECENT_RANGES = 100;

/** Where to look up and remember open time for one range: a request asking for many instruments takes it once. */
export interface OpenTimeLookup {
  range: Interval;
  dates: DatesAround;
  bySchedule: Map<string, readonly Interval[]>;
}

export function openTimeLookup(range: Interval): OpenTimeLookup {
  const key = `${range.start}:${range.end}`;
  let bySchedule = recentOpenTime.get(key);
  if (!bySchedule) {
    // Crude but bounded: start afresh when full.
    if (recentOpenTime.size >= RECENT_RANGES) recentOpenTime.clear();
    bySchedule = new Map();
    recentOpenTime.set(key, bySchedule);
  }
  return { range, dates: datesAround(range), bySchedule };
}

/**
 * openIntervals of the instrument's rules around the lookup's range (see openingAround), shared
 * with every instrument and request asking the same of the same schedule: never modify the result.
 */
export function openTimeAround(instrument: IndexedInstrument, lookup: OpenTimeLookup): readonly Interval[] {
  const opening = openingAround(instrument, lookup.dates);
  // The weekly key is one string per instrument, so its hash is computed once.
  const key = opening === instrument.weeklyOnly ? instrument.weeklyKey : JSON.stringify(opening);
  let open = lookup.bySchedule.get(key);
  if (!open) {
    open = openIntervals(opening, lookup.range);
    if (lookup.bySchedule.size >= RECENT_SCHEDULES) lookup.bySchedule.clear();
    lookup.bySchedule.set(key, open);
  }
  return open;
}

const RECENT_SCHEDULES = 1_000;
