import { AppConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../data-source-options';
import { ensureDatabase } from './ensure-database';
import { syncRegions } from './sync-regions';

export interface PreparedDatabase {
  created: boolean;
  migrationsRun: string[];
  regions: number;
}

/** Creates the database if missing, runs pending migrations and loads the region tree. */
export async function prepareDatabase(config: AppConfig, url = config.DATABASE_URL): Promise<PreparedDatabase> {
  const created = await ensureDatabase(url);
  const dataSource = new DataSource({ ...buildDataSourceOptions(config, { url, poolSize: 2 }) });
  await dataSource.initialize();
  try {
    const migrations = await dataSource.runMigrations({ transaction: 'each' });
    const regions = await dataSource.transaction((manager) => syncRegions(manager));
    return { created, migrationsRun: migrations.map((migration) => migration.name), regions };
  } finally {
    await dataSource.destroy();
  }
}
