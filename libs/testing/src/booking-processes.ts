import { sign } from 'jsonwebtoken';
import type { DataSource } from 'typeorm';
import { AppProcess, startAppProcess } from './app-process';

export interface TokenHolder {
  id: string;
  token: string;
}

/** `count` researchers of one institution, inserted directly, each with an access token signed with `jwtSecret`. */
export async function insertResearchers(
  dataSource: DataSource,
  options: { institutionId: string; count: number; emailDomain: string; jwtSecret: string },
): Promise<TokenHolder[]> {
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO app_user (email, password_hash, display_name, role, institution_id)
     SELECT 'user' || n || '@' || $3, 'not-a-hash', 'User ' || n, 'researcher', $1 FROM generate_series(1, $2::int) n RETURNING id`,
    [options.institutionId, options.count, options.emailDomain],
  );
  return rows.map(({ id }) => ({
    id,
    token: sign({ sub: id, role: 'researcher', inst: options.institutionId, region: null }, options.jwtSecret, { algorithm: 'HS256', expiresIn: 3600 }),
  }));
}

/** Booking-service processes on one database (sweeper off): the replicas the concurrency tests race against each other. */
export function startBookingProcesses(count: number, options: { databaseUrl: string; jwtSecret: string; redisKeyPrefix: string }): Promise<AppProcess[]> {
  const env = { DATABASE_URL: options.databaseUrl, JWT_SECRET: options.jwtSecret, REDIS_KEY_PREFIX: options.redisKeyPrefix, DATABASE_POOL_SIZE: '8', BOOKING_SWEEP_SECONDS: '0' };
  return Promise.all(Array.from({ length: count }, () => startAppProcess('booking', env)));
}
