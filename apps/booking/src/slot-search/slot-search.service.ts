import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ValidationFailedError } from '@app/common';
import { codeLevel, queryPrepared } from '@app/db';
import { freeStartTimes } from '../availability/free-slots';
import type { SlotQuery } from '../availability/free-slots';
import type { BookingRules } from '../availability/instrument-schedule';
import type { Interval } from '../availability/interval';
import { openIntervals } from '../availability/opening-hours';
import { ScheduleIndex, busyIn, datesAround, openingAround } from '../availability/schedule-index';
import type { IndexedInstrument } from '../availability/schedule-index';
import { MAX_QUERY_RANGE_DAYS } from '../bookings/booking-queries.service';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { EarliestSlotDto, SlotSearchPageDto, SlotSearchQuery } from './dto/slot-search.dto';

const DAY_MS = 24 * 3600 * 1000;
const NEXT_STARTS = 3;
const CATEGORY_COLUMNS = { 1: 'category_l1_code', 2: 'category_l2_code', 3: 'category_code' } as const;
const REGION_COLUMNS = { 1: 'province_code', 2: 'city_code', 3: 'region_code' } as const;

/** An instrument the catalog filters choose; hours, rules and busy time come from the ScheduleIndex. */
interface Candidate {
  instrument_id: string;
  external_price_fen: string | null;
}

/** What the page shows of an instrument besides its times. */
interface ShownInstrument {
  instrument_id: string;
  name_zh: string;
  institution_id: string;
  institution_name_zh: string;
  region_code: string;
  price_unit: string | null;
}

/** A candidate that can be searched: its index entry, open time around the range and rules. */
interface Searched {
  candidate: Candidate;
  instrument: IndexedInstrument;
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
 * (one statement); their hours, rules and busy time come from the in-memory ScheduleIndex (one
 * sync statement). Each instrument's earliest start is looked for in widening windows (a day, two,
 * four, ...), so most read only a day of busy time. Only the page shown gets its next few starts.
 * Opening hours are computed once per distinct schedule: labs publish few distinct patterns, so
 * most instruments reuse one computation.
 */
@Injectable()
export class SlotSearchService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccessPolicy,
    private readonly clock: Clock,
    private readonly schedules: ScheduleIndex,
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
    const instruments = await this.schedules.current(candidates.map((candidate) => candidate.instrument_id));
    const around = { start: range.start - DAY_MS, end: range.end + DAY_MS + query.durationMinutes * 60_000 };

    const dates = datesAround(around);
    const openByPattern = new Map<string, Interval[]>();
    const found: Found[] = [];
    for (const candidate of candidates) {
      const instrument = instruments.get(candidate.instrument_id);
      // Deleted since the candidates were read, or without published weekly hours.
      if (!instrument || instrument.weekly.length === 0) continue;
      if (query.durationMinutes % instrument.rules.slotMinutes !== 0) continue;
      const schedule = openingAround(instrument, dates);
      const pattern = schedule === instrument.weeklyOnly ? instrument.weeklyKey : JSON.stringify(schedule);
      let open = openByPattern.get(pattern);
      if (!open) {
        open = openIntervals(schedule, around);
        openByPattern.set(pattern, open);
      }
      const searched = { candidate, instrument, open, rules: instrument.rules };
      const first = firstFreeStart(searched, range, query.durationMinutes, now);
      if (first !== undefined) found.push({ candidate, instrument, open, rules: instrument.rules, first, price: priceOf(candidate) });
    }

    found.sort(
      (a, b) =>
        a.first - b.first ||
        (a.price === b.price ? 0 : a.price < b.price ? -1 : 1) ||
        (a.candidate.instrument_id < b.candidate.instrument_id ? -1 : 1),
    );
    const offset = (query.page - 1) * query.pageSize;
    const page = found.slice(offset, offset + query.pageSize);
    const shown = await this.shown(page.map((entry) => entry.candidate.instrument_id));
    return {
      items: page.flatMap((entry) => {
        const details = shown.get(entry.candidate.instrument_id);
        // Gone since it was found: left out rather than shown half.
        return details ? [toDto(entry, details, nextStarts(entry, range, query.durationMinutes, now), query.durationMinutes)] : [];
      }),
      total: found.length,
      page: query.page,
      pageSize: query.pageSize,
    };
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
    // Few distinct texts (which filters are set, the caller's kind): each is prepared once per connection.
    const sql = `SELECT e.instrument_id, e.external_price_fen FROM instrument_search_entry e WHERE ${conditions.join(' AND ')}`;
    return queryPrepared<Candidate>(this.dataSource.manager, `slot-search-candidates-${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`, sql, params);
  }

  private async shown(ids: string[]): Promise<Map<string, ShownInstrument>> {
    if (ids.length === 0) return new Map();
    const rows = await queryPrepared<ShownInstrument>(
      this.dataSource.manager,
      'slot-search-shown',
      `SELECT e.instrument_id, i.name_zh, e.institution_id, inst.name_zh AS institution_name_zh, e.region_code, i.price_unit
       FROM instrument_search_entry e
       JOIN instrument i ON i.id = e.instrument_id
       JOIN institution inst ON inst.id = e.institution_id
       WHERE e.instrument_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((row) => [row.instrument_id, row]));
  }
}

/** The busy time that decides starts in `window`: a booking starting there, with its buffer (at most a day), ends before this. */
function busyRange(window: Interval, durationMs: number): Interval {
  return { start: window.start, end: window.end + durationMs + DAY_MS };
}

/** The earliest free start in the range: looked for a day first, then in windows twice as long, each with only its busy time. */
function firstFreeStart(searched: Searched, range: Interval, durationMinutes: number, now: number): number | undefined {
  let window = { start: range.start, end: Math.min(range.end, range.start + DAY_MS) };
  for (let days = 1; ; ) {
    const first = freeStartTimes(slotQuery(searched, window, durationMinutes, now, 1))[0];
    if (first !== undefined || window.end >= range.end) return first;
    days *= 2;
    window = { start: window.end, end: Math.min(range.end, window.end + days * DAY_MS) };
  }
}

/** The next few free starts after a shown instrument's first, within two days of it. */
function nextStarts(entry: Found, range: Interval, durationMinutes: number, now: number): number[] {
  const window = { start: entry.first + 1, end: Math.min(range.end, entry.first + 2 * DAY_MS) };
  return window.start < window.end ? freeStartTimes(slotQuery(entry, window, durationMinutes, now, NEXT_STARTS)) : [];
}

/** Starts in `window`, decided by the busy time from its start to a day past its last possible end (buffers are at most a day). */
function slotQuery(searched: Searched, window: Interval, durationMinutes: number, now: number, limit: number): SlotQuery {
  const { instrument, open, rules } = searched;
  const busy = busyIn(instrument, busyRange(window, durationMinutes * 60_000), now);
  return { timeZone: instrument.timeZone, open, busy, rules, durationMinutes, now, range: window, limit };
}

/** The external price as a number for ordering; no price sorts last. */
function priceOf(candidate: Candidate): number {
  return candidate.external_price_fen === null ? Infinity : Number(candidate.external_price_fen);
}

function toDto({ candidate, instrument, first }: Found, shown: ShownInstrument, next: number[], durationMinutes: number): EarliestSlotDto {
  return {
    instrumentId: candidate.instrument_id,
    instrumentNameZh: shown.name_zh,
    institutionId: shown.institution_id,
    institutionNameZh: shown.institution_name_zh,
    regionCode: shown.region_code,
    timeZone: instrument.timeZone,
    start: new Date(first).toISOString(),
    end: new Date(first + durationMinutes * 60_000).toISOString(),
    startLocal: DateTime.fromMillis(first, { zone: instrument.timeZone }).toISO()!,
    nextStarts: next.map((start) => new Date(start).toISOString()),
    externalPriceFen: candidate.external_price_fen === null ? null : Number(candidate.external_price_fen),
    priceUnit: shown.price_unit,
  };
}
