import type { DataSource } from 'typeorm';
import { openMigrationTestDatabase, undoMigrationsThrough } from '@app/testing';
import type { MigrationTestDatabase } from '@app/testing';

/**
 * Migration 1765100000000 moves compiled days from a row each into month rows with an array per
 * figure, and back: nothing compiled is lost either way, and the view keeps the old shape for
 * readers and writers. (It undoes the migrations after it first.)
 */
describe('statistics by month: migration (integration)', () => {
  let dataSource: DataSource;
  let instrumentId: string;

  const FIGURES = `open_minutes, booked_minutes, effective_minutes, external_minutes, services, distinct_users, distinct_firms,
                   distinct_small_micro_firms, revenue_fen, no_shows, rating_sum, rating_count`;
  const days = () =>
    dataSource.query(`SELECT day::text, ${FIGURES} FROM instrument_day_statistics WHERE instrument_id = $1 ORDER BY day`, [instrumentId]);
  const relationKind = async () => (await dataSource.query(`SELECT relkind FROM pg_class WHERE relname = 'instrument_day_statistics'`))[0].relkind;
  const day = (date: string, open: number, booked: number, revenue: number) => ({
    day: date,
    open_minutes: open,
    booked_minutes: booked,
    effective_minutes: booked,
    external_minutes: 0,
    services: 1,
    distinct_users: 1,
    distinct_firms: 0,
    distinct_small_micro_firms: 0,
    revenue_fen: String(revenue),
    no_shows: 0,
    rating_sum: 4,
    rating_count: 1,
  });
  const insertDay = (row: ReturnType<typeof day>) =>
    dataSource.query(
      `INSERT INTO instrument_day_statistics (instrument_id, day, ${FIGURES}, compiled_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, now())`,
      [instrumentId, row.day, row.open_minutes, row.booked_minutes, row.effective_minutes, row.external_minutes, row.services, row.distinct_users,
        row.distinct_firms, row.distinct_small_micro_firms, row.revenue_fen, row.no_shows, row.rating_sum, row.rating_count],
    );

  let opened: MigrationTestDatabase;
  beforeAll(async () => {
    opened = await openMigrationTestDatabase('透射电子显微镜');
    ({ dataSource, instrumentId } = opened);
  });
  afterAll(() => opened?.close());

  it('moves compiled days into their months and back, and keeps the view writable', async () => {
    await undoMigrationsThrough(dataSource, 'StatisticsByMonth1765100000000');
    expect(await relationKind()).toBe('r');
    const compiled = [day('2026-02-03', 600, 120, 5000), day('2026-02-28', 60, 0, 0), day('2026-03-01', 1, 2, 0)];
    for (const row of compiled) await insertDay(row);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await relationKind()).toBe('v');
    expect(await days()).toEqual(compiled);
    const months = await dataSource.query(
      `SELECT month::text, cardinality(open_minutes) AS days, array_positions(open_minutes, NULL) IS NOT NULL AS has_gaps,
              open_minutes[3] AS third, open_minutes[28] AS last
       FROM instrument_month_statistics WHERE instrument_id = $1 ORDER BY month`,
      [instrumentId],
    );
    expect(months).toEqual([
      { month: '2026-02-01', days: 28, has_gaps: true, third: 600, last: 60 },
      { month: '2026-03-01', days: 31, has_gaps: true, third: null, last: null },
    ]);

    // A day written through the view lands in its month beside the others, and the month's totals follow.
    const tenth = day('2026-02-10', 780, 300, 12000);
    await insertDay(tenth);
    expect(await days()).toEqual([compiled[0], tenth, ...compiled.slice(1)]);
    const totals = await dataSource.query(
      `SELECT month::text, compiled_days, open_minutes_total::int, booked_minutes_total::int, revenue_fen_total::int, services_total::int
       FROM instrument_month_statistics WHERE instrument_id = $1 ORDER BY month`,
      [instrumentId],
    );
    expect(totals).toEqual([
      { month: '2026-02-01', compiled_days: 3, open_minutes_total: 600 + 60 + 780, booked_minutes_total: 120 + 300, revenue_fen_total: 17000, services_total: 3 },
      { month: '2026-03-01', compiled_days: 1, open_minutes_total: 1, booked_minutes_total: 2, revenue_fen_total: 0, services_total: 1 },
    ]);

    // A day missing a figure is refused rather than hidden.
    await expect(insertDay({ ...day('2026-02-11', 600, 0, 0), booked_minutes: null as unknown as number })).rejects.toThrow(/every figure of a day is required/);

    await undoMigrationsThrough(dataSource, 'StatisticsByMonth1765100000000');
    expect(await relationKind()).toBe('r');
    expect(await days()).toEqual([compiled[0], tenth, ...compiled.slice(1)]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await days()).toEqual([compiled[0], tenth, ...compiled.slice(1)]);
  });

  it('forgets a deleted instrument’s months', async () => {
    await dataSource.query(`DELETE FROM instrument WHERE id = $1`, [instrumentId]);
    const [{ months }] = await dataSource.query(`SELECT count(*)::int AS months FROM instrument_month_statistics WHERE instrument_id = $1`, [instrumentId]);
    expect(months).toBe(0);
  });
});
