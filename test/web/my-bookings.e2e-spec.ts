/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { WebStack, accessibilityViolations, screenshot, startWebStack } from '@app/testing';
import { formatLocal } from '../../apps/web/client/src/shared/format';
import { CreatedBooking, openVoucherApplication, requestBooking, sendVoucherApplication, services, tokenOf } from './web-bookings-fixtures';

/** My bookings against the real services: cancel with the free-cancellation rule, reschedule errors, the calendar feed, the wallets, applying for vouchers. */
describe('web app: my bookings (browser)', () => {
  let stack: WebStack;
  let page: Page;
  let toCancel: CreatedBooking;

  beforeAll(async () => {
    stack = await startWebStack();
    const researcher = await tokenOf(stack, 'researcher@demo.example');
    // An instrument that confirms at once and takes samples, more than a day ahead: cancelling is free.
    const [instrument]: { id: string }[] = await stack.dataSource.query(
      `SELECT i.id FROM instrument i JOIN booking_rules r ON r.instrument_id = i.id
       WHERE i.sharing_mode = 'external' AND 'sample_submission' = ANY (i.service_modes) AND NOT r.requires_approval
         AND EXISTS (SELECT 1 FROM opening_window w WHERE w.instrument_id = i.id)
       ORDER BY i.id LIMIT 1`,
    );
    toCancel = await requestBooking(stack, researcher, instrument.id, '浏览器测试：稍后取消', 5);
    expect(toCancel.status).toBe('confirmed');
    page = await stack.newPage();
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('lists the researcher’s upcoming bookings with status in words and fees; cancelling explains the free-cancellation rule', async () => {
    await stack.signIn(page, 'researcher@demo.example');
    await page.goto('/bookings');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('我的预约');
    const card = page.locator('.bookings-card', { hasText: '浏览器测试：稍后取消' });
    await card.waitFor();
    expect(await card.locator('.bookings-status').textContent()).toBe('已确认');
    await card.locator('h2 a').filter({ hasNotText: '加载中' }).waitFor();
    expect(await card.locator('.bookings-facts').textContent()).toMatch(/预估费用¥[\d,]+/);
    await screenshot(page, 'my-bookings');
    expect(await accessibilityViolations(page, 'serious')).toEqual([]);
    // the rule as the booking service publishes it
    const policy = (await (await fetch(`${stack.web.baseUrl}/api/booking/booking-policy`)).json()) as { freeCancellationHours: number };
    expect(policy.freeCancellationHours).toBeGreaterThan(0);
    await card.getByRole('button', { name: '取消预约' }).click();
    expect(await card.getByRole('group', { name: '取消这次预约？' }).textContent()).toContain(`开始前 ${policy.freeCancellationHours} 小时以上取消不收费。现在取消不收费。`);
    const refreshed = page.waitForResponse((response) => {
      const url = new URL(response.url());
      return url.pathname === '/api/booking/bookings' && url.searchParams.get('mine') === 'true' && response.request().method() === 'GET';
    });
    await card.getByRole('button', { name: '确认取消' }).click();
    // the list is asked again and shows the booking cancelled, and the confirmation is still there, naming it
    await refreshed;
    await card.locator('.bookings-status', { hasText: '已取消' }).waitFor();
    await page.locator('.bookings-list-wrap[aria-busy="false"]').waitFor();
    const confirmation = page.getByRole('status').filter({ hasText: '预约已取消' });
    expect(await confirmation.isVisible()).toBe(true);
    expect(await confirmation.textContent()).toContain(formatLocal(toCancel.start, toCancel.timeZone, 'zh'));
    await screenshot(page, 'my-bookings-cancelled');
    const [row] = await stack.dataSource.query(`SELECT status, cancellation_fee_fen FROM booking WHERE id = $1`, [toCancel.id]);
    expect(row.status).toBe('cancelled');
    expect(Number(row.cancellation_fee_fen ?? 0)).toBe(0);
  }, 60_000);

  it('explains in words why a reschedule is refused, and keeps the booking', async () => {
    await page.goto('/bookings');
    const card = page.locator('.bookings-card').filter({ has: page.getByRole('button', { name: '改期' }) }).first();
    await card.waitFor();
    const before = await card.locator('.bookings-time').textContent();
    await card.getByRole('button', { name: '改期' }).click();
    await card.getByLabel('开始时间').fill('03:07');
    await card.getByRole('button', { name: '确认改期' }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).not.toMatch(/[{}]/);
    expect((await alert.textContent())!.length).toBeGreaterThan(4);
    expect(await card.locator('.bookings-time').textContent()).toBe(before);
  }, 60_000);

  it('issues the private calendar feed link, which serves the bookings as iCalendar, and revokes it', async () => {
    await page.goto('/bookings');
    await page.getByRole('button', { name: '生成订阅链接' }).click();
    const link = page.getByLabel('订阅链接');
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(/\/api\/booking\/calendar-feeds\/[\w-]+\.ics$/);
    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    await page.getByRole('button', { name: '停用订阅链接' }).click();
    await page.getByRole('status').filter({ hasText: '订阅链接已停用' }).waitFor();
    expect((await fetch(url)).status).toBe(404);
  }, 60_000);

  it('shows the firm its voucher wallet with the 20,000-yuan grant', async () => {
    const firm = await stack.newPage({ width: 390, height: 844 });
    await stack.signIn(firm, 'firm@demo.example');
    await firm.goto('/bookings');
    const wallet = firm.getByRole('region', { name: '创新券钱包' });
    await wallet.locator('.bookings-grants li').first().waitFor();
    expect(await wallet.textContent()).toContain('批准额度: ¥20,000');
    expect(await wallet.locator('.bookings-totals').textContent()).toMatch(/可用¥[\d,]+/);
    await firm.locator('.bookings-card').first().waitFor();
    await screenshot(firm, 'my-bookings-firm-phone');
    await firm.context().close();
  }, 60_000);

  it('shows the researcher the 5,000 yuan they hold as an individual, apart from any firm', async () => {
    const person = await stack.newPage();
    await stack.signIn(person, 'researcher@demo.example');
    await person.goto('/bookings');
    const wallet = person.getByRole('region', { name: '创新券钱包' });
    await wallet.locator('.bookings-grants li').first().waitFor();
    expect(await wallet.textContent()).toContain('批准额度: ¥5,000');
    await person.context().close();
  }, 60_000);

  it('lets the researcher apply for vouchers as an individual: a refusal in words, then one application under review for a double click', async () => {
    const token = await tokenOf(stack, 'researcher@demo.example');
    const programs = await services(stack).booking.get<{ name: string; allowsIndividuals: boolean; applicationCapFen: number }[]>('/voucher-programs', { token });
    const hangzhou = programs.body.find((program) => program.allowsIndividuals)!;
    expect(hangzhou.name).toBe('杭州市科技创新券');
    expect(hangzhou.applicationCapFen).toBe(2_000_000);
    const person = await stack.newPage();
    await stack.signIn(person, 'researcher@demo.example');
    await person.goto('/bookings');
    // collapsed until asked for
    await person.getByRole('button', { name: '申请创新券', exact: true }).waitFor();
    expect(await person.getByLabel('申请金额（元）').count()).toBe(0);
    const { wallet, form } = await openVoucherApplication(person);
    // the program that admits individuals is chosen for a researcher, and says so
    expect(await form.getByLabel('创新券项目').locator('option:checked').textContent()).toBe('杭州市科技创新券（个人可申请）');
    expect(await form.textContent()).toContain('每次申请最多 ¥20,000；企业和个人均可申请。');

    // above the program's cap per application: the service refuses, the page says why
    await form.getByLabel('申请金额（元）').fill('25,000');
    await form.getByRole('button', { name: '提交申请' }).click();
    expect(await form.getByRole('alert').textContent()).toBe('申请金额超过该项目单次申请的上限。');
    expect(await accessibilityViolations(person, 'serious')).toEqual([]);
    await screenshot(person, 'my-bookings-voucher-application');

    await sendVoucherApplication(wallet, form, { yuan: '8000.50', shown: '¥8,000.50', purpose: '浏览器测试：新材料表征', doubleClick: true });
    // the wallet is read again and lists the application as under review, with what was asked
    const applied = wallet.locator('.bookings-grants li').filter({ hasText: '审核中' });
    await applied.waitFor();
    expect(await applied.locator('p').first().textContent()).toBe('申请额度: ¥8,000.50 · 审核中');
    const rows = await stack.dataSource.query(`SELECT requested_fen, status, enterprise_id, idempotency_key FROM voucher_grant WHERE purpose = $1`, ['浏览器测试：新材料表征']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ requested_fen: '800050', status: 'applied', enterprise_id: null });
    expect(rows[0].idempotency_key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await person.context().close();
  }, 60_000);
});
