import type { DemoCatalogTarget, SqlQueryFunction } from './demo-catalog.loader';
import {
  DEMO_BOOKING_STATUSES,
  type DemoBooking,
  type DemoBookingData,
  type DemoBookingEvent,
  type DemoBookingRules,
  type DemoBookingStatus,
  type DemoInstitutionClosure,
  type DemoMaintenancePeriod,
  type DemoOpeningWindow,
  type DemoQualification,
  type DemoTimeBlock,
  type DemoUser,
} from './demo-bookings.generator';

export interface LoadDemoBookingsOptions {
  /** Rows per INSERT statement (default 5,000). */
  batchSize?: number;
  /**
   * Password hash of the generated users. Default: the demo accounts' own hash, so they sign in
   * with the demo password too.
   */
  passwordHash?: string;
}

export interface LoadedDemoBookings {
  users: number;
  rules: number;
  openingWindows: number;
  closures: number;
  maintenancePeriods: number;
  qualifications: number;
  bookings: number;
  events: number;
  timeBlocks: number;
  bookingsByStatus: Record<DemoBookingStatus, number>;
  milliseconds: number;
}

export const DEMO_BOOKING_LOAD_BATCH_SIZE = 5_000;

/** A source column of an unnest insert: name, PostgreSQL type, and its value in a row. */
type Column<Row> = readonly [name: string, type: string, value: (row: Row) => unknown];

interface Statement {
  sql: string;
  parameters: unknown[];
}

const iso = (instant: Date | null): string | null => (instant === null ? null : instant.toISOString());

/**
 * A PostgreSQL array literal of one column. Text is quoted and escaped; uuids, numbers, booleans,
 * dates, times and ISO instants hold no character that needs it. Built here rather than by the
 * driver, which quotes and escapes every element of every array: this is most of the JavaScript
 * time of a load.
 */
function arrayLiteral<Row>(rows: readonly Row[], value: (row: Row) => unknown, quoted: boolean): string {
  let literal = '{';
  for (let index = 0; index < rows.length; index++) {
    const cell = value(rows[index]);
    if (index > 0) literal += ',';
    if (cell === null || cell === undefined) literal += 'NULL';
    else if (quoted) literal += `"${String(cell).replace(/[\\"]/g, '\\$&')}"`;
    else literal += String(cell);
  }
  return `${literal}}`;
}

const QUOTED_TYPES = new Set(['text', 'jsonb']);

/**
 * INSERT ... SELECT FROM unnest($1::uuid[], $2::text[], ...): one parameter per column for a whole
 * batch. `targets` maps target columns to SQL over `source.<name>` when they are not plain copies.
 */
function bulkInsert<Row>(table: string, columns: readonly Column<Row>[], rows: readonly Row[], targets?: readonly [string, string][]): Statement {
  const parameters = columns.map(([, type, value]) => arrayLiteral(rows, value, QUOTED_TYPES.has(type)));
  const inserted = targets ?? columns.map(([name]) => [name, `source.${name}`] as const);
  return {
    sql:
      `INSERT INTO ${table} (${inserted.map(([target]) => target).join(', ')}) ` +
      `SELECT ${inserted.map(([, expression]) => expression).join(', ')} ` +
      `FROM unnest(${columns.map(([, type], index) => `$${index + 1}::${type}[]`).join(', ')}) ` +
      `AS source(${columns.map(([name]) => name).join(', ')})`,
    parameters,
  };
}

function toQueryFunction(target: DemoCatalogTarget): SqlQueryFunction {
  return typeof target === 'function' ? target : (sql, parameters) => target.query(sql, parameters);
}

/**
 * Bulk-inserts generated booking data (generateDemoBookings) on the caller's connection and inside
 * the caller's transaction; it never begins or commits one. The catalog and the demo accounts
 * must be loaded already: the demo accounts' stand-in ids are swapped for their real ids, found by
 * e-mail. Writes users, rules, weekly hours, closures, maintenance, qualifications, bookings, one
 * booking_event per booking and the time_block rows (blocking bookings and maintenance), which the
 * exclusion constraint checks as they go in. No outbox messages: nothing is to be notified.
 */
export async function loadDemoBookings(target: DemoCatalogTarget, data: DemoBookingData, options: LoadDemoBookingsOptions = {}): Promise<LoadedDemoBookings> {
  const started = performance.now();
  const query = toQueryFunction(target);
  const batchSize = options.batchSize ?? DEMO_BOOKING_LOAD_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a whole number >= 1');

  const emails = data.accountIds.map((account) => account.email);
  const found = (await query(`SELECT id, email, password_hash FROM app_user WHERE email = ANY($1::text[])`, [emails])) as {
    id: string;
    email: string;
    password_hash: string;
  }[];
  const realIdByEmail = new Map(found.map((row) => [row.email, row.id]));
  const missing = emails.filter((email) => !realIdByEmail.has(email));
  if (missing.length > 0) throw new Error(`Load the demo accounts before their bookings; missing: ${missing.join(', ')}`);
  const realId = new Map(data.accountIds.map((account) => [account.id, realIdByEmail.get(account.email)!]));
  const user = (id: string | null): string | null => (id === null ? null : (realId.get(id) ?? id));
  const passwordHash = options.passwordHash ?? found.find((row) => row.email === emails[0])?.password_hash;
  if (data.users.length > 0 && !passwordHash) throw new Error('No password hash for the generated users');

  // One statement in flight at a time, in order (rows reference earlier ones); the next statement's
  // parameters are built while the previous one runs.
  let inFlight: Promise<unknown> = Promise.resolve();
  const send = async (statement: Statement) => {
    await inFlight;
    inFlight = query(statement.sql, statement.parameters);
    // Awaited by the next send; this only keeps an early failure from being reported as unhandled.
    inFlight.catch(() => undefined);
  };
  const insertAll = async <Row>(table: string, columns: readonly Column<Row>[], rows: readonly Row[], targets?: readonly [string, string][]) => {
    for (let start = 0; start < rows.length; start += batchSize) await send(bulkInsert(table, columns, rows.slice(start, start + batchSize), targets));
  };

  await insertAll<DemoUser>('app_user', [
    ['id', 'uuid', (row) => row.id],
    ['email', 'text', (row) => row.email],
    ['password_hash', 'text', () => passwordHash],
    ['display_name', 'text', (row) => row.displayName],
    ['role', 'text', (row) => row.role],
    ['institution_id', 'uuid', (row) => row.institutionId],
    ['language', 'text', (row) => row.language],
  ], data.users);
  await insertAll<DemoBookingRules>('booking_rules', [
    ['instrument_id', 'uuid', (row) => row.instrumentId],
    ['slot_minutes', 'integer', (row) => row.slotMinutes],
    ['min_duration_minutes', 'integer', (row) => row.minDurationMinutes],
    ['max_duration_minutes', 'integer', (row) => row.maxDurationMinutes],
    ['buffer_minutes', 'integer', (row) => row.bufferMinutes],
    ['min_notice_minutes', 'integer', (row) => row.minNoticeMinutes],
    ['max_advance_days', 'integer', (row) => row.maxAdvanceDays],
    ['max_minutes_per_day', 'integer', (row) => row.maxMinutesPerDay],
    ['max_minutes_per_week', 'integer', (row) => row.maxMinutesPerWeek],
    ['requires_approval', 'boolean', (row) => row.requiresApproval],
  ], data.rules);
  await insertAll<DemoOpeningWindow>('opening_window', [
    ['instrument_id', 'uuid', (row) => row.instrumentId],
    ['weekday', 'smallint', (row) => row.weekday],
    ['opens', 'time', (row) => row.opens],
    ['closes', 'time', (row) => row.closes],
  ], data.openingWindows);
  await insertAll<DemoInstitutionClosure>('institution_closure', [
    ['id', 'uuid', (row) => row.id],
    ['institution_id', 'uuid', (row) => row.institutionId],
    ['starts_on', 'date', (row) => row.startsOn],
    ['ends_on', 'date', (row) => row.endsOn],
    ['reason', 'text', (row) => row.reason],
  ], data.closures);
  await insertAll<DemoMaintenancePeriod>('maintenance_period', [
    ['id', 'uuid', (row) => row.id],
    ['instrument_id', 'uuid', (row) => row.instrumentId],
    ['starts_at', 'timestamptz', (row) => iso(row.startsAt)],
    ['ends_at', 'timestamptz', (row) => iso(row.endsAt)],
    ['reason', 'text', (row) => row.reason],
    ['created_by', 'uuid', (row) => user(row.createdBy)],
    ['created_at', 'timestamptz', (row) => iso(row.createdAt)],
  ], data.maintenancePeriods);
  await insertAll<DemoQualification>('qualification', [
    ['id', 'uuid', (row) => row.id],
    ['user_id', 'uuid', (row) => user(row.userId)],
    ['instrument_id', 'uuid', (row) => row.instrumentId],
    ['valid_until', 'timestamptz', (row) => iso(row.validUntil)],
    ['granted_by', 'uuid', (row) => user(row.grantedBy)],
    ['granted_at', 'timestamptz', (row) => iso(row.grantedAt)],
    ['note', 'text', (row) => row.note],
  ], data.qualifications);
  await insertAll<DemoBooking>('booking', [
    ['id', 'uuid', (row) => row.id],
    ['instrument_id', 'uuid', (row) => row.instrumentId],
    ['user_id', 'uuid', (row) => user(row.userId)],
    ['status', 'text', (row) => row.status],
    ['mode', 'text', (row) => row.mode],
    ['purpose', 'text', (row) => row.purpose],
    ['sample_count', 'integer', (row) => row.sampleCount],
    ['notes', 'text', (row) => row.notes],
    ['starts_at', 'timestamptz', (row) => iso(row.startsAt)],
    ['ends_at', 'timestamptz', (row) => iso(row.endsAt)],
    ['hold_expires_at', 'timestamptz', (row) => iso(row.holdExpiresAt)],
    ['is_internal', 'boolean', (row) => row.isInternal],
    ['fee_unit', 'text', (row) => row.feeUnit],
    ['rate_fen', 'bigint', (row) => row.rateFen],
    ['quote_fen', 'bigint', (row) => row.quoteFen],
    ['final_fee_fen', 'bigint', (row) => row.finalFeeFen],
    ['cancellation_fee_fen', 'bigint', (row) => row.cancellationFeeFen],
    ['actual_start_at', 'timestamptz', (row) => iso(row.actualStartAt)],
    ['actual_end_at', 'timestamptz', (row) => iso(row.actualEndAt)],
    ['decided_by', 'uuid', (row) => user(row.decidedBy)],
    ['decided_at', 'timestamptz', (row) => iso(row.decidedAt)],
    ['decision_reason', 'text', (row) => row.decisionReason],
    ['cancelled_by', 'uuid', (row) => user(row.cancelledBy)],
    ['cancelled_at', 'timestamptz', (row) => iso(row.cancelledAt)],
    ['cancellation_reason', 'text', (row) => row.cancellationReason],
    ['rating', 'smallint', (row) => row.rating],
    ['rating_comment', 'text', (row) => row.ratingComment],
    ['rated_at', 'timestamptz', (row) => iso(row.ratedAt)],
    ['created_at', 'timestamptz', (row) => iso(row.createdAt)],
    ['updated_at', 'timestamptz', (row) => iso(row.updatedAt)],
  ], data.bookings);
  await insertAll<DemoBookingEvent>('booking_event', [
    ['booking_id', 'uuid', (row) => row.bookingId],
    ['type', 'text', (row) => row.type],
    ['from_status', 'text', (row) => row.fromStatus],
    ['to_status', 'text', (row) => row.toStatus],
    ['actor_id', 'uuid', (row) => user(row.actorId)],
    ['reason', 'text', (row) => row.reason],
    ['data', 'jsonb', (row) => JSON.stringify(row.data)],
    ['occurred_at', 'timestamptz', (row) => iso(row.occurredAt)],
  ], data.events);
  await insertAll<DemoTimeBlock>(
    'time_block',
    [
      ['instrument_id', 'uuid', (row) => row.instrumentId],
      ['starts_at', 'timestamptz', (row) => iso(row.startsAt)],
      ['ends_at', 'timestamptz', (row) => iso(row.endsAt)],
      ['booking_id', 'uuid', (row) => row.bookingId],
      ['maintenance_id', 'uuid', (row) => row.maintenanceId],
      ['expires_at', 'timestamptz', (row) => iso(row.expiresAt)],
    ],
    data.timeBlocks,
    [
      ['instrument_id', 'source.instrument_id'],
      ['during', 'tstzrange(source.starts_at, source.ends_at)'],
      ['booking_id', 'source.booking_id'],
      ['maintenance_id', 'source.maintenance_id'],
      ['expires_at', 'source.expires_at'],
    ],
  );
  await inFlight;

  const bookingsByStatus = Object.fromEntries(DEMO_BOOKING_STATUSES.map((status) => [status, 0])) as Record<DemoBookingStatus, number>;
  for (const booking of data.bookings) bookingsByStatus[booking.status]++;
  return {
    users: data.users.length,
    rules: data.rules.length,
    openingWindows: data.openingWindows.length,
    closures: data.closures.length,
    maintenancePeriods: data.maintenancePeriods.length,
    qualifications: data.qualifications.length,
    bookings: data.bookings.length,
    events: data.events.length,
    timeBlocks: data.timeBlocks.length,
    bookingsByStatus,
    milliseconds: Math.round(performance.now() - started),
  };
}
