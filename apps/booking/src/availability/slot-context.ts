import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@app/common';
import { queryPrepared } from '@app/db';
import { bookableInstrumentFromRow } from '../instruments/bookable-instrument';
import type { BookableInstrument, BookableInstrumentRow } from '../instruments/bookable-instrument';
import { DEFAULT_BOOKING_RULES, bookingRulesFromRow } from './instrument-schedule';
import type { BookingRules, BookingRulesRow } from './instrument-schedule';
import type { Interval } from './interval';
import type { DateClosure, DateException, OpeningRules, WeeklyWindow } from './opening-hours';

/** Everything the free slots of one instrument depend on, for a range. */
export interface SlotContext {
  instrument: BookableInstrument;
  rules: BookingRules;
  opening: OpeningRules;
  /** Blocks (with buffers), holds not lapsed and maintenance overlapping the range, by start. */
  busy: Interval[];
}

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
      exceptions: row.exceptions.map(
        (exception): DateException => ({
          date: exception.date,
          kind: exception.kind,
          ...(exception.opens !== null && exception.closes !== null ? { opens: exception.opens, closes: exception.closes } : {}),
        }),
      ),
      closures: row.closures,
    },
  };
}

interface SlotContextRow extends BookableInstrumentRow, InstrumentScheduleRow {
  /** [start, end] in epoch milliseconds. */
  busy: [number, number][];
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * One round trip instead of five: the instrument, its rules, its hours, and its busy time in the
 * range. Exceptions and closures are read for the UTC dates two days either side of the range,
 * which covers its local dates in any zone (openIntervals ignores those outside).
 */
export async function loadSlotContext(manager: EntityManager, instrumentId: string, range: Interval, now: Date): Promise<SlotContext> {
  const firstDate = new Date(range.start - 2 * DAY_MS).toISOString().slice(0, 10);
  const lastDate = new Date(range.end + 2 * DAY_MS).toISOString().slice(0, 10);
  const [row] = await queryPrepared<SlotContextRow>(
    manager,
    'booking-slot-context',
    `SELECT i.id, i.name_zh, i.institution_id, i.region_code, i.category_code, i.time_zone, i.sharing_mode, i.service_modes,
            f.unit AS fee_unit, f.internal_rate_fen, f.external_rate_fen,
            ${INSTRUMENT_SCHEDULE_COLUMNS},
            (SELECT coalesce(json_agg(json_build_array(floor(extract(epoch FROM lower(b.during)) * 1000), floor(extract(epoch FROM upper(b.during)) * 1000))
                                      ORDER BY lower(b.during)), '[]')
             FROM time_block b
             WHERE b.instrument_id = i.id AND b.during && tstzrange($4, $5) AND (b.expires_at IS NULL OR b.expires_at > $6)) AS busy
     FROM instrument i LEFT JOIN instrument_fee f ON f.instrument_id = i.id AND f.position = 0
     WHERE i.id = $1`,
    [instrumentId, firstDate, lastDate, new Date(range.start), new Date(range.end), now],
  );
  if (!row) throw new NotFoundError('Instrument', instrumentId);
  return {
    instrument: bookableInstrumentFromRow(row),
    ...scheduleFromRow(row),
    busy: row.busy.map(([start, end]) => ({ start: Number(start), end: Number(end) })),
  };
}
