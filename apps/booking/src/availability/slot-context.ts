import { DEFAULT_BOOKING_RULES, bookingRulesFromRow } from './instrument-schedule';
import type { BookingRules, BookingRulesRow } from './instrument-schedule';
import type { DateClosure, DateException, OpeningRules, WeeklyWindow } from './opening-hours';

/** The columns instrumentScheduleColumns adds to a row. */
export interface InstrumentScheduleRow {
  time_zone: string;
  rules: BookingRulesRow | null;
  weekly: WeeklyWindow[];
  exceptions: { date: string; kind: 'closed' | 'open'; opens: string | null; closes: string | null }[];
  closures: DateClosure[];
}

/**
 * Select-list entries for an instrument i: its rules (row_to_json), weekly windows, and its
 * exceptions and institution closures, in date order: those between the dates `$from` and `$to`
 * (SQL parameters, e.g. '$2') when given, else all of them.
 */
export function instrumentScheduleColumns(dates?: { from: string; to: string }): string {
  const exceptionDates = dates ? ` AND e.on_date BETWEEN ${dates.from}::date AND ${dates.to}::date` : '';
  const closureDates = dates ? ` AND c.starts_on <= ${dates.to}::date AND c.ends_on >= ${dates.from}::date` : '';
  return `(SELECT row_to_json(r) FROM booking_rules r WHERE r.instrument_id = i.id) AS rules,
            (SELECT coalesce(json_agg(json_build_object('weekday', o.weekday, 'opens', to_char(o.opens, 'HH24:MI'), 'closes', to_char(o.closes, 'HH24:MI'))
                                      ORDER BY o.weekday, o.opens), '[]')
             FROM opening_window o WHERE o.instrument_id = i.id) AS weekly,
            (SELECT coalesce(json_agg(json_build_object('date', to_char(e.on_date, 'YYYY-MM-DD'), 'kind', e.kind,
                                                        'opens', to_char(e.opens, 'HH24:MI'), 'closes', to_char(e.closes, 'HH24:MI')) ORDER BY e.on_date, e.opens), '[]')
             FROM availability_exception e WHERE e.instrument_id = i.id${exceptionDates}) AS exceptions,
            (SELECT coalesce(json_agg(json_build_object('startsOn', to_char(c.starts_on, 'YYYY-MM-DD'), 'endsOn', to_char(c.ends_on, 'YYYY-MM-DD')) ORDER BY c.starts_on), '[]')
             FROM institution_closure c WHERE c.institution_id = i.institution_id${closureDates}) AS closures`;
}

/** The rules and opening rules of a row with instrumentScheduleColumns. */
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

/** The exceptions column of instrumentScheduleColumns (times null for a whole closed day) as DateExceptions. */
export function dateExceptionsFromRow(exceptions: InstrumentScheduleRow['exceptions']): DateException[] {
  return exceptions.map((exception) => ({
    date: exception.date,
    kind: exception.kind,
    ...(exception.opens !== null && exception.closes !== null ? { opens: exception.opens, closes: exception.closes } : {}),
  }));
}
