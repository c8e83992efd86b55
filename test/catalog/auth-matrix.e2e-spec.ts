import * as jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { CatalogFixtures, TEST_PASSWORD, TestAccount, TestApp, TestInstitution, instrumentBody, startTestApp } from '@app/testing';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';
import { expectErrorShape, expectValidationFailed } from './error-shape';

let emailCounter = 0;
function uniqueEmail(prefix: string): string {
  return `${prefix}.${++emailCounter}.${Math.random().toString(36).slice(2, 8)}@auth-matrix.example`;
}

describe('authentication and roles (e2e)', () => {
  let testApp: TestApp;
  let fixtures: CatalogFixtures;
  let universityA: TestInstitution;
  let universityB: TestInstitution;
  let managerA: TestAccount;
  let managerB: TestAccount;
  let researcherA: TestAccount;
  let staff: TestAccount;
  let admin: TestAccount;
  let instrumentOfA: { id: string; version: number };
  let instrumentOfB: { id: string; version: number };

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule);
    fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http);
    universityA = await fixtures.institution({ nameZh: '认证测试大学A' });
    universityB = await fixtures.institution({ nameZh: '认证测试大学B', regionCode: '330203' });
    [managerA, managerB, researcherA, staff, admin] = await Promise.all([
      fixtures.account('lab_manager', { institutionId: universityA.id }),
      fixtures.account('lab_manager', { institutionId: universityB.id }),
      fixtures.account('researcher', { institutionId: universityA.id }),
      fixtures.account('department_staff', { regionCode: '330000' }),
      fixtures.account('admin'),
    ]);
    const [createdA, createdB] = await Promise.all([
      testApp.http.post('/instruments', instrumentBody({ nameZh: 'A校扫描电镜' }), { token: managerA.token }),
      testApp.http.post('/instruments', instrumentBody({ nameZh: 'B校扫描电镜', regionCode: '330203' }), { token: managerB.token }),
    ]);
    expect([createdA.status, createdB.status]).toEqual([201, 201]);
    instrumentOfA = createdA.body;
    instrumentOfB = createdB.body;
  });
  afterAll(() => testApp?.close());

  describe('registration', () => {
    it('registers a researcher of an existing institution and returns a working token', async () => {
      const email = uniqueEmail('researcher');
      const response = await testApp.http.post('/auth/register', {
        email,
        password: 'a-long-password',
        displayName: '张研究员',
        role: 'researcher',
        institutionId: universityA.id,
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        expiresIn: testApp.config.JWT_TTL_SECONDS,
        user: { email, role: 'researcher', institutionId: universityA.id, regionCode: null, language: 'zh' },
      });
      expect(response.body.user).not.toHaveProperty('passwordHash');
      expect(response.body.user).not.toHaveProperty('password');
      const me = await testApp.http.get('/users/me', { token: response.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: response.body.user.id, role: 'researcher', institutionId: universityA.id });
    });

    it('registers a firm member together with a new enterprise', async () => {
      const email = uniqueEmail('firm');
      const response = await testApp.http.post('/auth/register', {
        email,
        password: 'a-long-password',
        displayName: '陈经理',
        role: 'firm_member',
        enterprise: { nameZh: '杭州微光检测科技有限公司', nameEn: 'Hangzhou Weiguang Testing', regionCode: '330106', isSmallMicro: true },
      });
      expect(response.status).toBe(201);
      expect(response.body.user).toMatchObject({ email, role: 'firm_member' });
      const enterpriseId = response.body.user.institutionId;
      expect(enterpriseId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
      const enterprise = await testApp.http.get(`/institutions/${enterpriseId}`);
      expect(enterprise.status).toBe(200);
      expect(enterprise.body).toEqual({
        id: enterpriseId,
        nameZh: '杭州微光检测科技有限公司',
        nameEn: 'Hangzhou Weiguang Testing',
        kind: 'enterprise',
        regionCode: '330106',
        isSmallMicro: true,
      });
    });

    it('refuses an enterprise located at city level and creates nothing', async () => {
      const email = uniqueEmail('firm-city');
      const response = await testApp.http.post('/auth/register', {
        email,
        password: 'a-long-password',
        displayName: '城市级企业',
        role: 'firm_member',
        enterprise: { nameZh: '城市级地址企业有限公司', regionCode: '330100', isSmallMicro: false },
      });
      expectErrorShape(response, 422, 'UNKNOWN_REGION');
      const login = await testApp.http.post('/auth/login', { email, password: 'a-long-password' });
      expectErrorShape(login, 401, 'INVALID_CREDENTIALS');
    });

    it('refuses a second account with the same email, whatever its case: 409 EMAIL_TAKEN', async () => {
      const email = uniqueEmail('dup');
      const body = { email, password: 'a-long-password', displayName: '重复', role: 'researcher', institutionId: universityA.id };
      expect((await testApp.http.post('/auth/register', body)).status).toBe(201);
      expectErrorShape(await testApp.http.post('/auth/register', body), 409, 'EMAIL_TAKEN');
      expectErrorShape(await testApp.http.post('/auth/register', { ...body, email: email.toUpperCase() }), 409, 'EMAIL_TAKEN');
    });

    it.each(['lab_manager', 'department_staff', 'admin'])('refuses self-registration as %s with 400 naming role', async (role) => {
      const email = uniqueEmail(role);
      const response = await testApp.http.post('/auth/register', {
        email,
        password: 'a-long-password',
        displayName: '越权者',
        role,
        institutionId: universityA.id,
      });
      expectValidationFailed(response, 'role');
      expectErrorShape(await testApp.http.post('/auth/login', { email, password: 'a-long-password' }), 401, 'INVALID_CREDENTIALS');
    });

    it('a researcher must name an institution; a firm member cannot join a university', async () => {
      const base = { password: 'a-long-password', displayName: '某人' };
      expectErrorShape(
        await testApp.http.post('/auth/register', { ...base, email: uniqueEmail('noinst'), role: 'researcher' }),
        400,
        'INSTITUTION_REQUIRED',
      );
      expectErrorShape(
        await testApp.http.post('/auth/register', { ...base, email: uniqueEmail('mismatch'), role: 'firm_member', institutionId: universityA.id }),
        422,
        'INSTITUTION_KIND_MISMATCH',
      );
    });
  });

  describe('login', () => {
    it('a wrong password and an unknown email both answer 401 INVALID_CREDENTIALS', async () => {
      const wrongPassword = await testApp.http.post('/auth/login', { email: researcherA.email, password: 'not-the-password' });
      const unknownEmail = await testApp.http.post('/auth/login', { email: uniqueEmail('nobody'), password: TEST_PASSWORD });
      const a = expectErrorShape(wrongPassword, 401, 'INVALID_CREDENTIALS');
      const b = expectErrorShape(unknownEmail, 401, 'INVALID_CREDENTIALS');
      // Same answer, so the response does not reveal which emails have accounts.
      expect(a.message).toBe(b.message);
    });

    it('logs in with the email in another case', async () => {
      const response = await testApp.http.post('/auth/login', { email: researcherA.email.toUpperCase(), password: TEST_PASSWORD });
      expect(response.status).toBe(200);
      expect(response.body.user.id).toBe(researcherA.id);
    });
  });

  describe('tokens', () => {
    it('a protected route without a token is 401 UNAUTHENTICATED', async () => {
      expectErrorShape(await testApp.http.get('/users/me'), 401, 'UNAUTHENTICATED');
      expectErrorShape(await testApp.http.post('/instruments', instrumentBody()), 401, 'UNAUTHENTICATED');
      expectErrorShape(await testApp.http.get('/sharing/exemptions'), 401, 'UNAUTHENTICATED');
    });

    it('a garbage token is 401 INVALID_TOKEN', async () => {
      expectErrorShape(await testApp.http.get('/users/me', { token: 'not-a-jwt' }), 401, 'INVALID_TOKEN');
      expectErrorShape(await testApp.http.get('/users/me', { token: 'a.b.c' }), 401, 'INVALID_TOKEN');
      expectErrorShape(await testApp.http.get('/users/me', { headers: { authorization: 'Bearer' } }), 401, 'INVALID_TOKEN');
      expectErrorShape(await testApp.http.get('/users/me', { headers: { authorization: `Basic ${managerA.token}` } }), 401, 'INVALID_TOKEN');
    });

    it('a token signed with another secret is 401 INVALID_TOKEN', async () => {
      const forged = jwt.sign({ sub: admin.id, role: 'admin', inst: null, region: null }, 'another-secret-another-secret-another-secret', {
        algorithm: 'HS256',
        expiresIn: 600,
      });
      expectErrorShape(await testApp.http.get('/users/me', { token: forged }), 401, 'INVALID_TOKEN');
      expectErrorShape(await testApp.http.post('/users', {}, { token: forged }), 401, 'INVALID_TOKEN');
    });

    it('a real token with a tampered payload is 401 INVALID_TOKEN', async () => {
      const [header, payload, signature] = researcherA.token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const elevated = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
      const tampered = [header, elevated, signature].join('.');
      expectErrorShape(await testApp.http.get('/users/me', { token: tampered }), 401, 'INVALID_TOKEN');
      expectErrorShape(await testApp.http.post('/users', {}, { token: tampered }), 401, 'INVALID_TOKEN');
    });

    it('an unsigned token (alg none) is 401 INVALID_TOKEN', async () => {
      const unsigned = jwt.sign({ sub: admin.id, role: 'admin', inst: null, region: null }, '', { algorithm: 'none' });
      expectErrorShape(await testApp.http.get('/users/me', { token: unsigned }), 401, 'INVALID_TOKEN');
    });

    it('an expired token signed with the right secret is 401 INVALID_TOKEN', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = jwt.sign(
        { sub: researcherA.id, role: 'researcher', inst: researcherA.institutionId, region: null, iat: now - 7200, exp: now - 3600 },
        testApp.config.jwtSecret,
        { algorithm: 'HS256' },
      );
      // The same claims with a future expiry are accepted, so the expiry is what is refused.
      const fresh = jwt.sign(
        { sub: researcherA.id, role: 'researcher', inst: researcherA.institutionId, region: null },
        testApp.config.jwtSecret,
        { algorithm: 'HS256', expiresIn: 600 },
      );
      expect((await testApp.http.get('/users/me', { token: fresh })).status).toBe(200);
      expectErrorShape(await testApp.http.get('/users/me', { token: expired }), 401, 'INVALID_TOKEN');
    });

    it('an invalid token on a public route is refused too, not treated as anonymous', async () => {
      expectErrorShape(await testApp.http.get('/instruments', { token: 'not-a-jwt' }), 401, 'INVALID_TOKEN');
      expect((await testApp.http.get('/instruments')).status).toBe(200);
    });
  });

  describe('role matrix', () => {
    it('a researcher cannot create instruments: 403', async () => {
      expectErrorShape(await testApp.http.post('/instruments', instrumentBody(), { token: researcherA.token }), 403, 'ROLE_NOT_ALLOWED');
    });

    it('department staff cannot create or edit instruments: 403', async () => {
      expectErrorShape(await testApp.http.post('/instruments', instrumentBody(), { token: staff.token }), 403, 'ROLE_NOT_ALLOWED');
      expectErrorShape(
        await testApp.http.patch(`/instruments/${instrumentOfA.id}`, { nameZh: '改名' }, { token: staff.token }),
        403,
        'ROLE_NOT_ALLOWED',
      );
    });

    it('a lab manager of institution A cannot edit an instrument of institution B: 403 NOT_INSTRUMENT_OWNER', async () => {
      const response = await testApp.http.patch(`/instruments/${instrumentOfB.id}`, { nameZh: '被A改名' }, { token: managerA.token });
      expectErrorShape(response, 403, 'NOT_INSTRUMENT_OWNER');
      const unchanged = await testApp.http.get(`/instruments/${instrumentOfB.id}`);
      expect(unchanged.body).toMatchObject({ nameZh: 'B校扫描电镜', version: instrumentOfB.version });
    });

    it('a lab manager of institution A cannot create an instrument for institution B: 403 NOT_INSTRUMENT_OWNER', async () => {
      const response = await testApp.http.post('/instruments', instrumentBody({ institutionId: universityB.id }), { token: managerA.token });
      expectErrorShape(response, 403, 'NOT_INSTRUMENT_OWNER');
    });

    it('a lab manager of institution A edits its own instrument: 200', async () => {
      const response = await testApp.http.patch(`/instruments/${instrumentOfA.id}`, { nameZh: 'A校场发射扫描电镜' }, { token: managerA.token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: instrumentOfA.id, nameZh: 'A校场发射扫描电镜', version: instrumentOfA.version + 1 });
    });

    it('an admin creates a lab manager and a department staff member: 201, and they can act in their role', async () => {
      const managerEmail = uniqueEmail('new-manager');
      const manager = await testApp.http.post(
        '/users',
        { email: managerEmail, password: 'a-long-password', displayName: '新实验室主任', role: 'lab_manager', institutionId: universityB.id },
        { token: admin.token },
      );
      expect(manager.status).toBe(201);
      expect(manager.body).toMatchObject({ email: managerEmail, role: 'lab_manager', institutionId: universityB.id, regionCode: null });

      const staffEmail = uniqueEmail('new-staff');
      const newStaff = await testApp.http.post(
        '/users',
        { email: staffEmail, password: 'a-long-password', displayName: '宁波科技局', role: 'department_staff', regionCode: '330200' },
        { token: admin.token },
      );
      expect(newStaff.status).toBe(201);
      expect(newStaff.body).toMatchObject({ email: staffEmail, role: 'department_staff', institutionId: null, regionCode: '330200' });

      const managerLogin = await testApp.http.post('/auth/login', { email: managerEmail, password: 'a-long-password' });
      expect(managerLogin.status).toBe(200);
      const edit = await testApp.http.patch(`/instruments/${instrumentOfB.id}`, { model: 'SU8020' }, { token: managerLogin.body.accessToken });
      expect(edit.status).toBe(200);
      expect(edit.body.model).toBe('SU8020');

      const staffLogin = await testApp.http.post('/auth/login', { email: staffEmail, password: 'a-long-password' });
      expect(staffLogin.status).toBe(200);
      expect((await testApp.http.get('/sharing/exemptions', { token: staffLogin.body.accessToken })).status).toBe(200);

      const fetched = await testApp.http.get(`/users/${manager.body.id}`, { token: admin.token });
      expect(fetched.status).toBe(200);
      expect(fetched.body.email).toBe(managerEmail);
    });

    it('an admin still has to give the scope a role needs', async () => {
      expectErrorShape(
        await testApp.http.post(
          '/users',
          { email: uniqueEmail('scope'), password: 'a-long-password', displayName: '无区域', role: 'department_staff' },
          { token: admin.token },
        ),
        400,
        'REGION_REQUIRED',
      );
      expectErrorShape(
        await testApp.http.post(
          '/users',
          { email: uniqueEmail('scope'), password: 'a-long-password', displayName: '无机构', role: 'lab_manager' },
          { token: admin.token },
        ),
        400,
        'INSTITUTION_REQUIRED',
      );
    });

    it.each([
      ['researcher', () => researcherA],
      ['lab_manager', () => managerA],
      ['department_staff', () => staff],
    ])('a %s cannot create users: 403', async (_role, account) => {
      const email = uniqueEmail('escalate');
      const response = await testApp.http.post(
        '/users',
        { email, password: 'a-long-password', displayName: '越权', role: 'admin' },
        { token: account().token },
      );
      expectErrorShape(response, 403, 'ROLE_NOT_ALLOWED');
      expectErrorShape(await testApp.http.post('/auth/login', { email, password: 'a-long-password' }), 401, 'INVALID_CREDENTIALS');
    });

    it('only department staff and admins reach the sharing compliance routes', async () => {
      expectErrorShape(await testApp.http.get('/sharing/exemptions', { token: researcherA.token }), 403, 'ROLE_NOT_ALLOWED');
      expectErrorShape(await testApp.http.get('/sharing/non-compliant', { token: managerA.token }), 403, 'ROLE_NOT_ALLOWED');
      expect((await testApp.http.get('/sharing/non-compliant', { token: staff.token })).status).toBe(200);
      expect((await testApp.http.get('/sharing/non-compliant', { token: admin.token })).status).toBe(200);
    });
  });
});

describe('login rate limit (e2e)', () => {
  let testApp: TestApp;
  let fixtures: CatalogFixtures;

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule, { env: { LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '60' } });
    fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http);
  });
  afterAll(() => testApp?.close());

  it('the 4th failed login for one email from one client is 429 RATE_LIMITED; another email still gets 401', async () => {
    // Registered over HTTP (its own counter), so no login has been counted for this email yet.
    const institution = await fixtures.institution();
    const victim = { email: uniqueEmail('victim') };
    const registered = await testApp.http.post('/auth/register', {
      email: victim.email,
      password: TEST_PASSWORD,
      displayName: '被猜密码者',
      role: 'researcher',
      institutionId: institution.id,
    });
    expect(registered.status).toBe(201);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const response = await testApp.http.post('/auth/login', { email: victim.email, password: `wrong-guess-${attempt}` });
      expectErrorShape(response, 401, 'INVALID_CREDENTIALS');
    }
    const fourth = await testApp.http.post('/auth/login', { email: victim.email, password: 'wrong-guess-4' });
    expectErrorShape(fourth, 429, 'RATE_LIMITED');

    // The same email in another case is the same counter: case does not reset the limit.
    expectErrorShape(await testApp.http.post('/auth/login', { email: victim.email.toUpperCase(), password: 'wrong-guess-5' }), 429, 'RATE_LIMITED');
    // Even the right password is held back while the limit lasts.
    expectErrorShape(await testApp.http.post('/auth/login', { email: victim.email, password: TEST_PASSWORD }), 429, 'RATE_LIMITED');

    // A client-supplied X-Forwarded-For does not make a new client.
    const spoofed = await testApp.http.post(
      '/auth/login',
      { email: victim.email, password: 'wrong-guess-6' },
      { headers: { 'x-forwarded-for': '203.0.113.7' } },
    );
    expectErrorShape(spoofed, 429, 'RATE_LIMITED');

    // Another email from the same client is not locked out.
    const bystander = await fixtures.account('researcher');
    expectErrorShape(await testApp.http.post('/auth/login', { email: bystander.email, password: 'wrong-guess' }), 401, 'INVALID_CREDENTIALS');
    expect((await testApp.http.post('/auth/login', { email: bystander.email, password: TEST_PASSWORD })).status).toBe(200);
  });
});
