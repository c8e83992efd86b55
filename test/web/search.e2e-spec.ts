/// <reference lib="dom" />
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { WebStack, accessibilityViolations, screenshot, startWebStack } from '@app/testing';

/**
 * The browser app against the real services (catalog, booking, worker and the web server as
 * processes, demo data in a database of its own), driven in headless Chromium: the search page.
 */
describe('web app: search (browser)', () => {
  let stack: WebStack;
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startWebStack();
    baseUrl = stack.web.baseUrl;
    page = await stack.newPage();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  /** Types a search and measures until the result list shows its answer. */
  async function search(text: string): Promise<{ total: number; milliseconds: number }> {
    await page.waitForSelector('.results[aria-busy="false"]');
    const box = page.getByRole('searchbox', { name: '搜索仪器（中文、繁體或英文）' });
    const answered = page.waitForResponse((response) => {
      const url = new URL(response.url());
      return url.pathname === '/api/catalog/instruments' && url.searchParams.get('q') === text;
    });
    const started = Date.now();
    await box.fill(text);
    await answered;
    await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q && document.querySelector('.results')?.getAttribute('aria-busy') === 'false', text);
    const milliseconds = Date.now() - started;
    const total = Number((await page.locator('#result-count').textContent())!.match(/\d+/)![0]);
    return { total, milliseconds };
  }

  it('finds mass spectrometers from simplified and traditional Chinese, fast, with price, institution, city and the next free hour', async () => {
    await page.goto('/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('查找仪器');
    const timings: number[] = [];
    const simplified = await search('质谱');
    timings.push(simplified.milliseconds);
    expect(simplified.total).toBeGreaterThan(0);
    const firstTitle = await page.locator('.result-card h2').first().textContent();
    expect(firstTitle).toMatch(/质谱/);
    const card = page.locator('.result-card').first();
    expect(await card.locator('.price').textContent()).toMatch(/¥[\d,]+.*\//);
    expect(await card.locator('.meta').nth(1).textContent()).toMatch(/市/);
    await card.locator('.next-free').filter({ hasNotText: '查询空闲时段' }).waitFor();
    expect(await card.locator('.next-free').textContent()).toMatch(/最早可约/);

    const traditional = await search('質譜');
    timings.push(traditional.milliseconds);
    expect(traditional.total).toBe(simplified.total);
    timings.push((await search('电镜')).milliseconds);
    timings.sort((a, b) => a - b);
    // eslint-disable-next-line no-console
    console.log(`search to rendered results: ${timings.join(', ')} ms (median ${timings[1]})`);
    expect(timings[1]).toBeLessThan(500);
    await screenshot(page, 'find');
    expect(await accessibilityViolations(page, 'serious')).toEqual([]);
  });

  it('narrows by city from the facet counts and keeps the filter in the address', async () => {
    await page.goto('/');
    const all = await search('质谱');
    const city = page.getByLabel('城市');
    const hangzhou = await city.locator('option', { hasText: '杭州市' }).getAttribute('value');
    const counted = Number((await city.locator('option', { hasText: '杭州市' }).textContent())!.match(/\((\d+)\)/)![1]);
    await city.selectOption(hangzhou!);
    await page.waitForFunction((expected) => document.querySelector('#result-count')?.textContent === `共 ${expected} 台仪器`, counted);
    expect(counted).toBeLessThan(all.total);
    expect(new URL(page.url()).searchParams.get('region')).toBe('330100');
    await page.reload();
    await page.waitForSelector('.results[aria-busy="false"]');
    expect(await page.locator('#result-count').textContent()).toBe(`共 ${counted} 台仪器`);
    expect(await page.getByRole('searchbox').inputValue()).toBe('质谱');
  });

  it('switches to English and back, and signs a researcher in', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: /English/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Find an instrument');
    await page.getByRole('button', { name: /中文/ }).click();
    await page.getByRole('link', { name: '登录' }).click();
    await page.getByLabel('邮箱').fill('researcher@demo.example');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('邮箱或密码不正确。');
    expect(await accessibilityViolations(page, 'serious')).toEqual([]);
    await page.getByLabel('密码').fill('demo-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '我的预约' }).waitFor();
    await screenshot(page, 'signed-in');
  });

  /** Labels the page itself writes (headings, table and list headers, form labels, buttons) that contain Chinese; data (names, values) left out. */
  async function chineseLabels(): Promise<string[]> {
    return page.evaluate(() => {
      const cjk = /[\u3400-\u9fff]/;
      const labels = document.querySelectorAll('main h1, main h2, main h3, main th[scope="col"], main dt, main label, main legend, main button, main [role="status"]');
      return [...labels]
        // names from the data (instruments, voucher programs) are shown as issued, not labels to translate
        .filter((element) => !element.closest('a[href^="/instruments/"], #instrument-title, [translate="no"]'))
        .map((element) => {
          // the element's own words, without the options or values of the controls inside a label
          const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
            acceptNode: (node) => (node.parentElement?.closest('select, textarea, a[href^="/instruments/"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
          });
          let text = '';
          while (walker.nextNode()) text += walker.currentNode.textContent;
          return text.trim();
        })
        .filter((text) => cjk.test(text));
    });
  }

  it('in English, the instrument page and My bookings have no Chinese labels left (names in the data may be Chinese)', async () => {
    const [instrument]: { id: string }[] = await stack.dataSource.query(
      `SELECT i.id FROM instrument i WHERE i.sharing_mode = 'external' AND EXISTS (SELECT 1 FROM opening_window w WHERE w.instrument_id = i.id) ORDER BY i.id LIMIT 1`,
    );
    await page.getByRole('button', { name: /English/ }).click();
    await page.goto(`/instruments/${instrument.id}`);
    await page.getByRole('region', { name: 'Service modes and fees' }).waitFor();
    await page.getByRole('region', { name: /^Performance/ }).getByText('Utilization').waitFor();
    await page.waitForSelector('.instrument-calendar-body[aria-busy="false"]');
    expect(await page.getByRole('button', { name: 'Book' }).count()).toBe(1);
    expect(await chineseLabels()).toEqual([]);
    await screenshot(page, 'instrument-english');

    await page.getByRole('link', { name: 'My bookings' }).click();
    await page.getByRole('heading', { level: 1, name: 'My bookings' }).waitFor();
    const card = page.locator('.bookings-card').first();
    await card.waitFor();
    await card.locator('h2 a').filter({ hasNotText: 'Loading' }).waitFor();
    expect(await card.locator('.bookings-status').textContent()).toMatch(/^[A-Za-z -]+$/);
    expect(await chineseLabels()).toEqual([]);
    await screenshot(page, 'my-bookings-english');
    await page.getByRole('button', { name: /中文/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('我的预约');
  });

  it('loads the search page with less than 300 KB of compressed JavaScript', async () => {
    const html = await (await fetch(baseUrl)).text();
    const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts.length).toBeGreaterThan(0);
    let compressed = 0;
    for (const script of scripts) {
      const response = await fetch(new URL(script, baseUrl), { headers: { 'accept-encoding': 'gzip' } });
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      compressed += gzipSync(Buffer.from(await response.arrayBuffer())).length;
    }
    // eslint-disable-next-line no-console
    console.log(`search page JavaScript: ${(compressed / 1024).toFixed(1)} KB gzip`);
    expect(compressed).toBeLessThan(300 * 1024);
  });
});
