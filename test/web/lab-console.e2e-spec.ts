/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { WebStack, accessibilityViolations, screenshot, startWebStack } from '@app/testing';
import { formatLocal } from '../../apps/web/client/src/shared/format';
import { CreatedBooking, requestBooking, services, tokenOf } from './web-bookings-fixtures';

const PURPOSE = '浏览器测试：等待实验室审批';

/** The lab manager console against the real services: the approval queue and the availability editor's dry run. */
describe('web app: lab console (browser)', () => {
  let stack: WebStack;
  let page: Page;
  let request: CreatedBooking;
  let researcher: string;

  beforeAll(async () => {
    stack = await startWebStack();
    researcher = await tokenOf(stack, 'researcher@demo.example');
    const manager = await tokenOf(stack, 'labmanager@demo.example');
    // An instrument of the lab manager's institution that takes sample submissions; it must need approval.
    const [instrument]: { id: string; requires_approval: boolean }[] = await stack.dataSource.query(
      `SELECT i.id, r.requires_approval FROM instrument i
       JOIN booking_rules r ON r.instrument_id = i.id
       JOIN app_user u ON u.institution_id = i.institution_id AND u.email = 'labmanager@demo.example'
       WHERE i.sharing_mode = 'external' AND 'sample_submission' = ANY (i.service_modes)
         AND EXISTS (SELECT 1 FROM opening_window w WHERE w.instrument_id = i.id)
       ORDER BY r.requires_approval DESC, i.id LIMIT 1`,
    );
    if (!instrument.requires_approval) {
      const { booking } = services(stack);
      const current = await booking.get(`/instruments/${instrument.id}/booking-rules`);
      const put = await booking.put(`/instruments/${instrument.id}/booking-rules`, { ...current.body.rules, requiresApproval: true }, { token: manager });
      expect(put.status).toBe(200);
    }
    request = await requestBooking(stack, researcher, instrument.id, PURPOSE);
    expect(request.status).toBe('pending');
    page = await stack.newPage();
    await stack.signIn(page, 'labmanager@demo.example');
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('shows the researcher’s request in the approval queue; approving it confirms the booking, which the researcher sees in My bookings', async () => {
    const listings: URL[] = [];
    page.on('request', (sent) => {
      const url = new URL(sent.url());
      if (url.pathname === '/api/booking/bookings') listings.push(url);
    });
    const [{ institution_id: institutionId }] = await stack.dataSource.query(`SELECT institution_id FROM app_user WHERE email = 'labmanager@demo.example'`);
    const manager = await tokenOf(stack, 'labmanager@demo.example');
    const pendingListed = (await services(stack).booking.get<{ total: number }>(`/bookings?institutionId=${institutionId}&status=pending&pageSize=1`, { token: manager })).body;
    expect(pendingListed.total).toBeGreaterThan(0);
    await page.goto('/lab');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('实验室管理');
    const card = page.locator('.lab-card', { hasText: PURPOSE });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator('.lab-time').textContent()).toContain(formatLocal(request.start, request.timeZone, 'zh'));
    // the booker by name, as the booking service gives it to the lab managers
    const [booker] = await stack.dataSource.query(`SELECT display_name FROM app_user WHERE email = 'researcher@demo.example'`);
    expect(await card.locator('.lab-facts div', { hasText: '申请人' }).locator('dd').textContent()).toBe(booker.display_name);
    // the queue is the institution's pending bookings from one listing, not one per instrument
    expect(await page.locator('.lab-card').count()).toBe(pendingListed.total);
    await screenshot(page, 'lab-approvals');
    expect(await accessibilityViolations(page, 'serious')).toEqual([]);
    expect(listings.length).toBe(Math.ceil(pendingListed.total / 200));
    expect(listings.every((url) => url.searchParams.get('institutionId') === institutionId && !url.searchParams.has('instrumentId'))).toBe(true);
    await card.getByRole('button', { name: '批准' }).click();
    await card.getByRole('status').filter({ hasText: '已批准' }).waitFor();
    const [row] = await stack.dataSource.query(`SELECT status FROM booking WHERE id = $1`, [request.id]);
    expect(row.status).toBe('confirmed');

    const researcherPage = await stack.newPage();
    await stack.signIn(researcherPage, 'researcher@demo.example');
    await researcherPage.goto('/bookings');
    const mine = researcherPage.locator('.bookings-card', { hasText: PURPOSE });
    await mine.waitFor();
    expect(await mine.locator('.bookings-status').textContent()).toBe('已确认');
    await researcherPage.context().close();
  }, 60_000);

  it('rejecting needs a reason, which the service records', async () => {
    const second = await requestBooking(stack, researcher, request.instrumentId, '浏览器测试：将被拒绝', 10);
    await page.goto('/lab');
    const card = page.locator('.lab-card', { hasText: '浏览器测试：将被拒绝' });
    await card.waitFor({ timeout: 30_000 });
    await card.getByRole('button', { name: '拒绝' }).click();
    await card.getByLabel('拒绝理由（会告知申请人）').fill('样品类型不适用');
    await card.getByRole('button', { name: '确认拒绝' }).click();
    await card.getByRole('status').filter({ hasText: '已拒绝' }).waitFor();
    const [row] = await stack.dataSource.query(`SELECT status, decision_reason FROM booking WHERE id = $1`, [second.id]);
    expect(row).toEqual({ status: 'rejected', decision_reason: '样品类型不适用' });
  }, 60_000);

  it('the availability editor’s preview lists the approved booking a change of weekly hours would leave out, without saving', async () => {
    const windowsBefore = await stack.dataSource.query(`SELECT count(*)::int AS n FROM opening_window WHERE instrument_id = $1`, [request.instrumentId]);
    await page.goto(`/lab/availability?instrument=${request.instrumentId}`);
    const weekly = page.getByRole('region', { name: '每周开放时间' });
    await weekly.waitFor();
    const weekday = new Intl.DateTimeFormat('zh-CN', { timeZone: request.timeZone, weekday: 'short' }).format(new Date(request.start)).replace('周', '');
    const dayName = `周${weekday}`;
    const removers = weekly.getByRole('button', { name: new RegExp(`^删除 ${dayName} `) });
    const count = await removers.count();
    expect(count).toBeGreaterThan(0);
    for (let index = 0; index < count; index++) await removers.first().click();
    await weekly.getByRole('button', { name: '预览影响' }).click();
    const affected = weekly.locator('.lab-affected');
    await affected.waitFor();
    expect(await affected.textContent()).toMatch(/这项修改会影响 \d+ 个已有预约/);
    expect(await affected.locator('li').allTextContents()).toContainEqual(expect.stringContaining(formatLocal(request.start, request.timeZone, 'zh')));
    const windowsAfter = await stack.dataSource.query(`SELECT count(*)::int AS n FROM opening_window WHERE instrument_id = $1`, [request.instrumentId]);
    expect(windowsAfter).toEqual(windowsBefore);
    await screenshot(page, 'lab-availability');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'lab-availability-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);

  it('explains a version conflict when the instrument changed since it was opened', async () => {
    await page.goto(`/lab/instruments?instrument=${request.instrumentId}`);
    const form = page.locator('form.lab-box');
    await form.waitFor();
    await stack.dataSource.query(`UPDATE instrument SET version = version + 1 WHERE id = $1`, [request.instrumentId]);
    await form.getByLabel('技术指标').fill('浏览器测试修改的技术指标');
    await form.getByRole('button', { name: '保存修改' }).click();
    await page.getByRole('alert').filter({ hasText: '已被其他人修改' }).waitFor();
    await page.getByRole('button', { name: '重新加载最新资料' }).click();
    await form.getByLabel('技术指标').fill('浏览器测试修改的技术指标');
    await form.getByRole('button', { name: '保存修改' }).click();
    await form.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    const [row] = await stack.dataSource.query(`SELECT specs FROM instrument WHERE id = $1`, [request.instrumentId]);
    expect(row.specs).toBe('浏览器测试修改的技术指标');
  }, 60_000);
});
