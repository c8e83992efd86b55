import { DataSource, EntityManager } from 'typeorm';
import { isTransientTransactionError } from './database-errors';

/**
 * Runs one command in one transaction, retrying it from the start on deadlock (40P01) or
 * serialization failure (40001): nothing is half-written, and transient conflicts do not reach users.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isTransientTransactionError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 20));
    }
  }
}
