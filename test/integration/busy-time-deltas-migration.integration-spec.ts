import type { DataSource } from 'typeorm';
import { openMigrationTestDatabase, undoMigrationsThrough } from '@app/testing';
import type { MigrationTestDatabase } from '@app/testing';

/**
 * Migration 1765200000000: time_block writes log the start of each block they insert, delete or
 * move (old and new) beside the instrument; other tracked tables log no start; down restores the
 * instrument-only log. (It undoes the migrations after it first.)
 */
describe('busy-time deltas: migration (integration)', () => {
  let dataSource: DataSource;
  let instrumentId: string;

  /** What the log holds for the instrument, oldest first: starts as ISO text, null for "read whole". */
  const logged = async (): Promise<(string | null)[]> => {
    const rows: { block_start: Date | null }[] = await dataSource.query(
      `SELECT ${(await hasBlockStart()) ? 'block_start' : 'NULL::timestamptz AS block_start'} FROM time_block_change WHERE instrument_id = $1 ORDER BY changed_xid, block_start`,
      [instrumentId],
    );
    return rows.map((row) => row.block_start?.toISOString() ?? null);
  };
  const hasBlockStart = async () =>
    (await dataSource.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'time_block_change' AND column_name = 'block_start'`)).length === 1;
  const maintenance = async (start: string, end: string): Promise<string> => {
    const [period] = await dataSource.query(
      `INSERT INTO maintenance_period (instrument_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, 'calibration') RETURNING id`,
      [instrumentId, start, end],
    );
    await dataSource.query(`INSERT INTO time_block (instrument_id, during, maintenance_id) VALUES ($1, tstzrange($2, $3), $4)`, [instrumentId, start, end, period.id]);
    return period.id;
  };

  let opened: MigrationTestDatabase;
  beforeAll(async () => {
    opened = await openMigrationTestDatabase('核磁共振波谱仪');
    ({ dataSource, instrumentId } = opened);
  });
  afterAll(() => opened?.close());

  it('logs the starts a time_block write touched, and only the instrument once undone', async () => {
    await dataSource.query(`DELETE FROM time_block_change`);
    const period = await maintenance('2026-12-01T08:00:00Z', '2026-12-01T10:00:00Z');
    // Moved: the old start and the new one.
    await dataSource.query(`UPDATE time_block SET during = tstzrange('2026-12-01T09:00:00Z', '2026-12-01T11:00:00Z') WHERE maintenance_id = $1`, [period]);
    await dataSource.query(`DELETE FROM time_block WHERE maintenance_id = $1`, [period]);
    // An hours change: the instrument is read whole.
    await dataSource.query(`INSERT INTO opening_window (instrument_id, weekday, opens, closes) VALUES ($1, 1, '08:00', '17:00')`, [instrumentId]);
    expect(await logged()).toEqual([
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T09:00:00.000Z',
      null,
    ]);

    await undoMigrationsThrough(dataSource, 'BusyTimeDeltas1765200000000');
    expect(await hasBlockStart()).toBe(false);
    await dataSource.query(`DELETE FROM time_block_change`);
    await maintenance('2026-12-02T08:00:00Z', '2026-12-02T09:00:00Z');
    const [{ rows }] = await dataSource.query(`SELECT count(*)::int AS rows FROM time_block_change WHERE instrument_id = $1`, [instrumentId]);
    expect(rows).toBe(1);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await hasBlockStart()).toBe(true);
    await dataSource.query(`DELETE FROM time_block_change`);
    await maintenance('2026-12-03T08:00:00Z', '2026-12-03T09:00:00Z');
    expect(await logged()).toEqual(['2026-12-03T08:00:00.000Z']);
  });
});
