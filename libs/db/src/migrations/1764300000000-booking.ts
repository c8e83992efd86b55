import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The booking service's tables: what lab managers publish (rules, weekly hours, date exceptions,
 * institution closures, maintenance), who may operate what (qualifications), bookings with their
 * audit trail and outbox, and time_block: the one table whose exclusion constraint makes two
 * claims on one instrument's time impossible, whatever the load or the number of processes.
 */
export class Booking1764300000000 implements MigrationInterface {
  name = 'Booking1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // uuid equality inside a GiST exclusion constraint needs btree_gist (shipped with PostgreSQL).
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await queryRunner.query(`
      CREATE TABLE booking_rules (
        instrument_id          uuid PRIMARY KEY REFERENCES instrument (id) ON DELETE CASCADE,
        slot_minutes           integer NOT NULL DEFAULT 30 CHECK (slot_minutes IN (5, 10, 15, 20, 30, 60, 120, 240)),
        min_duration_minutes   integer NOT NULL DEFAULT 30 CHECK (min_duration_minutes > 0),
        max_duration_minutes   integer NOT NULL DEFAULT 480 CHECK (max_duration_minutes <= 10080),
        buffer_minutes         integer NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 1440),
        min_notice_minutes     integer NOT NULL DEFAULT 60 CHECK (min_notice_minutes BETWEEN 0 AND 43200),
        max_advance_days       integer NOT NULL DEFAULT 60 CHECK (max_advance_days BETWEEN 1 AND 366),
        max_minutes_per_day    integer CHECK (max_minutes_per_day > 0),
        max_minutes_per_week   integer CHECK (max_minutes_per_week > 0),
        requires_approval      boolean NOT NULL DEFAULT false,
        reminder_offsets_minutes integer[] NOT NULL DEFAULT '{1440,60}',
        version                integer NOT NULL DEFAULT 1,
        updated_at             timestamptz NOT NULL DEFAULT now(),
        CHECK (max_duration_minutes >= min_duration_minutes)
      )`);

    // Weekly hours in the instrument's own time zone; closes before opens runs overnight into the
    // next day, and closes = opens is a whole 24 hours (open around the clock).
    await queryRunner.query(`
      CREATE TABLE opening_window (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instrument_id uuid NOT NULL REFERENCES instrument (id) ON DELETE CASCADE,
        weekday       smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
        opens         time NOT NULL,
        closes        time NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX opening_window_instrument_idx ON opening_window (instrument_id)`);

    await queryRunner.query(`
      CREATE TABLE availability_exception (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instrument_id uuid NOT NULL REFERENCES instrument (id) ON DELETE CASCADE,
        on_date       date NOT NULL,
        kind          text NOT NULL CHECK (kind IN ('closed', 'open')),
        opens         time,
        closes        time,
        reason        text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
        created_at    timestamptz NOT NULL DEFAULT now(),
        CHECK ((opens IS NULL) = (closes IS NULL)),
        CHECK (kind = 'closed' OR opens IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX availability_exception_instrument_idx ON availability_exception (instrument_id, on_date)`);

    // Holidays and other closures of a whole institution, in local dates (inclusive).
    await queryRunner.query(`
      CREATE TABLE institution_closure (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institution (id) ON DELETE CASCADE,
        starts_on      date NOT NULL,
        ends_on        date NOT NULL,
        reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        created_at     timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on >= starts_on)
      )`);
    await queryRunner.query(`CREATE INDEX institution_closure_institution_idx ON institution_closure (institution_id, starts_on)`);

    await queryRunner.query(`
      CREATE TABLE maintenance_period (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instrument_id uuid NOT NULL REFERENCES instrument (id) ON DELETE CASCADE,
        starts_at     timestamptz NOT NULL,
        ends_at       timestamptz NOT NULL,
        reason        text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
        created_by    uuid REFERENCES app_user (id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await queryRunner.query(`CREATE INDEX maintenance_period_instrument_idx ON maintenance_period (instrument_id, starts_at)`);

    // Training recorded by a lab manager of the owner institution: the user may operate the instrument until valid_until.
    await queryRunner.query(`
      CREATE TABLE qualification (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id       uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        instrument_id uuid NOT NULL REFERENCES instrument (id) ON DELETE CASCADE,
        valid_until   timestamptz NOT NULL,
        granted_by    uuid REFERENCES app_user (id),
        granted_at    timestamptz NOT NULL DEFAULT now(),
        revoked_at    timestamptz,
        note          text NOT NULL DEFAULT '' CHECK (length(note) <= 500)
      )`);
    await queryRunner.query(`CREATE INDEX qualification_user_idx ON qualification (user_id, instrument_id)`);
    // Another institution's lab manager accepts that qualification for its own instruments of the same category.
    await queryRunner.query(`
      CREATE TABLE qualification_acceptance (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        qualification_id uuid NOT NULL REFERENCES qualification (id) ON DELETE CASCADE,
        institution_id   uuid NOT NULL REFERENCES institution (id) ON DELETE CASCADE,
        accepted_by      uuid REFERENCES app_user (id),
        accepted_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT qualification_acceptance_key UNIQUE (qualification_id, institution_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE booking (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instrument_id        uuid NOT NULL REFERENCES instrument (id),
        user_id              uuid NOT NULL REFERENCES app_user (id),
        status               text NOT NULL CHECK (status IN
                               ('held', 'pending', 'confirmed', 'in_use', 'completed', 'rejected', 'cancelled', 'no_show', 'expired', 'lapsed')),
        mode                 text NOT NULL CHECK (mode IN ('self_operated', 'sample_submission')),
        purpose              text NOT NULL DEFAULT '' CHECK (length(purpose) <= 2000),
        sample_count         integer CHECK (sample_count BETWEEN 1 AND 10000),
        notes                text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
        starts_at            timestamptz NOT NULL,
        ends_at              timestamptz NOT NULL,
        hold_expires_at      timestamptz,
        is_internal          boolean NOT NULL,
        fee_unit             text CHECK (fee_unit IN ('hour', 'sample', 'day', 'run')),
        rate_fen             bigint CHECK (rate_fen >= 0),
        quote_fen            bigint CHECK (quote_fen >= 0),
        final_fee_fen        bigint CHECK (final_fee_fen >= 0),
        cancellation_fee_fen bigint CHECK (cancellation_fee_fen >= 0),
        actual_start_at      timestamptz,
        actual_end_at        timestamptz,
        decided_by           uuid REFERENCES app_user (id),
        decided_at           timestamptz,
        decision_reason      text CHECK (length(decision_reason) <= 1000),
        cancelled_by         uuid REFERENCES app_user (id),
        cancelled_at         timestamptz,
        cancellation_reason  text CHECK (length(cancellation_reason) <= 1000),
        recurrence_id        uuid,
        rating               smallint CHECK (rating BETWEEN 1 AND 5),
        rating_comment       text CHECK (length(rating_comment) <= 2000),
        rated_at             timestamptz,
        version              integer NOT NULL DEFAULT 1,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        CHECK ((status = 'held') = (hold_expires_at IS NOT NULL)),
        CHECK (actual_end_at IS NULL OR actual_end_at >= actual_start_at),
        CHECK ((rating IS NULL) = (rated_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX booking_instrument_starts_idx ON booking (instrument_id, starts_at)`);
    await queryRunner.query(`CREATE INDEX booking_user_starts_idx ON booking (user_id, starts_at)`);
    await queryRunner.query(`CREATE INDEX booking_recurrence_idx ON booking (recurrence_id) WHERE recurrence_id IS NOT NULL`);

    // The time an instrument is taken: [start, end + buffer) of every held, pending, confirmed or
    // in-use booking, and every maintenance period. Two rows of one instrument never overlap.
    await queryRunner.query(`
      CREATE TABLE time_block (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instrument_id  uuid NOT NULL REFERENCES instrument (id),
        during         tstzrange NOT NULL CHECK (NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)),
        booking_id     uuid UNIQUE REFERENCES booking (id) ON DELETE CASCADE,
        maintenance_id uuid UNIQUE REFERENCES maintenance_period (id) ON DELETE CASCADE,
        -- A hold stops blocking at this instant, even before anything cleans it up.
        expires_at     timestamptz,
        CHECK (num_nonnulls(booking_id, maintenance_id) = 1),
        CONSTRAINT time_block_no_overlap EXCLUDE USING gist (instrument_id WITH =, during WITH &&)
      )`);

    // Whoever changes a booking's status, a booking that stops blocking gives its time back.
    await queryRunner.query(`
      CREATE FUNCTION booking_release_time() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status NOT IN ('held', 'pending', 'confirmed', 'in_use') THEN
          DELETE FROM time_block WHERE booking_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER booking_release_time AFTER UPDATE OF status ON booking
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION booking_release_time()`);

    // Same key from the same user: the same booking (request_hash tells a changed body apart).
    await queryRunner.query(`
      CREATE TABLE idempotency_key (
        user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        request_hash text NOT NULL,
        booking_id   uuid REFERENCES booking (id) ON DELETE CASCADE,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);

    // Every state change: who, when, why. Never updated or deleted.
    await queryRunner.query(`
      CREATE TABLE booking_event (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        booking_id  uuid NOT NULL REFERENCES booking (id) ON DELETE CASCADE,
        type        text NOT NULL,
        from_status text,
        to_status   text NOT NULL,
        actor_id    uuid REFERENCES app_user (id),
        reason      text,
        data        jsonb NOT NULL DEFAULT '{}',
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX booking_event_booking_idx ON booking_event (booking_id, id)`);

    // Transactional outbox: written with the change, relayed to the queue after commit.
    await queryRunner.query(`
      CREATE TABLE outbox_message (
        id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        topic        text NOT NULL,
        payload      jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts     integer NOT NULL DEFAULT 0,
        last_error   text
      )`);
    await queryRunner.query(`CREATE INDEX outbox_message_unpublished_idx ON outbox_message (id) WHERE published_at IS NULL`);

    // Private iCalendar feed of a user's bookings: the URL carries a random token, stored only as a
    // SHA-256 hash; revoking it (or issuing a new one) makes the old URL answer 404.
    await queryRunner.query(`
      CREATE TABLE calendar_feed (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX calendar_feed_one_live_per_user ON calendar_feed (user_id) WHERE revoked_at IS NULL`);

    // Self-service booking suspended after repeated no-shows.
    await queryRunner.query(`
      CREATE TABLE booking_suspension (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        starts_at  timestamptz NOT NULL,
        ends_at    timestamptz NOT NULL,
        reason     text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await queryRunner.query(`CREATE INDEX booking_suspension_user_idx ON booking_suspension (user_id, ends_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'calendar_feed',
      'booking_suspension',
      'outbox_message',
      'booking_event',
      'idempotency_key',
      'time_block',
      'booking',
      'qualification_acceptance',
      'qualification',
      'maintenance_period',
      'institution_closure',
      'availability_exception',
      'opening_window',
      'booking_rules',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS booking_release_time()`);
  }
}
