import { DateTime, IANAZone } from 'luxon';
import { localIso, offsetAt, offsetSegments, plainInstantAtWallTime } from './zone-offsets';

const HOUR = 3_600_000;

describe('zone offsets', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Lord_Howe'])('offsetAt agrees with luxon every 17 minutes of 2026 in %s', (name) => {
    const zone = IANAZone.create(name);
    const from = Date.UTC(2026, 0, 1);
    for (let instant = from; instant < Date.UTC(2027, 0, 1); instant += 17 * 60_000) {
      if (offsetAt(zone, instant) !== zone.offset(instant)) throw new Error(`${name} at ${new Date(instant).toISOString()}`);
    }
  });

  it('cuts a range where Berlin changes its clocks, to the millisecond', () => {
    const zone = IANAZone.create('Europe/Berlin');
    const spring = Date.UTC(2026, 2, 29, 1); // 02:00 CET -> 03:00 CEST
    const autumn = Date.UTC(2026, 9, 25, 1); // 03:00 CEST -> 02:00 CET
    expect(offsetSegments(zone, Date.UTC(2026, 2, 20), Date.UTC(2026, 9, 30))).toEqual([
      { start: Date.UTC(2026, 2, 20), end: spring, offsetMinutes: 60 },
      { start: spring, end: autumn, offsetMinutes: 120 },
      { start: autumn, end: Date.UTC(2026, 9, 30), offsetMinutes: 60 },
    ]);
    expect(offsetSegments(zone, spring, spring + HOUR)).toEqual([{ start: spring, end: spring + HOUR, offsetMinutes: 120 }]);
    expect(offsetSegments(zone, spring - HOUR, spring)).toEqual([{ start: spring - HOUR, end: spring, offsetMinutes: 60 }]);
  });

  it('gives one segment in a zone without changes', () => {
    const zone = IANAZone.create('Asia/Shanghai');
    expect(offsetSegments(zone, Date.UTC(2026, 0, 1, 5), Date.UTC(2026, 3, 1, 7))).toEqual([
      { start: Date.UTC(2026, 0, 1, 5), end: Date.UTC(2026, 3, 1, 7), offsetMinutes: 480 },
    ]);
  });
});

describe('localIso', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Asia/Kolkata', 'America/St_Johns', 'Europe/London'])('writes what luxon writes, across 2026, in %s', (name) => {
    const zone = IANAZone.create(name);
    for (let instant = Date.UTC(2026, 0, 1); instant < Date.UTC(2027, 0, 1); instant += 29 * 60_000 + 7) {
      const expected = DateTime.fromMillis(instant, { zone }).toISO();
      if (localIso(zone, instant) !== expected) throw new Error(`${name}: ${localIso(zone, instant)} != ${expected}`);
    }
  });
});

describe('plainInstantAtWallTime', () => {
  it.each(['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Lord_Howe'])('agrees with luxon away from changes and gives up near them, in %s', (name) => {
    const zone = IANAZone.create(name);
    let declined = 0;
    for (let wall = Date.UTC(2026, 0, 1); wall < Date.UTC(2027, 0, 1); wall += 37 * 60_000) {
      const instant = plainInstantAtWallTime(zone, wall);
      const local = new Date(wall);
      const possible = DateTime.fromObject(
        { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes() },
        { zone },
      ).getPossibleOffsets();
      if (instant === null) declined++;
      else if (possible.length !== 1 || possible[0].toMillis() !== instant) throw new Error(`${name} at wall ${local.toISOString()}`);
    }
    expect(declined).toBeLessThan(name === 'Asia/Shanghai' ? 1 : 200);
  });
});
