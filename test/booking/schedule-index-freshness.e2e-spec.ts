import { DataSource } from 'typeorm';
import { AccessTokenService } from '@app/auth';
import { CatalogFixtures, TestAccount, TestApp, startTestApp } from '@app/testing';
import { ScheduleIndex } from '../../apps/booking/src/availability/schedule-index';
import { BookingModule } from '../../apps/booking/src/booking.module';

const DAY = 24 * 3600_000;

/**
 * What keeps one booking process's in-memory busy time and schedules (ScheduleIndex) current
 * besides the requests' own syncs: the background sync between requests, TRUNCATE (which fires no
 * row trigger), and a change of who may see an instrument, which the search and free slots must
 * honour at once (privacy). Each case fails if its mechanism is taken away.
 */
describe('in-memory busy time: background sync, TRUNCATE and visibility changes (e2e)', () => {
  let app: TestApp;
  let dataSource: DataSource;
  let index: ScheduleIndex;
  let fixtures: CatalogFixtures;
  let labManager: TestAccount;
  let outsider: TestAccount;
  let instrumentId: string;

  // Whole days from midnight UTC three days ahead: within every default rule, far from now.
  const rangeStart = Math.ceil((Date.now() + 3 * DAY) / DAY) * DAY;
  const range = { from: new Date(rangeStart).toISOString(), to: new Date(rangeStart + DAY).toISOString() };
  const slotsPath = (id: string) => `/instruments/${id}/slots?${new URLSearchParams({ ...range, durationMinutes: '60' })}`;
  const searchPath = () => `/slots/search?${new URLSearchParams({ ...range, durationMinutes: '60', category: '010102' })}`;

  beforeAll(async () => {
    app = await startTestApp(BookingModule, { env: { SCHEDULE_SYNC_INTERVAL_MS: '50', BOOKING_SWEEP_SECONDS: '0', OUTBOX_RELAY_INTERVAL_MS: '0' } });
    dataSource = app.app.get(DataSource);
    index = app.app.get(ScheduleIndex);
    const tokens = app.app.get(AccessTokenService);
    fixtures = new CatalogFixtures(dataSource, app.http, (user) => tokens.sign(user));
    const owner = await fixtures.institution({ regionCode: '330106' });
    labManager = await fixtures.account('lab_manager', { institutionId: owner.id });
    outsider = await fixtures.account('researcher', { institutionId: (await fixtures.institution({ regionCode: '330108' })).id });
    ({ id: instrumentId } = await fixtures.instrument(owner.id, { timeZone: 'UTC' }));
    const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '00:00', closes: '00:00' }));
    expect((await app.http.put(`/instruments/${instrumentId}/opening-hours`, { windows: everyDay }, { token: labManager.token })).status).toBe(200);
    expect((await app.http.put(`/instruments/${instrumentId}/booking-rules`, { minNoticeMinutes: 0, bufferMinutes: 0 }, { token: labManager.token })).status).toBe(200);
    await index.everyInstrument();
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Maintenance over the first `hours` of the range, written straight to the tables (no request reaches the index). */
  async function maintenance(hours: number): Promise<void> {
    const [period] = await dataSource.query(
      `INSERT INTO maintenance_period (instrument_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, 'calibration') RETURNING id`,
      [instrumentId, new Date(rangeStart), new Date(rangeStart + hours * 3600_000)],
    );
    await dataSource.query(`INSERT INTO time_block (instrument_id, during, maintenance_id) VALUES ($1, tstzrange($2, $3), $4)`, [
      instrumentId,
      new Date(rangeStart),
      new Date(rangeStart + hours * 3600_000),
      period.id,
    ]);
  }

  /** Free one-hour starts on the half hour over the day (48 when nothing is taken: open around the clock, so the last one ends after midnight). */
  const freeStarts = async (token?: string) => {
    const response = await app.http.get(slotsPath(instrumentId), token ? { token } : {});
    expect(response.status).toBe(200);
    return response.body.slots.length as number;
  };

  it('applies writes between requests by itself, so no request pays for a backlog', async () => {
    const before = index.size().busyRows;
    await maintenance(2);
    // No request in between: only the background sync can have brought it in.
    const deadline = Date.now() + 5_000;
    while (index.size().busyRows === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(index.size().busyRows).toBe(before + 1);
    expect(await freeStarts()).toBe(44);
  });

  it('reloads after a TRUNCATE of a tracked table, which logs no rows', async () => {
    expect(await freeStarts()).toBe(44);
    await dataSource.query(`TRUNCATE time_block`);
    expect(await freeStarts()).toBe(48);
    await maintenance(3);
    expect(await freeStarts()).toBe(42);
  });

  it('hides an instrument from the search and its free slots as soon as it stops being shared', async () => {
    const found = async (token?: string) => {
      const response = await app.http.get(searchPath(), token ? { token } : {});
      expect(response.status).toBe(200);
      return response.body.items.some((item: { instrumentId: string }) => item.instrumentId === instrumentId);
    };
    expect(await found()).toBe(true);
    expect(await found(outsider.token)).toBe(true);

    await dataSource.query(`UPDATE instrument SET sharing_mode = 'internal_only' WHERE id = $1`, [instrumentId]);
    expect(await found()).toBe(false);
    expect(await found(outsider.token)).toBe(false);
    expect(await found(labManager.token)).toBe(true);
    expect((await app.http.get(slotsPath(instrumentId))).status).toBe(404);
    expect((await app.http.get(slotsPath(instrumentId), { token: outsider.token })).status).toBe(404);
    expect((await app.http.get(slotsPath(instrumentId), { token: labManager.token })).status).toBe(200);

    await dataSource.query(`UPDATE instrument SET sharing_mode = 'external' WHERE id = $1`, [instrumentId]);
    expect(await found(outsider.token)).toBe(true);
  });
});
