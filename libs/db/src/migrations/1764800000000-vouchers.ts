import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Innovation vouchers (issue 5): programs issued by department staff, grants of quota to small and
 * micro firms, an append-only ledger every balance is derived from, voucher payments on bookings,
 * and the providers' redemption claims.
 *
 * The ledger is the truth; voucher_grant's four balances are its running sums, moved by a trigger
 * in the same statement as each entry, so no code path can write one without the other. Their CHECKs
 * make PostgreSQL refuse any entry that would take a balance below zero, however many requests race
 * for it. Whatever ends a booking that holds a reservation (cancel, reject, expiry, a lapsed hold, a
 * no-show) releases it in the same transaction, also by trigger.
 */
export class Vouchers1764800000000 implements MigrationInterface {
  name = 'Vouchers1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE voucher_program (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name                    text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        issuing_region_code     char(6) NOT NULL REFERENCES region (code),
        budget_fen              bigint NOT NULL CHECK (budget_fen > 0),
        -- The sum of approved grants: the budget can never be exceeded, even by concurrent approvals.
        granted_fen             bigint NOT NULL DEFAULT 0,
        valid_from              date NOT NULL,
        valid_until             date NOT NULL,
        -- End of valid_until in China Standard Time: grants expire then.
        expires_at              timestamptz NOT NULL,
        eligible_service_modes  text[] NOT NULL CHECK (cardinality(eligible_service_modes) > 0
                                  AND eligible_service_modes <@ ARRAY['self_operated', 'sample_submission']),
        -- Empty: every category; otherwise category codes of any level.
        eligible_category_codes char(6)[] NOT NULL DEFAULT '{}',
        -- Regions (any level) whose providers accept the program's vouchers.
        accepted_region_codes   char(6)[] NOT NULL CHECK (cardinality(accepted_region_codes) > 0),
        application_cap_fen     bigint NOT NULL CHECK (application_cap_fen > 0),
        firm_year_cap_fen       bigint NOT NULL CHECK (firm_year_cap_fen > 0),
        full_cover_below_fen    bigint NOT NULL CHECK (full_cover_below_fen >= 0),
        share_above_percent     smallint NOT NULL CHECK (share_above_percent BETWEEN 0 AND 100),
        status                  text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        created_by              uuid NOT NULL REFERENCES app_user (id),
        created_at              timestamptz NOT NULL DEFAULT now(),
        updated_at              timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT voucher_program_within_budget CHECK (granted_fen >= 0 AND granted_fen <= budget_fen),
        CHECK (valid_until >= valid_from)
      )`);
    await queryRunner.query(`CREATE INDEX voucher_program_region_idx ON voucher_program (issuing_region_code)`);

    await queryRunner.query(`
      CREATE TABLE voucher_grant (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id       uuid NOT NULL REFERENCES voucher_program (id),
        enterprise_id    uuid NOT NULL REFERENCES institution (id),
        applicant_id     uuid NOT NULL REFERENCES app_user (id),
        idempotency_key  text CHECK (length(idempotency_key) <= 200),
        -- The application's body, hashed: the same key with another body is refused.
        request_hash     text,
        requested_fen    bigint NOT NULL CHECK (requested_fen > 0),
        purpose          text NOT NULL DEFAULT '' CHECK (length(purpose) <= 2000),
        status           text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'approved', 'rejected')),
        approved_fen     bigint CHECK (approved_fen > 0 AND approved_fen <= requested_fen),
        -- The year (China Standard Time) of the approval, for the per-firm-year cap.
        grant_year       smallint,
        decided_by       uuid REFERENCES app_user (id),
        decided_at       timestamptz,
        decision_reason  text CHECK (length(decision_reason) <= 2000),
        expires_at       timestamptz NOT NULL,
        -- Running sums of the ledger (trigger below); never written directly.
        available_fen    bigint NOT NULL DEFAULT 0,
        reserved_fen     bigint NOT NULL DEFAULT 0,
        redeemed_fen     bigint NOT NULL DEFAULT 0,
        expired_fen      bigint NOT NULL DEFAULT 0,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT voucher_grant_available_not_negative CHECK (available_fen >= 0),
        CONSTRAINT voucher_grant_reserved_not_negative CHECK (reserved_fen >= 0),
        CHECK (redeemed_fen >= 0 AND expired_fen >= 0),
        CHECK ((status = 'approved') = (approved_fen IS NOT NULL AND grant_year IS NOT NULL)),
        CHECK ((status = 'applied') = (decided_at IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX voucher_grant_wallet_idx ON voucher_grant (enterprise_id, created_at)`);
    await queryRunner.query(`CREATE INDEX voucher_grant_program_idx ON voucher_grant (program_id, status)`);
    await queryRunner.query(`CREATE UNIQUE INDEX voucher_grant_idempotency_idx ON voucher_grant (applicant_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX voucher_grant_expiry_idx ON voucher_grant (expires_at) WHERE available_fen > 0`);

    // What a booking pays by voucher: one grant per booking; attempt counts re-applications after a release.
    await queryRunner.query(`
      CREATE TABLE booking_voucher (
        booking_id     uuid PRIMARY KEY REFERENCES booking (id),
        grant_id       uuid NOT NULL REFERENCES voucher_grant (id),
        attempt        integer NOT NULL DEFAULT 1 CHECK (attempt > 0),
        status         text NOT NULL CHECK (status IN ('reserved', 'released', 'redeemed')),
        reserved_fen   bigint NOT NULL CHECK (reserved_fen >= 0),
        redeemed_fen   bigint NOT NULL DEFAULT 0 CHECK (redeemed_fen >= 0),
        -- The firm agreed in advance that the voucher may cover more than reserved when usage costs more.
        allow_top_up   boolean NOT NULL DEFAULT false,
        provider_institution_id uuid NOT NULL REFERENCES institution (id),
        redeemed_at    timestamptz,
        -- The live redemption claim this redeemed payment is part of.
        claim_id       uuid,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'redeemed') = (redeemed_at IS NOT NULL)),
        CHECK (claim_id IS NULL OR status = 'redeemed')
      )`);
    await queryRunner.query(`CREATE INDEX booking_voucher_grant_idx ON booking_voucher (grant_id)`);
    await queryRunner.query(`CREATE INDEX booking_voucher_receipts_idx ON booking_voucher (provider_institution_id, redeemed_at) WHERE status = 'redeemed'`);

    await queryRunner.query(`
      CREATE TABLE voucher_ledger_entry (
        id                      bigserial PRIMARY KEY,
        grant_id                uuid NOT NULL REFERENCES voucher_grant (id),
        program_id              uuid NOT NULL REFERENCES voucher_program (id),
        enterprise_id           uuid NOT NULL REFERENCES institution (id),
        kind                    text NOT NULL CHECK (kind IN ('grant', 'reserve', 'release', 'redeem', 'expire', 'adjust')),
        -- Positive, except an adjustment, which may take quota back.
        amount_fen              bigint NOT NULL CHECK (amount_fen > 0 OR (kind = 'adjust' AND amount_fen <> 0)),
        booking_id              uuid REFERENCES booking (id),
        provider_institution_id uuid REFERENCES institution (id),
        -- NULL: the system (expiry, a booking ended by the sweeper).
        actor_id                uuid REFERENCES app_user (id),
        reason                  text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        -- One key per money movement: a retried command finds its entry and moves nothing.
        operation_key           text NOT NULL CONSTRAINT voucher_ledger_operation_key UNIQUE,
        created_at              timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind IN ('reserve', 'release', 'redeem')) = (booking_id IS NOT NULL)),
        CHECK ((kind = 'redeem') = (provider_institution_id IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX voucher_ledger_grant_idx ON voucher_ledger_entry (grant_id, id)`);
    await queryRunner.query(`CREATE INDEX voucher_ledger_booking_idx ON voucher_ledger_entry (booking_id) WHERE booking_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX voucher_ledger_created_idx ON voucher_ledger_entry (created_at)`);

    await queryRunner.query(`
      CREATE FUNCTION voucher_ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE voucher_grant SET
          available_fen = available_fen + CASE NEW.kind
            WHEN 'grant' THEN NEW.amount_fen WHEN 'release' THEN NEW.amount_fen WHEN 'adjust' THEN NEW.amount_fen
            WHEN 'reserve' THEN -NEW.amount_fen WHEN 'expire' THEN -NEW.amount_fen ELSE 0 END,
          reserved_fen = reserved_fen + CASE NEW.kind
            WHEN 'reserve' THEN NEW.amount_fen WHEN 'release' THEN -NEW.amount_fen WHEN 'redeem' THEN -NEW.amount_fen ELSE 0 END,
          redeemed_fen = redeemed_fen + CASE NEW.kind WHEN 'redeem' THEN NEW.amount_fen ELSE 0 END,
          expired_fen = expired_fen + CASE NEW.kind WHEN 'expire' THEN NEW.amount_fen ELSE 0 END,
          updated_at = now()
        WHERE id = NEW.grant_id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER voucher_ledger_apply AFTER INSERT ON voucher_ledger_entry
      FOR EACH ROW EXECUTE FUNCTION voucher_ledger_apply()`);
    await queryRunner.query(`
      CREATE FUNCTION voucher_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'voucher ledger entries are append-only' USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER voucher_ledger_append_only BEFORE UPDATE OR DELETE ON voucher_ledger_entry
      FOR EACH ROW EXECUTE FUNCTION voucher_ledger_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER voucher_ledger_no_truncate BEFORE TRUNCATE ON voucher_ledger_entry
      FOR EACH STATEMENT EXECUTE FUNCTION voucher_ledger_append_only()`);

    // A booking that ends without being used gives its reservation back, on every path that ends it.
    await queryRunner.query(`
      CREATE FUNCTION booking_voucher_release() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        payment booking_voucher%ROWTYPE;
      BEGIN
        SELECT * INTO payment FROM booking_voucher WHERE booking_id = NEW.id AND status = 'reserved' FOR UPDATE;
        IF NOT FOUND THEN RETURN NULL; END IF;
        UPDATE booking_voucher SET status = 'released', updated_at = now() WHERE booking_id = NEW.id;
        IF payment.reserved_fen > 0 THEN
          -- Who ended the booking, as the booking service set it for this statement (none: the system).
          INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, booking_id, actor_id, reason, operation_key)
          SELECT g.id, g.program_id, g.enterprise_id, 'release', payment.reserved_fen, NEW.id,
                 nullif(current_setting('app.actor_id', true), '')::uuid, 'booking ' || NEW.status,
                 'release:' || NEW.id || ':' || payment.attempt
          FROM voucher_grant g WHERE g.id = payment.grant_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER booking_voucher_release AFTER UPDATE OF status ON booking
      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('lapsed', 'rejected', 'cancelled', 'expired', 'no_show'))
      EXECUTE FUNCTION booking_voucher_release()`);

    await queryRunner.query(`
      CREATE TABLE voucher_redemption_claim (
        id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        program_id              uuid NOT NULL REFERENCES voucher_program (id),
        provider_institution_id uuid NOT NULL REFERENCES institution (id),
        period_from             date NOT NULL,
        period_to               date NOT NULL CHECK (period_to >= period_from),
        amount_fen              bigint NOT NULL CHECK (amount_fen > 0),
        item_count              integer NOT NULL CHECK (item_count > 0),
        status                  text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected', 'paid')),
        submitted_by            uuid NOT NULL REFERENCES app_user (id),
        submitted_at            timestamptz NOT NULL,
        decided_by              uuid REFERENCES app_user (id),
        decided_at              timestamptz,
        decision_reason         text CHECK (length(decision_reason) <= 2000),
        paid_by                 uuid REFERENCES app_user (id),
        paid_at                 timestamptz,
        payment_reference       text CHECK (length(payment_reference) <= 200),
        CHECK ((status = 'paid') = (paid_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX voucher_claim_provider_idx ON voucher_redemption_claim (provider_institution_id, submitted_at)`);
    await queryRunner.query(`CREATE INDEX voucher_claim_program_idx ON voucher_redemption_claim (program_id, status)`);
    await queryRunner.query(`
      ALTER TABLE booking_voucher ADD CONSTRAINT booking_voucher_claim_fk
      FOREIGN KEY (claim_id) REFERENCES voucher_redemption_claim (id)`);
    // The service records behind a claim, kept after a rejection frees them for another claim.
    await queryRunner.query(`
      CREATE TABLE voucher_claim_item (
        claim_id   uuid NOT NULL REFERENCES voucher_redemption_claim (id),
        booking_id uuid NOT NULL REFERENCES booking (id),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        PRIMARY KEY (claim_id, booking_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE voucher_claim_item`);
    await queryRunner.query(`ALTER TABLE booking_voucher DROP CONSTRAINT booking_voucher_claim_fk`);
    await queryRunner.query(`DROP TABLE voucher_redemption_claim`);
    await queryRunner.query(`DROP TRIGGER booking_voucher_release ON booking`);
    await queryRunner.query(`DROP FUNCTION booking_voucher_release()`);
    await queryRunner.query(`DROP TABLE voucher_ledger_entry`);
    await queryRunner.query(`DROP FUNCTION voucher_ledger_append_only()`);
    await queryRunner.query(`DROP FUNCTION voucher_ledger_apply()`);
    await queryRunner.query(`DROP TABLE booking_voucher`);
    await queryRunner.query(`DROP TABLE voucher_grant`);
    await queryRunner.query(`DROP TABLE voucher_program`);
  }
}
