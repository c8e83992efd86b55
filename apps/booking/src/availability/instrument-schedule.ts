import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import type { BookableInstrument } from '../instruments/bookable-instrument';
import type { Interval } from './interval';
import type { DateClosure, DateException, OpeningRules, WeeklyWindow } from './opening-hours';
import type { SlotRules } from './free-slots';

/** Everything a lab manager publishes about booking one instrument, besides its hours. */
export interface BookingRules extends SlotRules {
  maxMinutesPerDay: number | null;
  maxMinutesPerWeek: number | null;
  requiresApproval: boolean;
  reminderOffsetsMinutes: number[];
}

/** What an instrument without published rules gets (the column defaults of booking_rules). */
export const DEFAULT_BOOKING_RULES: BookingRules = {
  slotMinutes: 30,
  minDurationMinutes: 30,
  maxDurationMinutes: 480,
  bufferMinutes: 0,
  minNoticeMinutes: 60,
  maxAdvanceDays: 60,
  maxMinutesPerDay: null,
  maxMinutesPerWeek: null,
  requiresApproval: false,
  reminderOffsetsMinutes: [1440, 60],
};

export interface BookingRulesRow {
  slot_minutes: number;
  min_duration_minutes: number;
  max_duration_minutes: number;
  buffer_minutes: number;
  min_notice_minutes: number;
  max_advance_days: number;
  max_minutes_per_day: number | null;
  max_minutes_per_week: number | null;
  requires_approval: boolean;
  reminder_offsets_minutes: number[];
}

export async function loadBookingRules(manager: EntityManager, instrumentId: string): Promise<BookingRules> {
  const [row]: BookingRulesRow[] = await manager.query(`SELECT * FROM booking_rules WHERE instrument_id = $1`, [instrumentId]);
  return row ? bookingRulesFromRow(row) : { ...DEFAULT_BOOKING_RULES };
}

/** A booking_rules row (or its row_to_json) as BookingRules. */
export function bookingRulesFromRow(row: BookingRulesRow): BookingRules {
  return {
    slotMinutes: row.slot_minutes,
    minDurationMinutes: row.min_duration_minutes,
    maxDurationMinutes: row.max_duration_minutes,
    bufferMinutes: row.buffer_minutes,
    minNoticeMinutes: row.min_notice_minutes,
    maxAdvanceDays: row.max_advance_days,
    maxMinutesPerDay: row.max_minutes_per_day,
    maxMinutesPerWeek: row.max_minutes_per_week,
    requiresApproval: row.requires_approval,
    reminderOffsetsMinutes: row.reminder_offsets_minutes,
  };
}

export async function loadWeeklyWindows(manager: EntityManager, instrumentId: string): Promise<WeeklyWindow[]> {
  const rows: { weekday: number; opens: string; closes: string }[] = await manager.query(
    `SELECT weekday, to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes
     FROM opening_window WHERE instrument_id = $1 ORDER BY weekday, opens`,
    [instrumentId],
  );
  return rows.map((row) => ({ weekday: row.weekday, opens: row.opens, closes: row.closes }));
}

/**
 * The published opening rules that matter for a range: weekly hours, and the exceptions and
 * institution closures on the local dates around it (a day either side, for overnight windows).
 */
export async function loadOpeningRules(manager: EntityManager, instrument: BookableInstrument, range: Interval): Promise<OpeningRules> {
  const zone = instrument.timeZone;
  const firstDate = DateTime.fromMillis(range.start, { zone }).minus({ days: 1 }).toISODate()!;
  const lastDate = DateTime.fromMillis(range.end, { zone }).plus({ days: 1 }).toISODate()!;
  // One after another: inside a transaction the queries share one connection.
  const weekly = await loadWeeklyWindows(manager, instrument.id);
  const exceptions = (await manager.query(
    `SELECT to_char(on_date, 'YYYY-MM-DD') AS date, kind, to_char(opens, 'HH24:MI') AS opens, to_char(closes, 'HH24:MI') AS closes
     FROM availability_exception WHERE instrument_id = $1 AND on_date BETWEEN $2 AND $3`,
    [instrument.id, firstDate, lastDate],
  )) as { date: string; kind: 'closed' | 'open'; opens: string | null; closes: string | null }[];
  const closures = (await manager.query(
    `SELECT to_char(starts_on, 'YYYY-MM-DD') AS "startsOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn"
     FROM institution_closure WHERE institution_id = $1 AND starts_on <= $3 AND ends_on >= $2`,
    [instrument.institutionId, firstDate, lastDate],
  )) as DateClosure[];
  return {
    timeZone: zone,
    weekly,
    exceptions: exceptions.map(
      (row): DateException => ({
        date: row.date,
        kind: row.kind,
        ...(row.opens !== null && row.closes !== null ? { opens: row.opens, closes: row.closes } : {}),
      }),
    ),
    closures,
  };
}

/** Time taken on the instrument in a range: blocks of bookings (with buffers) and maintenance; lapsed holds are free. */
export async function loadBusyTime(manager: EntityManager, instrumentId: string, range: Interval, now: Date): Promise<Interval[]> {
  const rows: { start: Date; end: Date }[] = await manager.query(
    `SELECT lower(during) AS start, upper(during) AS end FROM time_block
     WHERE instrument_id = $1 AND during && tstzrange($2, $3) AND (expires_at IS NULL OR expires_at > $4)
     ORDER BY lower(during)`,
    [instrumentId, new Date(range.start), new Date(range.end), now],
  );
  return rows.map((row) => ({ start: row.start.getTime(), end: row.end.getTime() }));
}
