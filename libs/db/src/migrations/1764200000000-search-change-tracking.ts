import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lets each catalog replica keep its in-memory search index current by reading only what changed:
 * every write to instrument_search_entry or instrument_search_text takes the next number of one
 * sequence. Writers take one transaction-level advisory lock before drawing the number, so numbers
 * commit in the order they are drawn: a reader that has seen number n has seen every committed
 * number below n, and "changed after n" never misses a row. Catalog writes are rare human edits
 * and bulk imports, so serializing them costs nothing anyone notices.
 */
export class SearchChangeTracking1764200000000 implements MigrationInterface {
  name = 'SearchChangeTracking1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE instrument_search_change_seq AS bigint`);
    await queryRunner.query(`
      CREATE FUNCTION instrument_search_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- One lock key for the whole catalog; held until commit. The key is an arbitrary constant.
        PERFORM pg_advisory_xact_lock(7368290154);
        NEW.change_seq := nextval('instrument_search_change_seq');
        RETURN NEW;
      END $$`);
    for (const table of ['instrument_search_entry', 'instrument_search_text']) {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN change_seq bigint NOT NULL DEFAULT 0`);
      await queryRunner.query(`UPDATE ${table} SET change_seq = nextval('instrument_search_change_seq')`);
      await queryRunner.query(`CREATE INDEX ${table}_change_seq_idx ON ${table} (change_seq)`);
      await queryRunner.query(`
        CREATE TRIGGER ${table}_stamp_change BEFORE INSERT OR UPDATE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION instrument_search_stamp_change()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['instrument_search_entry', 'instrument_search_text']) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS ${table}_stamp_change ON ${table}`);
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN IF EXISTS change_seq`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS instrument_search_stamp_change()`);
    await queryRunner.query(`DROP SEQUENCE IF EXISTS instrument_search_change_seq`);
  }
}
