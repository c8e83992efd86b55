/** PostgreSQL SQLSTATE codes the services turn into domain errors. */
export enum SqlState {
  UNIQUE_VIOLATION = '23505',
  FOREIGN_KEY_VIOLATION = '23503',
  CHECK_VIOLATION = '23514',
  NOT_NULL_VIOLATION = '23502',
  EXCLUSION_VIOLATION = '23P01',
  SERIALIZATION_FAILURE = '40001',
  DEADLOCK_DETECTED = '40P01',
  INVALID_TEXT_REPRESENTATION = '22P02',
}

export interface DatabaseErrorInfo {
  sqlState: string;
  constraint?: string;
  detail?: string;
}

/** Reads the SQLSTATE and constraint name from a pg error, or a TypeORM QueryFailedError wrapping one. */
export function databaseErrorInfo(error: unknown): DatabaseErrorInfo | null {
  const candidate = (error as { driverError?: unknown })?.driverError ?? error;
  const code = (candidate as { code?: unknown })?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  const { constraint, detail } = candidate as { constraint?: string; detail?: string };
  return { sqlState: code, constraint, detail };
}

export function isSqlState(error: unknown, state: SqlState, constraint?: string): boolean {
  const info = databaseErrorInfo(error);
  return info !== null && info.sqlState === state && (constraint === undefined || info.constraint === constraint);
}

/** Errors worth retrying the whole transaction for. */
export function isTransientTransactionError(error: unknown): boolean {
  return isSqlState(error, SqlState.SERIALIZATION_FAILURE) || isSqlState(error, SqlState.DEADLOCK_DETECTED);
}
