import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@app/db/demo';
import { HttpClient, WebStack } from '@app/testing';

/** Through the web server's proxy, as the browser calls the services. */
export function services(stack: WebStack) {
  return { catalog: new HttpClient(`${stack.web.baseUrl}/api/catalog`), booking: new HttpClient(`${stack.web.baseUrl}/api/booking`) };
}

export async function tokenOf(stack: WebStack, email: string): Promise<string> {
  const answer = await services(stack).catalog.post<{ accessToken: string }>('/auth/login', { email, password: DEMO_PASSWORD });
  if (answer.status !== 201 && answer.status !== 200) throw new Error(`login ${email}: ${answer.status} ${answer.text}`);
  return answer.body.accessToken;
}

export interface CreatedBooking {
  id: string;
  instrumentId: string;
  status: string;
  start: string;
  end: string;
  timeZone: string;
}

/**
 * A sample-submission request by the user on the instrument, at the first free time from `daysAhead`
 * days on that the booking rules accept.
 */
export async function requestBooking(stack: WebStack, token: string, instrumentId: string, purpose: string, daysAhead = 3): Promise<CreatedBooking> {
  const { booking } = services(stack);
  const rules = await booking.get<{ rules: { minDurationMinutes: number; slotMinutes: number } }>(`/instruments/${instrumentId}/booking-rules`);
  const minutes = Math.ceil(rules.body.rules.minDurationMinutes / rules.body.rules.slotMinutes) * rules.body.rules.slotMinutes;
  const from = new Date(Date.now() + daysAhead * 86_400_000);
  const to = new Date(from.getTime() + 20 * 86_400_000);
  const slots = await booking.get<{ slots: { start: string; end: string }[] }>(
    `/instruments/${instrumentId}/slots?from=${from.toISOString()}&to=${to.toISOString()}&durationMinutes=${minutes}`,
    { token },
  );
  const refusals: string[] = [];
  for (const slot of slots.body.slots.slice(0, 15)) {
    const created = await booking.post<CreatedBooking>('/bookings', { instrumentId, start: slot.start, end: slot.end, mode: 'sample_submission', purpose, sampleCount: 1 }, { token });
    if (created.status === 201) return created.body;
    refusals.push(created.text);
  }
  throw new Error(`no bookable slot on ${instrumentId}: ${refusals.slice(0, 3).join(' | ')}`);
}

/** My bookings of the signed-in firm member or researcher, the voucher application form opened in the wallet. */
export async function openVoucherApplication(page: Page): Promise<{ wallet: Locator; form: Locator }> {
  await page.goto('/bookings');
  const wallet = page.getByRole('region', { name: '创新券钱包' });
  await wallet.locator('.bookings-grants li').first().waitFor();
  await wallet.getByRole('button', { name: '申请创新券', exact: true }).click();
  const form = wallet.getByRole('form', { name: '申请创新券' });
  await form.getByLabel('创新券项目').locator('option').first().waitFor({ state: 'attached' });
  return { wallet, form };
}

/**
 * Sends the open application form for the yuan typed, and waits for the page's confirmation, which
 * names the amount as formatted (`shown`). doubleClick: the submit button clicked twice at once.
 */
export async function sendVoucherApplication(wallet: Locator, form: Locator, application: { yuan: string; shown: string; purpose: string; doubleClick?: boolean }): Promise<void> {
  await form.getByLabel('申请金额（元）').fill(application.yuan);
  await form.getByLabel('用途（可选）').fill(application.purpose);
  const submit = form.getByRole('button', { name: '提交申请' });
  await (application.doubleClick ? submit.dblclick() : submit.click());
  await wallet.getByRole('status').filter({ hasText: `已提交 ${application.shown} 的创新券申请，等待科技部门审核。` }).waitFor();
}
