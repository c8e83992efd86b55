import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ValidationFailedError } from '@app/common';
import { codeLevel, queryPrepared } from '@app/db';
import { freeStartTimes } from '../availability/free-slots';
import type { SlotQuery } from '../availability/free-slots';
import { DEFAULT_BOOKING_RULES } from '../availability/instrument-schedule';
import type { BookingRules } from '../availability/instrument-schedule';
import type { Interval } from '../availability/interval';
import { openIntervals } from '../availability/opening-hours';
import type { DateClosure, DateException, OpeningRules, WeeklyWindow } from '../availability/opening-hours';
import { MAX_QUERY_RANGE_DAYS } from '../bookings/booking-queries.service';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { EarliestSlotDto, SlotSearchPageDto, SlotSearchQuery } from './dto/slot-search.dto';

const DAY_MS = 24 * 3600 * 1000;
const NEXT_STARTS = 3;
const CATEGORY_COLUMNS = { 1: 'category_l1_code', 2: 'category_l2_code', 3: 'category_code' } as const;
const REGION_COLUMNS = { 1: 'province_code', 2: 'city_code', 3: 'region_code' } as const;

interface Candidate {
  instrument_id: string;
  name_zh: string;
  institution_id: string;
  institution_name_zh: string;
  region_code: string;
  time_zone: string;
  external_price_fen: string | null;
  price_unit: string | null;
}

/** A candidate that can be searched: its open time around the range and its rules. */
interface Searched {
  candidate: Candidate;
  open: Interval[];
  rules: BookingRules;
}

interface Found extends Searched {
  /** Its earliest free start. */
  first: number;
  /** Its external price (Infinity without one), for ranking. */
  price: number;
}

/**
 * "The earliest free time on any instrument like this": catalog filters choose the instruments
 * (one statement), their hours and rules come in one statement each. The earliest start of every
 * candidate is then looked for in widening windows (a day, two, four, ...): each window reads the
 * busy time of the candidates still without a start in one statement, and each instrument stops at
 * its first free start. Only the page shown gets its next few starts. Opening hours are computed
 * once per distinct schedule: labs publish few distinct patterns, so most instruments reuse one
 * computation.
 */
@Injectable()
export class SlotSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccessPolicy,
    private readonly clock: Clock,
  ) {}

  async search(user: AuthUser | undefined, query: SlotSearchQuery): Promise<SlotSearchPageDto> {
    const range = { start: Date.parse(query.from), end: Date.parse(query.to) };
    if (!(range.end > range.start)) throw new ValidationFailedError([{ field: 'to', messages: ['to must be after from'] }]);
    if (range.end - range.start > MAX_QUERY_RANGE_DAYS * DAY_MS) {
      throw new ValidationFailedError([{ field: 'to', messages: [`the range may cover at most ${MAX_QUERY_RANGE_DAYS} days`] }]);
    }
    const now = this.clock.now().getTime();
    const candidates = await this.candidates(user, query);
    if (candidates.length === 0) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
    const ids = candidates.map((candidate) => candidate.instrument_id);
    const durationMs = query.durationMinutes * 60_000;
    const around = { start: range.start - DAY_MS, end: range.end + DAY_MS + durationMs };
    // The first window's busy time is read beside the rules and hours: most instruments have a free start in it.
    let window = { start: range.start, end: Math.min(range.end, range.start + DAY_MS) };
    const [rules, schedules, firstBusy] = await Promise.all([this.rules(ids), this.schedules(candidates, around), this.busy(ids, busyRange(window, durationMs), now)]);

    const openByPattern = new Map<string, Interval[]>();
    let pending: Searched[] = [];
    for (const candidate of candidates) {
      const schedule = schedules.get(candidate.instrument_id)!;
      if (schedule.weekly.length === 0 && !schedule.exceptions.some((exception) => exception.kind === 'open')) continue;
      const instrumentRules = rules.get(candidate.instrument_id) ?? DEFAULT_BOOKING_RULES;
      if (query.durationMinutes % instrumentRules.slotMinutes !== 0) continue;
      const pattern = JSON.stringify(schedule);
      let open = openByPattern.get(pattern);
      if (!open) {
        open = openIntervals(schedule, around);
        openByPattern.set(pattern, open);
      }
      pending.push({ candidate, open, rules: instrumentRules });
    }

    const found: Found[] = [];
    let busy = firstBusy;
    for (let days = 1; pending.length > 0; ) {
      const stillPending: Searched[] = [];
      for (const searched of pending) {
        const first = freeStartTimes(slotQuery(searched, busy, query.durationMinutes, now, window, 1))[0];
        if (first !== undefined) found.push({ candidate: searched.candidate, open: searched.open, rules: searched.rules, first, price: priceOf(searched.candidate) });
        else stillPending.push(searched);
      }
      pending = stillPending;
      if (window.end >= range.end || pending.length === 0) break;
      days *= 2;
      window = { start: window.end, end: Math.min(range.end, window.end + days * DAY_MS) };
      busy = await this.busy(
        pending.map((searched) => searched.candidate.instrument_id),
        busyRange(window, durationMs),
        now,
      );
    }

    found.sort(
      (a, b) =>
        a.first - b.first ||
        (a.price === b.price ? 0 : a.price < b.price ? -1 : 1) ||
        (a.candidate.instrument_id < b.candidate.instrument_id ? -1 : 1),
    );
    const offset = (query.page - 1) * query.pageSize;
    const page = found.slice(offset, offset + query.pageSize);
    const nextStarts = await this.nextStarts(page, range, query.durationMinutes, now);
    return {
      items: page.map((entry, index) => toDto(entry, nextStarts[index], query.durationMinutes)),
      total: found.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** The next few free starts after each shown instrument's first, within a day after the window it was found in. */
  private async nextStarts(page: Found[], range: Interval, durationMinutes: number, now: number): Promise<number[][]> {
    if (page.length === 0) return [];
    const windows = page.map(({ first }) => ({ start: first + 1, end: Math.min(range.end, first + 2 * DAY_MS) }));
    const read = {
      start: Math.min(...windows.map((window) => window.start)),
      end: Math.max(...windows.map((window) => window.end)),
    };
    const busy = await this.busy(
      page.map((entry) => entry.candidate.instrument_id),
      busyRange(read, durationMinutes * 60_000),
      now,
    );
    return page.map((entry, index) =>
      windows[index].start < windows[index].end
        ? freeStartTimes(slotQuery(entry, busy, durationMinutes, now, windows[index], NEXT_STARTS))
        : [],
    );
  }

  private async candidates(user: AuthUser | undefined, query: SlotSearchQuery): Promise<Candidate[]> {
    const visible = this.access.visibleCondition(user, 'e', 1);
    const params = [...visible.params];
    const add = (value: unknown) => `$${params.push(value)}`;
    const conditions = [visible.sql];
    if (query.category) conditions.push(`e.${CATEGORY_COLUMNS[codeLevel(query.category)]} = ${add(query.category)}`);
    if (query.region) conditions.push(`e.${REGION_COLUMNS[codeLevel(query.region)]} = ${add(query.region)}`);
    if (query.serviceMode) conditions.push(query.serviceMode === 'self_operated' ? 'e.offers_self_operated' : 'e.offers_sample_submission');
    if (query.minPriceFen !== undefined) conditions.push(`e.external_price_fen >= ${add(query.minPriceFen)}`);
    if (query.maxPriceFen !== undefined) conditions.push(`e.external_price_fen <= ${add(query.maxPriceFen)}`);
    return this.dataSource.query(
      `SELECT e.instrument_id, i.name_zh, e.institution_id, inst.name_zh AS institution_name_zh, e.region_code, i.time_zone,
              e.external_price_fen, i.price_unit
       FROM instrument_search_entry e
       JOIN instrument i ON i.id = e.instrument_id
       JOIN institution inst ON inst.id = e.institution_id
       WHERE ${conditions.join(' AND ')}
         AND EXISTS (SELECT 1 FROM opening_window w WHERE w.instrument_id = e.instrument_id)`,
      params,
    );
  }

  private async rules(ids: string[]): Promise<Map<string, BookingRules>> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT instrument_id, slot_minutes AS "slotMinutes", min_duration_minutes AS "minDurationMinutes", max_duration_minutes AS "maxDurationMinutes",
              buffer_minutes AS "bufferMinutes", min_notice_minutes AS "minNoticeMinutes", max_advance_days AS "maxAdvanceDays",
              max_minutes_per_day AS "maxMinutesPerDay", max_minutes_per_week AS "maxMinutesPerWeek", requires_approval AS "requiresApproval",
              reminder_offsets_minutes AS "reminderOffsetsMinutes"
       FROM booking_rules WHERE instrument_id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map(({ instrument_id, ...rules }) => [instrument_id as string, rules as unknown as BookingRules]));
  }

  /** Opening rules per instrument: weekly hours, exceptions and its institution's closures around the range. */
  private async schedules(candidates: Candidate[], around: Interval): Promise<Map<string, OpeningRules>> {
    const ids = candidates.map((candidate) => candidate.instrument_id);
    const institutions = [...new Set(candidates.map((candidate) => candidate.institution_id))];
    const firstDate = DateTime.fromMillis(around.start, { zone: 'UTC' }).minus({ days: 1 }).toISODate();
    const lastDate = DateTime.fromMillis(around.end, { zone: 'UTC' }).plus({ days: 1 }).toISODate();
    const [windows, exceptions, closures]: [
      (WeeklyWindow & { instrument_id: string })[],
      (DateException & { instrument_id: string })[],
      (DateClosure & { institution_id: string })[],
    ] = await Promise.all([
      this.dataSource.query(
        `SELECT instrument_id, weekday, to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes
         FROM opening_window WHERE instrument_id = ANY($1) ORDER BY instrument_id, weekday, opens`,
        [ids],
      ),
      this.dataSource.query(
        `SELECT instrument_id, to_char(on_date, 'YYYY-MM-DD') AS date, kind, to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes
         FROM availability_exception WHERE instrument_id = ANY($1) AND on_date BETWEEN $2 AND $3 ORDER BY instrument_id, on_date, opens`,
        [ids, firstDate, lastDate],
      ),
      this.dataSource.query(
        `SELECT institution_id, to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn"
         FROM institution_closure WHERE institution_id = ANY($1) AND starts_on <= $3 AND ends_on >= $2 ORDER BY institution_id, starts_on`,
        [institutions, firstDate, lastDate],
      ),
    ]);
    const schedules = new Map<string, OpeningRules>();
    const byInstitution = new Map<string, DateClosure[]>();
    for (const { institution_id, startsOn, endsOn } of closures) byInstitution.set(institution_id, [...(byInstitution.get(institution_id) ?? []), { startsOn, endsOn }]);
    for (const candidate of candidates) {
      schedules.set(candidate.instrument_id, { timeZone: candidate.time_zone, weekly: [], exceptions: [], closures: byInstitution.get(candidate.institution_id) ?? [] });
    }
    for (const { instrument_id, weekday, opens, closes } of windows) (schedules.get(instrument_id)!.weekly as WeeklyWindow[]).push({ weekday, opens, closes });
    for (const { instrument_id, date, kind, opens, closes } of exceptions) {
      (schedules.get(instrument_id)!.exceptions as DateException[]).push({ date, kind, ...(opens && closes ? { opens, closes } : {}) });
    }
    return schedules;
  }

  /** Busy time of the instruments overlapping `range`, per instrument, by start; lapsed holds are free. */
  private async busy(ids: string[], range: Interval, now: number): Promise<Map<string, Interval[]>> {
    const busy = new Map<string, Interval[]>();
    if (ids.length === 0) return busy;
    // Epoch milliseconds as numbers: cheaper to read than thousands of Dates.
    const rows = await queryPrepared<{ instrument_id: string; start: number; end: number }>(
      this.dataSource.manager,
      'slot-search-busy',
      `SELECT instrument_id, floor(extract(epoch FROM lower(during)) * 1000)::float8 AS start, floor(extract(epoch FROM upper(during)) * 1000)::float8 AS end
       FROM time_block
       WHERE instrument_id = ANY($1::uuid[]) AND during && tstzrange($2, $3) AND (expires_at IS NULL OR expires_at > $4)
       ORDER BY instrument_id, lower(during)`,
      [ids, new Date(range.start), new Date(range.end), new Date(now)],
    );
    for (const row of rows) {
      const list = busy.get(row.instrument_id);
      const interval = { start: row.start, end: row.end };
      if (list) list.push(interval);
      else busy.set(row.instrument_id, [interval]);
    }
    return busy;
  }
}

/** The busy time that decides starts in `window`: a booking starting there, with its buffer (at most a day), ends before this. */
function busyRange(window: Interval, durationMs: number): Interval {
  return { start: window.start, end: window.end + durationMs + DAY_MS };
}

function slotQuery(searched: Searched, busy: Map<string, Interval[]>, durationMinutes: number, now: number, range: Interval, limit: number): SlotQuery {
  const { candidate, open, rules } = searched;
  return { timeZone: candidate.time_zone, open, busy: busy.get(candidate.instrument_id) ?? NOTHING_BUSY, rules, durationMinutes, now, range, limit };
}

const NOTHING_BUSY: readonly Interval[] = [];

/** The external price as a number for ordering; no price sorts last. */
function priceOf(candidate: Candidate): number {
  return candidate.external_price_fen === null ? Infinity : Number(candidate.external_price_fen);
}

function toDto({ candidate, first }: Found, next: number[], durationMinutes: number): EarliestSlotDto {
  return {
    instrumentId: candidate.instrument_id,
    instrumentNameZh: candidate.name_zh,
    institutionId: candidate.institution_id,
    institutionNameZh: candidate.institution_name_zh,
    regionCode: candidate.region_code,
    timeZone: candidate.time_zone,
    start: new Date(first).toISOString(),
    end: new Date(first + durationMinutes * 60_000).toISOString(),
    startLocal: DateTime.fromMillis(first, { zone: candidate.time_zone }).toISO()!,
    nextStarts: next.map((start) => new Date(start).toISOString()),
    externalPriceFen: candidate.external_price_fen === null ? null : Number(candidate.external_price_fen),
    priceUnit: candidate.price_unit,
  };
}
