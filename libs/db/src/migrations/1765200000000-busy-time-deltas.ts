import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The busy-time change log names the blocks a time_block write touched, not only their
 * instrument: each logged row of a time_block write carries the start of a block it inserted,
 * deleted or moved (`block_start`, old and new start of a moved one). A booking replica then reads
 * back only the blocks at those starts instead of the instrument's whole busy time and schedule,
 * which a booking made it do for every new booking (the sync statement was the largest part of
 * PostgreSQL's time per booking in bench/booking). Rows of the other tracked tables keep
 * block_start NULL: the instrument is read again whole.
 *
 * Blocks of one instrument never overlap (the exclusion constraint) and always have a finite
 * inclusive start (the table's CHECK), so a start names at most one block.
 */
export class BusyTimeDeltas1765200000000 implements MigrationInterface {
  name = 'BusyTimeDeltas1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE time_block_change ADD COLUMN block_start timestamptz`);
    await queryRunner.query(`COMMENT ON COLUMN time_block_change.block_start IS 'start of a block a time_block write inserted, deleted or moved; NULL: reload the instrument whole'`);
    await queryRunner.query(`
      CREATE FUNCTION time_block_change_by_block() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO time_block_change (instrument_id, block_start) SELECT DISTINCT instrument_id, lower(during) FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO time_block_change (instrument_id, block_start) SELECT DISTINCT instrument_id, lower(during) FROM old_rows;
        ELSE
          INSERT INTO time_block_change (instrument_id, block_start)
          SELECT instrument_id, lower(during) FROM old_rows UNION SELECT instrument_id, lower(during) FROM new_rows;
        END IF;
        RETURN NULL;
      END $$`);
    await recreateTimeBlockTriggers(queryRunner, 'time_block_change_by_block');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await recreateTimeBlockTriggers(queryRunner, 'time_block_change_by_instrument');
    await queryRunner.query(`DROP FUNCTION time_block_change_by_block()`);
    await queryRunner.query(`ALTER TABLE time_block_change DROP COLUMN block_start`);
  }
}

/** The time_block triggers of migration 1765000000000, same names, calling `fn`. */
async function recreateTimeBlockTriggers(queryRunner: QueryRunner, fn: string): Promise<void> {
  const events = [
    ['INSERT', 'NEW TABLE AS new_rows'],
    ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
    ['DELETE', 'OLD TABLE AS old_rows'],
  ] as const;
  for (const [event, referencing] of events) {
    const name = `time_block_change_${event.toLowerCase()}`;
    await queryRunner.query(`DROP TRIGGER ${name} ON time_block`);
    await queryRunner.query(`CREATE TRIGGER ${name} AFTER ${event} ON time_block REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
  }
}
