import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change log that lets each booking replica keep busy time and schedules in memory, exactly
 * current, without serializing writers (see apps/booking/src/availability/schedule-index.ts for the
 * reader's side and why it misses nothing).
 *
 * Every statement that writes time_block, opening_window, availability_exception, booking_rules,
 * institution_closure (for all instruments of the institution), instrument or
 * instrument_search_entry adds one row per instrument it touched, stamped with the writing
 * transaction's id. Statement-level triggers with transition tables: one small insert per
 * statement, no lock beyond the row insert, so concurrent bookings do not wait for each other
 * here. time_block_change_horizon records below which transaction id the log has been pruned, so a
 * reader that fell behind knows to reload, and counts TRUNCATEs of tracked tables (which fire no
 * row triggers), so a reader that sees the count move reloads too.
 */
export class BusyTimeChanges1765000000000 implements MigrationInterface {
  name = 'BusyTimeChanges1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE time_block_change (
        instrument_id uuid NOT NULL,
        changed_xid   xid8 NOT NULL DEFAULT pg_current_xact_id()
      )`);
    await queryRunner.query(`CREATE INDEX time_block_change_xid_idx ON time_block_change (changed_xid)`);
    // One row: rows with changed_xid < pruned_below are gone; next_below is the xmin seen at next_below_at, pruned once that is old.
    await queryRunner.query(`
      CREATE TABLE time_block_change_horizon (
        single        boolean PRIMARY KEY DEFAULT true CHECK (single),
        pruned_below  xid8 NOT NULL DEFAULT '0',
        next_below    xid8 NOT NULL DEFAULT pg_snapshot_xmin(pg_current_snapshot()),
        next_below_at timestamptz NOT NULL DEFAULT now(),
        -- TRUNCATEs of tracked tables, which log nothing per row: a reader that sees this move reloads.
        voided_count  bigint NOT NULL DEFAULT 0
      )`);
    await queryRunner.query(`INSERT INTO time_block_change_horizon DEFAULT VALUES`);

    for (const [name, instrumentIdsIn] of LOGGERS) await queryRunner.query(changeLogFunction(name, instrumentIdsIn));
    await queryRunner.query(`
      CREATE FUNCTION time_block_change_voided() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE time_block_change_horizon SET voided_count = voided_count + 1;
        RETURN NULL;
      END $$`);
    // Transition tables are allowed on single-event triggers only, hence one trigger per event.
    for (const [table, fn] of TRACKED) {
      for (const [event, referencing] of EVENTS) {
        await queryRunner.query(`
          CREATE TRIGGER ${table}_change_${event.toLowerCase()} AFTER ${event} ON ${table}
          REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
      }
      await queryRunner.query(`CREATE TRIGGER ${table}_change_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION time_block_change_voided()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of TRACKED) {
      for (const event of [...EVENTS.map(([name]) => name), 'TRUNCATE']) await queryRunner.query(`DROP TRIGGER IF EXISTS ${table}_change_${event.toLowerCase()} ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS time_block_change_voided()`);
    for (const [name] of LOGGERS) await queryRunner.query(`DROP FUNCTION IF EXISTS ${name}()`);
    await queryRunner.query(`DROP TABLE IF EXISTS time_block_change_horizon`);
    await queryRunner.query(`DROP TABLE IF EXISTS time_block_change`);
  }
}

/** Trigger functions by what the written rows name: the SELECT of the instrument ids in a transition table. */
const LOGGERS: [string, (rows: string) => string][] = [
  ['time_block_change_by_instrument', (rows) => `SELECT instrument_id FROM ${rows}`],
  ['time_block_change_by_instrument_row', (rows) => `SELECT id FROM ${rows}`],
  ['time_block_change_by_institution', (rows) => `SELECT i.id FROM instrument i WHERE i.institution_id IN (SELECT institution_id FROM ${rows})`],
];

/** A statement-level trigger function logging each instrument the statement touched once. */
function changeLogFunction(name: string, instrumentIdsIn: (rows: string) => string): string {
  const logged = (select: string) => `INSERT INTO time_block_change (instrument_id) SELECT DISTINCT changed.id FROM (${select}) changed (id)`;
  return `
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        ${logged(instrumentIdsIn('new_rows'))};
      ELSIF TG_OP = 'DELETE' THEN
        ${logged(instrumentIdsIn('old_rows'))};
      ELSE
        ${logged(`${instrumentIdsIn('old_rows')} UNION ALL ${instrumentIdsIn('new_rows')}`)};
      END IF;
      RETURN NULL;
    END $$`;
}

/** Tables whose writes change an instrument's busy time or schedule, and the trigger function that logs them. */
const TRACKED = [
  ['time_block', 'time_block_change_by_instrument'],
  ['opening_window', 'time_block_change_by_instrument'],
  ['availability_exception', 'time_block_change_by_instrument'],
  ['booking_rules', 'time_block_change_by_instrument'],
  ['institution_closure', 'time_block_change_by_institution'],
  ['instrument', 'time_block_change_by_instrument_row'],
  // The catalog's filter columns, which the earliest-slot search applies in memory.
  ['instrument_search_entry', 'time_block_change_by_instrument'],
] as const;

const EVENTS = [
  ['INSERT', 'NEW TABLE AS new_rows'],
  ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
  ['DELETE', 'OLD TABLE AS old_rows'],
] as const;
