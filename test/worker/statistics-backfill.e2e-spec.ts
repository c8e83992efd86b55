import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** A database with bookings and no statistics (the demo's first start) is compiled when a worker boots, once. */
describe('statistics backfill (e2e)', () => {
  let booking: TestApp;
  const workers: TestApp[] = [];
  let dataSource: DataSource;

  beforeAll(async () => {
    booking = await startTestApp(BookingModule, { env: { OUTBOX_RELAY_INTERVAL_MS: '0', BOOKING_SWEEP_SECONDS: '0' } });
    dataSource = booking.app.get(DataSource);
    const tokens = booking.app.get(AccessTokenService);
    const fixtures = new CatalogFixtures(dataSource, booking.http, (user) => tokens.sign(user));
    const owner = await fixtures.institution();
    const researcher = await fixtures.account('researcher');
    const { id: instrumentId } = await fixtures.instrument(owner.id);
    await dataSource.query(
      `INSERT INTO booking (instrument_id, user_id, status, mode, starts_at, ends_at, is_internal, actual_start_at, actual_end_at, final_fee_fen)
       VALUES ($1, $2, 'completed', 'sample_submission', now() - interval '3 days', now() - interval '3 days' + interval '2 hours', false,
               now() - interval '3 days', now() - interval '3 days' + interval '90 minutes', 30000)`,
      [instrumentId, researcher.id],
    );
  });

  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await booking?.close();
  });

  const env = () => ({ REDIS_KEY_PREFIX: booking.config.REDIS_KEY_PREFIX, STATISTICS_BACKFILL_DAYS: '30', STATISTICS_NIGHTLY_ENABLED: 'false', NOTIFICATION_SWEEP_SECONDS: '0' });

  it('compiles the last days once, however many workers start', async () => {
    workers.push(...(await Promise.all([startTestApp(WorkerModule, { database: booking.database, env: env() }), startTestApp(WorkerModule, { database: booking.database, env: env() })])));
    let runs: { trigger: string; state: string; days_total: number }[] = [];
    for (let attempt = 0; attempt < 100; attempt++) {
      runs = await dataSource.query(`SELECT trigger, state, days_total FROM statistics_run`);
      if (runs.length > 0 && runs.every((run) => run.state === 'done')) break;
      await sleep(200);
    }
    expect(runs).toEqual([{ trigger: 'schedule', state: 'done', days_total: 30 }]);
    const [{ days, effective }] = await dataSource.query(`SELECT count(*)::int AS days, sum(effective_minutes)::int AS effective FROM instrument_day_statistics`);
    expect(days).toBe(30);
    expect(effective).toBe(90);

    const metrics = await (await fetch(`${workers[0].baseUrl}/metrics`)).text();
    const workerMetrics = await (await fetch(`${workers[1].baseUrl}/metrics`)).text();
    // Whichever worker ran the compile counted its duration.
    expect(`${metrics}${workerMetrics}`).toMatch(/^marketplace_statistics_compile_seconds_count\{trigger="compile"\} 1$/m);

    // A worker starting later finds statistics compiled before: nothing new.
    workers.push(await startTestApp(WorkerModule, { database: booking.database, env: env() }));
    await sleep(500);
    expect(await dataSource.query(`SELECT count(*)::int AS count FROM statistics_run`)).toEqual([{ count: 1 }]);
  });
});
