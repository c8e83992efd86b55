import { TestApp, startTestApp } from '@app/testing';
import { BookingModule } from '../../apps/booking/src/booking.module';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/** The booking service and the worker start, check PostgreSQL and Redis, and document themselves. */
describe.each([
  ['booking', BookingModule],
  ['worker', WorkerModule],
])('%s app skeleton (e2e)', (_name, module) => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(module);
  });
  afterAll(() => testApp?.close());

  it('answers /health with PostgreSQL and Redis up', async () => {
    const response = await testApp.http.get('/health');
    expect(response.status).toBe(200);
    expect(response.body.info).toEqual({ postgres: { status: 'up' }, redis: { status: 'up' } });
  });

  it('serves its OpenAPI document and the error shape for unknown routes', async () => {
    const docs = await testApp.http.get('/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toContain('/health');
    const missing = await testApp.http.get('/no-such-route');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'ROUTE_NOT_FOUND' });
  });
});

describe('health when Redis is down (e2e)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(BookingModule, { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => testApp?.close());

  it('answers 503 in the error shape, naming the service that is down', async () => {
    const response = await testApp.http.get('/health');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(response.body.details.error.redis.status).toBe('down');
    expect(response.body.details.info.postgres.status).toBe('up');
  });
});
