import { MigrationInterface, QueryRunner } from 'typeorm';

/** The figures of a day, in the order of the arrays of instrument_month_statistics and the columns of the view. */
const FIGURES: ReadonlyArray<[name: string, type: 'smallint' | 'integer' | 'bigint']> = [
  ['open_minutes', 'smallint'],
  ['booked_minutes', 'smallint'],
  ['effective_minutes', 'smallint'],
  ['external_minutes', 'smallint'],
  ['services', 'integer'],
  ['distinct_users', 'integer'],
  ['distinct_firms', 'integer'],
  ['distinct_small_micro_firms', 'integer'],
  ['revenue_fen', 'bigint'],
  ['no_shows', 'integer'],
  ['rating_sum', 'integer'],
  ['rating_count', 'integer'],
];
const NAMES = FIGURES.map(([name]) => name).join(', ');
/** The figures roll-ups add up: each month row also carries their total over its compiled days. */
const TOTALS = ['open_minutes', 'booked_minutes', 'effective_minutes', 'external_minutes', 'services', 'revenue_fen', 'no_shows', 'rating_sum', 'rating_count'];

/**
 * A deleted instrument's statistics go with it: the trigger that stands in for ON DELETE CASCADE
 * (no foreign key: checking it per written row cost more than it guards, see 1764700000000).
 */
function forgetDeletedInstruments(table: string): string[] {
  return [
    `CREATE FUNCTION ${table}_forget_instrument() RETURNS trigger
     LANGUAGE plpgsql AS $$
     BEGIN
       DELETE FROM ${table} s USING old_instruments o WHERE s.instrument_id = o.id;
       RETURN NULL;
     END
     $$`,
    `CREATE TRIGGER ${table}_forget_instrument
     AFTER DELETE ON instrument REFERENCING OLD TABLE AS old_instruments
     FOR EACH STATEMENT EXECUTE FUNCTION ${table}_forget_instrument()`,
  ];
}

/**
 * Statistics by month (issue 4): the compiled figures of an instrument's local days are stored as one
 * row per instrument and month, each figure an array with one element per day of the month (NULL for
 * a day not compiled). Writing a row per instrument and day cost more CPU than the rest of a full
 * compile (3.3 million rows a year for 9,000 instruments, each with its tuple header, primary-key
 * entry and CHECKs); a month row carries 30 days for the price of one.
 *
 * Readers keep their view of one row per instrument and day: instrument_day_statistics is now a
 * view over the arrays (days not compiled left out), with the month beside the day so a reader of a
 * date range can skip other months by the primary key. A month row also carries its compiled days
 * and the totals roll-ups add up, so a roll-up reads whole months as one row each and only the
 * months at the edges of its range by day. Inserting into the view writes that day into its month
 * (for fixtures and manual corrections); the compiler writes months itself.
 */
export class StatisticsByMonth1765100000000 implements MigrationInterface {
  name = 'StatisticsByMonth1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE instrument_month_statistics (
        instrument_id uuid NOT NULL,
        month         date NOT NULL CHECK (month = date_trunc('month', month)::date),
        ${FIGURES.map(([name, type]) => `${name} ${type}[] NOT NULL CHECK (cardinality(${name}) = (month + interval '1 month')::date - month)`).join(',\n        ')},
        compiled_at   timestamptz NOT NULL,
        -- Days compiled, and the totals over them: what a roll-up of whole months reads.
        compiled_days smallint NOT NULL DEFAULT 0 CHECK (compiled_days BETWEEN 0 AND 31),
        ${TOTALS.map((name) => `${name}_total bigint NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (instrument_id, month),
        CHECK (0 <= ALL (open_minutes) AND 1500 >= ALL (open_minutes) AND 0 <= ALL (booked_minutes) AND 1500 >= ALL (booked_minutes)
               AND 0 <= ALL (effective_minutes) AND 1500 >= ALL (effective_minutes) AND 0 <= ALL (external_minutes) AND 0 <= ALL (revenue_fen))
      )`);
    // Days first_index..last_index (1-based) of `fresh` over the same month of `old`; all of `fresh` when there is no old row.
    await queryRunner.query(`
      CREATE FUNCTION statistics_splice(old anyarray, fresh anyarray, first_index int, last_index int) RETURNS anyarray
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN old IS NULL THEN fresh ELSE old[1:first_index - 1] || fresh[first_index:last_index] || old[last_index + 1:] END
      $$`);
    // An array of `days` NULLs with `value` at `day_index`: one day of a month, to splice in.
    await queryRunner.query(`
      CREATE FUNCTION statistics_one_day(value anyelement, day_index int, days int) RETURNS anyarray
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_agg(CASE WHEN n = day_index THEN value END ORDER BY n) FROM generate_series(1, days) AS n
      $$`);

    // Recounts the compiled days and totals of months from their arrays (bounds NULL: no bound).
    await queryRunner.query(`
      CREATE FUNCTION statistics_refresh_month_totals(first_month date, last_month date, only_instrument uuid, id_from uuid, id_below uuid) RETURNS void
      LANGUAGE sql AS $$
        UPDATE instrument_month_statistics m
        SET (compiled_days, ${TOTALS.map((name) => `${name}_total`).join(', ')}) = (
          SELECT count(d.open_minutes), ${TOTALS.map((name) => `coalesce(sum(d.${name}), 0)`).join(', ')}
          FROM unnest(${TOTALS.map((name) => `m.${name}`).join(', ')}) AS d (${TOTALS.join(', ')}))
        WHERE (first_month IS NULL OR m.month >= first_month) AND (last_month IS NULL OR m.month <= last_month)
          AND (only_instrument IS NULL OR m.instrument_id = only_instrument)
          AND (id_from IS NULL OR m.instrument_id >= id_from) AND (id_below IS NULL OR m.instrument_id < id_below)
      $$`);

    // Days already compiled move to their months.
    await queryRunner.query(`
      INSERT INTO instrument_month_statistics (instrument_id, month, ${NAMES}, compiled_at)
      SELECT m.instrument_id, m.month,
             ${FIGURES.map(([name]) => `array_agg(s.${name} ORDER BY d.day)`).join(', ')},
             max(s.compiled_at) FILTER (WHERE s.compiled_at IS NOT NULL)
      FROM (SELECT DISTINCT instrument_id, date_trunc('month', day)::date AS month FROM instrument_day_statistics) m
      CROSS JOIN LATERAL generate_series(m.month, m.month + interval '1 month - 1 day', interval '1 day') AS g
      CROSS JOIN LATERAL (SELECT g::date AS day) d
      LEFT JOIN instrument_day_statistics s ON s.instrument_id = m.instrument_id AND s.day = d.day
      GROUP BY m.instrument_id, m.month`);
    await queryRunner.query(`SELECT statistics_refresh_month_totals(NULL, NULL, NULL, NULL, NULL)`);
    await queryRunner.query(`DROP TRIGGER instrument_day_statistics_forget_instrument ON instrument`);
    await queryRunner.query(`DROP FUNCTION instrument_day_statistics_forget_instrument()`);
    await queryRunner.query(`DROP TABLE instrument_day_statistics`);

    // Days by subscript against a fixed list of day numbers: a lateral unnest (or generate_series) per
    // month row materializes a small result set each time and made a year's roll-up 4-6x slower.
    await queryRunner.query(`
      CREATE VIEW instrument_day_statistics AS
      SELECT m.instrument_id, m.month, m.month + d.n - 1 AS day, ${FIGURES.map(([name]) => `m.${name}[d.n] AS ${name}`).join(', ')}, m.compiled_at
      FROM instrument_month_statistics m
      JOIN (SELECT generate_series(1, 31) AS n) d ON d.n <= cardinality(m.open_minutes)
      WHERE m.open_minutes[d.n] IS NOT NULL`);
    await queryRunner.query(`
      CREATE FUNCTION instrument_day_statistics_insert() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        first_day date := date_trunc('month', NEW.day)::date;
        day_index int := NEW.day - date_trunc('month', NEW.day)::date + 1;
        days int := (date_trunc('month', NEW.day) + interval '1 month')::date - date_trunc('month', NEW.day)::date;
      BEGIN
        -- A day without one of its figures would vanish from the view (a NULL open_minutes marks a day not compiled).
        IF num_nulls(${FIGURES.map(([name]) => `NEW.${name}`).join(', ')}) > 0 THEN
          RAISE EXCEPTION 'instrument_day_statistics: every figure of a day is required' USING ERRCODE = 'not_null_violation';
        END IF;
        INSERT INTO instrument_month_statistics AS m (instrument_id, month, ${NAMES}, compiled_at)
        VALUES (NEW.instrument_id, first_day, ${FIGURES.map(([name, type]) => `statistics_one_day(NEW.${name}::${type}, day_index, days)`).join(', ')},
                coalesce(NEW.compiled_at, now()))
        ON CONFLICT (instrument_id, month) DO UPDATE SET
          ${FIGURES.map(([name]) => `${name} = statistics_splice(m.${name}, excluded.${name}, day_index, day_index)`).join(',\n          ')},
          compiled_at = excluded.compiled_at;
        PERFORM statistics_refresh_month_totals(first_day, first_day, NEW.instrument_id, NULL, NULL);
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER instrument_day_statistics_insert INSTEAD OF INSERT ON instrument_day_statistics
      FOR EACH ROW EXECUTE FUNCTION instrument_day_statistics_insert()`);

    for (const statement of forgetDeletedInstruments('instrument_month_statistics')) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE instrument_day_statistics_rows AS
      SELECT instrument_id, day, ${NAMES}, compiled_at FROM instrument_day_statistics`);
    await queryRunner.query(`DROP TRIGGER instrument_month_statistics_forget_instrument ON instrument`);
    await queryRunner.query(`DROP FUNCTION instrument_month_statistics_forget_instrument()`);
    await queryRunner.query(`DROP VIEW instrument_day_statistics`);
    await queryRunner.query(`DROP FUNCTION instrument_day_statistics_insert()`);
    await queryRunner.query(`DROP TABLE instrument_month_statistics`);
    await queryRunner.query(`DROP FUNCTION statistics_refresh_month_totals(date, date, uuid, uuid, uuid)`);
    await queryRunner.query(`DROP FUNCTION statistics_one_day(anyelement, int, int)`);
    await queryRunner.query(`DROP FUNCTION statistics_splice(anyarray, anyarray, int, int)`);
    await queryRunner.query(`
      CREATE TABLE instrument_day_statistics (
        instrument_id              uuid NOT NULL,
        day                        date NOT NULL,
        open_minutes               integer NOT NULL CHECK (open_minutes BETWEEN 0 AND 1500),
        booked_minutes             integer NOT NULL CHECK (booked_minutes BETWEEN 0 AND 1500),
        effective_minutes          integer NOT NULL CHECK (effective_minutes BETWEEN 0 AND 1500),
        external_minutes           integer NOT NULL CHECK (external_minutes BETWEEN 0 AND effective_minutes),
        services                   integer NOT NULL CHECK (services >= 0),
        distinct_users             integer NOT NULL CHECK (distinct_users >= 0),
        distinct_firms             integer NOT NULL CHECK (distinct_firms >= 0),
        distinct_small_micro_firms integer NOT NULL CHECK (distinct_small_micro_firms BETWEEN 0 AND distinct_firms),
        revenue_fen                bigint NOT NULL CHECK (revenue_fen >= 0),
        no_shows                   integer NOT NULL CHECK (no_shows >= 0),
        rating_sum                 integer NOT NULL CHECK (rating_sum >= 0),
        rating_count               integer NOT NULL CHECK (rating_count >= 0),
        compiled_at                timestamptz NOT NULL,
        PRIMARY KEY (instrument_id, day)
      )`);
    await queryRunner.query(`INSERT INTO instrument_day_statistics SELECT * FROM instrument_day_statistics_rows`);
    await queryRunner.query(`DROP TABLE instrument_day_statistics_rows`);
    for (const statement of forgetDeletedInstruments('instrument_day_statistics')) await queryRunner.query(statement);
  }
}
