import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Individuals as voucher holders (issue 5: "individuals if the program allows"). A program may
 * admit individuals; a grant then belongs to the person (holder_user_id) instead of a firm
 * (enterprise_id), exactly one of the two. The ledger carries the same holder; a trigger copies it
 * from the entry's grant, so no writer can file an entry under another holder than its grant's and
 * the writers that existed before (the release trigger, expiry, reservations) need no change.
 *
 * The person's region, for the program's regional eligibility, is the region of the institution
 * their account is registered with (app_user.institution_id, required for researchers): it is data
 * an administrator registered, not a claim typed into the application; app_user.region_code stays
 * what it is, the jurisdiction of department staff.
 */
export class VoucherIndividuals1764900000000 implements MigrationInterface {
  name = 'VoucherIndividuals1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE voucher_program ADD COLUMN allows_individuals boolean NOT NULL DEFAULT false`);

    await queryRunner.query(`
      ALTER TABLE voucher_grant
        ALTER COLUMN enterprise_id DROP NOT NULL,
        ADD COLUMN holder_user_id uuid REFERENCES app_user (id),
        ADD CONSTRAINT voucher_grant_one_holder CHECK (num_nonnulls(enterprise_id, holder_user_id) = 1)`);
    await queryRunner.query(`CREATE INDEX voucher_grant_holder_wallet_idx ON voucher_grant (holder_user_id, created_at) WHERE holder_user_id IS NOT NULL`);

    // Adding a column rewrites no row, so the append-only triggers are not in the way.
    await queryRunner.query(`
      ALTER TABLE voucher_ledger_entry
        ALTER COLUMN enterprise_id DROP NOT NULL,
        ADD COLUMN holder_user_id uuid REFERENCES app_user (id),
        ADD CONSTRAINT voucher_ledger_one_holder CHECK (num_nonnulls(enterprise_id, holder_user_id) = 1)`);
    await queryRunner.query(`
      CREATE FUNCTION voucher_ledger_holder() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT g.enterprise_id, g.holder_user_id INTO NEW.enterprise_id, NEW.holder_user_id FROM voucher_grant g WHERE g.id = NEW.grant_id;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER voucher_ledger_holder BEFORE INSERT ON voucher_ledger_entry
      FOR EACH ROW EXECUTE FUNCTION voucher_ledger_holder()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER voucher_ledger_holder ON voucher_ledger_entry`);
    await queryRunner.query(`DROP FUNCTION voucher_ledger_holder()`);
    // Entries and grants of individuals cannot be expressed in the old schema: down fails while any exist (NOT NULL).
    await queryRunner.query(`ALTER TABLE voucher_ledger_entry DROP CONSTRAINT voucher_ledger_one_holder, DROP COLUMN holder_user_id, ALTER COLUMN enterprise_id SET NOT NULL`);
    await queryRunner.query(`DROP INDEX voucher_grant_holder_wallet_idx`);
    await queryRunner.query(`ALTER TABLE voucher_grant DROP CONSTRAINT voucher_grant_one_holder, DROP COLUMN holder_user_id, ALTER COLUMN enterprise_id SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE voucher_program DROP COLUMN allows_individuals`);
  }
}
