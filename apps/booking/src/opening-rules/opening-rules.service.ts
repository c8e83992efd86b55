import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ConflictError, ForbiddenError, NotFoundError, ValidationFailedError } from '@app/common';
import { inTransaction } from '@app/db';
import { type Interval, mergeIntervals } from '../availability/interval';
import { openIntervals } from '../availability/opening-hours';
import { ruleViolation } from '../availability/free-slots';
import {
  BookingRules,
  loadBookingRules,
  loadOpeningRules,
  loadWeeklyWindows,
} from '../availability/instrument-schedule';
import { BookableInstrument, loadBookableInstrument } from '../instruments/bookable-instrument';
import { BookingAccessErrorCode, BookingAccessPolicy } from '../instruments/booking-access.policy';
import {
  AffectedBookingDto,
  AvailabilityExceptionDto,
  AvailabilityExceptionResponseDto,
  BookingRulesDto,
  InstitutionClosureDto,
  InstitutionClosureResponseDto,
  MaintenancePeriodDto,
  MaintenancePeriodResponseDto,
  OpeningHoursDto,
  OpeningRulesResponseDto,
} from './dto/opening-rules.dto';

export enum OpeningRulesErrorCode {
  MAINTENANCE_CLASHES_WITH_BOOKINGS = 'MAINTENANCE_CLASHES_WITH_BOOKINGS',
  MAINTENANCE_OVERLAPS_MAINTENANCE = 'MAINTENANCE_OVERLAPS_MAINTENANCE',
}

/** Thrown inside a transaction to roll a simulated change back while keeping its result. */
class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

/**
 * What lab managers publish: booking rules, weekly hours, date exceptions, institution closures and
 * maintenance. A change never cancels anything by itself: every answer lists the upcoming bookings
 * that no longer fit, and the lab manager decides (keep them, or cancel them with a reason).
 * With dryRun the change is made, measured and rolled back.
 */
@Injectable()
export class OpeningRulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: BookingAccessPolicy,
    private readonly clock: Clock,
  ) {}

  async get(user: AuthUser | undefined, instrumentId: string): Promise<OpeningRulesResponseDto> {
    const manager = this.dataSource.manager;
    const instrument = await loadBookableInstrument(manager, instrumentId);
    this.access.assertCanSee(user, instrument);
    return this.describe(manager, instrument, [], false);
  }

  putRules(user: AuthUser, instrumentId: string, rules: BookingRulesDto, dryRun: boolean): Promise<OpeningRulesResponseDto> {
    if (rules.maxDurationMinutes < rules.minDurationMinutes) {
      throw new ValidationFailedError([{ field: 'maxDurationMinutes', messages: ['maxDurationMinutes must not be below minDurationMinutes'] }]);
    }
    return this.change(user, instrumentId, dryRun, async (manager, instrument) => {
      await manager.query(
        `INSERT INTO booking_rules (instrument_id, slot_minutes, min_duration_minutes, max_duration_minutes, buffer_minutes,
                                    min_notice_minutes, max_advance_days, max_minutes_per_day, max_minutes_per_week,
                                    requires_approval, reminder_offsets_minutes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (instrument_id) DO UPDATE SET
           slot_minutes = EXCLUDED.slot_minutes, min_duration_minutes = EXCLUDED.min_duration_minutes,
           max_duration_minutes = EXCLUDED.max_duration_minutes, buffer_minutes = EXCLUDED.buffer_minutes,
           min_notice_minutes = EXCLUDED.min_notice_minutes, max_advance_days = EXCLUDED.max_advance_days,
           max_minutes_per_day = EXCLUDED.max_minutes_per_day, max_minutes_per_week = EXCLUDED.max_minutes_per_week,
           requires_approval = EXCLUDED.requires_approval, reminder_offsets_minutes = EXCLUDED.reminder_offsets_minutes,
           version = booking_rules.version + 1, updated_at = now()`,
        [
          instrument.id,
          rules.slotMinutes,
          rules.minDurationMinutes,
          rules.maxDurationMinutes,
          rules.bufferMinutes,
          rules.minNoticeMinutes,
          rules.maxAdvanceDays,
          rules.maxMinutesPerDay ?? null,
          rules.maxMinutesPerWeek ?? null,
          rules.requiresApproval,
          rules.reminderOffsetsMinutes,
        ],
      );
    });
  }

  putOpeningHours(user: AuthUser, instrumentId: string, hours: OpeningHoursDto, dryRun: boolean): Promise<OpeningRulesResponseDto> {
    return this.change(user, instrumentId, dryRun, async (manager, instrument) => {
      await manager.query(`DELETE FROM opening_window WHERE instrument_id = $1`, [instrument.id]);
      for (const window of hours.windows) {
        await manager.query(`INSERT INTO opening_window (instrument_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)`, [
          instrument.id,
          window.weekday,
          window.opens,
          window.closes,
        ]);
      }
    });
  }

  async listExceptions(user: AuthUser | undefined, instrumentId: string): Promise<AvailabilityExceptionDto[]> {
    const instrument = await loadBookableInstrument(this.dataSource.manager, instrumentId);
    this.access.assertCanSee(user, instrument);
    return this.dataSource.query(
      `SELECT id, to_char(on_date, 'YYYY-MM-DD') AS date, kind, to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes, reason
       FROM availability_exception WHERE instrument_id = $1 AND on_date >= CURRENT_DATE - 1 ORDER BY on_date, opens NULLS FIRST`,
      [instrumentId],
    ).then((rows: Record<string, unknown>[]) => rows.map(withoutNulls) as unknown as AvailabilityExceptionDto[]);
  }

  async addException(user: AuthUser, instrumentId: string, exception: AvailabilityExceptionDto): Promise<AvailabilityExceptionResponseDto> {
    if ((exception.opens === undefined) !== (exception.closes === undefined) || (exception.kind === 'open' && exception.opens === undefined)) {
      throw new ValidationFailedError([{ field: 'opens', messages: ['opens and closes go together, and an open exception needs both'] }]);
    }
    let id = '';
    const described = await this.change(user, instrumentId, false, async (manager, instrument) => {
      [{ id }] = await manager.query(
        `INSERT INTO availability_exception (instrument_id, on_date, kind, opens, closes, reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [instrument.id, exception.date, exception.kind, exception.opens ?? null, exception.closes ?? null, exception.reason ?? ''],
      );
    });
    return { ...exception, id, affectedBookings: described.affectedBookings };
  }

  async removeException(user: AuthUser, instrumentId: string, exceptionId: string): Promise<void> {
    await this.change(user, instrumentId, false, async (manager, instrument) => {
      const [, deleted] = await manager.query(`DELETE FROM availability_exception WHERE id = $1 AND instrument_id = $2`, [exceptionId, instrument.id]);
      if (deleted === 0) throw new NotFoundError('Availability exception', exceptionId);
    });
  }

  async listClosures(institutionId: string): Promise<InstitutionClosureResponseDto[]> {
    const rows = await this.dataSource.query(
      `SELECT id, institution_id AS "institutionId", to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn", reason
       FROM institution_closure WHERE institution_id = $1 AND ends_on >= CURRENT_DATE - 1 ORDER BY starts_on`,
      [institutionId],
    );
    return rows.map((row: InstitutionClosureResponseDto) => ({ ...row, affectedBookings: [] }));
  }

  /** A holiday for every instrument of the institution; lists the bookings of all of them that fall inside. */
  addClosure(user: AuthUser, institutionId: string, closure: InstitutionClosureDto): Promise<InstitutionClosureResponseDto> {
    this.assertInstitutionManager(user, institutionId);
    if (closure.endsOn < closure.startsOn) throw new ValidationFailedError([{ field: 'endsOn', messages: ['endsOn must not be before startsOn'] }]);
    return inTransaction(this.dataSource, async (manager) => {
      const [{ id }] = await manager.query(
        `INSERT INTO institution_closure (institution_id, starts_on, ends_on, reason) VALUES ($1, $2, $3, $4) RETURNING id`,
        [institutionId, closure.startsOn, closure.endsOn, closure.reason],
      );
      const instruments: { id: string }[] = await manager.query(`SELECT id FROM instrument WHERE institution_id = $1`, [institutionId]);
      const affected: AffectedBookingDto[] = [];
      for (const { id: instrumentId } of instruments) {
        const instrument = await loadBookableInstrument(manager, instrumentId);
        affected.push(...(await this.affectedBookings(manager, instrument)));
      }
      return { id, institutionId, ...closure, affectedBookings: affected };
    });
  }

  async removeClosure(user: AuthUser, institutionId: string, closureId: string): Promise<void> {
    this.assertInstitutionManager(user, institutionId);
    const [, deleted] = await this.dataSource.query(`DELETE FROM institution_closure WHERE id = $1 AND institution_id = $2`, [closureId, institutionId]);
    if (deleted === 0) throw new NotFoundError('Institution closure', closureId);
  }

  async listMaintenance(user: AuthUser | undefined, instrumentId: string): Promise<MaintenancePeriodResponseDto[]> {
    const instrument = await loadBookableInstrument(this.dataSource.manager, instrumentId);
    this.access.assertCanSee(user, instrument);
    const rows: { id: string; starts_at: Date; ends_at: Date; reason: string }[] = await this.dataSource.query(
      `SELECT id, starts_at, ends_at, reason FROM maintenance_period WHERE instrument_id = $1 AND ends_at > $2 ORDER BY starts_at`,
      [instrumentId, this.clock.now()],
    );
    return rows.map((row) => ({ id: row.id, instrumentId, start: row.starts_at.toISOString(), end: row.ends_at.toISOString(), reason: row.reason }));
  }

  /** Maintenance takes the instrument's time like a booking: refused (409, with the bookings in the way) if it is taken. */
  addMaintenance(user: AuthUser, instrumentId: string, period: MaintenancePeriodDto): Promise<MaintenancePeriodResponseDto> {
    const range = { start: Date.parse(period.start), end: Date.parse(period.end) };
    if (!(range.end > range.start)) throw new ValidationFailedError([{ field: 'end', messages: ['end must be after start'] }]);
    return inTransaction(this.dataSource, async (manager) => {
      const instrument = await loadBookableInstrument(manager, instrumentId);
      this.access.assertManager(user, instrument);
      const [{ id }] = await manager.query(
        `INSERT INTO maintenance_period (instrument_id, starts_at, ends_at, reason, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [instrument.id, new Date(range.start), new Date(range.end), period.reason, user.id],
      );
      const inserted = await manager.query(
        `INSERT INTO time_block (instrument_id, during, maintenance_id) VALUES ($1, tstzrange($2, $3), $4)
         ON CONFLICT DO NOTHING RETURNING id`,
        [instrument.id, new Date(range.start), new Date(range.end), id],
      );
      if (inserted.length === 0) await this.refuseMaintenance(manager, instrument.id, range);
      return { id, instrumentId, start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString(), reason: period.reason };
    });
  }

  async removeMaintenance(user: AuthUser, instrumentId: string, maintenanceId: string): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      const instrument = await loadBookableInstrument(manager, instrumentId);
      this.access.assertManager(user, instrument);
      const [, deleted] = await manager.query(`DELETE FROM maintenance_period WHERE id = $1 AND instrument_id = $2`, [maintenanceId, instrumentId]);
      if (deleted === 0) throw new NotFoundError('Maintenance period', maintenanceId);
    });
  }

  private async refuseMaintenance(manager: EntityManager, instrumentId: string, range: Interval): Promise<never> {
    const clashes: { booking_id: string | null; start: Date; end: Date; status: string | null }[] = await manager.query(
      `SELECT b.booking_id, lower(b.during) AS start, upper(b.during) AS end, bk.status
       FROM time_block b LEFT JOIN booking bk ON bk.id = b.booking_id
       WHERE b.instrument_id = $1 AND b.during && tstzrange($2, $3) ORDER BY lower(b.during)`,
      [instrumentId, new Date(range.start), new Date(range.end)],
    );
    const bookings = clashes.filter((clash) => clash.booking_id !== null);
    if (bookings.length === 0) {
      throw new ConflictError(OpeningRulesErrorCode.MAINTENANCE_OVERLAPS_MAINTENANCE, 'Another maintenance period covers part of this time', {
        clashes: clashes.map((clash) => ({ start: clash.start.toISOString(), end: clash.end.toISOString() })),
      });
    }
    throw new ConflictError(
      OpeningRulesErrorCode.MAINTENANCE_CLASHES_WITH_BOOKINGS,
      'Bookings take part of this time: cancel or move them first, then add the maintenance',
      { bookings: bookings.map((clash) => ({ id: clash.booking_id, status: clash.status, start: clash.start.toISOString(), end: clash.end.toISOString() })) },
    );
  }

  /** Runs a change of one instrument's published rules as its lab manager, then describes the result. */
  private async change(
    user: AuthUser,
    instrumentId: string,
    dryRun: boolean,
    apply: (manager: EntityManager, instrument: BookableInstrument) => Promise<void>,
  ): Promise<OpeningRulesResponseDto> {
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const instrument = await loadBookableInstrument(manager, instrumentId);
        this.access.assertManager(user, instrument);
        // Serializes changes of one instrument's rules with each other and with bookings of it.
        await manager.query(`SELECT 1 FROM instrument WHERE id = $1 FOR UPDATE`, [instrument.id]);
        await apply(manager, instrument);
        const described = await this.describe(manager, instrument, await this.affectedBookings(manager, instrument), dryRun);
        if (dryRun) throw new DryRunRollback(described);
        return described;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.result as OpeningRulesResponseDto;
      throw error;
    }
  }

  private async describe(
    manager: EntityManager,
    instrument: BookableInstrument,
    affectedBookings: AffectedBookingDto[],
    dryRun: boolean,
  ): Promise<OpeningRulesResponseDto> {
    const rules = await loadBookingRules(manager, instrument.id);
    const weeklyHours = await loadWeeklyWindows(manager, instrument.id);
    return { instrumentId: instrument.id, timeZone: instrument.timeZone, rules: toRulesDto(rules), weeklyHours, affectedBookings, dryRun };
  }

  /** Upcoming held, pending and confirmed bookings that the published rules and hours no longer admit. */
  private async affectedBookings(manager: EntityManager, instrument: BookableInstrument): Promise<AffectedBookingDto[]> {
    const now = this.clock.now();
    const bookings: { id: string; status: string; starts_at: Date; ends_at: Date }[] = await manager.query(
      `SELECT id, status, starts_at, ends_at FROM booking
       WHERE instrument_id = $1 AND status IN ('held', 'pending', 'confirmed') AND ends_at > $2 ORDER BY starts_at`,
      [instrument.id, now],
    );
    if (bookings.length === 0) return [];
    const span = { start: bookings[0].starts_at.getTime(), end: Math.max(...bookings.map((booking) => booking.ends_at.getTime())) };
    const rules = await loadBookingRules(manager, instrument.id);
    const opening = await loadOpeningRules(manager, instrument, span);
    const open = mergeIntervals(openIntervals(opening, { start: span.start - DAY, end: span.end + DAY }));
    // Notice and advance are about when a request is made, not about bookings already made.
    const timeless = { ...rules, minNoticeMinutes: 0, maxAdvanceDays: 366_000 };
    return bookings
      .filter((booking) => ruleViolation({ timeZone: instrument.timeZone, open, rules: timeless, now: 0 }, { start: booking.starts_at.getTime(), end: booking.ends_at.getTime() }) !== null)
      .map((booking) => ({ id: booking.id, status: booking.status, start: booking.starts_at.toISOString(), end: booking.ends_at.toISOString() }));
  }

  private assertInstitutionManager(user: AuthUser, institutionId: string): void {
    if (user.role === 'admin' || (user.role === 'lab_manager' && user.institutionId === institutionId)) return;
    throw new ForbiddenError('Only lab managers of this institution publish its closures', BookingAccessErrorCode.NOT_INSTRUMENT_MANAGER);
  }
}

const DAY = 24 * 3600 * 1000;

export function toRulesDto(rules: BookingRules): BookingRulesDto {
  return {
    slotMinutes: rules.slotMinutes,
    minDurationMinutes: rules.minDurationMinutes,
    maxDurationMinutes: rules.maxDurationMinutes,
    bufferMinutes: rules.bufferMinutes,
    minNoticeMinutes: rules.minNoticeMinutes,
    maxAdvanceDays: rules.maxAdvanceDays,
    maxMinutesPerDay: rules.maxMinutesPerDay,
    maxMinutesPerWeek: rules.maxMinutesPerWeek,
    requiresApproval: rules.requiresApproval,
    reminderOffsetsMinutes: rules.reminderOffsetsMinutes,
  };
}

function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null));
}
