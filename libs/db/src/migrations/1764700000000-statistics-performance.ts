import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics compile performance (issue 4): instrument_day_statistics is derived data, rebuilt by
 * every compile, so writing it should cost no more than the rows themselves.
 * - No foreign key to instrument: checking it cost a lookup per written row (about a fifth of a
 *   full compile). Instruments are not hard-deleted by the application; should one be deleted
 *   anyway, a trigger deletes its statistics, as ON DELETE CASCADE did.
 * - No secondary (day) index: rows are written instrument by instrument, so the rows of a day (or
 *   a month) lie on almost every page of the table and the roll-ups read it sequentially anyway
 *   (a BRIN index over day would summarize nothing for the same reason); maintaining the index
 *   cost more than writing the rows. The primary key (instrument_id, day) serves per-instrument reads.
 */
export class StatisticsPerformance1764700000000 implements MigrationInterface {
  name = 'StatisticsPerformance1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE instrument_day_statistics DROP CONSTRAINT instrument_day_statistics_instrument_id_fkey`);
    await queryRunner.query(`DROP INDEX instrument_day_statistics_day_idx`);
    await queryRunner.query(`
      CREATE FUNCTION instrument_day_statistics_forget_instrument() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM instrument_day_statistics s USING old_instruments o WHERE s.instrument_id = o.id;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER instrument_day_statistics_forget_instrument
      AFTER DELETE ON instrument REFERENCING OLD TABLE AS old_instruments
      FOR EACH STATEMENT EXECUTE FUNCTION instrument_day_statistics_forget_instrument()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER instrument_day_statistics_forget_instrument ON instrument`);
    await queryRunner.query(`DROP FUNCTION instrument_day_statistics_forget_instrument()`);
    await queryRunner.query(`CREATE INDEX instrument_day_statistics_day_idx ON instrument_day_statistics (day)`);
    await queryRunner.query(`
      DELETE FROM instrument_day_statistics s WHERE NOT EXISTS (SELECT 1 FROM instrument i WHERE i.id = s.instrument_id)`);
    await queryRunner.query(`
      ALTER TABLE instrument_day_statistics
      ADD CONSTRAINT instrument_day_statistics_instrument_id_fkey FOREIGN KEY (instrument_id) REFERENCES instrument (id) ON DELETE CASCADE`);
  }
}
