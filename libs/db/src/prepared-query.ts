import type { EntityManager } from 'typeorm';

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs a hot statement as a named (prepared) statement: each pooled connection plans it once
 * instead of on every call, which for a five-table join halves its cost. Inside a transaction it
 * runs on the transaction's own connection (the pg client TypeORM's query runner holds), so it
 * sees and takes part in the transaction; pg errors come back unwrapped, which isSqlState reads
 * as it reads TypeORM's.
 */
export async function queryPrepared<T>(manager: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner as unknown as { databaseConnection?: PgQueryable; isReleased: boolean } | undefined;
  const target = runner ? runner.databaseConnection : (manager.connection.driver as unknown as { master?: PgQueryable }).master;
  // A query runner not connected yet or released (its connection may serve another caller), or
  // another driver: the manager runs it, and refuses what it must refuse.
  if (runner?.isReleased || !target || typeof target.query !== 'function') return manager.query(text, values);
  const result = await target.query({ name, text, values });
  return result.rows as T[];
}
