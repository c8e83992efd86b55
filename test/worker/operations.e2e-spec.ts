import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, TEST_PASSWORD, TestAccount, TestApp, startTestApp } from '@app/testing';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** What operators get from the worker: Prometheus metrics, and Bull Board behind an admin login. */
describe('worker operations (e2e)', () => {
  let worker: TestApp;
  let admin: TestAccount;
  let researcher: TestAccount;

  beforeAll(async () => {
    worker = await startTestApp(WorkerModule, { env: { NOTIFICATION_SWEEP_SECONDS: '0', STATISTICS_NIGHTLY_ENABLED: 'false' } });
    const dataSource = worker.app.get(DataSource);
    const tokens = worker.app.get(AccessTokenService);
    const fixtures = new CatalogFixtures(dataSource, worker.http, (user) => tokens.sign(user));
    admin = await fixtures.account('admin');
    researcher = await fixtures.account('researcher');
    await dataSource.query(
      `INSERT INTO notification (kind, recipient_id, dedupe_key, due_at, state, attempts, last_error) VALUES ('suspension_started', $1, 'metrics-test', now(), 'failed', 5, 'refused')`,
      [researcher.id],
    );
  });

  afterAll(async () => {
    await worker?.close();
  });

  const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

  it('serves Prometheus metrics: queue depth per queue, notifications by state, process figures', async () => {
    const response = await fetch(`${worker.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^marketplace_queue_jobs\{queue="notifications",state="delayed"\} \d+$/m);
    expect(text).toMatch(/^marketplace_queue_jobs\{queue="booking-events",state="waiting"\} \d+$/m);
    expect(text).toMatch(/^marketplace_notifications\{state="failed"\} 1$/m);
    expect(text).toContain('# TYPE marketplace_notification_send_failures_total counter');
    expect(text).toContain('# TYPE marketplace_statistics_compile_seconds histogram');
    expect(text).toMatch(/^marketplace_worker_process_resident_memory_bytes \d+/m);
  });

  it('shows Bull Board to admins only', async () => {
    const anonymous = await fetch(`${worker.baseUrl}/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await fetch(`${worker.baseUrl}/queues`, { headers: { authorization: basic(researcher.email, TEST_PASSWORD) } })).status).toBe(401);
    expect((await fetch(`${worker.baseUrl}/queues`, { headers: { authorization: basic(admin.email, 'wrong password') } })).status).toBe(401);
    expect((await fetch(`${worker.baseUrl}/queues/api/queues`, { headers: { authorization: `Bearer ${researcher.token}` } })).status).toBe(401);

    const page = await fetch(`${worker.baseUrl}/queues`, { headers: { authorization: basic(admin.email, TEST_PASSWORD) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Instrument Marketplace queues');
    const api = await fetch(`${worker.baseUrl}/queues/api/queues`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((queue) => queue.name).sort();
    expect(names).toEqual(expect.arrayContaining(['booking-events', 'notifications']));
  });

  it('stops checking passwords after ten failed logins a minute from one address', async () => {
    const attempts: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      attempts.push((await fetch(`${worker.baseUrl}/queues`, { headers: { authorization: basic(admin.email, `guess-${attempt}`) } })).status);
    }
    // Earlier tests may have used some of this address's ten: once refused, always refused.
    const firstRefused = attempts.indexOf(429);
    expect(firstRefused).toBeGreaterThanOrEqual(0);
    expect(firstRefused).toBeLessThanOrEqual(10);
    expect(attempts.slice(0, firstRefused).every((status) => status === 401)).toBe(true);
    expect(attempts.slice(firstRefused).every((status) => status === 429)).toBe(true);
    expect((await fetch(`${worker.baseUrl}/queues`, { headers: { authorization: basic(admin.email, TEST_PASSWORD) } })).status).toBe(429);
  });
});
