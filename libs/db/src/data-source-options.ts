import { AppConfig } from '@app/config';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The one place that turns configuration into TypeORM options; synchronize stays off everywhere. */
export function buildDataSourceOptions(config: AppConfig, overrides: Partial<{ url: string; poolSize: number }> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: overrides.url ?? config.DATABASE_URL,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    // Failed queries surface as errors to the caller; logging them here would print every parameter.
    logging: false,
    extra: {
      max: overrides.poolSize ?? config.DATABASE_POOL_SIZE,
      connectionTimeoutMillis: 5_000,
      application_name: 'instrument-marketplace',
    },
  };
}
