import { DataSource } from 'typeorm';
import { CatalogFixtures, TestApp, startTestApp } from '@app/testing';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';

describe('accounts (e2e)', () => {
  let testApp: TestApp;
  let fixtures: CatalogFixtures;

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule, { env: { LOGIN_RATE_LIMIT: '5', LOGIN_RATE_WINDOW_SECONDS: '60' } });
    fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http);
  });
  afterAll(() => testApp?.close());

  it('registers a researcher, logs in and reads /users/me', async () => {
    const university = await fixtures.institution();
    const register = await testApp.http.post('/auth/register', {
      email: 'Li.Wei@Example.org',
      password: 'a-long-password',
      displayName: '李伟',
      role: 'researcher',
      institutionId: university.id,
    });
    expect(register.status).toBe(201);
    expect(register.body.user).toMatchObject({ email: 'li.wei@example.org', role: 'researcher', institutionId: university.id });

    const login = await testApp.http.post('/auth/login', { email: 'li.wei@example.org', password: 'a-long-password' });
    expect(login.status).toBe(200);
    expect(typeof login.body.accessToken).toBe('string');
    const me = await testApp.http.get('/users/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.displayName).toBe('李伟');
  });
});
