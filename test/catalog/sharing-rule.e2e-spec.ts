import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CatalogFixtures, TestAccount, TestApp, TestInstitution, instrumentBody, startTestApp } from '@app/testing';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';
import { expectErrorShape, expectValidationFailed } from './error-shape';

/** 500,000 yuan, the default threshold of the national rule. */
const THRESHOLD_FEN = 50_000_000;

describe('the sharing rule (e2e)', () => {
  let testApp: TestApp;
  let fixtures: CatalogFixtures;
  let university: TestInstitution;
  let manager: TestAccount;
  let researcher: TestAccount;
  let provinceStaff: TestAccount;
  let hangzhouStaff: TestAccount;
  let ningboStaff: TestAccount;
  let admin: TestAccount;

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule);
    fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http);
    university = await fixtures.institution({ nameZh: '共享规则测试大学', regionCode: '330106' });
    [manager, researcher, provinceStaff, hangzhouStaff, ningboStaff, admin] = await Promise.all([
      fixtures.account('lab_manager', { institutionId: university.id }),
      fixtures.account('researcher', { institutionId: university.id }),
      fixtures.account('department_staff', { regionCode: '330000' }),
      fixtures.account('department_staff', { regionCode: '330100' }),
      fixtures.account('department_staff', { regionCode: '330200' }),
      fixtures.account('admin'),
    ]);
  });
  afterAll(() => testApp?.close());

  /** A publicly funded instrument worth exactly the threshold: it must be shared externally. */
  function mustShareBody(overrides: Record<string, unknown> = {}) {
    return instrumentBody({ fundingSource: 'central_government', originalValueFen: THRESHOLD_FEN, regionCode: '330106', ...overrides });
  }

  async function create(body: Record<string, unknown>) {
    const response = await testApp.http.post('/instruments', body, { token: manager.token });
    expect({ status: response.status, body: response.status === 201 ? undefined : response.body }).toEqual({ status: 201, body: undefined });
    return response.body;
  }

  async function read(id: string, token = manager.token) {
    const response = await testApp.http.get(`/instruments/${id}`, { token });
    expect(response.status).toBe(200);
    return response.body;
  }

  async function exemptions(token: string, status = 'pending') {
    const response = await testApp.http.get(`/sharing/exemptions?status=${status}&pageSize=200`, { token });
    expect(response.status).toBe(200);
    return response.body as { items: any[]; total: number };
  }

  async function nonCompliant(token: string, query = '') {
    const response = await testApp.http.get(`/sharing/non-compliant?${/pageSize=/.test(query) ? '' : 'pageSize=200'}${query}`, { token });
    expect(response.status).toBe(200);
    return response.body as { items: any[]; total: number; totalOriginalValueFen: number };
  }

  async function instrumentCount(): Promise<number> {
    const [{ n }] = await testApp.app.get(DataSource).query(`SELECT count(*)::int AS n FROM instrument WHERE institution_id = $1`, [university.id]);
    return n;
  }

  describe('a restriction without a reason', () => {
    it.each(['internal_only', 'not_shared'])('creating a must-share instrument %s without sharingExemptionReason is 400 and creates nothing', async (sharingMode) => {
      const before = await instrumentCount();
      const response = await testApp.http.post('/instruments', mustShareBody({ sharingMode }), { token: manager.token });
      expect(expectValidationFailed(response, 'sharingExemptionReason')).toEqual(['sharingExemptionReason']);
      expect(await instrumentCount()).toBe(before);
    });

    it('patching a must-share instrument to internal_only without a reason is 400 and changes nothing', async () => {
      const instrument = await create(mustShareBody({ originalValueFen: 120_000_000 }));
      const response = await testApp.http.patch(`/instruments/${instrument.id}`, { sharingMode: 'internal_only', nameZh: '顺带改名' }, { token: manager.token });
      expectValidationFailed(response, 'sharingExemptionReason');
      const after = await read(instrument.id);
      expect(after).toMatchObject({ sharingMode: 'external', nameZh: instrument.nameZh, version: instrument.version });
      expect(after.sharingCompliance.exemption).toBeNull();
    });

    it('local government money counts as public funding too', async () => {
      const response = await testApp.http.post('/instruments', mustShareBody({ fundingSource: 'local_government', sharingMode: 'not_shared' }), {
        token: manager.token,
      });
      expectValidationFailed(response, 'sharingExemptionReason');
    });
  });

  describe('no exemption needed below the threshold or with own funds', () => {
    it('one fen below the threshold, internal_only applies at once', async () => {
      const instrument = await create(mustShareBody({ originalValueFen: THRESHOLD_FEN - 1, sharingMode: 'internal_only' }));
      expect(instrument.sharingMode).toBe('internal_only');
      expect(instrument.sharingCompliance).toEqual({ mustShareExternally: false, compliant: true, exemption: null });
      expect((await exemptions(admin.token)).items.map((item) => item.instrumentId)).not.toContain(instrument.id);
    });

    it('own funds above the threshold: not_shared applies at once', async () => {
      const instrument = await create(mustShareBody({ fundingSource: 'own_funds', originalValueFen: 900_000_000, sharingMode: 'not_shared' }));
      expect(instrument.sharingMode).toBe('not_shared');
      expect(instrument.sharingCompliance).toEqual({ mustShareExternally: false, compliant: true, exemption: null });
    });

    it('patching a below-threshold instrument to not_shared applies at once', async () => {
      const instrument = await create(mustShareBody({ originalValueFen: 4_000_000 }));
      const response = await testApp.http.patch(`/instruments/${instrument.id}`, { sharingMode: 'not_shared' }, { token: manager.token });
      expect(response.status).toBe(200);
      expect(response.body.sharingMode).toBe('not_shared');
      expect(response.body.sharingCompliance.exemption).toBeNull();
    });
  });

  describe('a restriction with a reason, approved', () => {
    let instrument: any;
    let exemptionId: string;

    beforeAll(async () => {
      instrument = await create(
        mustShareBody({ nameZh: '申请校内共享的透射电镜', sharingMode: 'internal_only', sharingExemptionReason: '涉密科研任务占用，暂不对外开放' }),
      );
      exemptionId = instrument.sharingCompliance.exemption?.id;
    });

    it('is created 201 but stays external, with a pending exemption the owner sees', async () => {
      expect(instrument.sharingMode).toBe('external');
      expect(instrument.sharingCompliance).toMatchObject({
        mustShareExternally: true,
        compliant: true,
        exemption: { requestedMode: 'internal_only', status: 'pending', reason: '涉密科研任务占用，暂不对外开放', decidedAt: null, decisionNote: null },
      });
      expect(exemptionId).toEqual(expect.any(String));
    });

    it('the public still sees it, as external, without the exemption', async () => {
      const anonymous = await testApp.http.get(`/instruments/${instrument.id}`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.body.sharingMode).toBe('external');
      expect(anonymous.body.sharingCompliance.exemption).toBeNull();
      expect((await read(instrument.id, researcher.token)).sharingCompliance.exemption).toBeNull();
    });

    it('staff of its province and city list it; staff of another city do not', async () => {
      for (const staff of [provinceStaff, hangzhouStaff]) {
        const page = await exemptions(staff.token);
        const item = page.items.find((candidate) => candidate.id === exemptionId);
        expect(item).toMatchObject({
          instrumentId: instrument.id,
          instrumentNameZh: '申请校内共享的透射电镜',
          institutionId: university.id,
          institutionNameZh: '共享规则测试大学',
          regionCode: '330106',
          originalValueFen: THRESHOLD_FEN,
          currentMode: 'external',
          requestedMode: 'internal_only',
          status: 'pending',
        });
      }
      expect((await exemptions(ningboStaff.token)).items.map((item) => item.id)).not.toContain(exemptionId);
    });

    it('staff of another city cannot approve it: 403 OUT_OF_REGION, and it stays pending', async () => {
      const response = await testApp.http.post(`/sharing/exemptions/${exemptionId}/approve`, {}, { token: ningboStaff.token });
      expectErrorShape(response, 403, 'OUT_OF_REGION');
      expect((await read(instrument.id)).sharingCompliance.exemption.status).toBe('pending');
      expectErrorShape(await testApp.http.post(`/sharing/exemptions/${exemptionId}/approve`, {}, { token: researcher.token }), 403, 'ROLE_NOT_ALLOWED');
      expectErrorShape(await testApp.http.post(`/sharing/exemptions/${exemptionId}/approve`, {}, { token: manager.token }), 403, 'ROLE_NOT_ALLOWED');
    });

    it('staff of its city approve it: the instrument becomes internal_only and compliant', async () => {
      const response = await testApp.http.post(`/sharing/exemptions/${exemptionId}/approve`, { note: '同意，一年后复核' }, { token: hangzhouStaff.token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: exemptionId, status: 'approved', currentMode: 'internal_only', decisionNote: '同意，一年后复核' });
      expect(response.body.decidedAt).toEqual(expect.any(String));

      const after = await read(instrument.id);
      expect(after.sharingMode).toBe('internal_only');
      expect(after.version).toBe(instrument.version + 1);
      expect(after.sharingCompliance).toMatchObject({ mustShareExternally: true, compliant: true, exemption: { id: exemptionId, status: 'approved' } });
      // Now internal only: gone for the public, still there for its own researchers.
      expectErrorShape(await testApp.http.get(`/instruments/${instrument.id}`), 404, 'INSTRUMENT_NOT_FOUND');
      expect((await read(instrument.id, researcher.token)).sharingMode).toBe('internal_only');
      expect((await exemptions(hangzhouStaff.token)).items.map((item) => item.id)).not.toContain(exemptionId);
      expect((await nonCompliant(provinceStaff.token)).items.map((item) => item.id)).not.toContain(instrument.id);
    });

    it('deciding it a second time is 409 SHARING_EXEMPTION_ALREADY_DECIDED', async () => {
      const again = expectErrorShape(
        await testApp.http.post(`/sharing/exemptions/${exemptionId}/approve`, {}, { token: provinceStaff.token }),
        409,
        'SHARING_EXEMPTION_ALREADY_DECIDED',
      );
      expect(again.details).toEqual({ status: 'approved' });
      expectErrorShape(
        await testApp.http.post(`/sharing/exemptions/${exemptionId}/reject`, { note: '改判' }, { token: provinceStaff.token }),
        409,
        'SHARING_EXEMPTION_ALREADY_DECIDED',
      );
      expect((await read(instrument.id)).sharingMode).toBe('internal_only');
    });

    it('setting it back to external closes its exemption', async () => {
      const response = await testApp.http.patch(`/instruments/${instrument.id}`, { sharingMode: 'external' }, { token: manager.token });
      expect(response.status).toBe(200);
      expect(response.body.sharingMode).toBe('external');
      expect(response.body.sharingCompliance).toEqual({ mustShareExternally: true, compliant: true, exemption: null });
      expect((await exemptions(hangzhouStaff.token, 'approved')).items.map((item) => item.id)).not.toContain(exemptionId);
      const superseded = (await exemptions(hangzhouStaff.token, 'superseded')).items.find((item) => item.id === exemptionId);
      // The approver's note stays on record.
      expect(superseded).toMatchObject({ status: 'superseded', currentMode: 'external', decisionNote: '同意，一年后复核' });
      // Restricting again needs a new reason and a new decision.
      expectValidationFailed(
        await testApp.http.patch(`/instruments/${instrument.id}`, { sharingMode: 'internal_only' }, { token: manager.token }),
        'sharingExemptionReason',
      );
    });
  });

  describe('a restriction with a reason, rejected', () => {
    let instrument: any;
    let exemptionId: string;

    beforeAll(async () => {
      instrument = await create(mustShareBody({ nameZh: '申请不共享的核磁', categoryCode: '010601', originalValueFen: 800_000_000 }));
      const patched = await testApp.http.patch(
        `/instruments/${instrument.id}`,
        { sharingMode: 'not_shared', sharingExemptionReason: '设备老化，仅供本课题组使用' },
        { token: manager.token },
      );
      expect(patched.status).toBe(200);
      expect(patched.body.sharingMode).toBe('external');
      expect(patched.body.sharingCompliance.exemption).toMatchObject({ status: 'pending', requestedMode: 'not_shared' });
      exemptionId = patched.body.sharingCompliance.exemption.id;
    });

    it('rejecting needs a note: 400 without one, or with an empty one', async () => {
      expectValidationFailed(await testApp.http.post(`/sharing/exemptions/${exemptionId}/reject`, {}, { token: hangzhouStaff.token }), 'note');
      expectValidationFailed(await testApp.http.post(`/sharing/exemptions/${exemptionId}/reject`, { note: '' }, { token: hangzhouStaff.token }), 'note');
      expect((await read(instrument.id)).sharingCompliance.exemption).toMatchObject({ id: exemptionId, status: 'pending' });
    });

    it('staff of another city cannot reject it: 403 OUT_OF_REGION', async () => {
      expectErrorShape(
        await testApp.http.post(`/sharing/exemptions/${exemptionId}/reject`, { note: '不同意' }, { token: ningboStaff.token }),
        403,
        'OUT_OF_REGION',
      );
    });

    it('rejected with a note, the instrument stays external and compliant', async () => {
      const response = await testApp.http.post(
        `/sharing/exemptions/${exemptionId}/reject`,
        { note: '大型仪器须对外开放，请完善预约制度' },
        { token: provinceStaff.token },
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: exemptionId, status: 'rejected', currentMode: 'external', decisionNote: '大型仪器须对外开放，请完善预约制度' });
      const after = await read(instrument.id);
      expect(after.sharingMode).toBe('external');
      expect(after.sharingCompliance).toEqual({ mustShareExternally: true, compliant: true, exemption: null });
      expect((await exemptions(provinceStaff.token, 'rejected')).items.map((item) => item.id)).toContain(exemptionId);
      expectErrorShape(
        await testApp.http.post(`/sharing/exemptions/${exemptionId}/approve`, {}, { token: provinceStaff.token }),
        409,
        'SHARING_EXEMPTION_ALREADY_DECIDED',
      );
    });

    it('the owner may ask again; a newer request replaces an open one', async () => {
      const first = await testApp.http.patch(
        `/instruments/${instrument.id}`,
        { sharingMode: 'internal_only', sharingExemptionReason: '第二次申请' },
        { token: manager.token },
      );
      expect(first.status).toBe(200);
      const firstId = first.body.sharingCompliance.exemption.id;
      expect(firstId).not.toBe(exemptionId);
      const second = await testApp.http.patch(
        `/instruments/${instrument.id}`,
        { sharingMode: 'not_shared', sharingExemptionReason: '第三次申请' },
        { token: manager.token },
      );
      expect(second.status).toBe(200);
      expect(second.body.sharingCompliance.exemption).toMatchObject({ status: 'pending', requestedMode: 'not_shared', reason: '第三次申请' });
      const pending = (await exemptions(provinceStaff.token)).items.filter((item) => item.instrumentId === instrument.id);
      expect(pending.map((item) => item.reason)).toEqual(['第三次申请']);
      expect((await exemptions(provinceStaff.token, 'superseded')).items.map((item) => item.id)).toContain(firstId);
    });

    it('setting it back to external closes the open request', async () => {
      const response = await testApp.http.patch(`/instruments/${instrument.id}`, { sharingMode: 'external' }, { token: manager.token });
      expect(response.status).toBe(200);
      expect(response.body.sharingCompliance.exemption).toBeNull();
      expect((await exemptions(provinceStaff.token)).items.filter((item) => item.instrumentId === instrument.id)).toEqual([]);
    });
  });

  describe('deciding unknown or malformed exemptions', () => {
    it('an unknown exemption id is 404 SHARING_EXEMPTION_NOT_FOUND', async () => {
      expectErrorShape(await testApp.http.post(`/sharing/exemptions/${randomUUID()}/approve`, {}, { token: admin.token }), 404, 'SHARING_EXEMPTION_NOT_FOUND');
    });

    it('a malformed exemption id is 400', async () => {
      expectValidationFailed(await testApp.http.post('/sharing/exemptions/nope/approve', {}, { token: admin.token }), 'id');
    });

    it('two concurrent decisions on one request: exactly one is applied, the other is 409', async () => {
      const instrument = await create(mustShareBody({ sharingMode: 'not_shared', sharingExemptionReason: '并发审批' }));
      const id = instrument.sharingCompliance.exemption.id;
      const [approve, reject] = await Promise.all([
        testApp.http.post(`/sharing/exemptions/${id}/approve`, {}, { token: provinceStaff.token }),
        testApp.http.post(`/sharing/exemptions/${id}/reject`, { note: '不同意' }, { token: hangzhouStaff.token }),
      ]);
      expect([approve.status, reject.status].sort()).toEqual([200, 409]);
      const loser = approve.status === 409 ? approve : reject;
      expectErrorShape(loser, 409, 'SHARING_EXEMPTION_ALREADY_DECIDED');
      const after = await read(instrument.id);
      expect(after.sharingMode).toBe(approve.status === 200 ? 'not_shared' : 'external');
    });

    it('an admin decides in any region', async () => {
      const instrument = await create(mustShareBody({ regionCode: '330203', sharingMode: 'internal_only', sharingExemptionReason: '宁波校区' }));
      const response = await testApp.http.post(`/sharing/exemptions/${instrument.sharingCompliance.exemption.id}/approve`, {}, { token: admin.token });
      expect(response.status).toBe(200);
      expect(response.body.currentMode).toBe('internal_only');
    });
  });

  describe('GET /sharing/non-compliant', () => {
    let legacy: any;
    let legacyNingbo: any;

    beforeAll(async () => {
      // Legacy records: restricted in the database, with no exemption at all.
      legacy = await create(mustShareBody({ nameZh: '历史遗留不共享质谱', originalValueFen: 600_000_000 }));
      legacyNingbo = await create(mustShareBody({ nameZh: '宁波历史遗留电镜', originalValueFen: 70_000_000, regionCode: '330203' }));
      const dataSource = testApp.app.get(DataSource);
      await dataSource.query(`UPDATE instrument SET sharing_mode = 'not_shared' WHERE id = $1`, [legacy.id]);
      await dataSource.query(`UPDATE instrument SET sharing_mode = 'internal_only' WHERE id = $1`, [legacyNingbo.id]);
      // Restricted but exempt from the rule: never listed.
      await create(mustShareBody({ fundingSource: 'own_funds', sharingMode: 'not_shared' }));
      await create(mustShareBody({ originalValueFen: THRESHOLD_FEN - 1, sharingMode: 'not_shared' }));
    });

    it('the detail view marks a legacy restricted instrument non-compliant', async () => {
      const detail = await read(legacy.id);
      expect(detail.sharingMode).toBe('not_shared');
      expect(detail.sharingCompliance).toEqual({ mustShareExternally: true, compliant: false, exemption: null });
    });

    it('lists must-share instruments restricted without approval, with total and total original value', async () => {
      const page = await nonCompliant(provinceStaff.token);
      const ids = page.items.map((item) => item.id);
      expect(ids).toEqual(expect.arrayContaining([legacy.id, legacyNingbo.id]));
      expect(page.items.find((item) => item.id === legacy.id)).toEqual({
        id: legacy.id,
        nameZh: '历史遗留不共享质谱',
        institutionId: university.id,
        institutionNameZh: '共享规则测试大学',
        regionCode: '330106',
        cityCode: '330100',
        originalValueFen: 600_000_000,
        sharingMode: 'not_shared',
        hasPendingExemption: false,
      });
      expect(page.total).toBe(page.items.length);
      expect(page.totalOriginalValueFen).toBe(page.items.reduce((sum, item) => sum + item.originalValueFen, 0));
      for (const item of page.items) {
        expect(item.sharingMode).not.toBe('external');
        expect(item.originalValueFen).toBeGreaterThanOrEqual(THRESHOLD_FEN);
      }
      // Largest value first.
      const values = page.items.map((item) => item.originalValueFen);
      expect(values).toEqual([...values].sort((a, b) => b - a));
    });

    it('is limited to the caller region, and narrows by region inside it', async () => {
      const hangzhou = await nonCompliant(hangzhouStaff.token);
      expect(hangzhou.items.map((item) => item.id)).toContain(legacy.id);
      expect(hangzhou.items.map((item) => item.id)).not.toContain(legacyNingbo.id);
      const ningbo = await nonCompliant(ningboStaff.token);
      expect(ningbo.items.map((item) => item.id)).toEqual([legacyNingbo.id]);
      expect(ningbo).toMatchObject({ total: 1, totalOriginalValueFen: 70_000_000 });
      const narrowed = await nonCompliant(provinceStaff.token, '&region=330203');
      expect(narrowed.items.map((item) => item.id)).toEqual([legacyNingbo.id]);
      expectErrorShape(await testApp.http.get('/sharing/non-compliant?region=330100', { token: ningboStaff.token }), 403, 'OUT_OF_REGION');
    });

    it('pages keep the total', async () => {
      const all = await nonCompliant(provinceStaff.token);
      const first = await nonCompliant(provinceStaff.token, '&pageSize=1&page=1');
      expect(first.items).toHaveLength(1);
      expect(first.total).toBe(all.total);
      expect(first.totalOriginalValueFen).toBe(all.totalOriginalValueFen);
    });

    it('a restricted instrument whose value is raised over the threshold shows up as non-compliant', async () => {
      const instrument = await create(mustShareBody({ originalValueFen: 10_000_000, sharingMode: 'internal_only' }));
      expect(instrument.sharingMode).toBe('internal_only');
      expect((await nonCompliant(provinceStaff.token)).items.map((item) => item.id)).not.toContain(instrument.id);
      const raised = await testApp.http.patch(`/instruments/${instrument.id}`, { originalValueFen: 90_000_000 }, { token: manager.token });
      expect(raised.status).toBe(200);
      expect(raised.body.sharingCompliance).toMatchObject({ mustShareExternally: true, compliant: false });
      expect((await nonCompliant(provinceStaff.token)).items.map((item) => item.id)).toContain(instrument.id);
    });

    it('is 403 for researchers and lab managers', async () => {
      expectErrorShape(await testApp.http.get('/sharing/non-compliant', { token: researcher.token }), 403, 'ROLE_NOT_ALLOWED');
      expectErrorShape(await testApp.http.get('/sharing/non-compliant', { token: manager.token }), 403, 'ROLE_NOT_ALLOWED');
    });

    it('the owner regularizes a legacy restriction by asking for an exemption for its current mode', async () => {
      const response = await testApp.http.patch(
        `/instruments/${legacyNingbo.id}`,
        { sharingMode: 'internal_only', sharingExemptionReason: '补办：校内专用平台' },
        { token: manager.token },
      );
      expect(response.status).toBe(200);
      expect(response.body.sharingCompliance.exemption).toMatchObject({ status: 'pending', requestedMode: 'internal_only', reason: '补办：校内专用平台' });
      const listed = (await nonCompliant(ningboStaff.token)).items.find((item) => item.id === legacyNingbo.id);
      expect(listed).toMatchObject({ hasPendingExemption: true });
    });

    it('setting a legacy instrument back to external removes it from the list', async () => {
      const before = await nonCompliant(provinceStaff.token);
      const response = await testApp.http.patch(`/instruments/${legacy.id}`, { sharingMode: 'external' }, { token: manager.token });
      expect(response.status).toBe(200);
      expect(response.body.sharingCompliance).toEqual({ mustShareExternally: true, compliant: true, exemption: null });
      const after = await nonCompliant(provinceStaff.token);
      expect(after.items.map((item) => item.id)).not.toContain(legacy.id);
      expect(after.total).toBe(before.total - 1);
      expect(after.totalOriginalValueFen).toBe(before.totalOriginalValueFen - 600_000_000);
    });
  });
});

describe('the sharing threshold is a setting (e2e)', () => {
  let testApp: TestApp;
  let manager: TestAccount;

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule, { env: { SHARING_THRESHOLD_YUAN: '300000' } });
    const fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http);
    manager = await fixtures.account('lab_manager');
  });
  afterAll(() => testApp?.close());

  it('with SHARING_THRESHOLD_YUAN=300000, a 300,000 yuan public instrument must be shared', async () => {
    const body = instrumentBody({ fundingSource: 'central_government', originalValueFen: 30_000_000, sharingMode: 'internal_only' });
    expectValidationFailed(await testApp.http.post('/instruments', body, { token: manager.token }), 'sharingExemptionReason');
    const below = await testApp.http.post('/instruments', { ...body, originalValueFen: 29_999_999 }, { token: manager.token });
    expect(below.status).toBe(201);
    expect(below.body.sharingMode).toBe('internal_only');
  });
});
