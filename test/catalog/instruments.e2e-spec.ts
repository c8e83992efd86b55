import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CatalogFixtures, TestAccount, TestApp, TestInstitution, instrumentBody, startTestApp } from '@app/testing';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';
import { expectErrorShape, expectValidationFailed } from './error-shape';

describe('instruments (e2e)', () => {
  let testApp: TestApp;
  let fixtures: CatalogFixtures;
  let ownInstitution: TestInstitution;
  let otherInstitution: TestInstitution;
  let manager: TestAccount;
  let otherManager: TestAccount;
  let ownResearcher: TestAccount;
  let otherResearcher: TestAccount;
  let provinceStaff: TestAccount;
  let hangzhouStaff: TestAccount;
  let xihuStaff: TestAccount;
  let ningboStaff: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule);
    fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http);
    ownInstitution = await fixtures.institution({ nameZh: '浙江测试大学', regionCode: '330106' });
    otherInstitution = await fixtures.institution({ nameZh: '宁波测试研究院', kind: 'research_institute', regionCode: '330203' });
    [manager, otherManager, ownResearcher, otherResearcher, provinceStaff, hangzhouStaff, xihuStaff, ningboStaff, admin] = await Promise.all([
      fixtures.account('lab_manager', { institutionId: ownInstitution.id }),
      fixtures.account('lab_manager', { institutionId: otherInstitution.id }),
      fixtures.account('researcher', { institutionId: ownInstitution.id }),
      fixtures.account('researcher', { institutionId: otherInstitution.id }),
      fixtures.account('department_staff', { regionCode: '330000' }),
      fixtures.account('department_staff', { regionCode: '330100' }),
      fixtures.account('department_staff', { regionCode: '330106' }),
      fixtures.account('department_staff', { regionCode: '330200' }),
      fixtures.account('admin'),
    ]);
  });
  afterAll(() => testApp?.close());

  async function create(overrides: Record<string, unknown> = {}, token = manager.token) {
    const response = await testApp.http.post('/instruments', instrumentBody(overrides), { token });
    expect({ status: response.status, body: response.status === 201 ? undefined : response.body }).toEqual({ status: 201, body: undefined });
    return response.body;
  }

  describe('creating and reading', () => {
    let created: any;

    beforeAll(async () => {
      created = await create({
        assetNumber: '2018-000123',
        department: '分析测试中心',
        subjectAreas: ['材料科学', '化学'],
        fees: [
          { unit: 'hour', internalRateFen: 20_000, externalRateFen: 50_000, description: '含常规制样' },
          { unit: 'sample', internalRateFen: 8_000, externalRateFen: 15_050 },
        ],
        latitude: 30.2936,
        longitude: 120.0868,
        photoUrls: ['https://images.example.org/sem.jpg'],
        sharingRules: '校外用户需提前预约',
      });
    });

    it('a lab manager creates an instrument: 201 with every field echoed', () => {
      const body = instrumentBody();
      expect(created).toMatchObject({
        nameZh: body.nameZh,
        nameEn: body.nameEn,
        model: 'SU8010',
        manufacturer: 'Hitachi',
        countryOfOrigin: 'JP',
        assetNumber: '2018-000123',
        inServiceDate: '2018-09-01',
        source: 'purchased',
        fundingSource: 'central_government',
        isPubliclyFunded: true,
        department: '分析测试中心',
        purpose: 'general',
        subjectAreas: ['材料科学', '化学'],
        specs: '分辨率 1.0 nm @ 15 kV',
        functions: '材料表面形貌观察与能谱元素分析',
        serviceContent: '样品形貌表征',
        serviceModes: ['self_operated', 'sample_submission'],
        condition: 'normal',
        sharingMode: 'external',
        sharingRules: '校外用户需提前预约',
        timeZone: 'Asia/Shanghai',
        contact: { name: '王老师', phone: '0571-87950000', email: 'sem@lab.example' },
        photoUrls: ['https://images.example.org/sem.jpg'],
        version: 1,
      });
      expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);
      expect(new Date(created.updatedAt).toISOString()).toBe(created.updatedAt);
    });

    it('money is integer fen: value, fee lines and the primary price', () => {
      expect(created.originalValueFen).toBe(350_000_000);
      expect(Number.isInteger(created.originalValueFen)).toBe(true);
      expect(created.fees).toEqual([
        { unit: 'hour', internalRateFen: 20_000, externalRateFen: 50_000, description: '含常规制样' },
        { unit: 'sample', internalRateFen: 8_000, externalRateFen: 15_050, description: '' },
      ]);
      // The first fee line is the primary one, used for price search.
      expect(created.price).toEqual({ unit: 'hour', externalRateFen: 50_000, internalRateFen: 20_000 });
    });

    it('names of category, institution and location are filled in', () => {
      expect(created.category).toEqual({ code: '010102', nameZh: '扫描电镜', nameEn: 'Scanning electron microscopes' });
      expect(created.institution).toEqual({ id: ownInstitution.id, nameZh: '浙江测试大学', nameEn: null, kind: 'university' });
      expect(created.location).toEqual({
        regionCode: '330106',
        countyName: '西湖区',
        cityCode: '330100',
        cityName: '杭州市',
        address: '杭州市西湖区',
        latitude: 30.2936,
        longitude: 120.0868,
      });
    });

    it('a must-share instrument shared externally is compliant, with no exemption', () => {
      expect(created.sharingCompliance).toEqual({ mustShareExternally: true, compliant: true, exemption: null });
    });

    it('anyone reads an externally shared instrument, anonymous callers included', async () => {
      const anonymous = await testApp.http.get(`/instruments/${created.id}`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.body).toEqual(created);
      const researcher = await testApp.http.get(`/instruments/${created.id}`, { token: otherResearcher.token });
      expect(researcher.status).toBe(200);
      expect(researcher.body.id).toBe(created.id);
    });

    it('the instrument appears in search for anonymous callers', async () => {
      const search = await testApp.http.get(`/instruments?institutionId=${ownInstitution.id}`);
      expect(search.status).toBe(200);
      expect(search.body.items.map((item: { id: string }) => item.id)).toContain(created.id);
    });

    it('an uppercase id finds the same instrument', async () => {
      const response = await testApp.http.get(`/instruments/${created.id.toUpperCase()}`);
      expect(response.status).toBe(200);
      expect(response.body.id).toBe(created.id);
    });
  });

  describe('editing', () => {
    let instrument: any;

    beforeAll(async () => {
      instrument = await create({ nameZh: '待改名的电镜' });
    });

    it('PATCH changes the name and increments the version', async () => {
      const response = await testApp.http.patch(
        `/instruments/${instrument.id}`,
        { nameZh: '场发射扫描电子显微镜（升级版）', version: 1 },
        { token: manager.token },
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: instrument.id, nameZh: '场发射扫描电子显微镜（升级版）', version: 2 });
      // Fields not sent keep their values.
      expect(response.body).toMatchObject({ model: 'SU8010', originalValueFen: 350_000_000, fees: instrument.fees });
      expect(Date.parse(response.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(instrument.updatedAt));
      const reread = await testApp.http.get(`/instruments/${instrument.id}`);
      expect(reread.body).toMatchObject({ nameZh: '场发射扫描电子显微镜（升级版）', version: 2 });
    });

    it('PATCH with a stale version is 409 VERSION_CONFLICT and changes nothing', async () => {
      const response = await testApp.http.patch(`/instruments/${instrument.id}`, { nameZh: '过期的编辑', version: 1 }, { token: manager.token });
      const error = expectErrorShape(response, 409, 'VERSION_CONFLICT');
      expect(error.details).toEqual({ currentVersion: 2 });
      const reread = await testApp.http.get(`/instruments/${instrument.id}`);
      expect(reread.body).toMatchObject({ nameZh: '场发射扫描电子显微镜（升级版）', version: 2 });
    });

    it('two concurrent edits of the same version: exactly one wins, the other is 409 VERSION_CONFLICT', async () => {
      const fresh = await create({ nameZh: '并发编辑的电镜' });
      const [first, second] = await Promise.all([
        testApp.http.patch(`/instruments/${fresh.id}`, { nameZh: '甲的编辑', version: 1 }, { token: manager.token }),
        testApp.http.patch(`/instruments/${fresh.id}`, { nameZh: '乙的编辑', version: 1 }, { token: manager.token }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const loser = first.status === 409 ? first : second;
      const winner = first.status === 200 ? first : second;
      expectErrorShape(loser, 409, 'VERSION_CONFLICT');
      const reread = await testApp.http.get(`/instruments/${fresh.id}`);
      expect(reread.body).toMatchObject({ nameZh: winner.body.nameZh, version: 2 });
    });

    it('PATCH replaces the fees as a whole and moves the primary price', async () => {
      const response = await testApp.http.patch(
        `/instruments/${instrument.id}`,
        { fees: [{ unit: 'sample', internalRateFen: 12_300, externalRateFen: 45_600 }], version: 2 },
        { token: manager.token },
      );
      expect(response.status).toBe(200);
      expect(response.body.fees).toEqual([{ unit: 'sample', internalRateFen: 12_300, externalRateFen: 45_600, description: '' }]);
      expect(response.body.price).toEqual({ unit: 'sample', externalRateFen: 45_600, internalRateFen: 12_300 });
      expect(response.body.version).toBe(3);
      const byPrice = await testApp.http.get(`/instruments?institutionId=${ownInstitution.id}&minPriceFen=45600&maxPriceFen=45600`);
      expect(byPrice.body.items.map((item: { id: string }) => item.id)).toEqual([instrument.id]);
    });

    it('PATCH moving the instrument to another county updates its location names', async () => {
      const response = await testApp.http.patch(`/instruments/${instrument.id}`, { regionCode: '330102' }, { token: manager.token });
      expect(response.status).toBe(200);
      expect(response.body.location).toMatchObject({ regionCode: '330102', countyName: '上城区', cityCode: '330100', cityName: '杭州市' });
    });

    it('an admin edits any instrument', async () => {
      const response = await testApp.http.patch(`/instruments/${instrument.id}`, { condition: 'awaiting_repair' }, { token: admin.token });
      expect(response.status).toBe(200);
      expect(response.body.condition).toBe('awaiting_repair');
    });
  });

  describe('refused input', () => {
    it('an unknown category is 422 UNKNOWN_CATEGORY, on create and on edit', async () => {
      expectErrorShape(await testApp.http.post('/instruments', instrumentBody({ categoryCode: '010199' }), { token: manager.token }), 422, 'UNKNOWN_CATEGORY');
      const instrument = await create();
      expectErrorShape(
        await testApp.http.patch(`/instruments/${instrument.id}`, { categoryCode: '990199' }, { token: manager.token }),
        422,
        'UNKNOWN_CATEGORY',
      );
    });

    it.each([
      ['a city', '330100'],
      ['a province', '330000'],
      ['an unknown code', '339999'],
    ])('%s as location is 422 COUNTY_REQUIRED', async (_what, regionCode) => {
      expectErrorShape(await testApp.http.post('/instruments', instrumentBody({ regionCode }), { token: manager.token }), 422, 'COUNTY_REQUIRED');
    });

    it('a city as new location on edit is 422 COUNTY_REQUIRED and changes nothing', async () => {
      const instrument = await create();
      expectErrorShape(
        await testApp.http.patch(`/instruments/${instrument.id}`, { regionCode: '330100' }, { token: manager.token }),
        422,
        'COUNTY_REQUIRED',
      );
      expect((await testApp.http.get(`/instruments/${instrument.id}`)).body.location.regionCode).toBe('330106');
    });

    it('an unknown id is 404 INSTRUMENT_NOT_FOUND on read and on edit', async () => {
      const id = randomUUID();
      const read = expectErrorShape(await testApp.http.get(`/instruments/${id}`), 404, 'INSTRUMENT_NOT_FOUND');
      expect(read.details).toEqual({ id });
      expectErrorShape(await testApp.http.patch(`/instruments/${id}`, { nameZh: 'x' }, { token: manager.token }), 404, 'INSTRUMENT_NOT_FOUND');
      expectErrorShape(await testApp.http.get(`/instruments/${id}`, { token: admin.token }), 404, 'INSTRUMENT_NOT_FOUND');
    });

    it.each(['not-a-uuid', '12345', '0f8fad5b-d9cb-469f-a165-70867728950', "1' OR '1'='1"])('a malformed id (%s) is 400', async (id) => {
      expectValidationFailed(await testApp.http.get(`/instruments/${encodeURIComponent(id)}`), 'id');
      expectValidationFailed(await testApp.http.patch(`/instruments/${encodeURIComponent(id)}`, { nameZh: 'x' }, { token: manager.token }), 'id');
    });
  });

  describe('visibility of an instrument that is not shared', () => {
    let hidden: any;
    let internal: any;

    beforeAll(async () => {
      // Own funds: the sharing rule does not apply, so the restriction takes effect at once.
      hidden = await create({ nameZh: '自筹经费不共享质谱', fundingSource: 'own_funds', sharingMode: 'not_shared', regionCode: '330106' });
      internal = await create({ nameZh: '自筹经费校内共享电镜', fundingSource: 'own_funds', sharingMode: 'internal_only', regionCode: '330106' });
    });

    it('is created not_shared at once, with no exemption', () => {
      expect(hidden.sharingMode).toBe('not_shared');
      expect(hidden.sharingCompliance).toEqual({ mustShareExternally: false, compliant: true, exemption: null });
      expect(internal.sharingMode).toBe('internal_only');
    });

    it('is 404 to anonymous callers, like an unknown instrument', async () => {
      const response = expectErrorShape(await testApp.http.get(`/instruments/${hidden.id}`), 404, 'INSTRUMENT_NOT_FOUND');
      const unknown = expectErrorShape(await testApp.http.get(`/instruments/${randomUUID()}`), 404, 'INSTRUMENT_NOT_FOUND');
      expect(response.message.replace(hidden.id, '<id>')).toBe(unknown.message.replace(/[0-9a-f-]{36}/, '<id>'));
    });

    it('is 404 to researchers of another institution and to other lab managers', async () => {
      expectErrorShape(await testApp.http.get(`/instruments/${hidden.id}`, { token: otherResearcher.token }), 404, 'INSTRUMENT_NOT_FOUND');
      expectErrorShape(await testApp.http.get(`/instruments/${hidden.id}`, { token: otherManager.token }), 404, 'INSTRUMENT_NOT_FOUND');
    });

    it('editing it from another institution answers like an unknown instrument, so its existence does not leak', async () => {
      const unknown = await testApp.http.patch(`/instruments/${randomUUID()}`, { nameZh: '探测' }, { token: otherManager.token });
      expectErrorShape(unknown, 404, 'INSTRUMENT_NOT_FOUND');
      const hiddenOne = await testApp.http.patch(`/instruments/${hidden.id}`, { nameZh: '探测' }, { token: otherManager.token });
      expectErrorShape(hiddenOne, 404, 'INSTRUMENT_NOT_FOUND');
    });

    it('is 404 even to researchers of its own institution (not shared at all)', async () => {
      expectErrorShape(await testApp.http.get(`/instruments/${hidden.id}`, { token: ownResearcher.token }), 404, 'INSTRUMENT_NOT_FOUND');
    });

    it('is visible to its own lab manager and to admins', async () => {
      const own = await testApp.http.get(`/instruments/${hidden.id}`, { token: manager.token });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id: hidden.id, sharingMode: 'not_shared' });
      expect((await testApp.http.get(`/instruments/${hidden.id}`, { token: admin.token })).status).toBe(200);
    });

    it('is visible to department staff of its province, city and county', async () => {
      for (const staff of [provinceStaff, hangzhouStaff, xihuStaff]) {
        const response = await testApp.http.get(`/instruments/${hidden.id}`, { token: staff.token });
        expect({ region: staff.regionCode, status: response.status }).toEqual({ region: staff.regionCode, status: 200 });
      }
    });

    it('is 404 to department staff of another city (330200 for an instrument in 330106)', async () => {
      expectErrorShape(await testApp.http.get(`/instruments/${hidden.id}`, { token: ningboStaff.token }), 404, 'INSTRUMENT_NOT_FOUND');
    });

    it('search agrees with the detail view on who sees it', async () => {
      const idsFor = async (token?: string) => {
        const response = await testApp.http.get(`/instruments?institutionId=${ownInstitution.id}&pageSize=100`, token ? { token } : {});
        expect(response.status).toBe(200);
        return response.body.items.map((item: { id: string }) => item.id) as string[];
      };
      expect(await idsFor()).not.toContain(hidden.id);
      expect(await idsFor(otherResearcher.token)).not.toContain(hidden.id);
      expect(await idsFor(ownResearcher.token)).not.toContain(hidden.id);
      expect(await idsFor(ningboStaff.token)).not.toContain(hidden.id);
      expect(await idsFor(manager.token)).toContain(hidden.id);
      expect(await idsFor(provinceStaff.token)).toContain(hidden.id);
      expect(await idsFor(hangzhouStaff.token)).toContain(hidden.id);
      expect(await idsFor(admin.token)).toContain(hidden.id);
    });

    it('an internal_only instrument is visible to members of its institution only', async () => {
      expect((await testApp.http.get(`/instruments/${internal.id}`, { token: ownResearcher.token })).status).toBe(200);
      expectErrorShape(await testApp.http.get(`/instruments/${internal.id}`, { token: otherResearcher.token }), 404, 'INSTRUMENT_NOT_FOUND');
      expectErrorShape(await testApp.http.get(`/instruments/${internal.id}`), 404, 'INSTRUMENT_NOT_FOUND');
      expectErrorShape(await testApp.http.get(`/instruments/${internal.id}`, { token: ningboStaff.token }), 404, 'INSTRUMENT_NOT_FOUND');
    });

    it('shared externally again, it becomes visible to everyone', async () => {
      const instrument = await create({ fundingSource: 'own_funds', sharingMode: 'not_shared' });
      expectErrorShape(await testApp.http.get(`/instruments/${instrument.id}`), 404, 'INSTRUMENT_NOT_FOUND');
      const patched = await testApp.http.patch(`/instruments/${instrument.id}`, { sharingMode: 'external' }, { token: manager.token });
      expect(patched.status).toBe(200);
      expect(patched.body.sharingMode).toBe('external');
      expect((await testApp.http.get(`/instruments/${instrument.id}`)).status).toBe(200);
    });
  });
});
