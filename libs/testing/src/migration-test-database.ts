import { DataSource } from 'typeorm';
import { loadAppConfig } from '@app/config';
import { buildDataSourceOptions } from '@app/db';
import { createTestDatabase } from './test-database';
import type { TestDatabase } from './test-database';

/** A migrated test database with one institution and one publicly funded instrument, for migration tests that undo and redo. */
export interface MigrationTestDatabase {
  database: TestDatabase;
  dataSource: DataSource;
  instrumentId: string;
  close(): Promise<void>;
}

export async function openMigrationTestDatabase(instrumentNameZh: string): Promise<MigrationTestDatabase> {
  const database = await createTestDatabase();
  const dataSource = new DataSource(buildDataSourceOptions(loadAppConfig({ ...process.env, NODE_ENV: 'test' }), { url: database.url }));
  await dataSource.initialize();
  const [institution] = await dataSource.query(`INSERT INTO institution (name_zh, kind, region_code) VALUES ('迁移测试大学', 'university', '330106') RETURNING id`);
  const [instrument] = await dataSource.query(
    `INSERT INTO instrument (institution_id, name_zh, category_code, original_value_fen, source, funding_source, purpose, service_modes, region_code)
     VALUES ($1, $2, '010102', 300000000, 'purchased', 'central_government', 'general', ARRAY['sample_submission'], '330106') RETURNING id`,
    [institution.id, instrumentNameZh],
  );
  return {
    database,
    dataSource,
    instrumentId: instrument.id,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/** Undoes, newest first, every migration after `name` and then `name` itself. */
export async function undoMigrationsThrough(dataSource: DataSource, name: string): Promise<void> {
  const applied: { name: string }[] = await dataSource.query(`SELECT name FROM schema_migration ORDER BY timestamp DESC`);
  const position = applied.findIndex((migration) => migration.name === name);
  if (position < 0) throw new Error(`migration ${name} is not applied`);
  for (let undone = 0; undone <= position; undone++) await dataSource.undoLastMigration({ transaction: 'each' });
}
