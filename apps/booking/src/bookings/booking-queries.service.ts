import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ForbiddenError, NotFoundError, ValidationFailedError } from '@app/common';
import { isWithin } from '@app/db';
import { freeStartTimes } from '../availability/free-slots';
import { ScheduleIndex, busyIn, openTimeAround, openTimeLookup } from '../availability/schedule-index';
import type { Interval } from '../availability/interval';
import { requireTimeZone } from '../availability/opening-hours';
import { utcIso } from '../availability/iso-text';
import { localIso } from '../availability/zone-offsets';
import { loadBookableInstrument } from '../instruments/bookable-instrument';
import { BookingAccessErrorCode, BookingAccessPolicy } from '../instruments/booking-access.policy';
import { BOOKING_RECORD_SELECT, BookingRecord, loadBookingRecord, toBookingResponse } from './booking-records';
import { BookingRuleError } from './bookings.service';
import {
  BookingPageDto,
  BookingResponseDto,
  BusyPeriodDto,
  FreeSlotsDto,
  FreeSlotsQuery,
  ListBookingsQuery,
  SlotRangeQuery,
} from './dto/booking.dto';

/** Longest range a slot or busy-time query may cover. */
export const MAX_QUERY_RANGE_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

/** Reading bookings and an instrument's time: free slots, busy periods (public), bookings (by who may see them). */
@Injectable()
export class BookingQueriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccessPolicy,
    private readonly clock: Clock,
    private readonly schedules: ScheduleIndex,
  ) {}

  /** The start times a user may book for this duration, honouring every published rule and the time already taken. */
  async freeSlots(user: AuthUser | undefined, instrumentId: string, query: FreeSlotsQuery): Promise<FreeSlotsDto> {
    const range = parseRange(query);
    // Open time and busy time a day beyond the range: a slot starting inside may end outside.
    const around = { start: range.start - DAY_MS, end: range.end + DAY_MS + query.durationMinutes * 60_000 };
    const now = this.clock.now().getTime();
    const instrument = (await this.schedules.current([instrumentId])).get(instrumentId);
    if (!instrument) throw new NotFoundError('Instrument', instrumentId);
    this.access.assertCanSee(user, instrument);
    const rules = instrument.rules;
    if (query.durationMinutes % rules.slotMinutes !== 0) {
      throw new BookingRuleError('NOT_ALIGNED', `durationMinutes must be a multiple of ${rules.slotMinutes}`);
    }
    const starts = freeStartTimes({
      timeZone: instrument.timeZone,
      open: openTimeAround(instrument, openTimeLookup(around)),
      busy: busyIn(instrument, around, now),
      rules,
      durationMinutes: query.durationMinutes,
      now,
      range,
    });
    const zone = requireTimeZone(instrument.timeZone);
    return {
      instrumentId: instrument.id,
      timeZone: instrument.timeZone,
      durationMinutes: query.durationMinutes,
      slots: starts.map((start) => ({
        start: utcIso(start),
        end: utcIso(start + query.durationMinutes * 60_000),
        startLocal: localIso(zone, start),
      })),
    };
  }

  /** When the instrument is taken, for everyone who may see it: times and kind, never who or why. */
  async busy(user: AuthUser | undefined, instrumentId: string, query: SlotRangeQuery): Promise<BusyPeriodDto[]> {
    const range = parseRange(query);
    const instrument = await loadBookableInstrument(this.dataSource.manager, instrumentId);
    this.access.assertCanSee(user, instrument);
    const rows: { start: Date; end: Date; maintenance: boolean; held: boolean }[] = await this.dataSource.query(
      `SELECT lower(during) AS start, upper(during) AS end, maintenance_id IS NOT NULL AS maintenance, expires_at IS NOT NULL AS held
       FROM time_block
       WHERE instrument_id = $1 AND during && tstzrange($2, $3) AND (expires_at IS NULL OR expires_at > $4)
       ORDER BY lower(during)`,
      [instrument.id, new Date(range.start), new Date(range.end), this.clock.now()],
    );
    return rows.map((row) => ({
      start: row.start.toISOString(),
      end: row.end.toISOString(),
      kind: row.maintenance ? 'maintenance' : row.held ? 'held' : 'booked',
    }));
  }

  async get(user: AuthUser, id: string): Promise<BookingResponseDto> {
    const booking = await loadBookingRecord(this.dataSource.manager, id);
    if (!this.canSeePersonal(user, booking)) throw new NotFoundError('Booking', id);
    return toBookingResponse(booking, true);
  }

  /**
   * The caller's own bookings (mine=true, the default), or one instrument's or one institution's
   * bookings for its lab managers, staff of its region and admins.
   */
  async list(user: AuthUser, query: ListBookingsQuery): Promise<BookingPageDto> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (value: unknown) => `$${params.push(value)}`;
    if (query.institutionId && query.mine !== 'true') {
      const [institution]: { region_code: string }[] = await this.dataSource.query(`SELECT region_code FROM institution WHERE id = $1`, [query.institutionId]);
      if (!institution) throw new NotFoundError('Institution', query.institutionId);
      this.assertMayListBookingsOf(user, { institutionId: query.institutionId, regionCode: institution.region_code }, 'institution');
      conditions.push(`b.instrument_id IN (SELECT id FROM instrument WHERE institution_id = ${add(query.institutionId)})`);
      if (query.instrumentId) conditions.push(`b.instrument_id = ${add(query.instrumentId)}`);
    } else if (query.instrumentId && query.mine !== 'true') {
      const instrument = await loadBookableInstrument(this.dataSource.manager, query.instrumentId);
      this.assertMayListBookingsOf(user, instrument, 'instrument');
      conditions.push(`b.instrument_id = ${add(query.instrumentId)}`);
    } else {
      conditions.push(`b.user_id = ${add(user.id)}`);
      if (query.instrumentId) conditions.push(`b.instrument_id = ${add(query.instrumentId)}`);
    }
    if (query.status) conditions.push(`b.status = ${add(query.status)}`);
    if (query.from) conditions.push(`b.ends_at > ${add(new Date(query.from))}`);
    if (query.to) conditions.push(`b.starts_at < ${add(new Date(query.to))}`);
    const where = conditions.join(' AND ');
    const filterParams = [...params];
    const [rows, [{ total }]]: [BookingRecord[], { total: number }[]] = await Promise.all([
      this.dataSource.query(
        `${BOOKING_RECORD_SELECT} WHERE ${where} ORDER BY b.starts_at, b.id LIMIT ${add(query.pageSize)} OFFSET ${add((query.page - 1) * query.pageSize)}`,
        params,
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM booking b WHERE ${where}`, filterParams),
    ]);
    return { items: rows.map((row) => toBookingResponse(row, true)), total, page: query.page, pageSize: query.pageSize };
  }

  /** An instrument's or institution's bookings are listed for its lab managers, staff of its region and admins. */
  private assertMayListBookingsOf(user: AuthUser, owner: { institutionId: string; regionCode: string }, what: 'instrument' | 'institution'): void {
    const staffOfRegion = user.role === 'department_staff' && user.regionCode !== null && isWithin(owner.regionCode, user.regionCode);
    if (!this.access.isManager(user, owner) && !staffOfRegion) {
      throw new ForbiddenError(`Only the lab managers of the ${what} and staff of its region list its bookings`, BookingAccessErrorCode.NOT_INSTRUMENT_MANAGER);
    }
  }

  private canSeePersonal(user: AuthUser, booking: BookingRecord): boolean {
    return this.access.canSeePersonalDetails(user, { institutionId: booking.institution_id, regionCode: booking.region_code }, booking.user_id);
  }
}

function parseRange(query: SlotRangeQuery): Interval {
  const range = { start: Date.parse(query.from), end: Date.parse(query.to) };
  if (!(range.end > range.start)) throw new ValidationFailedError([{ field: 'to', messages: ['to must be after from'] }]);
  if (range.end - range.start > MAX_QUERY_RANGE_DAYS * DAY_MS) {
    throw new ValidationFailedError([{ field: 'to', messages: [`the range may cover at most ${MAX_QUERY_RANGE_DAYS} days`] }]);
  }
  return range;
}
