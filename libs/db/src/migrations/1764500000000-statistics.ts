import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statistics (issue 4): one row per instrument and local day, compiled by the worker in one
 * set-based statement per chunk of days (apps/worker/src/statistics/statistics-compiler.ts), and
 * the log of compile runs that staff watch.
 */
export class Statistics1764500000000 implements MigrationInterface {
  name = 'Statistics1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The instant at which the wall clock in `zone` shows `local`, resolved as the booking service
    // resolves opening hours (apps/booking/src/availability/opening-hours.ts): inside a
    // spring-forward gap the moment the clocks jump, inside a fall-back overlap the earlier of the
    // two instants. PostgreSQL's own AT TIME ZONE answers the later one in both cases. The common
    // case is one expression, so the planner inlines it; only a gap calls the search below.
    await queryRunner.query(`
      CREATE FUNCTION statistics_gap_instant(local timestamp, zone text) RETURNS timestamptz
      LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT min(t) FROM generate_series((local AT TIME ZONE zone) - interval '1 day', local AT TIME ZONE zone, interval '1 minute') AS t
        WHERE (t AT TIME ZONE zone) >= local
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION statistics_local_instant(local timestamp, zone text) RETURNS timestamptz
      LANGUAGE sql STABLE PARALLEL SAFE AS $$
        SELECT CASE
          WHEN ((local AT TIME ZONE zone) AT TIME ZONE zone) <> local THEN statistics_gap_instant(local, zone)
          WHEN ((local - (((local AT TIME ZONE zone) - interval '1 day') AT TIME ZONE zone
                          - (((local AT TIME ZONE zone) - interval '1 day') AT TIME ZONE 'UTC'))) AT TIME ZONE 'UTC') AT TIME ZONE zone = local
            THEN least(local AT TIME ZONE zone,
                       (local - (((local AT TIME ZONE zone) - interval '1 day') AT TIME ZONE zone
                                 - (((local AT TIME ZONE zone) - interval '1 day') AT TIME ZONE 'UTC'))) AT TIME ZONE 'UTC')
          ELSE local AT TIME ZONE zone
        END
      $$`);
    // Whole seconds covered by a multirange (NULL counts as nothing).
    await queryRunner.query(`
      CREATE FUNCTION statistics_seconds(ranges tstzmultirange) RETURNS bigint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(sum(extract(epoch FROM upper(r) - lower(r))), 0)::bigint FROM unnest(coalesce(ranges, '{}'::tstzmultirange)) AS r
      $$`);

    // Day is the local date in the instrument's zone. Minutes are whole minutes of the local day
    // (a DST day has 1380 or 1500); money in fen. Rates are derived when read, never stored.
    await queryRunner.query(`
      CREATE TABLE instrument_day_statistics (
        instrument_id              uuid NOT NULL REFERENCES instrument (id) ON DELETE CASCADE,
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
    await queryRunner.query(`CREATE INDEX instrument_day_statistics_day_idx ON instrument_day_statistics (day)`);

    // One compile, nightly (requested_by NULL) or asked for by staff: what, by whom, how it went.
    await queryRunner.query(`
      CREATE TABLE statistics_run (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        trigger       text NOT NULL CHECK (trigger IN ('schedule', 'request')),
        first_day     date NOT NULL,
        last_day      date NOT NULL,
        instrument_id uuid REFERENCES instrument (id) ON DELETE CASCADE,
        requested_by  uuid REFERENCES app_user (id) ON DELETE SET NULL,
        state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
        days_total    integer NOT NULL CHECK (days_total > 0),
        days_done     integer NOT NULL DEFAULT 0 CHECK (days_done BETWEEN 0 AND days_total),
        rows_written  integer NOT NULL DEFAULT 0,
        attempts      integer NOT NULL DEFAULT 0,
        created_at    timestamptz NOT NULL DEFAULT now(),
        started_at    timestamptz,
        finished_at   timestamptz,
        duration_ms   integer,
        error         text,
        CHECK (last_day >= first_day),
        CHECK ((state IN ('done', 'failed')) = (finished_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX statistics_run_created_idx ON statistics_run (created_at DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE statistics_run`);
    await queryRunner.query(`DROP TABLE instrument_day_statistics`);
    await queryRunner.query(`DROP FUNCTION statistics_seconds(tstzmultirange)`);
    await queryRunner.query(`DROP FUNCTION statistics_local_instant(timestamp, text)`);
    await queryRunner.query(`DROP FUNCTION statistics_gap_instant(timestamp, text)`);
  }
}
