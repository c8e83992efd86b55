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
