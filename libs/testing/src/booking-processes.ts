import { sign } from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@app/db';
import { AppProcess, startAppProcess } from './app-process';
import { TestDatabase, createTestDatabase } from './test-database';
import { testAppConfig } from './test-environment';

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

/**
 * What the concurrency tests race booking processes on: a database of their own, a two-connection
 * pool to set up rows directly, and the processes once started; stop() ends the processes and the
 * pool and drops the database.
 */
export class BookingTestRig {
  processes: AppProcess[] = [];

  private constructor(
    readonly database: TestDatabase,
    readonly dataSource: DataSource,
    private readonly jwtSecret: string,
    private readonly redisKeyPrefix: string,
  ) {}

  static async open(jwtSecret: string): Promise<BookingTestRig> {
    const database = await createTestDatabase();
    const config = testAppConfig(database.url, { JWT_SECRET: jwtSecret });
    const dataSource = new DataSource(buildDataSourceOptions(config, { url: database.url, poolSize: 2 }));
    await dataSource.initialize();
    return new BookingTestRig(database, dataSource, jwtSecret, config.REDIS_KEY_PREFIX);
  }

  async startProcesses(count: number): Promise<AppProcess[]> {
    this.processes = await startBookingProcesses(count, { databaseUrl: this.database.url, jwtSecret: this.jwtSecret, redisKeyPrefix: this.redisKeyPrefix });
    return this.processes;
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((app) => app.stop()));
    await this.dataSource.destroy();
    await this.database.drop();
  }
}
