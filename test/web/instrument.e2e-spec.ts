/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@app/db/demo';
import { WebStack, accessibilityViolations, screenshot, startWebStack } from '@app/testing';

interface Booking {
  id: string;
  instrumentId: string;
  status: string;
  mode: string;
  start: string;
  end: string;
  sampleCount?: number;
  voucher?: { reservedFen: number };
}

/**
 * The instrument page against the real services in headless Chromium: record, fees and
 * performance, the week and month calendar, booking by sample submission, the firm's voucher part
 * with the live quote, and a clash explained with the nearest free times offered.
 */
describe('web app: instrument page (browser)', () => {
  let stack: WebStack;

  beforeAll(async () => {
    stack = await startWebStack();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  /**
   * Bookable instruments: shared, by sample submission, with published hours, a fee, no per-person
   * caps, and owned by neither demo booker's institution; `where` narrows further (on i, r).
   */
  async function bookableInstruments(where = 'true', params: unknown[] = []): Promise<{ id: string; name_zh: string }[]> {
    return stack.dataSource.query(
      `SELECT i.id, i.name_zh FROM instrument i JOIN booking_rules r ON r.instrument_id = i.id
       WHERE i.sharing_mode = 'external' AND 'sample_submission' = ANY (i.service_modes) AND i.condition = 'normal'
         AND EXISTS (SELECT 1 FROM opening_window w WHERE w.instrument_id = i.id)
         AND EXISTS (SELECT 1 FROM instrument_fee f WHERE f.instrument_id = i.id AND f.position = 0 AND f.external_rate_fen > 0)
         AND r.max_minutes_per_day IS NULL AND r.max_minutes_per_week IS NULL AND r.max_advance_days >= 30
         AND i.institution_id NOT IN (SELECT institution_id FROM app_user WHERE email IN ('researcher@demo.example', 'firm@demo.example'))
         AND ${where}
       ORDER BY i.id`,
      params,
    );
  }

  async function apiToken(email: string): Promise<string> {
    const response = await fetch(`${stack.web.baseUrl}/api/catalog/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  /** The signed-in page's own token (the session the page keeps). */
  const pageToken = (page: Page) => page.evaluate(() => localStorage.getItem('session')!);

  async function myBookings(token: string): Promise<Booking[]> {
    const response = await fetch(`${stack.web.baseUrl}/api/booking/bookings?mine=true&pageSize=100`, { headers: { authorization: `Bearer ${token}` } });
    return ((await response.json()) as { items: Booking[] }).items;
  }

  /** Waits for the calendar's answer; moves on a week while this one has nothing free. Returns the free slot buttons. */
  async function freeSlots(page: Page) {
    for (let week = 0; week < 4; week++) {
      await page.waitForSelector('.instrument-calendar-body[aria-busy="false"]');
      const slots = page.locator('.instrument-week .instrument-slot');
      if ((await slots.count()) > 0) return slots;
      await page.getByRole('button', { name: '下一周' }).click();
      await page.waitForSelector('.instrument-calendar-body[aria-busy="true"]').catch(() => undefined);
    }
    throw new Error('no free time within four weeks');
  }

  it('a researcher searches in Chinese, opens an instrument, reads specs, fees and performance, and books sample submission from the week view', async () => {
    const [instrument] = await bookableInstruments(`i.name_zh ~ '[\\u4e00-\\u9fff]'`);
    const page = await stack.newPage();
    await stack.signIn(page, 'researcher@demo.example');
    await page.goto('/');
    const answered = page.waitForResponse((response) => new URL(response.url()).searchParams.get('q') === instrument.name_zh);
    await page.getByRole('searchbox', { name: '搜索仪器（中文、繁體或英文）' }).fill(instrument.name_zh);
    await answered;
    await page.waitForSelector('.results[aria-busy="false"]');
    const link = page.locator(`.result-card a[href="/instruments/${instrument.id}"]`);
    await link.waitFor();
    await link.click();

    await page.getByRole('heading', { level: 1, name: instrument.name_zh }).waitFor();
    const record = page.getByRole('region', { name: '仪器信息' });
    expect(await record.textContent()).toContain('主要技术指标');
    expect(await record.textContent()).toMatch(/联系人/);
    const fees = page.getByRole('region', { name: '服务方式与收费' });
    expect(await fees.textContent()).toContain('送样检测');
    expect(await fees.getByRole('columnheader', { name: '校内价' }).count()).toBe(1);
    expect(await fees.locator('tbody td').first().textContent()).toMatch(/^¥[\d,.]+\/(小时|样|天|次)$/);
    const performance = page.getByRole('region', { name: '服务表现（近 12 个月）' });
    await performance.getByText('使用率').waitFor();
    expect(await performance.textContent()).toMatch(/使用率(较低|中等|较高|满负荷).*审批用时（中位数）.*履约率.*用户评分/);
    expect(await page.getByRole('region', { name: '共享规则' }).textContent()).toMatch(/每周开放时间/);

    const slots = await freeSlots(page);
    const slot = slots.nth(Math.min(3, (await slots.count()) - 1));
    const start = (await slot.getAttribute('data-start'))!;
    await slot.click();
    expect(await slot.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.instrument-selected').textContent()).toMatch(/已选时段: .*\d{2}:\d{2}–\d{2}:\d{2}/);
    await page.getByLabel('服务方式', { exact: true }).selectOption({ label: '送样检测' });
    await page.getByLabel('用途（实验内容）').fill('测定聚合物样品的分子量分布');
    await page.getByLabel('样品数量').fill('3');
    await page.locator('.instrument-fee').filter({ hasText: '费用' }).waitFor();
    expect(await page.locator('.instrument-fee').textContent()).toMatch(/费用: ¥[\d,.]+ \(按对外价 ¥/);
    await screenshot(page, 'instrument-booking-laptop');
    expect(await accessibilityViolations(page, 'serious')).toEqual([]);
    await page.getByRole('button', { name: '提交预约' }).click();

    const result = page.locator('.instrument-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/预约成功，已确认。|预约已提交，等待实验室审批。/);
    expect(await result.getByRole('link', { name: '查看我的预约' }).getAttribute('href')).toBe('/bookings');
    // The booked time is no longer offered.
    await page.waitForSelector('.instrument-calendar-body[aria-busy="false"]');
    expect(await page.locator(`.instrument-slot[data-start="${start}"]`).count()).toBe(0);

    const booked = (await myBookings(await pageToken(page))).filter((booking) => booking.instrumentId === instrument.id && booking.start === start);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({ mode: 'sample_submission', sampleCount: 3 });
    expect(['confirmed', 'pending']).toContain(booked[0].status);

    // ... and finds it in My bookings, with its status in words.
    await result.getByRole('link', { name: '查看我的预约' }).click();
    const card = page.locator(`.bookings-card[data-booking-id="${booked[0].id}"]`);
    for (let pages = 0; (await card.count()) === 0 && pages < 6; pages++) {
      await page.locator('.bookings-card').first().waitFor();
      if ((await card.count()) > 0) break;
      const next = page.getByRole('button', { name: '下一页' });
      if (!(await next.isVisible()) || (await next.isDisabled())) break;
      await next.click();
    }
    await card.getByRole('heading', { name: instrument.name_zh }).waitFor();
    expect(await card.textContent()).toMatch(/已确认|待审批/);
    await screenshot(page, 'instrument-booked-in-my-bookings');
    await page.context().close();
  });

  it('a firm sees the live quote with the voucher part, pays partly by voucher, and the booking reserves it', async () => {
    // Instruments in a region the firm's voucher program accepts (a region code of any level covers those below it).
    const candidates = await bookableInstruments(
      `EXISTS (SELECT 1 FROM voucher_grant g JOIN voucher_program p ON p.id = g.program_id, unnest(p.accepted_region_codes) AS accepted (code)
               WHERE g.enterprise_id = (SELECT institution_id FROM app_user WHERE email = 'firm@demo.example')
                 AND g.status = 'approved' AND g.available_fen > 0 AND 'sample_submission' = ANY (p.eligible_service_modes)
                 AND i.region_code LIKE CASE WHEN accepted.code LIKE '%0000' THEN substr(accepted.code, 1, 2)
                                             WHEN accepted.code LIKE '%00' THEN substr(accepted.code, 1, 4) ELSE accepted.code END || '%')`,
    );
    expect(candidates.length).toBeGreaterThan(0);
    const instrument = candidates[Math.floor(candidates.length / 2)];
    const page = await stack.newPage();
    await stack.signIn(page, 'firm@demo.example');
    await page.goto(`/instruments/${instrument.id}`);
    const slots = await freeSlots(page);
    await slots.nth(Math.min(2, (await slots.count()) - 1)).click();
    await page.getByLabel('服务方式', { exact: true }).selectOption({ label: '送样检测' });
    await page.getByLabel('用途（实验内容）').fill('新材料样品成分检测');
    await page.getByLabel('样品数量').fill('2');

    const voucher = page.getByRole('group', { name: '创新券' });
    const amount = page.getByLabel('本次使用创新券金额（元）');
    await amount.waitFor();
    const option = voucher.getByRole('radio', { checked: true });
    expect(await option.evaluate((input) => input.parentElement!.textContent)).toMatch(/本单最多可付 ¥[\d,.]+（余额 ¥[\d,.]+）/);
    const feeText = (await page.locator('.instrument-fee strong').textContent())!;
    const feeFen = Math.round(Number(feeText.replace(/[¥,]/g, '')) * 100);
    const coverableFen = Math.round(Number(await amount.inputValue()) * 100);
    expect(coverableFen).toBeGreaterThan(0);
    expect(coverableFen).toBeLessThanOrEqual(feeFen);
    // Partly by voucher: half of what the voucher could pay, in whole yuan.
    const payFen = Math.max(100, Math.floor(coverableFen / 200) * 100);
    await amount.fill(String(payFen / 100));
    const pay = page.locator('.instrument-pay');
    const yuan = (fen: number) => `¥${new Intl.NumberFormat('zh-CN').format(Math.floor(fen / 100))}${fen % 100 ? `.${String(fen % 100).padStart(2, '0')}` : ''}`;
    await pay.filter({ hasText: `其余需支付${yuan(feeFen - payFen)}` }).waitFor();
    expect(await pay.textContent()).toBe(`创新券支付${yuan(payFen)}其余需支付${yuan(feeFen - payFen)}`);
    await screenshot(page, 'instrument-voucher-laptop');

    await page.getByRole('button', { name: '提交预约' }).click();
    const result = page.locator('.instrument-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(`预留 ${yuan(payFen)}`);
    const booked = (await myBookings(await pageToken(page))).filter((booking) => booking.instrumentId === instrument.id);
    expect(booked).toHaveLength(1);
    expect(booked[0].voucher?.reservedFen).toBe(payFen);
    await page.context().close();
  });

  it('a slot someone takes first is explained in words, with the nearest free times offered', async () => {
    const candidates = await bookableInstruments();
    const instrument = candidates[candidates.length - 1];
    const page = await stack.newPage();
    await stack.signIn(page, 'researcher@demo.example');
    await page.goto(`/instruments/${instrument.id}`);
    const slots = await freeSlots(page);
    const slot = slots.nth(Math.min(4, (await slots.count()) - 1));
    const start = (await slot.getAttribute('data-start'))!;
    await slot.click();
    await page.getByLabel('服务方式', { exact: true }).selectOption({ label: '送样检测' });
    await page.getByLabel('用途（实验内容）').fill('XRD 物相分析');
    const selected = await page.locator('.instrument-selected').textContent();

    // Someone else books the very same time through the API just before the researcher clicks.
    const end = new Date(Date.parse(start) + (await page.locator('.instrument-duration select').evaluate((select) => Number((select as HTMLSelectElement).value))) * 60_000).toISOString();
    const other = await fetch(`${stack.web.baseUrl}/api/booking/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await apiToken('firm@demo.example')}` },
      body: JSON.stringify({ instrumentId: instrument.id, start, end, mode: 'sample_submission', purpose: '抢先预约', sampleCount: 1 }),
    });
    expect(other.status).toBe(201);
    await page.getByRole('button', { name: '提交预约' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^该时段刚刚被占用（.+\d{2}:\d{2}–\d{2}:\d{2} 已有安排）。 这个时段已被预约。$/);
    const nearest = page.getByRole('group', { name: '附近的空闲时段：' });
    await nearest.waitFor();
    const offers = nearest.getByRole('button');
    expect(await offers.count()).toBeGreaterThan(0);
    expect(await offers.count()).toBeLessThanOrEqual(5);
    expect(await offers.first().textContent()).toMatch(/\d{2}:\d{2}–\d{2}:\d{2}/);
    await screenshot(page, 'instrument-clash');
    await offers.first().click();
    expect(await page.locator('.instrument-selected').textContent()).not.toBe(selected);
    expect(await page.getByRole('alert').count()).toBe(0);
    // Nothing was booked by the researcher on the taken time.
    expect((await myBookings(await pageToken(page))).filter((booking) => booking.instrumentId === instrument.id)).toHaveLength(0);
    await page.context().close();
  });

  it('a visitor switches to the month view, reaches the slots by keyboard, and logs in to book with the chosen time kept', async () => {
    const [instrument] = (await bookableInstruments()).slice(1);
    const page = await stack.newPage({ width: 390, height: 844 });
    await page.goto(`/instruments/${instrument.id}`);
    await freeSlots(page);
    await screenshot(page, 'instrument-phone');
    await page.getByRole('button', { name: '月视图' }).click();
    expect(await page.getByRole('button', { name: '月视图' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.instrument-period').textContent()).toMatch(/^\d{4}年\d{1,2}月$/);
    await page.waitForSelector('.instrument-calendar-body[aria-busy="false"]');
    const days = page.getByRole('group', { name: '选择日期查看空闲时段' }).getByRole('button');
    expect(await days.count()).toBeGreaterThanOrEqual(28);
    // a day's button is named by its date and number of free times, its visible day and count part of that name
    const freeDay = page.locator('.instrument-month-day:not(:disabled)').first();
    const shown = await freeDay.locator('.instrument-month-date').evaluate((element) =>
      [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join(''),
    );
    expect(shown).toMatch(/^\d{1,2}$/);
    await page.getByRole('button', { name: new RegExp(`^\\d+ ?月 ?${shown} ?日 ?星期.，? ?\\d+ ?个空闲时段$`) }).first().waitFor({ timeout: 2000 });
    expect(await accessibilityViolations(page, 'serious')).toEqual([]);

    // Keyboard only: from the view switch, Tab reaches a slot button; arrows move between slots; Enter chooses.
    await page.getByRole('button', { name: '月视图' }).focus();
    let reached = false;
    for (let press = 0; press < 45 && !reached; press++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('instrument-slot') ?? false);
    }
    expect(reached).toBe(true);
    const first = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.start);
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.start);
    if (second !== first) expect(Date.parse(second!)).toBeGreaterThan(Date.parse(first!));
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-pressed'))).toBe('true');
    expect(await page.locator('.instrument-selected').textContent()).toMatch(/已选时段/);

    await page.getByRole('link', { name: '登录后预约' }).click();
    await page.getByLabel('邮箱').fill('researcher@demo.example');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.pathname === `/instruments/${instrument.id}` && url.searchParams.get('start') === second);
    await page.getByRole('button', { name: '提交预约' }).waitFor();
    await page.locator('.instrument-selected strong').waitFor();
    expect(await page.locator('.instrument-selected').textContent()).toMatch(/已选时段: .*\d{2}:\d{2}–/);
    await page.context().close();
  });
});
