import { DataSource } from 'typeorm';
import { CatalogFixtures, TestAccount, TestApp, TestInstitution, instrumentBody, startTestApp } from '@app/testing';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';
import { expectErrorShape, expectValidationFailed } from './error-shape';

type Owner = 'A' | 'B' | 'C' | 'D';
type ServiceMode = 'self_operated' | 'sample_submission';

interface Spec {
  key: string;
  nameZh: string;
  nameEn: string;
  categoryCode: string;
  regionCode: string;
  owner: Owner;
  valueFen: number;
  priceFen: number;
  serviceModes: ServiceMode[];
  sharingMode?: 'external' | 'internal_only';
}

const SELF: ServiceMode[] = ['self_operated'];
const SAMPLES: ServiceMode[] = ['sample_submission'];
const BOTH: ServiceMode[] = ['self_operated', 'sample_submission'];

/** Twelve externally shared instruments over four counties of three cities, plus one internal-only one. */
const SPECS: Spec[] = [
  { key: 'lcms', nameZh: '液相色谱-质谱联用仪', nameEn: 'Liquid chromatograph-mass spectrometer', categoryCode: '010200', regionCode: '330106', owner: 'A', valueFen: 300_000_000, priceFen: 60_000, serviceModes: SAMPLES },
  { key: 'gcms', nameZh: '气相色谱-质谱联用仪', nameEn: 'Gas chromatograph-mass spectrometer', categoryCode: '010200', regionCode: '330203', owner: 'C', valueFen: 150_000_000, priceFen: 40_000, serviceModes: SAMPLES },
  { key: 'tem', nameZh: '透射电子显微镜', nameEn: 'Transmission electron microscope', categoryCode: '010101', regionCode: '330106', owner: 'A', valueFen: 1_200_000_000, priceFen: 150_000, serviceModes: BOTH },
  { key: 'sem', nameZh: '扫描电子显微镜', nameEn: 'Scanning electron microscope', categoryCode: '010102', regionCode: '330102', owner: 'B', valueFen: 350_000_000, priceFen: 50_000, serviceModes: SELF },
  { key: 'nmr', nameZh: '核磁共振波谱仪', nameEn: 'Nuclear magnetic resonance spectrometer', categoryCode: '010601', regionCode: '330302', owner: 'D', valueFen: 800_000_000, priceFen: 80_000, serviceModes: SAMPLES },
  { key: 'xrd', nameZh: 'X射线衍射仪', nameEn: 'X-ray diffractometer', categoryCode: '010300', regionCode: '330203', owner: 'C', valueFen: 120_000_000, priceFen: 20_000, serviceModes: BOTH },
  { key: 'utm', nameZh: '万能材料试验机', nameEn: 'Universal testing machine', categoryCode: '020100', regionCode: '330102', owner: 'B', valueFen: 60_000_000, priceFen: 10_000, serviceModes: SELF },
  { key: 'ftir', nameZh: '傅里叶变换红外光谱仪', nameEn: 'Fourier transform infrared spectrometer', categoryCode: '010400', regionCode: '330302', owner: 'D', valueFen: 70_000_000, priceFen: 15_000, serviceModes: BOTH },
  { key: 'hplc', nameZh: '高效液相色谱仪', nameEn: 'High-performance liquid chromatograph', categoryCode: '010500', regionCode: '330106', owner: 'A', valueFen: 55_000_000, priceFen: 12_000, serviceModes: SAMPLES },
  { key: 'facs', nameZh: '流式细胞仪', nameEn: 'Flow cytometer', categoryCode: '011000', regionCode: '330203', owner: 'C', valueFen: 90_000_000, priceFen: 30_000, serviceModes: BOTH },
  { key: 'clsm', nameZh: '激光扫描共聚焦显微镜', nameEn: 'Confocal laser scanning microscope', categoryCode: '010800', regionCode: '330102', owner: 'B', valueFen: 400_000_000, priceFen: 35_000, serviceModes: SELF },
  { key: 'vna', nameZh: '矢量网络分析仪', nameEn: 'Vector network analyzer', categoryCode: '040100', regionCode: '330302', owner: 'D', valueFen: 45_000_000, priceFen: 8_000, serviceModes: SELF },
  // Own funds, so internal_only applies at once; only members of A, staff and admins see it.
  { key: 'ultra', nameZh: '超速离心机', nameEn: 'Ultracentrifuge', categoryCode: '011000', regionCode: '330106', owner: 'A', valueFen: 30_000_000, priceFen: 5_000, serviceModes: SELF, sharingMode: 'internal_only' },
];
const PUBLIC = SPECS.filter((spec) => spec.sharingMode !== 'internal_only');

const cityOf = (regionCode: string) => `${regionCode.slice(0, 4)}00`;
const level1Of = (categoryCode: string) => `${categoryCode.slice(0, 2)}0000`;
const level2Of = (categoryCode: string) => `${categoryCode.slice(0, 4)}00`;

describe('instrument search (e2e)', () => {
  let testApp: TestApp;
  let institutions: Record<Owner, TestInstitution>;
  let managers: Record<Owner, TestAccount>;
  let researcherA: TestAccount;
  let admin: TestAccount;
  const ids: Record<string, string> = {};
  const keyOf = (id: string) => Object.keys(ids).find((key) => ids[key] === id) ?? `unknown:${id}`;
  const keysOf = (specs: Spec[]) => specs.map((spec) => spec.key).sort();

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule);
    const fixtures = new CatalogFixtures(testApp.app.get(DataSource), testApp.http);
    const [a, b, c, d] = await Promise.all([
      fixtures.institution({ nameZh: '西湖测试大学', regionCode: '330106' }),
      fixtures.institution({ nameZh: '上城测试研究院', kind: 'research_institute', regionCode: '330102' }),
      fixtures.institution({ nameZh: '北仑测试大学', regionCode: '330203' }),
      fixtures.institution({ nameZh: '鹿城测试学院', regionCode: '330302' }),
    ]);
    institutions = { A: a, B: b, C: c, D: d };
    const accounts = await Promise.all([
      fixtures.account('lab_manager', { institutionId: a.id }),
      fixtures.account('lab_manager', { institutionId: b.id }),
      fixtures.account('lab_manager', { institutionId: c.id }),
      fixtures.account('lab_manager', { institutionId: d.id }),
      fixtures.account('researcher', { institutionId: a.id }),
      fixtures.account('admin'),
    ]);
    managers = { A: accounts[0], B: accounts[1], C: accounts[2], D: accounts[3] };
    researcherA = accounts[4];
    admin = accounts[5];
    // One after the other, so creation order (the default "newest" order) is well defined.
    for (const spec of SPECS) {
      const response = await testApp.http.post(
        '/instruments',
        instrumentBody({
          nameZh: spec.nameZh,
          nameEn: spec.nameEn,
          model: `M-${spec.key.toUpperCase()}`,
          manufacturer: '测试仪器厂',
          categoryCode: spec.categoryCode,
          regionCode: spec.regionCode,
          address: '测试路1号',
          originalValueFen: spec.valueFen,
          fundingSource: spec.sharingMode === 'internal_only' ? 'own_funds' : 'central_government',
          sharingMode: spec.sharingMode ?? 'external',
          serviceModes: spec.serviceModes,
          fees: [{ unit: 'hour', internalRateFen: Math.round(spec.priceFen / 2), externalRateFen: spec.priceFen }],
          specs: '详见说明书',
          functions: '常规测试',
          serviceContent: '测试服务',
        }),
        { token: managers[spec.owner].token },
      );
      if (response.status !== 201) throw new Error(`creating ${spec.key}: ${response.status} ${response.text}`);
      expect(response.body.sharingMode).toBe(spec.sharingMode ?? 'external');
      ids[spec.key] = response.body.id;
    }
  });
  afterAll(() => testApp?.close());

  async function search(query: string, token?: string) {
    const response = await testApp.http.get(`/instruments?pageSize=100&${query}`, token ? { token } : {});
    expect({ query, status: response.status, body: response.status === 200 ? undefined : response.body }).toEqual({ query, status: 200, body: undefined });
    return response.body as {
      items: any[];
      total: number;
      page: number;
      pageSize: number;
      facets: { category: { code: string; nameZh: string; count: number }[]; region: { code: string; nameZh: string; count: number }[] };
    };
  }

  async function foundKeys(query: string, token?: string): Promise<string[]> {
    const page = await search(query, token);
    expect(page.total).toBe(page.items.length);
    return page.items.map((item) => keyOf(item.id)).sort();
  }

  describe('full text', () => {
    it('q=质谱 finds exactly the two mass spectrometers', async () => {
      expect(await foundKeys(`q=${encodeURIComponent('质谱')}`)).toEqual(['gcms', 'lcms']);
    });

    it('q=質譜 (traditional) finds exactly the same two', async () => {
      expect(await foundKeys(`q=${encodeURIComponent('質譜')}`)).toEqual(['gcms', 'lcms']);
      expect(await foundKeys(`q=${encodeURIComponent('質譜儀')}`)).toEqual(['gcms', 'lcms']);
    });

    it('q=电镜 finds the two electron microscopes (and not the confocal microscope)', async () => {
      expect(await foundKeys(`q=${encodeURIComponent('电镜')}`)).toEqual(['sem', 'tem']);
    });

    it('q=mass spectrometer finds the mass spectrometers', async () => {
      expect(await foundKeys(`q=${encodeURIComponent('mass spectrometer')}`)).toEqual(['gcms', 'lcms']);
      expect(await foundKeys(`q=${encodeURIComponent('Mass Spectrometers')}`)).toEqual(['gcms', 'lcms']);
    });

    it('English names and abbreviations find the right instruments', async () => {
      expect(await foundKeys(`q=${encodeURIComponent('electron microscopes')}`)).toEqual(['sem', 'tem']);
      expect(await foundKeys('q=NMR')).toEqual(['nmr']);
      expect(await foundKeys(`q=${encodeURIComponent('核磁')}`)).toEqual(['nmr']);
      expect(await foundKeys(`q=${encodeURIComponent('LC-MS')}`)).toEqual(['lcms']);
      expect(await foundKeys(`q=${encodeURIComponent('扫描电镜')}`)).toEqual(['sem']);
    });

    it('full text combines with filters', async () => {
      expect(await foundKeys(`q=${encodeURIComponent('质谱')}&region=330203`)).toEqual(['gcms']);
      expect(await foundKeys(`q=${encodeURIComponent('电镜')}&maxPriceFen=100000`)).toEqual(['sem']);
    });

    it('a word found nowhere finds nothing', async () => {
      const page = await search(`q=${encodeURIComponent('测序仪')}`);
      expect(page).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('filters', () => {
    const cases: [string, string, (spec: Spec) => boolean][] = [
      ['category level 1 (010000)', 'category=010000', (spec) => level1Of(spec.categoryCode) === '010000'],
      ['category level 2 (010200)', 'category=010200', (spec) => level2Of(spec.categoryCode) === '010200'],
      ['category level 2 with leaves below (010100)', 'category=010100', (spec) => level2Of(spec.categoryCode) === '010100'],
      ['category leaf (010101)', 'category=010101', (spec) => spec.categoryCode === '010101'],
      ['category level 1 (020000)', 'category=020000', (spec) => level1Of(spec.categoryCode) === '020000'],
      ['province (330000)', 'region=330000', () => true],
      ['city (330100)', 'region=330100', (spec) => cityOf(spec.regionCode) === '330100'],
      ['city (330300)', 'region=330300', (spec) => cityOf(spec.regionCode) === '330300'],
      ['county (330203)', 'region=330203', (spec) => spec.regionCode === '330203'],
      ['county (330102)', 'region=330102', (spec) => spec.regionCode === '330102'],
      ['serviceMode self_operated', 'serviceMode=self_operated', (spec) => spec.serviceModes.includes('self_operated')],
      ['serviceMode sample_submission', 'serviceMode=sample_submission', (spec) => spec.serviceModes.includes('sample_submission')],
      ['price range, bounds included', 'minPriceFen=30000&maxPriceFen=60000', (spec) => spec.priceFen >= 30_000 && spec.priceFen <= 60_000],
      ['minimum price only', 'minPriceFen=50000', (spec) => spec.priceFen >= 50_000],
      ['maximum price only', 'maxPriceFen=12000', (spec) => spec.priceFen <= 12_000],
      ['value range, bounds included', 'minValueFen=90000000&maxValueFen=350000000', (spec) => spec.valueFen >= 90_000_000 && spec.valueFen <= 350_000_000],
      ['maximum value only', 'maxValueFen=60000000', (spec) => spec.valueFen <= 60_000_000],
      ['sharingMode external', 'sharingMode=external', () => true],
      ['several filters at once', 'category=010000&region=330100&serviceMode=self_operated', (spec) =>
        level1Of(spec.categoryCode) === '010000' && cityOf(spec.regionCode) === '330100' && spec.serviceModes.includes('self_operated')],
    ];

    it.each(cases)('%s narrows correctly (anonymous)', async (_name, query, predicate) => {
      const expected = keysOf(PUBLIC.filter(predicate));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThanOrEqual(PUBLIC.length);
      expect(await foundKeys(query)).toEqual(expected);
    });

    it('institutionId narrows to one owner', async () => {
      for (const owner of ['A', 'B', 'C', 'D'] as Owner[]) {
        expect(await foundKeys(`institutionId=${institutions[owner].id}`)).toEqual(keysOf(PUBLIC.filter((spec) => spec.owner === owner)));
      }
    });

    it('sharingMode=internal_only finds only what the caller may see', async () => {
      expect(await foundKeys('sharingMode=internal_only')).toEqual([]);
      expect(await foundKeys('sharingMode=internal_only', admin.token)).toEqual(['ultra']);
      expect(await foundKeys('sharingMode=internal_only', researcherA.token)).toEqual(['ultra']);
      expect(await foundKeys('sharingMode=internal_only', managers.A.token)).toEqual(['ultra']);
      expect(await foundKeys('sharingMode=internal_only', managers.B.token)).toEqual([]);
      expect(await foundKeys(`institutionId=${institutions.A.id}`, admin.token)).toEqual(keysOf(SPECS.filter((spec) => spec.owner === 'A')));
    });

    it('an empty range finds nothing', async () => {
      expect(await foundKeys('minPriceFen=60001&maxPriceFen=60000')).toEqual([]);
    });

    it('result items carry the summary fields', async () => {
      const page = await search(`q=${encodeURIComponent('透射电子显微镜')}`);
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({
        id: ids.tem,
        nameZh: '透射电子显微镜',
        category: { code: '010101', nameZh: '透射电镜' },
        institution: { id: institutions.A.id, nameZh: '西湖测试大学' },
        location: { regionCode: '330106', countyName: '西湖区', cityCode: '330100', cityName: '杭州市' },
        originalValueFen: 1_200_000_000,
        price: { unit: 'hour', externalRateFen: 150_000, internalRateFen: 75_000 },
        serviceModes: BOTH,
        sharingMode: 'external',
      });
    });
  });

  describe('sorting and pages', () => {
    it('sort=price_asc orders by the primary external rate', async () => {
      const page = await search('sort=price_asc');
      expect(page.items.map((item) => keyOf(item.id))).toEqual([...PUBLIC].sort((a, b) => a.priceFen - b.priceFen).map((spec) => spec.key));
    });

    it('sort=price_desc is the reverse', async () => {
      const page = await search('sort=price_desc');
      expect(page.items.map((item) => keyOf(item.id))).toEqual([...PUBLIC].sort((a, b) => b.priceFen - a.priceFen).map((spec) => spec.key));
    });

    it('sort=value_desc orders by original value, largest first', async () => {
      const page = await search('sort=value_desc');
      expect(page.items.map((item) => keyOf(item.id))).toEqual([...PUBLIC].sort((a, b) => b.valueFen - a.valueFen).map((spec) => spec.key));
    });

    it('sort=value_asc orders by original value, smallest first', async () => {
      const page = await search('sort=value_asc');
      expect(page.items.map((item) => keyOf(item.id))).toEqual([...PUBLIC].sort((a, b) => a.valueFen - b.valueFen).map((spec) => spec.key));
    });

    it('without q and sort, the newest come first', async () => {
      const page = await search('');
      expect(page.items.map((item) => keyOf(item.id))).toEqual([...PUBLIC].reverse().map((spec) => spec.key));
    });

    it.each(['price_asc', 'value_desc', 'newest', 'relevance'])('pageSize=5 gives pages 1..3 with the total and no duplicates (sort=%s)', async (sort) => {
      const seen: string[] = [];
      const sizes: number[] = [];
      for (const page of [1, 2, 3]) {
        const response = await testApp.http.get(`/instruments?pageSize=5&page=${page}&sort=${sort}`);
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ total: PUBLIC.length, page, pageSize: 5 });
        sizes.push(response.body.items.length);
        seen.push(...response.body.items.map((item: { id: string }) => item.id));
      }
      expect(sizes).toEqual([5, 5, 2]);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.map(keyOf).sort()).toEqual(keysOf(PUBLIC));
      const beyond = await testApp.http.get(`/instruments?pageSize=5&page=4&sort=${sort}`);
      expect(beyond.status).toBe(200);
      expect(beyond.body).toMatchObject({ items: [], total: PUBLIC.length, page: 4 });
    });

    it('pages of a filtered search keep the filtered total', async () => {
      const hangzhou = PUBLIC.filter((spec) => cityOf(spec.regionCode) === '330100');
      const seen: string[] = [];
      for (const page of [1, 2, 3]) {
        const response = await testApp.http.get(`/instruments?region=330100&pageSize=2&page=${page}&sort=value_asc`);
        expect(response.status).toBe(200);
        expect(response.body.total).toBe(hangzhou.length);
        seen.push(...response.body.items.map((item: { id: string }) => keyOf(item.id)));
      }
      expect(seen).toEqual([...hangzhou].sort((a, b) => a.valueFen - b.valueFen).map((spec) => spec.key));
    });
  });

  describe('facets', () => {
    function countBy(specs: Spec[], keyFn: (spec: Spec) => string): { code: string; count: number }[] {
      const counts = new Map<string, number>();
      for (const spec of specs) counts.set(keyFn(spec), (counts.get(keyFn(spec)) ?? 0) + 1);
      return [...counts.entries()].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    }

    it('without a category filter, facets.category has level-1 codes whose counts sum to the total', async () => {
      const page = await search('');
      expect(page.facets.category.map(({ code, count }) => ({ code, count }))).toEqual(countBy(PUBLIC, (spec) => level1Of(spec.categoryCode)));
      expect(page.facets.category.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(page.total);
      expect(page.facets.category.find((bucket) => bucket.code === '010000')).toMatchObject({ nameZh: '分析仪器', count: 10 });
    });

    it('with category=010000, facets.category has its level-2 codes', async () => {
      const page = await search('category=010000');
      const expected = countBy(PUBLIC.filter((spec) => level1Of(spec.categoryCode) === '010000'), (spec) => level2Of(spec.categoryCode));
      expect(page.facets.category.map(({ code, count }) => ({ code, count }))).toEqual(expected);
      for (const bucket of page.facets.category) expect(bucket.code).toMatch(/^01[0-9]{2}00$/);
      expect(page.facets.category.find((bucket) => bucket.code === '010200')).toMatchObject({ nameZh: '质谱仪器', count: 2 });
    });

    it('with category=010100, facets.category has its leaves', async () => {
      const page = await search('category=010100');
      expect(page.facets.category.map(({ code, count }) => ({ code, count }))).toEqual([
        { code: '010101', count: 1 },
        { code: '010102', count: 1 },
      ]);
    });

    it('without a region filter, facets.region counts by city', async () => {
      const page = await search('');
      expect(page.facets.region.map(({ code, count }) => ({ code, count }))).toEqual(countBy(PUBLIC, (spec) => cityOf(spec.regionCode)));
      expect(page.facets.region.find((bucket) => bucket.code === '330100')).toMatchObject({ nameZh: '杭州市', count: 6 });
      expect(page.facets.region.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(page.total);
    });

    it('with region=330100, facets.region counts by county', async () => {
      const page = await search('region=330100');
      expect(page.facets.region.map(({ code, count }) => ({ code, count }))).toEqual(
        countBy(PUBLIC.filter((spec) => cityOf(spec.regionCode) === '330100'), (spec) => spec.regionCode),
      );
      expect(page.facets.region.map((bucket) => bucket.nameZh).sort()).toEqual(['上城区', '西湖区'].sort());
    });

    it('facets follow the full-text match', async () => {
      const page = await search(`q=${encodeURIComponent('质谱')}`);
      expect(page.facets.category.map(({ code, count }) => ({ code, count }))).toEqual([{ code: '010000', count: 2 }]);
      expect(page.facets.region.map(({ code, count }) => ({ code, count }))).toEqual([
        { code: '330100', count: 1 },
        { code: '330200', count: 1 },
      ]);
    });
  });

  describe('hostile queries', () => {
    const hostile = [
      '"',
      "'",
      "''''",
      'a:*|!(',
      "质谱' | '电镜",
      '!!!&&&|||',
      '<->',
      'spectro:*',
      '\\',
      'C:\\temp\\x',
      "'; DROP TABLE instrument; --",
      '🔬🧪',
      '质谱🔬',
      '\u0000质谱',
      '%',
      '_',
      '()',
      'x'.repeat(200),
      '质'.repeat(200),
      '🔬'.repeat(200),
      'ab '.repeat(66) + 'ab',
    ];

    it.each(hostile.map((q) => [q.length > 40 ? `${q.slice(0, 20)}… (${q.length})` : JSON.stringify(q), q]))('q=%s answers 200', async (_label, q) => {
      const response = await testApp.http.get(`/instruments?q=${encodeURIComponent(q)}`);
      expect({ status: response.status, body: response.status === 200 ? undefined : response.body }).toEqual({ status: 200, body: undefined });
      expect(Array.isArray(response.body.items)).toBe(true);
      expect(typeof response.body.total).toBe('number');
    });

    it('the catalog is intact afterwards', async () => {
      expect((await search('')).total).toBe(PUBLIC.length);
    });

    it('q over 200 characters is 400', async () => {
      expectValidationFailed(await testApp.http.get(`/instruments?q=${'x'.repeat(201)}`), 'q');
      expectValidationFailed(await testApp.http.get(`/instruments?q=${encodeURIComponent('质'.repeat(201))}`), 'q');
    });

    it('malformed percent-encoding never answers 500', async () => {
      for (const raw of ['%E8%B4', '%FF', '%ED%A0%80', '%']) {
        const response = await testApp.http.get(`/instruments?q=${raw}`);
        if (response.status !== 200) expectErrorShape(response, 400);
      }
    });
  });
});
