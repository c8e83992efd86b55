import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ValidationFailedError } from '@app/common';
import { codeLevel, queryPrepared } from '@app/db';
import { freeStartTimes } from '../availability/free-slots';
import type { SlotQuery } from '../availability/free-slots';
import type { Interval } from '../availability/interval';
import { utcIso } from '../availability/iso-text';
import { requireTimeZone } from '../availability/opening-hours';
import { ScheduleIndex, busyIn, openTimeAround, openTimeLookup } from '../availability/schedule-index';
import type { IndexedInstrument, SearchEntry } from '../availability/schedule-index';
import { localIso } from '../availability/zone-offsets';
import { MAX_QUERY_RANGE_DAYS } from '../bookings/booking-queries.service';
import { BookingAccessPolicy } from '../instruments/booking-access.policy';
import { EarliestSlotDto, SlotSearchPageDto, SlotSearchQuery } from './dto/slot-search.dto';
import { pageInOrder } from './page-in-order';

const DAY_MS = 24 * 3600 * 1000;
const NEXT_STARTS = 3;

/** An instrument the catalog filters choose, with its hours, rules and busy time. */
interface Candidate {
  instrument: IndexedInstrument;
  entry: SearchEntry;
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

/** An instrument being searched: its index entry (with its rules) and open time around the range. */
interface Searched {
  instrument: IndexedInstrument;
  open: readonly Interval[];
}

interface Found extends Searched {
  entry: SearchEntry;
  /** Its earliest free start. */
  first: number;
  /** Its external price (Infinity without one), for ranking. */
  price: number;
}

/**
 * "The earliest free time on any instrument like this": the catalog filters (the columns of
 * instrument_search_entry), hours, rules and busy time all come from the in-memory ScheduleIndex,
 * after its one sync statement; names are read for the page shown alone. Each instrument's
 * earliest start is looked for in widening windows (a day, two, four, ...), so most look at only a
 * day of busy time. Only the page shown gets its next few starts. Open time is computed once per
 * distinct schedule and range (openTimeAround): labs publish few distinct patterns.
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
    const instruments = await this.schedules.everyInstrument();
    const around = { start: range.start - DAY_MS, end: range.end + DAY_MS + query.durationMinutes * 60_000 };
    const openTime = openTimeLookup(around);
    const found: Found[] = [];
    for (const { instrument, entry } of this.candidates(instruments, user, query)) {
      // Without published weekly hours nothing is offered.
      if (instrument.weekly.length === 0) continue;
      if (query.durationMinutes % instrument.rules.slotMinutes !== 0) continue;
      const open = openTimeAround(instrument, openTime);
      const first = firstFreeStart({ instrument, open }, range, query.durationMinutes, now);
      if (first !== undefined) found.push({ instrument, open, entry, first, price: entry.externalPriceFen ?? Infinity });
    }

    const page = pageInOrder(
      found,
      (query.page - 1) * query.pageSize,
      query.pageSize,
      (a, b) =>
        a.first - b.first ||
        (a.price === b.price ? 0 : a.price < b.price ? -1 : 1) ||
        (a.instrument.id === b.instrument.id ? 0 : a.instrument.id < b.instrument.id ? -1 : 1),
    );
    const shown = await this.shown(page.map((entry) => entry.instrument.id));
    return {
      items: page.flatMap((entry) => {
        const details = shown.get(entry.instrument.id);
        // Gone since it was found: left out rather than shown half.
        return details ? [toDto(entry, details, nextStarts(entry, range, query.durationMinutes, now), query.durationMinutes)] : [];
      }),
      total: found.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** The instruments the caller may see that match the catalog filters (the columns of instrument_search_entry). */
  private candidates(instruments: ReadonlyMap<string, IndexedInstrument>, user: AuthUser | undefined, query: SlotSearchQuery): Candidate[] {
    const categoryLevel = query.category ? codeLevel(query.category) : null;
    const regionLevel = query.region ? codeLevel(query.region) : null;
    const wantedMode = query.serviceMode;
    const { minPriceFen, maxPriceFen } = query;
    const candidates: Candidate[] = [];
    for (const instrument of instruments.values()) {
      const entry = instrument.searchEntry;
      if (!entry) continue;
      if (categoryLevel !== null && entry.categoryCodes[categoryLevel] !== query.category) continue;
      if (regionLevel !== null && entry.regionCodes[regionLevel] !== query.region) continue;
      if (wantedMode && !(wantedMode === 'self_operated' ? entry.offersSelfOperated : entry.offersSampleSubmission)) continue;
      const price = entry.externalPriceFen;
      if (minPriceFen !== undefined && !(price !== null && price >= minPriceFen)) continue;
      if (maxPriceFen !== undefined && !(price !== null && price <= maxPriceFen)) continue;
      if (entry.sharingMode !== 'external' && !this.access.canSee(user, entry.visibility)) continue;
      candidates.push({ instrument, entry });
    }
    return candidates;
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
  const { instrument, open } = searched;
  const busy = busyIn(instrument, busyRange(window, durationMinutes * 60_000), now);
  return { timeZone: instrument.timeZone, open, busy, rules: instrument.rules, durationMinutes, now, range: window, limit };
}

function toDto({ instrument, entry, first }: Found, shown: ShownInstrument, next: number[], durationMinutes: number): EarliestSlotDto {
  return {
    instrumentId: instrument.id,
    instrumentNameZh: shown.name_zh,
    institutionId: shown.institution_id,
    institutionNameZh: shown.institution_name_zh,
    regionCode: shown.region_code,
    timeZone: instrument.timeZone,
    start: utcIso(first),
    end: utcIso(first + durationMinutes * 60_000),
    startLocal: localIso(requireTimeZone(instrument.timeZone), first),
    nextStarts: next.map(utcIso),
    externalPriceFen: entry.externalPriceFen,
    priceUnit: shown.price_unit,
  };
}
