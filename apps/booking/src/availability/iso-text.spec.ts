import { utcIso, wallIsoWithOffset } from './iso-text';

describe('utcIso', () => {
  it('writes what toISOString writes, whole minutes or not, from 1970 to 9999 and beyond', () => {
    const instants = [0, 59_999, 60_000, Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 11, 31, 23, 59), Date.UTC(2028, 1, 29, 12, 30), Date.UTC(9999, 11, 31, 23, 59), Date.UTC(10_000, 0, 1), -60_000, Date.UTC(1969, 11, 31, 23, 59, 30, 5)];
    for (let instant = Date.UTC(2026, 0, 1); instant < Date.UTC(2027, 0, 1); instant += 7 * 60_000 + (instant % 3 === 0 ? 0 : 1)) instants.push(instant);
    for (const instant of instants) {
      const expected = new Date(instant).toISOString();
      if (utcIso(instant) !== expected) throw new Error(`${instant}: ${utcIso(instant)} != ${expected}`);
    }
  });
});

describe('wallIsoWithOffset', () => {
  it('writes the wall time and the offset as luxon does, and declines years toISOString cannot write with four digits', () => {
    const wall = Date.UTC(2026, 5, 1, 8, 0);
    expect(wallIsoWithOffset(wall, 480)).toBe('2026-06-01T08:00:00.000+08:00');
    expect(wallIsoWithOffset(wall + 1, -210)).toBe('2026-06-01T08:00:00.001-03:30');
    expect(wallIsoWithOffset(wall, 0)).toBe('2026-06-01T08:00:00.000+00:00');
    expect(wallIsoWithOffset(wall, 345)).toBe('2026-06-01T08:00:00.000+05:45');
    expect(wallIsoWithOffset(Date.UTC(10_000, 0, 1), 60)).toBeNull();
    // Monrovia until 1972: -0:44:30; luxon writes the whole minutes.
    expect(wallIsoWithOffset(wall, -44.5)).toBe('2026-06-01T08:00:00.000-00:44');
  });
});
