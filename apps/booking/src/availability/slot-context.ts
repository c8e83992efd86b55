import { DEFAULT_BOOKING_RULES, bookingRulesFromRow } from './instrument-schedule';
import type { BookingRules, BookingRulesRow } from './instrument-schedule';
import type { DateClosure, DateException, OpeningRules, WeeklyWindow } from './opening-hours';

/** The columns INSTRUMENT_SCHEDULE_COLUMNS adds to a row. */
export interface InstrumentScheduleRow {
  time_zone: string;
  rules: BookingRulesRow | null;
  weekly: WeeklyWindow[];
  exceptions: { date: string; kind: 'closed' | 'open'; opens: string | null; closes: string | null }[];
  closures: DateClosure[];
}

/**
 * Select-list entries for an instrument i: its rules (row_to_json), weekly windows, and the
 * exceptions and institution closures between the dates $2 and $3.
 */
export const INSTRUMENT_SCHEDULE_COLUMNS = `(SELECT row_to_json(r) FROM booking_rules r WHERE r.instrument_id = i.id) AS rules,
            (SELECT coalesce(json_agg(json_build_object('weekday', w.weekday, 'opens', to_char(w.opens, 'HH24:MI'), 'closes', to_char(w.closes, 'HH24:MI'))
                                      ORDER BY w.weekday, w.opens), '[]')
             FROM opening_window w WHERE w.instrument_id = i.id) AS weekly,
            (SELECT coalesce(json_agg(json_build_object('date', to_char(e.on_date, 'YYYY-MM-DD'), 'kind', e.kind,
                                                        'opens', to_char(e.opens, 'HH24:MI'), 'closes', to_char(e.closes, 'HH24:MI'))), '[]')
             FROM availability_exception e WHERE e.instrument_id = i.id AND e.on_date BETWEEN $2::date AND $3::date) AS exceptions,
            (SELECT coalesce(json_agg(json_build_object('startsOn', to_char(c.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(c.ends_on, 'YYYY-MM-DD'))), '[]')
             FROM institution_closure c WHERE c.institution_id = i.institution_id AND c.starts_on <= $3::date AND c.ends_on >= $2::date) AS closures`;

/** The rules and opening rules of a row with INSTRUMENT_SCHEDULE_COLUMNS. */
export function scheduleFromRow(row: InstrumentScheduleRow): { rules: BookingRules; opening: OpeningRules } {
  return {
    rules: row.rules ? bookingRulesFromRow(row.rules) : { ...DEFAULT_BOOKING_RULES },
    opening: {
      timeZone: row.time_zone,
      weekly: row.weekly,
      exceptions: dateExceptionsFromRow(row.exceptions),
      closures: row.closures,
    },
  };
}

/** The exceptions column of INSTRUMENT_SCHEDULE_COLUMNS (times null for a whole closed day) as DateExceptions. */
export function dateExceptionsFromRow(exceptions: InstrumentScheduleRow['exceptions']): DateException[] {
  return exceptions.map((exception) => ({
    date: exception.date,
    kind: exception.kind,
    ...(exception.opens !== null && exception.closes !== null ? { opens: exception.opens, closes: exception.closes } : {}),
  }));
}
