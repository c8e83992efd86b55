import * as argon2 from 'argon2';
import { AppConfig } from '@app/config';
import { buildSearchDocument, searchDocumentParams, searchDocumentSqlOver, searchTitleSqlOver } from '@app/search';
import { DataSource, EntityManager } from 'typeorm';
import { searchableCategoryNames } from '../codes';
import { buildDataSourceOptions } from '../data-source-options';
import {
  DEMO_PASSWORD,
  DemoBookingInput,
  DemoBookingOptions,
  DemoCatalogOptions,
  DemoInstrument,
  LoadedDemoBookings,
  LoadedDemoVouchers,
  generateDemoBookings,
  generateDemoVouchers,
  generateDemoCatalog,
  loadDemoBookings,
  loadDemoCatalog,
  loadDemoVouchers,
  resolveDemoAccounts,
} from '../demo';

export interface SeedDemoDataOptions extends DemoCatalogOptions {
  /**
   * Hours, rules, maintenance, extra users and a year of bookings (generateDemoBookings), by
   * default on the first 1,500 usable instruments at most (a sixth of smaller catalogs); false
   * loads the catalog alone.
   */
  bookings?: Omit<DemoBookingOptions, 'seed'> | false;
  /** The day the bookings are relative to (default: now). */
  now?: Date;
}

export interface SeededDemoData {
  institutions: number;
  instruments: number;
  accounts: number;
  /** What the booking part loaded (its milliseconds: generating and loading), or null when it was skipped. */
  bookings: LoadedDemoBookings | null;
  /** The voucher programs, grants and payments on the bookings, or null with the bookings skipped. */
  vouchers: LoadedDemoVouchers | null;
  milliseconds: number;
}

/** Demo data belongs to development and tests; a production database never gets it. */
export class DemoDataRefusedError extends Error {
  constructor() {
    super('Demo data is refused when NODE_ENV=production');
    this.name = 'DemoDataRefusedError';
  }
}

/**
 * Loads the deterministic demo catalog, its search documents, the demo accounts and (unless
 * options.bookings is false) the booking part in one transaction, so a failure leaves the
 * database as it was.
 */
export async function seedDemoData(
  manager: EntityManager,
  config: AppConfig,
  options: SeedDemoDataOptions = {},
): Promise<SeededDemoData> {
  if (config.isProduction) throw new DemoDataRefusedError();
  const started = Date.now();
  const catalog = generateDemoCatalog(options);
  const categoryNames = await categoryNamesByCode(manager);
  const loaded = await loadDemoCatalog(manager, catalog, {
    searchDocument: {
      values: (instrument: DemoInstrument) =>
        searchDocumentParams(buildSearchDocument({ ...instrument, categoryNames: categoryNames.get(instrument.categoryCode) ?? [] })),
      sqlOver: (expressions) => `strip(${searchDocumentSqlOver(expressions)})`,
      titleSqlOver: searchTitleSqlOver,
    },
  });
  const passwordHash = await argon2.hash(DEMO_PASSWORD, { type: argon2.argon2id });
  const accounts = resolveDemoAccounts(catalog);
  for (const account of accounts) {
    await manager.query(
      `INSERT INTO app_user (email, password_hash, display_name, role, institution_id, region_code, language)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email) DO NOTHING`,
      [account.email, passwordHash, account.displayName, account.role, account.institutionId, account.regionCode, account.language],
    );
  }
  const seeded =
    options.bookings === false
      ? null
      : await seedDemoBookings(manager, config, { catalog, accounts, now: options.now ?? new Date() }, options, passwordHash);
  return {
    institutions: loaded.institutions,
    instruments: loaded.instruments,
    accounts: accounts.length,
    bookings: seeded?.bookings ?? null,
    vouchers: seeded?.vouchers ?? null,
    milliseconds: Date.now() - started,
  };
}

/**
 * The booking part: generated for the booking service's settings, loaded after the catalog
 * (milliseconds count both); then the vouchers paying some of the demo firm's bookings.
 */
async function seedDemoBookings(
  manager: EntityManager,
  config: AppConfig,
  input: DemoBookingInput,
  options: SeedDemoDataOptions,
  passwordHash: string,
): Promise<{ bookings: LoadedDemoBookings; vouchers: LoadedDemoVouchers }> {
  const started = Date.now();
  const data = generateDemoBookings(input, {
    holdMinutes: config.BOOKING_HOLD_MINUTES,
    freeCancellationHours: config.FREE_CANCELLATION_HOURS,
    lateCancellationFeePercent: config.LATE_CANCELLATION_FEE_PERCENT,
    noShowGraceMinutes: config.NO_SHOW_GRACE_MINUTES,
    noShowLimit: config.NO_SHOW_LIMIT,
    noShowWindowDays: config.NO_SHOW_WINDOW_DAYS,
    ...options.bookings,
    seed: options.seed,
  });
  const loaded = await loadDemoBookings(manager, data, { passwordHash });
  const bookings = { ...loaded, milliseconds: Date.now() - started };
  const vouchers = await loadDemoVouchers(manager, generateDemoVouchers({ ...input, bookings: data }, { seed: options.seed }), data.accountIds);
  return { bookings, vouchers };
}

/** Loads demo data unless the catalog already has instruments. Returns what it did, for the log. */
export async function seedDemoDataIfEmpty(config: AppConfig, url = config.DATABASE_URL, options: SeedDemoDataOptions = {}): Promise<string> {
  if (config.isProduction) return 'NODE_ENV=production: demo data is never loaded';
  const dataSource = new DataSource({ ...buildDataSourceOptions(config, { url, poolSize: 2 }) });
  await dataSource.initialize();
  try {
    return await dataSource.transaction(async (manager) => {
      // Serializes concurrent starts: only one of them loads.
      await manager.query(`LOCK TABLE instrument IN EXCLUSIVE MODE`);
      const [{ present }] = await manager.query(`SELECT EXISTS (SELECT 1 FROM instrument) AS present`);
      if (present) return 'catalog has instruments: demo data not loaded';
      const seeded = await seedDemoData(manager, config, options);
      await manager.query(`ANALYZE instrument`);
      const bookings = seeded.bookings;
      if (bookings) await manager.query(`ANALYZE booking, booking_event, time_block, opening_window, booking_rules`);
      const parts = [`${seeded.institutions} institutions`, `${seeded.instruments} instruments`, `${seeded.accounts} accounts`];
      if (bookings) parts.push(`${bookings.users} more users`, `${bookings.bookings} bookings (loaded in ${bookings.milliseconds} ms)`);
      const vouchers = seeded.vouchers;
      if (vouchers) parts.push(`${vouchers.programs} voucher programs with ${vouchers.grants} grants and ${vouchers.ledgerEntries} ledger entries`);
      return `demo data loaded: ${parts.join(', ')} in ${seeded.milliseconds} ms`;
    });
  } finally {
    await dataSource.destroy();
  }
}

/** Category code -> the names it contributes to search documents. */
async function categoryNamesByCode(manager: EntityManager): Promise<Map<string, string[]>> {
  const rows: { code: string; name_zh: string; name_en: string; parent_code: string | null }[] = await manager.query(
    `SELECT code, name_zh, name_en, parent_code FROM instrument_category`,
  );
  const categories = new Map(rows.map((row) => [row.code, { nameZh: row.name_zh, nameEn: row.name_en, parentCode: row.parent_code }]));
  return new Map(rows.map((row) => [row.code, searchableCategoryNames(categories, row.code)]));
}
