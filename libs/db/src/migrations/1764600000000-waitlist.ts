import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Waitlist (issue 4): a user waits for time on an instrument within a window. When time there
 * frees up, the first in line whose window now has room gets a hold on it (offered); when that hold
 * lapses, the next in line is offered.
 */
export class Waitlist1764600000000 implements MigrationInterface {
  name = 'Waitlist1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE waitlist_entry (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instrument_id      uuid NOT NULL REFERENCES instrument (id) ON DELETE CASCADE,
        user_id            uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        wanted             tstzrange NOT NULL CHECK (NOT isempty(wanted) AND NOT lower_inf(wanted) AND NOT upper_inf(wanted)),
        duration_minutes   integer NOT NULL CHECK (duration_minutes > 0 AND duration_minutes <= 10080),
        mode               text NOT NULL CHECK (mode IN ('self_operated', 'sample_submission')),
        purpose            text NOT NULL DEFAULT '' CHECK (length(purpose) <= 2000),
        status             text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'booked', 'declined', 'expired', 'cancelled')),
        offered_booking_id uuid REFERENCES booking (id) ON DELETE SET NULL,
        offered_at         timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'waiting') = (offered_booking_id IS NULL AND offered_at IS NULL) OR status = 'cancelled')
      )`);
    // The line of one instrument, in order.
    await queryRunner.query(`CREATE INDEX waitlist_entry_line_idx ON waitlist_entry (instrument_id, created_at) WHERE status = 'waiting'`);
    await queryRunner.query(`CREATE UNIQUE INDEX waitlist_entry_offer_idx ON waitlist_entry (offered_booking_id) WHERE offered_booking_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX waitlist_entry_user_idx ON waitlist_entry (user_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE waitlist_entry`);
  }
}
