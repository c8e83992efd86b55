import { TestApp, startTestApp } from '@app/testing';
import { CatalogModule } from '../../apps/catalog/src/catalog.module';
import { expectErrorShape, expectValidationFailed } from './error-shape';

const ZHEJIANG_CITIES = [
  ['330100', '杭州市'],
  ['330200', '宁波市'],
  ['330300', '温州市'],
  ['330400', '嘉兴市'],
  ['330500', '湖州市'],
  ['330600', '绍兴市'],
  ['330700', '金华市'],
  ['330800', '衢州市'],
  ['330900', '舟山市'],
  ['331000', '台州市'],
  ['331100', '丽水市'],
];

interface CategoryNode {
  code: string;
  nameZh: string;
  nameEn: string;
  level: number;
  parentCode: string | null;
  children?: CategoryNode[];
}

describe('platform: health, docs, regions, categories (e2e)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp(CatalogModule);
  });
  afterAll(() => testApp?.close());

  describe('health', () => {
    it('GET /health reports PostgreSQL and Redis up', async () => {
      const response = await testApp.http.get('/health');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'ok',
        info: { postgres: { status: 'up' }, redis: { status: 'up' } },
      });
      expect(response.body.error).toEqual({});
    });
  });

  describe('API documentation', () => {
    it('GET /docs serves the Swagger UI page', async () => {
      const response = await testApp.http.get('/docs');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.text).toMatch(/swagger-ui/i);
    });

    it('GET /docs-json is an OpenAPI document with the auth and instrument routes', async () => {
      const response = await testApp.http.get('/docs-json');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.body.openapi).toMatch(/^3\./);
      const paths = response.body.paths;
      for (const path of ['/auth/register', '/auth/login', '/instruments', '/instruments/{id}']) {
        expect(paths).toHaveProperty([path]);
      }
      expect(paths['/auth/register']).toHaveProperty('post');
      expect(paths['/auth/login']).toHaveProperty('post');
      expect(paths['/instruments']).toHaveProperty('get');
      expect(paths['/instruments']).toHaveProperty('post');
      expect(paths['/instruments/{id}']).toHaveProperty('get');
      expect(paths['/instruments/{id}']).toHaveProperty('patch');
      expect(response.body.components.securitySchemes).toHaveProperty('bearer');
    });
  });

  describe('regions', () => {
    it('GET /regions lists the provinces, Zhejiang 330000 among them', async () => {
      const response = await testApp.http.get('/regions');
      expect(response.status).toBe(200);
      expect(response.body.length).toBeGreaterThanOrEqual(31);
      expect(response.body).toContainEqual({ code: '330000', name: '浙江省', level: 'province', parentCode: null });
      for (const region of response.body) {
        expect(region.level).toBe('province');
        expect(region.parentCode).toBeNull();
        expect(region.code).toMatch(/^[0-9]{2}0000$/);
      }
      const codes = response.body.map((region: { code: string }) => region.code);
      expect(codes).toEqual([...codes].sort());
    });

    it('GET /regions?parentCode=330000 lists the 11 cities of Zhejiang', async () => {
      const response = await testApp.http.get('/regions?parentCode=330000');
      expect(response.status).toBe(200);
      expect(response.body.map((region: { code: string; name: string }) => [region.code, region.name])).toEqual(ZHEJIANG_CITIES);
      for (const city of response.body) expect(city).toMatchObject({ level: 'city', parentCode: '330000' });
    });

    it('GET /regions/330100 gives Hangzhou with its province as ancestor and its counties as children', async () => {
      const response = await testApp.http.get('/regions/330100');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ code: '330100', name: '杭州市', level: 'city', parentCode: '330000' });
      expect(response.body.ancestors).toEqual([{ code: '330000', name: '浙江省', level: 'province', parentCode: null }]);
      const children: { code: string; name: string; level: string; parentCode: string }[] = response.body.children;
      expect(children.length).toBeGreaterThanOrEqual(10);
      for (const county of children) {
        expect(county).toMatchObject({ level: 'county', parentCode: '330100' });
        expect(county.code).toMatch(/^3301[0-9]{2}$/);
      }
      expect(children).toContainEqual({ code: '330106', name: '西湖区', level: 'county', parentCode: '330100' });
      expect(children).toContainEqual({ code: '330102', name: '上城区', level: 'county', parentCode: '330100' });
    });

    it('GET /regions/330106 gives a county with province and city as ancestors and no children', async () => {
      const response = await testApp.http.get('/regions/330106');
      expect(response.status).toBe(200);
      expect(response.body.ancestors.map((region: { code: string }) => region.code)).toEqual(['330000', '330100']);
      expect(response.body.children).toEqual([]);
    });

    it('an unknown region is 404, a malformed one 400', async () => {
      expectErrorShape(await testApp.http.get('/regions/339999'), 404, 'REGION_NOT_FOUND');
      expectErrorShape(await testApp.http.get('/regions?parentCode=339999'), 404, 'REGION_NOT_FOUND');
      expectValidationFailed(await testApp.http.get('/regions/33010'), 'code');
      expectValidationFailed(await testApp.http.get('/regions?parentCode=hz'), 'parentCode');
    });
  });

  describe('categories', () => {
    it('GET /categories is the three-level tree 010000 > 010100 > 010101', async () => {
      const response = await testApp.http.get('/categories');
      expect(response.status).toBe(200);
      const roots: CategoryNode[] = response.body;
      for (const root of roots) {
        expect(root.level).toBe(1);
        expect(root.parentCode).toBeNull();
      }
      const analytical = roots.find((node) => node.code === '010000');
      expect(analytical).toMatchObject({ nameZh: '分析仪器', level: 1 });
      const electronOptics = analytical!.children!.find((node) => node.code === '010100');
      expect(electronOptics).toMatchObject({ level: 2, parentCode: '010000' });
      const tem = electronOptics!.children!.find((node) => node.code === '010101');
      expect(tem).toMatchObject({ nameZh: '透射电镜', level: 3, parentCode: '010100', children: [] });
      expect(electronOptics!.children!.map((node) => node.code)).toEqual(expect.arrayContaining(['010101', '010102']));
      expect(roots.map((node) => node.code)).toEqual(expect.arrayContaining(['020000', '990000']));
      // Nothing level-2 or level-3 hangs at the top.
      expect(roots.every((node) => node.code.endsWith('0000'))).toBe(true);
    });

    it('GET /categories/{code} gives one category; unknown is 404, malformed 400', async () => {
      const leaf = await testApp.http.get('/categories/010601');
      expect(leaf.status).toBe(200);
      expect(leaf.body).toMatchObject({ code: '010601', level: 3, parentCode: '010600' });
      expectErrorShape(await testApp.http.get('/categories/010199'), 404, 'CATEGORY_NOT_FOUND');
      expectValidationFailed(await testApp.http.get('/categories/12'), 'code');
    });
  });
});
