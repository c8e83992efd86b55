import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CatalogFixtures, TestAccount, TestApp, TestInstitution, instrumentBody, startTestApp } from '@app/testing';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';
import { expectErrorShape, expectValidationFailed, problemFields } from './error-shape';

const REQUIRED_INSTRUMENT_FIELDS = ['nameZh', 'categoryCode', 'originalValueFen', 'source', 'fundingSource', 'purpose', 'serviceModes', 'fees', 'regionCode'];
const REQUIRED_REGISTER_FIELDS = ['email', 'password', 'displayName', 'role'];

describe('bad input (e2e)', () => {
  let testApp: TestApp;
  let institution: TestInstitution;
  let manager: TestAccount;

  beforeAll(async () => {
    // Many refused sign-ups share one (empty) email: lift the login limit so it is not what answers here.
    testApp = await startTestApp(CatalogModule, { env: { LOGIN_RATE_LIMIT: '10000' } });
    const fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http);
    institution = await fixtures.institution();
    manager = await fixtures.account('lab_manager', { institutionId: institution.id });
  });
  afterAll(() => testApp?.close());

  const postInstrument = (body: unknown) => testApp.http.post('/instruments', body, { token: manager.token });
  const postRaw = (path: string, rawBody: string, headers: Record<string, string> = {}) =>
    testApp.http.request('POST', path, undefined, { token: manager.token, rawBody, headers });

  async function instrumentCount(): Promise<number> {
    const [{ n }] = await testApp.app.get(DataSource).query(`SELECT count(*)::int AS n FROM instrument`);
    return n;
  }

  function withoutKey(body: Record<string, unknown>, key: string): Record<string, unknown> {
    const { [key]: _dropped, ...rest } = body;
    return rest;
  }

  describe('missing required fields', () => {
    it('POST /instruments {} is 400 VALIDATION_FAILED naming every required field', async () => {
      const fields = expectValidationFailed(await postInstrument({}), ...REQUIRED_INSTRUMENT_FIELDS);
      // Optional fields are not reported.
      for (const optional of ['nameEn', 'model', 'sharingMode', 'contact', 'latitude']) expect(fields).not.toContain(optional);
    });

    it.each(REQUIRED_INSTRUMENT_FIELDS)('POST /instruments without %s names just that field', async (field) => {
      const response = await postInstrument(withoutKey(instrumentBody(), field));
      expect(new Set(expectValidationFailed(response, field))).toEqual(new Set([field]));
    });

    it('POST /auth/register {} is 400 naming email, password, displayName and role', async () => {
      expectValidationFailed(await testApp.http.post('/auth/register', {}), ...REQUIRED_REGISTER_FIELDS);
    });

    it.each(REQUIRED_REGISTER_FIELDS)('POST /auth/register without %s names just that field', async (field) => {
      const body = { email: `missing.${field}@bad-input.example`, password: 'a-long-password', displayName: '缺字段', role: 'researcher', institutionId: institution.id };
      const response = await testApp.http.post('/auth/register', withoutKey(body, field));
      expect(new Set(expectValidationFailed(response, field))).toEqual(new Set([field]));
    });

    it('POST /auth/login {} is 400 naming email and password', async () => {
      expectValidationFailed(await testApp.http.post('/auth/login', {}), 'email', 'password');
    });

    it('a nested object missing its fields names them by path', async () => {
      const response = await postInstrument(instrumentBody({ fees: [{}], contact: {} }));
      expectValidationFailed(response, 'fees.0.unit', 'fees.0.internalRateFen', 'fees.0.externalRateFen', 'contact.name', 'contact.phone', 'contact.email');
      const register = await testApp.http.post('/auth/register', {
        email: 'nested@bad-input.example',
        password: 'a-long-password',
        displayName: '企业',
        role: 'firm_member',
        enterprise: {},
      });
      expectValidationFailed(register, 'enterprise.nameZh', 'enterprise.regionCode', 'enterprise.isSmallMicro');
    });
  });

  describe('wrong types', () => {
    it('originalValueFen as a string, serviceModes as a string and fee unit "week" are each named', async () => {
      const response = await postInstrument(
        instrumentBody({
          originalValueFen: '100',
          serviceModes: 'self_operated',
          fees: [{ unit: 'week', internalRateFen: 100, externalRateFen: 200 }],
        }),
      );
      const fields = expectValidationFailed(response, 'originalValueFen', 'serviceModes', 'fees.0.unit');
      expect(new Set(fields)).toEqual(new Set(['originalValueFen', 'serviceModes', 'fees.0.unit']));
    });

    it.each([
      ['originalValueFen', { originalValueFen: '100' }],
      ['serviceModes', { serviceModes: 'self_operated' }],
      ['serviceModes', { serviceModes: [] }],
      ['serviceModes', { serviceModes: ['teleport'] }],
      ['serviceModes', { serviceModes: ['self_operated', 'self_operated'] }],
      ['fees', { fees: [] }],
      ['fees', { fees: 'free' }],
      ['fees.0.unit', { fees: [{ unit: 'week', internalRateFen: 1, externalRateFen: 2 }] }],
      ['fees.1.externalRateFen', { fees: [{ unit: 'hour', internalRateFen: 1, externalRateFen: 2 }, { unit: 'run', internalRateFen: 1, externalRateFen: -5 }] }],
      ['nameZh', { nameZh: 42 }],
      ['nameZh', { nameZh: '' }],
      ['categoryCode', { categoryCode: 10102 }],
      ['categoryCode', { categoryCode: '0101' }],
      ['regionCode', { regionCode: 'hangzhou' }],
      ['source', { source: 'stolen' }],
      ['fundingSource', { fundingSource: true }],
      ['sharingMode', { sharingMode: 'public' }],
      ['inServiceDate', { inServiceDate: '2018-02-30' }],
      ['inServiceDate', { inServiceDate: '2018-09-01T00:00:00Z' }],
      ['countryOfOrigin', { countryOfOrigin: 'Japan' }],
      ['latitude', { latitude: 123.4 }],
      ['latitude', { latitude: '30.1' }],
      ['contact.email', { contact: { name: '王', phone: '123456', email: 'not-an-email' } }],
      ['contact.phone', { contact: { name: '王', phone: 'call me maybe', email: 'a@b.example' } }],
      ['photoUrls', { photoUrls: ['javascript:alert(1)'] }],
      ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
      ['subjectAreas', { subjectAreas: 'chemistry' }],
    ])('POST /instruments with a bad %s is 400 naming it', async (field, overrides) => {
      const before = await instrumentCount();
      expectValidationFailed(await postInstrument(instrumentBody(overrides)), field);
      expect(await instrumentCount()).toBe(before);
    });

    it.each([
      ['email', { email: 'not-an-email' }],
      ['email', { email: 42 }],
      ['password', { password: 'short' }],
      ['password', { password: 'x'.repeat(129) }],
      ['displayName', { displayName: '' }],
      ['role', { role: 'superuser' }],
      ['institutionId', { institutionId: 'not-a-uuid' }],
      ['language', { language: 'fr' }],
      ['enterprise.isSmallMicro', { role: 'firm_member', institutionId: undefined, enterprise: { nameZh: '某公司', regionCode: '330106', isSmallMicro: 'yes' } }],
    ])('POST /auth/register with a bad %s is 400 naming it', async (field, overrides) => {
      const body = { email: `typed.${randomUUID()}@bad-input.example`, password: 'a-long-password', displayName: '类型', role: 'researcher', institutionId: institution.id, ...overrides };
      expectValidationFailed(await testApp.http.post('/auth/register', body), field);
    });

    it('PATCH /instruments/{id} validates like POST', async () => {
      const created = await postInstrument(instrumentBody());
      expect(created.status).toBe(201);
      const response = await testApp.http.patch(
        `/instruments/${created.body.id}`,
        { originalValueFen: 12.5, version: 'one', fees: [{ unit: 'week' }] },
        { token: manager.token },
      );
      expectValidationFailed(response, 'originalValueFen', 'version', 'fees.0.unit');
      expectValidationFailed(await testApp.http.patch(`/instruments/${created.body.id}`, { institutionId: randomUUID() }, { token: manager.token }), 'institutionId');
    });
  });

  describe('unknown fields', () => {
    it('an unknown top-level field is 400 naming it', async () => {
      const before = await instrumentCount();
      expect(new Set(expectValidationFailed(await postInstrument(instrumentBody({ hacker: true })), 'hacker'))).toEqual(new Set(['hacker']));
      expect(await instrumentCount()).toBe(before);
      expectValidationFailed(
        await testApp.http.post('/auth/register', { email: 'x@bad-input.example', password: 'a-long-password', displayName: 'x', role: 'researcher', institutionId: institution.id, hacker: true }),
        'hacker',
      );
      expectValidationFailed(await testApp.http.post('/auth/login', { email: 'x@bad-input.example', password: 'whatever-pw', isAdmin: true }), 'isAdmin');
    });

    it('unknown nested fields are named by path', async () => {
      const response = await postInstrument(
        instrumentBody({
          fees: [{ unit: 'hour', internalRateFen: 1, externalRateFen: 2, discount: 0.5 }],
          contact: { name: '王', phone: '123456', email: 'a@b.example', wechat: 'wx' },
        }),
      );
      expectValidationFailed(response, 'fees.0.discount', 'contact.wechat');
    });

    it('fields the server owns cannot be set by the client', async () => {
      for (const field of ['id', 'version', 'createdAt', 'isPubliclyFunded', 'searchDocument', 'externalPriceFen']) {
        expectValidationFailed(await postInstrument(instrumentBody({ [field]: field === 'version' ? 7 : 'x' })), field);
      }
    });

    it('a role a user is not allowed to take is refused even among other fields', async () => {
      expectValidationFailed(
        await testApp.http.post('/auth/register', { email: 'r@bad-input.example', password: 'a-long-password', displayName: 'x', role: 'admin', regionCode: '330000' }),
        'role',
        'regionCode',
      );
    });
  });

  describe('numbers and sizes', () => {
    it.each([12.5, -1, 1e20, 0.1 + 0.2])('originalValueFen %p is 400', async (value) => {
      expectValidationFailed(await postInstrument(instrumentBody({ originalValueFen: value })), 'originalValueFen');
    });

    it('fee amounts must be integer fen', async () => {
      expectValidationFailed(await postInstrument(instrumentBody({ fees: [{ unit: 'hour', internalRateFen: 99.99, externalRateFen: 200 }] })), 'fees.0.internalRateFen');
    });

    it('zero fen is a valid value and fee', async () => {
      const response = await postInstrument(instrumentBody({ originalValueFen: 0, fees: [{ unit: 'run', internalRateFen: 0, externalRateFen: 0 }] }));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ originalValueFen: 0, price: { unit: 'run', externalRateFen: 0, internalRateFen: 0 } });
    });

    it('a nameZh of 10,000 characters is 400; 200 is accepted', async () => {
      expectValidationFailed(await postInstrument(instrumentBody({ nameZh: '谱'.repeat(10_000) })), 'nameZh');
      expectValidationFailed(await postInstrument(instrumentBody({ nameZh: '谱'.repeat(201) })), 'nameZh');
      const exact = await postInstrument(instrumentBody({ nameZh: '谱'.repeat(200) }));
      expect(exact.status).toBe(201);
      expect(exact.body.nameZh).toHaveLength(200);
    });

    it('huge strings in other fields are 400 naming them', async () => {
      const response = await postInstrument(instrumentBody({ specs: 'x'.repeat(5_001), address: 'y'.repeat(301), subjectAreas: ['z'.repeat(51)] }));
      expectValidationFailed(response, 'specs', 'address', 'subjectAreas');
      expectValidationFailed(
        await testApp.http.post('/auth/register', { email: 'long@bad-input.example', password: 'a-long-password', displayName: '名'.repeat(101), role: 'researcher', institutionId: institution.id }),
        'displayName',
      );
    });

    it('too many array items are 400', async () => {
      const fees = Array.from({ length: 11 }, () => ({ unit: 'hour', internalRateFen: 1, externalRateFen: 2 }));
      expectValidationFailed(await postInstrument(instrumentBody({ fees })), 'fees');
    });

    it('a body over the size limit (~300 KB) is 413 PAYLOAD_TOO_LARGE in the error shape', async () => {
      const before = await instrumentCount();
      const rawBody = JSON.stringify(instrumentBody({ specs: 'x'.repeat(300 * 1024) }));
      expect(rawBody.length).toBeGreaterThan(testApp.config.HTTP_BODY_LIMIT_BYTES);
      expectErrorShape(await postRaw('/instruments', rawBody), 413, 'PAYLOAD_TOO_LARGE');
      expectErrorShape(await testApp.http.request('POST', '/auth/login', undefined, { rawBody }), 413, 'PAYLOAD_TOO_LARGE');
      expect(await instrumentCount()).toBe(before);
    });
  });

  describe('malformed requests', () => {
    it.each(['{"nameZh":', '{nameZh: "x"}', "{'a': 1}", '{"a":1}}', 'undefined'])('invalid JSON %p is 400 MALFORMED_JSON', async (rawBody) => {
      expectErrorShape(await postRaw('/instruments', rawBody), 400, 'MALFORMED_JSON');
    });

    it('invalid JSON on a public route is 400 MALFORMED_JSON too', async () => {
      expectErrorShape(await testApp.http.request('POST', '/auth/login', undefined, { rawBody: '{"email":' }), 400, 'MALFORMED_JSON');
    });

    it('an empty body declared as JSON is 400 MALFORMED_JSON', async () => {
      expectErrorShape(await postRaw('/instruments', ''), 400, 'MALFORMED_JSON');
    });

    it.each([
      ['null', 'null'],
      ['an array', '[]'],
      ['a string', '"nameZh"'],
      ['a number', '42'],
    ])('a JSON body that is %s is 400 in the error shape, never 500', async (_what, rawBody) => {
      const response = await postRaw('/instruments', rawBody);
      expectErrorShape(response, 400);
      expect(['MALFORMED_JSON', 'VALIDATION_FAILED']).toContain(response.body.code);
    });

    it('a text/plain body is 415 UNSUPPORTED_MEDIA_TYPE: only JSON is accepted', async () => {
      const before = await instrumentCount();
      const response = await postRaw('/instruments', JSON.stringify(instrumentBody()), { 'content-type': 'text/plain' });
      expectErrorShape(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(await instrumentCount()).toBe(before);
    });

    it('an unsupported content type is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const response = await postRaw('/instruments', '<instrument/>', { 'content-type': 'application/xml' });
      expectErrorShape(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it.each(['not-a-uuid', '123', `${randomUUID()}x`, 'ffffffff-ffff-ffff-ffff-fffffffffffffffff'])('a malformed UUID in the path (%s) is 400', async (id) => {
      expectValidationFailed(await testApp.http.get(`/instruments/${id}`), 'id');
      expectValidationFailed(await testApp.http.get(`/institutions/${id}`), 'id');
    });

    it('unknown routes are 404 ROUTE_NOT_FOUND', async () => {
      expectErrorShape(await testApp.http.get('/no-such-route'), 404, 'ROUTE_NOT_FOUND');
      expectErrorShape(await testApp.http.get('/instruments/search/advanced'), 404, 'ROUTE_NOT_FOUND');
      expectErrorShape(await testApp.http.post('/auth/logout', {}), 404, 'ROUTE_NOT_FOUND');
    });

    it('an unsupported method on a known path answers 404 or 405 in the error shape', async () => {
      const response = await testApp.http.delete(`/instruments/${randomUUID()}`, { token: manager.token });
      expect([404, 405]).toContain(response.status);
      expectErrorShape(response, response.status);
    });
  });

  describe('query parameters of GET /instruments', () => {
    it.each([
      ['page', 'page=abc'],
      ['page', 'page=0'],
      ['page', 'page=1.5'],
      ['page', 'page=-1'],
      ['pageSize', 'pageSize=1000'],
      ['pageSize', 'pageSize=0'],
      ['category', 'category=12'],
      ['category', 'category=abcdef'],
      ['region', 'region=3301'],
      ['serviceMode', 'serviceMode=remote'],
      ['sharingMode', 'sharingMode=everyone'],
      ['sort', 'sort=random'],
      ['institutionId', 'institutionId=42'],
      ['minPriceFen', 'minPriceFen=cheap'],
      ['maxPriceFen', 'maxPriceFen=-1'],
      ['minValueFen', 'minValueFen=1.5'],
      ['maxValueFen', 'maxValueFen=1e30'],
    ])('%s in %s is 400 naming it', async (field, query) => {
      expectValidationFailed(await testApp.http.get(`/instruments?${query}`), field);
    });

    it('several bad parameters are all named', async () => {
      const response = await testApp.http.get('/instruments?page=abc&pageSize=1000&category=12');
      expect(new Set(expectValidationFailed(response, 'page', 'pageSize', 'category'))).toEqual(new Set(['page', 'pageSize', 'category']));
    });

    it('an unknown query parameter is 400 naming it', async () => {
      expectValidationFailed(await testApp.http.get('/instruments?color=red'), 'color');
    });

    it('a repeated parameter is 400 naming it, never 500', async () => {
      const response = await testApp.http.get('/instruments?page=1&page=2');
      expectErrorShape(response, 400, 'VALIDATION_FAILED');
      expect(problemFields(response)).toContain('page');
    });

    it('the same parameters, valid, answer 200', async () => {
      const response = await testApp.http.get('/instruments?page=2&pageSize=100&category=010000&region=330100&sort=price_asc&minPriceFen=0');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ page: 2, pageSize: 100, items: [] });
    });
  });
});

describe('requests that are not valid HTTP (e2e)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule);
  });
  afterAll(() => testApp?.close());

  it('answers raw non-ASCII bytes in the URL with 400 MALFORMED_REQUEST in the error shape', async () => {
    const { port } = new URL(testApp.baseUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(Buffer.concat([Buffer.from('GET /instruments?q='), Buffer.from('质谱', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString('utf8')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw.startsWith('HTTP/1.1 400')).toBe(true);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({ statusCode: 400, code: 'MALFORMED_REQUEST', message: expect.any(String) });
  });
});
