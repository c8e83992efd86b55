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
      // No JIT: the apps run short statements, often as prepared generic plans whose cost estimates
      // pass jit_above_cost; compiling them took 0.1-1 s per execution (the busy-time sync), far more
      // than they run. The statistics compile had already turned it off for itself.
      options: '-c jit=off',
    },
  };
}
