import { MigrationInterface, QueryRunner } from 'typeorm';
import { INSTRUMENT_CATEGORIES, categoryLevel, categoryParent } from './instrument-categories.data';

/** Regions, institutions, accounts and the instrument catalog. */
export class InitialCatalog1764100000000 implements MigrationInterface {
  name = 'InitialCatalog1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await queryRunner.query(`
      CREATE TABLE region (
        code        char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
        name        text NOT NULL,
        level       text NOT NULL CHECK (level IN ('province', 'city', 'county')),
        parent_code char(6) REFERENCES region (code),
        CHECK ((level = 'province') = (parent_code IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX region_parent_code_idx ON region (parent_code)`);

    await queryRunner.query(`
      CREATE TABLE institution (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name_zh        text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 200),
        name_en        text CHECK (length(name_en) <= 300),
        kind           text NOT NULL CHECK (kind IN ('university', 'research_institute', 'enterprise', 'hospital', 'other')),
        region_code    char(6) NOT NULL REFERENCES region (code),
        is_small_micro boolean NOT NULL DEFAULT false CHECK (NOT is_small_micro OR kind = 'enterprise'),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX institution_region_code_idx ON institution (region_code)`);

    await queryRunner.query(`
      CREATE TABLE app_user (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email          text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
        password_hash  text NOT NULL,
        display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
        role           text NOT NULL CHECK (role IN ('researcher', 'firm_member', 'lab_manager', 'department_staff', 'admin')),
        institution_id uuid REFERENCES institution (id),
        region_code    char(6) REFERENCES region (code),
        language       text NOT NULL DEFAULT 'zh' CHECK (language IN ('zh', 'en')),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT app_user_email_key UNIQUE (email),
        CONSTRAINT app_user_institution_required CHECK (
          (role IN ('researcher', 'firm_member', 'lab_manager')) = (institution_id IS NOT NULL)),
        CONSTRAINT app_user_region_required CHECK ((role = 'department_staff') = (region_code IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX app_user_institution_id_idx ON app_user (institution_id)`);

    await queryRunner.query(`
      CREATE TABLE instrument_category (
        code        char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
        name_zh     text NOT NULL,
        name_en     text NOT NULL,
        level       smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
        parent_code char(6) REFERENCES instrument_category (code),
        CHECK ((level = 1) = (parent_code IS NULL))
      )`);
    for (const [code, nameZh, nameEn] of INSTRUMENT_CATEGORIES) {
      await queryRunner.query(
        `INSERT INTO instrument_category (code, name_zh, name_en, level, parent_code) VALUES ($1, $2, $3, $4, $5)`,
        [code, nameZh, nameEn, categoryLevel(code), categoryParent(code)],
      );
    }

    await queryRunner.query(`
      CREATE TABLE instrument (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id     uuid NOT NULL REFERENCES institution (id),
        asset_number       text CHECK (length(asset_number) <= 64),
        name_zh            text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 200),
        name_en            text CHECK (length(name_en) <= 300),
        model              text CHECK (length(model) <= 200),
        manufacturer       text CHECK (length(manufacturer) <= 200),
        country_of_origin  char(2) CHECK (country_of_origin ~ '^[A-Z]{2}$'),
        category_code      char(6) NOT NULL REFERENCES instrument_category (code),
        category_l1_code   char(6) GENERATED ALWAYS AS (substr(category_code, 1, 2) || '0000') STORED,
        category_l2_code   char(6) GENERATED ALWAYS AS (
                             CASE WHEN substr(category_code, 3, 2) = '00' THEN NULL
                                  ELSE substr(category_code, 1, 4) || '00' END) STORED,
        original_value_fen bigint NOT NULL CHECK (original_value_fen >= 0),
        in_service_date    date,
        source             text NOT NULL CHECK (source IN ('purchased', 'self_built', 'donated', 'other')),
        funding_source     text NOT NULL CHECK (funding_source IN ('central_government', 'local_government', 'own_funds', 'other')),
        is_publicly_funded boolean GENERATED ALWAYS AS (funding_source IN ('central_government', 'local_government')) STORED,
        department         text CHECK (length(department) <= 200),
        purpose            text NOT NULL CHECK (purpose IN ('general', 'special')),
        subject_areas      text[] NOT NULL DEFAULT '{}',
        specs              text NOT NULL DEFAULT '' CHECK (length(specs) <= 5000),
        functions          text NOT NULL DEFAULT '' CHECK (length(functions) <= 5000),
        service_content    text NOT NULL DEFAULT '' CHECK (length(service_content) <= 5000),
        service_modes      text[] NOT NULL CHECK (
                             cardinality(service_modes) >= 1
                             AND service_modes <@ ARRAY['self_operated', 'sample_submission']::text[]),
        condition          text NOT NULL DEFAULT 'normal' CHECK (condition IN (
                             'normal', 'occasional_faults', 'frequent_faults', 'awaiting_repair', 'awaiting_disposal')),
        sharing_mode       text NOT NULL DEFAULT 'external' CHECK (sharing_mode IN ('external', 'internal_only', 'not_shared')),
        sharing_rules      text NOT NULL DEFAULT '' CHECK (length(sharing_rules) <= 5000),
        time_zone          text NOT NULL DEFAULT 'Asia/Shanghai',
        region_code        char(6) NOT NULL REFERENCES region (code),
        city_code          char(6) GENERATED ALWAYS AS (substr(region_code, 1, 4) || '00') STORED,
        province_code      char(6) GENERATED ALWAYS AS (substr(region_code, 1, 2) || '0000') STORED,
        address            text NOT NULL DEFAULT '' CHECK (length(address) <= 300),
        latitude           numeric(9, 6) CHECK (latitude BETWEEN -90 AND 90),
        longitude          numeric(9, 6) CHECK (longitude BETWEEN -180 AND 180),
        contact_name       text NOT NULL DEFAULT '',
        contact_phone      text NOT NULL DEFAULT '',
        contact_email      text NOT NULL DEFAULT '',
        photo_urls         text[] NOT NULL DEFAULT '{}',
        price_unit         text CHECK (price_unit IN ('hour', 'sample', 'day', 'run')),
        external_price_fen bigint CHECK (external_price_fen >= 0),
        internal_price_fen bigint CHECK (internal_price_fen >= 0),
        version            integer NOT NULL DEFAULT 1,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX instrument_institution_id_idx ON instrument (institution_id)`);
    await queryRunner.query(`CREATE INDEX instrument_category_code_idx ON instrument (category_code)`);
    await queryRunner.query(`CREATE INDEX instrument_category_l1_code_idx ON instrument (category_l1_code)`);
    await queryRunner.query(`CREATE INDEX instrument_category_l2_code_idx ON instrument (category_l2_code)`);
    await queryRunner.query(`CREATE INDEX instrument_region_code_idx ON instrument (region_code)`);
    await queryRunner.query(`CREATE INDEX instrument_city_code_idx ON instrument (city_code)`);
    await queryRunner.query(`CREATE INDEX instrument_external_price_fen_idx ON instrument (external_price_fen)`);
    await queryRunner.query(`CREATE INDEX instrument_original_value_fen_idx ON instrument (original_value_fen)`);

    await this.createSearchTables(queryRunner);

    await queryRunner.query(`
      CREATE TABLE instrument_fee (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instrument_id     uuid NOT NULL REFERENCES instrument (id) ON DELETE CASCADE,
        position          smallint NOT NULL CHECK (position >= 0),
        unit              text NOT NULL CHECK (unit IN ('hour', 'sample', 'day', 'run')),
        internal_rate_fen bigint NOT NULL CHECK (internal_rate_fen >= 0),
        external_rate_fen bigint NOT NULL CHECK (external_rate_fen >= 0),
        description       text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
        CONSTRAINT instrument_fee_position_key UNIQUE (instrument_id, position)
      )`);

    await queryRunner.query(`
      CREATE TABLE sharing_exemption (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        instrument_id   uuid NOT NULL REFERENCES instrument (id) ON DELETE CASCADE,
        requested_mode  text NOT NULL CHECK (requested_mode IN ('internal_only', 'not_shared')),
        reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
        status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
        requested_by_id uuid NOT NULL REFERENCES app_user (id),
        requested_at    timestamptz NOT NULL DEFAULT now(),
        decided_by_id   uuid REFERENCES app_user (id),
        decided_at      timestamptz,
        decision_note   text CHECK (length(decision_note) <= 2000),
        CHECK ((status = 'pending') = (decided_at IS NULL))
      )`);
    // At most one open request per instrument: a second concurrent request fails on this index.
    await queryRunner.query(
      `CREATE UNIQUE INDEX sharing_exemption_one_pending_idx ON sharing_exemption (instrument_id) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX sharing_exemption_one_approved_idx ON sharing_exemption (instrument_id) WHERE status = 'approved'`,
    );
  }

  /**
   * Search reads two tables beside instrument, so a search never scans the wide instrument rows:
   * - instrument_search_entry: the narrow columns filters, facets and sorting need (queries
   *   without text read only this);
   * - instrument_search_text: the full-text document (GIN-indexed, positions stripped since ranking
   *   uses the title, stored out of line), a small title vector for ranking, and a copy of the
   *   same narrow columns, so a text query reads this table alone. The catalog service writes title and document (Chinese bigrams need
   *   code, not SQL); triggers keep every copied column equal to instrument, whoever writes it.
   */
  private async createSearchTables(queryRunner: QueryRunner): Promise<void> {
    const columns = `
        institution_id           uuid NOT NULL,
        sharing_mode             text NOT NULL,
        category_code            char(6) NOT NULL,
        category_l1_code         char(6) NOT NULL,
        category_l2_code         char(6),
        region_code              char(6) NOT NULL,
        city_code                char(6) NOT NULL,
        province_code            char(6) NOT NULL,
        offers_self_operated     boolean NOT NULL,
        offers_sample_submission boolean NOT NULL,
        external_price_fen       bigint,
        original_value_fen       bigint NOT NULL,
        created_at               timestamptz NOT NULL`;
    const names =
      'institution_id, sharing_mode, category_code, category_l1_code, category_l2_code, region_code, city_code, ' +
      'province_code, offers_self_operated, offers_sample_submission, external_price_fen, original_value_fen, created_at';
    const fromInstrument =
      `NEW.institution_id, NEW.sharing_mode, NEW.category_code, NEW.category_l1_code, NEW.category_l2_code, NEW.region_code, ` +
      `NEW.city_code, NEW.province_code, 'self_operated' = ANY (NEW.service_modes), 'sample_submission' = ANY (NEW.service_modes), ` +
      `NEW.external_price_fen, NEW.original_value_fen, NEW.created_at`;

    await queryRunner.query(`
      CREATE TABLE instrument_search_entry (
        instrument_id uuid PRIMARY KEY REFERENCES instrument (id) ON DELETE CASCADE, ${columns}
      )`);
    for (const column of ['institution_id', 'category_code', 'category_l1_code', 'category_l2_code', 'region_code', 'city_code']) {
      await queryRunner.query(`CREATE INDEX instrument_search_entry_${column}_idx ON instrument_search_entry (${column})`);
    }
    // In the sort orders of a page (ties broken by id), so a page stops after its rows instead of sorting every match.
    await queryRunner.query(`CREATE INDEX instrument_search_entry_newest_idx ON instrument_search_entry (created_at DESC, instrument_id)`);
    await queryRunner.query(`CREATE INDEX instrument_search_entry_price_idx ON instrument_search_entry (external_price_fen, instrument_id)`);
    await queryRunner.query(`CREATE INDEX instrument_search_entry_value_idx ON instrument_search_entry (original_value_fen, instrument_id)`);
    // The document (about 1 KB) lives out of line, in TOAST, so the rows a text query visits for
    // counting, facets and ranking are a few hundred bytes: on 100,000 instruments the heap is 38 MB
    // instead of 135 MB and counting a common word takes a third of the time. PostgreSQL moves a value
    // out of line only when a row exceeds a fixed 2 KB; toast_filler (2 KB of spaces by default, which
    // compress to ~30 bytes) makes every written row cross that line, and toast_tuple_target = 128
    // then moves the document (STORAGE EXTERNAL) out while the title (STORAGE MAIN) stays inline.
    // Writers that replace the document must reset toast_filler to DEFAULT for the same reason.
    await queryRunner.query(`
      CREATE TABLE instrument_search_text (
        instrument_id uuid PRIMARY KEY REFERENCES instrument (id) ON DELETE CASCADE,
        title         tsvector NOT NULL,
        document      tsvector NOT NULL,
        toast_filler  text NOT NULL DEFAULT repeat(' ', 2048), ${columns}
      ) WITH (toast_tuple_target = 128)`);
    await queryRunner.query(`ALTER TABLE instrument_search_text ALTER COLUMN document SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE instrument_search_text ALTER COLUMN title SET STORAGE MAIN`);
    await queryRunner.query(`CREATE INDEX instrument_search_text_document_idx ON instrument_search_text USING gin (document)`);
    // The catalog is read from memory or SSD, where a random page costs about as much as a sequential
    // one; with the default (4) the planner scans all documents for a common word instead of using
    // the GIN index, several times slower. Applies to new sessions of this database.
    await queryRunner.query(`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET random_page_cost = 1.1', current_database()); END $$`);

    // Every write to instrument refreshes both copies of its narrow columns.
    await queryRunner.query(`
      CREATE FUNCTION instrument_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO instrument_search_entry (instrument_id, ${names}) VALUES (NEW.id, ${fromInstrument})
        ON CONFLICT (instrument_id) DO UPDATE SET (${names}) = (${fromInstrument});
        UPDATE instrument_search_text SET (${names}) = (${fromInstrument}) WHERE instrument_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER instrument_search_sync AFTER INSERT OR UPDATE ON instrument
      FOR EACH ROW EXECUTE FUNCTION instrument_search_sync()`);

    // A new text row takes its narrow columns from the instrument's entry, so writers give only the vectors.
    await queryRunner.query(`
      CREATE FUNCTION instrument_search_text_fill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT ${names} INTO ${names.split(', ').map((name) => `NEW.${name}`).join(', ')}
        FROM instrument_search_entry WHERE instrument_id = NEW.instrument_id;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER instrument_search_text_fill BEFORE INSERT ON instrument_search_text
      FOR EACH ROW EXECUTE FUNCTION instrument_search_text_fill()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS instrument_search_text`);
    await queryRunner.query(`DROP TABLE IF EXISTS instrument_search_entry`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS instrument_search_sync ON instrument`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS instrument_search_sync()`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS instrument_search_text_fill()`);
    for (const table of ['sharing_exemption', 'instrument_fee', 'instrument', 'instrument_category', 'app_user', 'institution', 'region']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
