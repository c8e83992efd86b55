/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@app/db/demo';
import { WebStack, accessibilityViolations, screenshot, startWebStack } from '@app/testing';
import { openVoucherApplication, sendVoucherApplication } from './web-bookings-fixtures';

interface SummaryRow {
  key: string;
  name: string;
}

/** China's local date, as the dashboard reckons statistics days. */
function chinaDate(offsetDays = 0): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offsetDays);
  return date.toISOString().slice(0, 10);
}

/** The dashboard's default period: from the first day of the month 11 months ago to today. */
function lastTwelveMonths(): { from: string; to: string } {
  const [year, month] = chinaDate().split('-').map(Number);
  const index = year * 12 + (month - 1) - 11;
  return { from: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`, to: chinaDate() };
}

const grouped = new Intl.NumberFormat('zh-CN');
/** Integer fen as the page writes it: ¥ and grouped yuan, cents only when there are any. */
function yuan(fen: number): string {
  const cents = fen % 100;
  return `¥${grouped.format(Math.floor(fen / 100))}${cents ? `.${String(cents).padStart(2, '0')}` : ''}`;
}

/**
 * The staff dashboard against the real services on demo data: compiling on demand with progress,
 * goal and voucher figures as the API gives them, the chart by city with drill-down to a county's
 * institutions, and a CSV export.
 */
describe('web app: staff dashboard (browser)', () => {
  let stack: WebStack;
  let page: Page;
  let token: string;

  async function apiGet<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const url = new URL(`/api/${path}`, stack.web.baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  /** The names in the first column of the drill-down table, once it shows the level's rows. */
  async function tableNames(): Promise<string[]> {
    await page.getByTestId('usage-table').waitFor();
    return (await page.getByTestId('usage-table').locator('tbody th').allTextContents()).map((name) => name.trim());
  }

  beforeAll(async () => {
    stack = await startWebStack();
    const login = await fetch(`${stack.web.baseUrl}/api/catalog/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'staff@demo.example', password: DEMO_PASSWORD }),
    });
    token = ((await login.json()) as { accessToken: string }).accessToken;
    page = await stack.newPage();
    await stack.signIn(page, 'staff@demo.example');
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('compiles the last 30 days on demand and shows the progress until done', async () => {
    const [{ count: before }] = await stack.dataSource.query(`SELECT count(*)::int AS count FROM instrument_day_statistics`);
    expect(before).toBe(0);
    await page.getByRole('link', { name: '共享统计' }).click();
    await page.getByRole('heading', { level: 1, name: '共享统计看板' }).waitFor();
    expect(await page.getByLabel('截止日期').inputValue()).toBe(chinaDate(-1));
    expect(await page.getByLabel('起始日期').inputValue()).toBe(chinaDate(-30));
    await page.getByRole('button', { name: '开始编译' }).click();
    const status = page.getByRole('status').filter({ hasText: '已编译' });
    await status.filter({ hasText: /^(排队中|编译中)：已编译 \d+ \/ 30 天/ }).waitFor();
    await status.filter({ hasText: /^已完成：已编译 30 \/ 30 天，写入 \d+ 条记录/ }).waitFor({ timeout: 50_000 });
    const progress = page.getByRole('progressbar', { name: '编译进度' });
    expect(await progress.getAttribute('value')).toBe('30');
    const [run] = await stack.dataSource.query(`SELECT state, days_done, rows_written FROM statistics_run ORDER BY id DESC LIMIT 1`);
    expect(run).toMatchObject({ state: 'done', days_done: 30 });
    expect(await status.textContent()).toContain(`写入 ${run.rows_written} 条记录`);
    expect(run.rows_written).toBeGreaterThan(0);
  }, 60_000);

  it('shows the goal progress as the API counts it: instruments and value shared, vouchers granted', async () => {
    const goal = await apiGet<{ shared: { instruments: number; originalValueFen: number }; goal: { instruments: number; originalValueFen: number }; instrumentProgress: number }>(
      'worker/statistics/goal',
    );
    const year = chinaDate().slice(0, 4);
    const vouchers = await apiGet<{ target: { targetFen: number; grantedToDateFen: number } }>('worker/statistics/vouchers', { groupBy: 'program', period: year });
    expect(goal.goal).toEqual({ instruments: 9000, originalValueFen: 450_000_000_000 });
    expect(vouchers.target.targetFen).toBe(200_000_000_000);
    expect(goal.shared.instruments).toBeGreaterThan(0);
    expect(vouchers.target.grantedToDateFen).toBeGreaterThan(0);

    const card = (title: string) => page.locator('.dashboard-goal', { has: page.getByRole('heading', { name: title }) });
    expect(await card('已开放共享仪器（台）').locator('.dashboard-goal-figure').textContent()).toBe(`${grouped.format(goal.shared.instruments)} / 目标 9,000`);
    expect(await card('已开放共享仪器（台）').locator('.dashboard-goal-percent').textContent()).toBe(`完成 ${(goal.instrumentProgress * 100).toFixed(2)}%`);
    expect(await card('已开放仪器原值').locator('.dashboard-goal-figure').textContent()).toBe(`${yuan(goal.shared.originalValueFen)} / 目标 ¥4,500,000,000`);
    expect(await card('创新券发放额度').locator('.dashboard-goal-figure').textContent()).toBe(`${yuan(vouchers.target.grantedToDateFen)} / 目标 ¥2,000,000,000`);
    await screenshot(page, 'dashboard-overview');
    expect(await accessibilityViolations(page, 'serious')).toEqual([]);
  });

  it('downloads the goal by city as CSV with the byte-order mark and Chinese headers', async () => {
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出各市 CSV' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('sharing-goal-cities.csv');
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('地区代码,地区,应开放仪器数,已开放仪器数,已开放原值(元),未开放(不合规)仪器数');
    expect(lines.some((line) => line.startsWith('330100,杭州市,'))).toBe(true);
  });

  it('charts sharing and utilization by city and drills down to a city’s counties and a county’s institutions', async () => {
    const period = lastTwelveMonths();
    const cities = await apiGet<{ rows: SummaryRow[] }>('worker/statistics/summary', { groupBy: 'city', ...period });
    const counties = await apiGet<{ rows: SummaryRow[] }>('worker/statistics/summary', { groupBy: 'county', ...period });
    const institutions = await apiGet<{ rows: SummaryRow[] }>('worker/statistics/summary', { groupBy: 'institution', ...period });
    // a city's counties and a county's institutions as the API counts them for the region (instruments located there)
    const hangzhouCounties = (await apiGet<{ rows: SummaryRow[] }>('worker/statistics/summary', { groupBy: 'county', region: '330100', ...period })).rows;
    expect(cities.rows.length).toBeGreaterThan(1);

    await page.getByRole('navigation', { name: '看板栏目' }).getByRole('link', { name: '共享与利用' }).click();
    await page.getByRole('img', { name: /^柱状图：各市的共享率和利用率/ }).waitFor();
    expect(await tableNames()).toEqual(cities.rows.map((row) => row.name));
    await screenshot(page, 'dashboard-usage-cities');
    expect(await accessibilityViolations(page, 'serious')).toEqual([]);

    // a click on the chart's first bar (杭州市, the first city by code) drills down like the table's link
    expect(cities.rows[0].key).toBe('330100');
    const chart = page.getByRole('img', { name: /^柱状图：各市/ });
    const box = (await chart.boundingBox())!;
    const band = (box.height - 70) / cities.rows.length;
    await chart.click({ position: { x: box.width * 0.4, y: band * 0.3 + 6 } });
    await page.getByRole('heading', { name: '杭州市各区县' }).waitFor();
    await page.getByRole('img', { name: /^柱状图：杭州市各区县/ }).waitFor();
    expect(hangzhouCounties.every((row) => row.key.startsWith('3301'))).toBe(true);
    expect(hangzhouCounties.length).toBeGreaterThan(1);
    expect(hangzhouCounties.length).toBeLessThan(counties.rows.length);
    expect(await tableNames()).toEqual(hangzhouCounties.map((row) => row.name));
    expect(new URL(page.url()).searchParams.get('city')).toBe('330100');

    const county = hangzhouCounties[0];
    await page.getByRole('button', { name: `查看 ${county.name} 的下一级` }).click();
    await page.getByRole('heading', { name: `${county.name}各单位` }).waitFor();
    const inCounty = await apiGet<{ rows: SummaryRow[] }>('worker/statistics/summary', { groupBy: 'institution', region: county.key, ...period });
    const expected = inCounty.rows.map((row) => row.name);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(institutions.rows.length);
    expect(await tableNames()).toEqual(expected);
    // institutions are the last level: no further drill-down
    expect(await page.getByTestId('usage-table').getByRole('button').count()).toBe(0);

    // the monthly trend of the county: 12 months, this month among them with figures
    await page.getByRole('img', { name: new RegExp(`^折线图：${county.name}最近 12 个月`) }).waitFor();
    const trendRows = page.locator('table[aria-describedby="dashboard-trends-scope"] tbody tr');
    expect(await trendRows.count()).toBe(12);
    await screenshot(page, 'dashboard-usage-county');

    await page.getByRole('navigation', { name: '当前层级' }).getByRole('button', { name: '杭州市' }).click();
    await page.getByRole('heading', { name: '杭州市各区县' }).waitFor();
    expect(await tableNames()).toEqual(hangzhouCounties.map((row) => row.name));
  });

  it('shows the voucher figures, the programs and the claims of the region', async () => {
    const year = chinaDate().slice(0, 4);
    const figures = await apiGet<{ target: { grantedToDateFen: number }; rows: { name: string; redeemedFen: number }[] }>('worker/statistics/vouchers', { groupBy: 'program', period: year });
    const programs = await apiGet<{ name: string }[]>('booking/voucher-programs');
    const claims = await apiGet<{ providerName: string; status: string }[]>('booking/voucher-claims');
    expect(programs.length).toBeGreaterThan(0);

    await page.getByRole('navigation', { name: '看板栏目' }).getByRole('link', { name: '创新券' }).click();
    await page.getByRole('img', { name: /^柱状图：各组发放额度与已使用金额/ }).waitFor();
    expect(await page.locator('.dashboard-goal-figure').textContent()).toBe(`${yuan(figures.target.grantedToDateFen)} / 目标 ¥2,000,000,000`);
    const figureTable = page.getByRole('table', { name: '创新券使用情况' });
    expect((await figureTable.locator('tbody th').allTextContents())).toEqual(figures.rows.map((row) => row.name));
    expect(await figureTable.locator('tbody tr').first().locator('td').nth(1).textContent()).toBe(yuan(figures.rows[0].redeemedFen));
    const programTable = page.getByRole('table', { name: '创新券计划' });
    expect(await programTable.locator('tbody th').allTextContents()).toEqual(programs.map((program) => program.name));
    const claimTable = page.getByRole('table', { name: '兑付申请' });
    expect(await claimTable.locator('tbody tr').count()).toBe(claims.length);
    expect(await claimTable.locator('tbody tr').first().textContent()).toContain('已兑付');
    // issuing regions by name, not code
    await programTable.locator('tbody tr').first().locator('td').first().filter({ hasText: /^(浙江省|杭州市|宁波市)$/ }).waitFor();
    await screenshot(page, 'dashboard-vouchers');
  });

  it('approves a provider’s claim and marks it paid with the payment reference', async () => {
    // a provider with voucher receipts not yet claimed gets a lab manager, who claims them through the API
    const [receipts] = await stack.dataSource.query(
      `SELECT bv.provider_institution_id AS id, i.name_zh AS name FROM booking_voucher bv JOIN institution i ON i.id = bv.provider_institution_id
       WHERE bv.status = 'redeemed' AND bv.claim_id IS NULL ORDER BY bv.redeemed_at LIMIT 1`,
    );
    expect(receipts).toBeDefined();
    const adminLogin = await fetch(`${stack.web.baseUrl}/api/catalog/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.example', password: DEMO_PASSWORD }),
    });
    const adminToken = ((await adminLogin.json()) as { accessToken: string }).accessToken;
    const account = { email: 'provider-manager@test.example', password: 'provider-password', displayName: '兑付测试', role: 'lab_manager', institutionId: receipts.id };
    const created = await fetch(`${stack.web.baseUrl}/api/catalog/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(account),
    });
    expect(created.status).toBe(201);
    const managerLogin = await fetch(`${stack.web.baseUrl}/api/catalog/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    const managerToken = ((await managerLogin.json()) as { accessToken: string }).accessToken;
    const received = (await (await fetch(`${stack.web.baseUrl}/api/booking/voucher-receipts`, { headers: { authorization: `Bearer ${managerToken}` } })).json()) as {
      programs: { programId: string; unclaimedFen: number }[];
    };
    const program = received.programs.find((one) => one.unclaimedFen > 0)!;
    const submitted = await fetch(`${stack.web.baseUrl}/api/booking/voucher-claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${managerToken}` },
      body: JSON.stringify({ programId: program.programId, from: chinaDate(-400), to: chinaDate() }),
    });
    expect(submitted.status).toBe(201);
    const claim = (await submitted.json()) as { id: string; amountFen: number };
    expect(claim.amountFen).toBe(program.unclaimedFen);

    await page.reload();
    const row = page.getByRole('table', { name: '兑付申请' }).locator('tbody tr', { hasText: receipts.name }).filter({ hasText: yuan(claim.amountFen) });
    expect(await row.locator('td').nth(4).textContent()).toBe('待审核');
    await row.getByRole('button', { name: '批准' }).click();
    await page.getByRole('status').filter({ hasText: '已批准。' }).waitFor();
    await row.locator('td', { hasText: '已批准' }).waitFor();
    await row.getByRole('button', { name: '标记已兑付' }).click();
    await row.getByLabel('付款凭证号').fill('ZJ-TEST-0001');
    await row.getByRole('button', { name: '确认兑付' }).click();
    await page.getByRole('status').filter({ hasText: '已标记为已兑付。' }).waitFor();
    await row.locator('td', { hasText: '凭证 ZJ-TEST-0001' }).waitFor();
    const [stored] = await stack.dataSource.query(`SELECT status, payment_reference FROM voucher_redemption_claim WHERE id = $1`, [claim.id]);
    expect(stored).toEqual({ status: 'paid', payment_reference: 'ZJ-TEST-0001' });
  });

  it('decides voucher applications: the firm applies in its wallet, staff grant less than asked and reject another with a reason, the wallet shows both', async () => {
    const [firm]: { id: string; name: string }[] = await stack.dataSource.query(
      `SELECT i.id, i.name_zh AS name FROM app_user u JOIN institution i ON i.id = u.institution_id WHERE u.email = 'firm@demo.example'`,
    );
    // the demo firm's application to the province, waiting since the seed
    const waiting: { requested_fen: string }[] = await stack.dataSource.query(`SELECT requested_fen FROM voucher_grant WHERE enterprise_id = $1 AND status = 'applied'`, [firm.id]);
    expect(waiting).toEqual([{ requested_fen: '1000000' }]);

    // the firm applies through the form in its wallet, under the province's program (firms only)
    const applicant = await stack.newPage();
    await stack.signIn(applicant, 'firm@demo.example');
    const { wallet, form } = await openVoucherApplication(applicant);
    await form.getByLabel('创新券项目').selectOption({ label: '浙江省科技创新券（仅限企业）' });
    expect(await form.textContent()).toContain('每次申请最多 ¥20,000；仅限小微企业申请。');
    await sendVoucherApplication(wallet, form, { yuan: '8,000', shown: '¥8,000', purpose: '浏览器测试：产品可靠性检测' });
    const ownApplication = wallet.locator('.bookings-grants li').filter({ hasText: '申请额度: ¥8,000 · 审核中' });
    await ownApplication.waitFor();
    expect(await ownApplication.locator('h3').textContent()).toBe('浙江省科技创新券');

    // staff of the province see it among the applications waiting, with who applied, for what and when
    await page.goto('/dashboard/vouchers');
    const table = page.getByRole('table', { name: '创新券额度申请（待审核）' });
    const row = table.locator('tbody tr').filter({ hasText: '浏览器测试：产品可靠性检测' });
    await row.waitFor();
    expect(await row.locator('th').textContent()).toBe(`${firm.name}企业`);
    expect(await row.locator('td').allTextContents()).toEqual(['浙江省科技创新券', '¥8,000', '浏览器测试：产品可靠性检测', chinaDate(), '批准驳回']);
    const listed = await apiGet<unknown[]>('booking/voucher-grants', { status: 'applied' });
    expect(await table.locator('tbody tr').count()).toBe(listed.length);
    expect(await accessibilityViolations(page, 'serious')).toEqual([]);
    await screenshot(page, 'dashboard-voucher-applications');

    // more than asked is refused before it is sent; less is granted
    await row.getByRole('button', { name: '批准', exact: true }).click();
    await row.getByLabel('批准额度（元，留空按申请额度）').fill('9000');
    await row.getByRole('button', { name: '确认批准' }).click();
    expect(await row.getByRole('alert').textContent()).toBe('批准额度不能超过申请额度 ¥8,000。');
    await row.getByLabel('批准额度（元，留空按申请额度）').fill('6,000');
    await row.getByRole('button', { name: '确认批准' }).click();
    await page.getByRole('status').filter({ hasText: `已批准 ${firm.name} 的申请：¥6,000。` }).waitFor();
    await row.waitFor({ state: 'detached' });
    const [granted] = await stack.dataSource.query(`SELECT status, approved_fen FROM voucher_grant WHERE purpose = $1`, ['浏览器测试：产品可靠性检测']);
    expect(granted).toEqual({ status: 'approved', approved_fen: '600000' });

    // the firm's earlier application: rejected with a reason the firm reads
    const earlier = table.locator('tbody tr').filter({ hasText: firm.name }).filter({ hasText: '¥10,000' });
    await earlier.getByRole('button', { name: '驳回', exact: true }).click();
    await earlier.getByRole('button', { name: '确认驳回申请' }).click();
    // a rejection needs its reason: the browser asks for it before anything is sent
    expect(await earlier.getByLabel('驳回理由').evaluate((input: HTMLInputElement) => input.validity.valueMissing)).toBe(true);
    await earlier.getByLabel('驳回理由').fill('本年度已获杭州市创新券支持，请勿重复申请。');
    await earlier.getByRole('button', { name: '确认驳回申请' }).click();
    await page.getByRole('status').filter({ hasText: `已驳回 ${firm.name} 的申请。` }).waitFor();
    await earlier.waitFor({ state: 'detached' });

    // the firm's wallet: the grant approved at the amount granted, the other refused with the reason
    await applicant.reload();
    const approved = wallet.locator('.bookings-grants li').filter({ hasText: '浙江省科技创新券' }).filter({ hasText: '已批准' });
    await approved.waitFor();
    expect(await approved.locator('p').first().textContent()).toBe('批准额度: ¥6,000（申请 ¥8,000） · 已批准');
    const refused = wallet.locator('.bookings-grants li').filter({ hasText: '未批准' });
    expect(await refused.textContent()).toContain('申请额度: ¥10,000 · 未批准');
    expect(await refused.textContent()).toContain('审核意见: 本年度已获杭州市创新券支持，请勿重复申请。');
    await applicant.context().close();
  }, 120_000);

  it('lists the rectification list (较差) of the annual evaluation and the non-compliant instruments', async () => {
    const year = chinaDate().slice(0, 4);
    const poor = await apiGet<{ rows: { name: string }[] }>('worker/statistics/evaluation', { year, level: 'institution', grade: '较差' });
    await page.getByRole('navigation', { name: '看板栏目' }).getByRole('link', { name: '年度考核' }).click();
    await page.getByLabel('等级').selectOption('较差');
    await page.getByText(`共 ${poor.rows.length} 条`).waitFor();
    if (poor.rows.length > 0) {
      expect(await page.getByRole('table', { name: '年度绩效考核' }).locator('tbody td:nth-child(5)').allTextContents()).toEqual(poor.rows.slice(0, 100).map(() => '较差'));
    }

    const goal = await apiGet<{ nonCompliant: unknown[]; idle: unknown[] }>('worker/statistics/goal');
    await page.getByRole('navigation', { name: '看板栏目' }).getByRole('link', { name: '未开放与闲置' }).click();
    await page.getByRole('heading', { name: '未开放共享的仪器（不合规）' }).waitFor();
    expect(goal.nonCompliant.length).toBeGreaterThan(0);
    await page.getByText(`共 ${goal.nonCompliant.length} 台`).first().waitFor();
    const rows = page.getByRole('table', { name: '未开放共享的仪器（不合规）' }).locator('tbody tr');
    expect(await rows.count()).toBe(Math.min(goal.nonCompliant.length, 50));
    await screenshot(page, 'dashboard-compliance');
  });

  it('fits a phone 390 px wide', async () => {
    const phone = await stack.newPage({ width: 390, height: 844 });
    await stack.signIn(phone, 'staff@demo.example');
    await phone.goto('/dashboard');
    await phone.locator('.dashboard-goal-figure').first().waitFor();
    await phone.getByRole('heading', { name: '创新券发放额度' }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'dashboard-overview-phone');
    await phone.goto('/dashboard/usage?city=330100');
    await phone.getByRole('img', { name: /^柱状图：杭州市各区县/ }).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'dashboard-usage-phone');
    await phone.context().close();
  });
});
