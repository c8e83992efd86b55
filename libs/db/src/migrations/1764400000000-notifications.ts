import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications (issue 4). The outbox message written with a booking change is the durable
 * intent; the worker turns it into notification rows and marks it consumed in one transaction,
 * so a message is planned exactly once even when Redis loses the job that carried it.
 */
export class Notifications1764400000000 implements MigrationInterface {
  name = 'Notifications1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The relay owns published_at; the worker owns consumed_at. Messages older than the worker
    // are not replayed: their notices would arrive long after the fact.
    await queryRunner.query(`ALTER TABLE outbox_message ADD COLUMN consumed_at timestamptz`);
    await queryRunner.query(`UPDATE outbox_message SET consumed_at = now()`);
    await queryRunner.query(`CREATE INDEX outbox_message_unconsumed_idx ON outbox_message (id) WHERE consumed_at IS NULL`);

    // One message to one person, due at an instant. dedupe_key makes planning idempotent
    // (reminder:<booking>:<start>:<offset>, <kind>:<event>:<recipient>); generation names the
    // delivery job (notification-<id>-<generation>) and moves on whenever a new job must be issued
    // (retry after a failure, recovery after a crashed sender, a reminder revived by a reschedule).
    await queryRunner.query(`
      CREATE TABLE notification (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind            text NOT NULL,
        recipient_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        booking_id      uuid REFERENCES booking (id) ON DELETE CASCADE,
        source_event_id bigint,
        dedupe_key      text NOT NULL,
        due_at          timestamptz NOT NULL,
        state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
        generation      integer NOT NULL DEFAULT 0,
        attempts        integer NOT NULL DEFAULT 0,
        lease_until     timestamptz,
        data            jsonb NOT NULL DEFAULT '{}',
        channel         text,
        address         text,
        subject         text,
        body            text,
        last_error      text,
        sent_at         timestamptz,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT notification_dedupe_key UNIQUE (dedupe_key),
        CHECK ((state = 'sending') = (lease_until IS NOT NULL)),
        CHECK ((state = 'sent') = (sent_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX notification_open_due_idx ON notification (due_at) WHERE state IN ('pending', 'sending')`);
    await queryRunner.query(`CREATE INDEX notification_booking_idx ON notification (booking_id) WHERE state = 'pending'`);
    await queryRunner.query(`CREATE INDEX notification_recipient_idx ON notification (recipient_id, id)`);
    await queryRunner.query(`CREATE INDEX notification_failed_idx ON notification (id) WHERE state = 'failed'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE notification`);
    await queryRunner.query(`DROP INDEX outbox_message_unconsumed_idx`);
    await queryRunner.query(`ALTER TABLE outbox_message DROP COLUMN consumed_at`);
  }
}
