import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { resolveDemoAccounts } from './demo-accounts';
import {
  DEMO_BLOCKING_STATUSES,
  DEMO_BOOKING_STATUSES,
  DemoBooking,
  DemoBookingData,
  DemoBookingRules,
  DemoOpeningWindow,
  demoBookableInstrumentCount,
  generateDemoBookings,
} from './demo-bookings.generator';
import { DemoCatalog, DemoInstrument, generateDemoCatalog } from './demo-catalog.generator';
import { loadDemoBookings } from './demo-bookings.loader';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// A Wednesday, 10:30 in Shanghai.
const NOW = new Date('2026-11-25T02:30:00Z');

function fingerprint(data: DemoBookingData): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

/** The first few rows failing a check, with the reason: one expect per property keeps failures readable. */
function violations<T>(rows: readonly T[], check: (row: T) => string | undefined | false): string[] {
  const found: string[] = [];
  for (const row of rows) {
    const problem = check(row);
    if (problem) found.push(problem);
    if (found.length >= 5) break;
  }
  return found;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

interface LocalDay {
  iso: string;
  weekday: number;
  /** The instant of local midnight. */
  midnight: number;
}

/**
 * The local days of a zone around now, found by binary search: luxon once per day instead of once
 * per booking keeps the checks over 60,000 bookings fast.
 */
function localCalendar(zone: string, now: number): (instant: number) => { index: number; days: LocalDay[] } {
  const days: LocalDay[] = [];
  const first = DateTime.fromMillis(now, { zone }).startOf('day').minus({ days: 400 });
  for (let index = 0; index < 500; index++) {
    const day = first.plus({ days: index });
    days.push({ iso: day.toISODate()!, weekday: day.weekday, midnight: day.toMillis() });
  }
  return (instant) => {
    let low = 0;
    let high = days.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (days[middle].midnight <= instant) low = middle;
      else high = middle - 1;
    }
    return { index: low, days };
  };
}

/**
 * Whether [start, end) lies inside one published window; a window of the day before may run
 * overnight. Local times as minutes after midnight: the demo's zone (Asia/Shanghai) has no
 * daylight-saving changes.
 */
function insideHours(windows: readonly DemoOpeningWindow[], days: LocalDay[], index: number, start: number, end: number): boolean {
  for (const day of [days[index - 1], days[index]]) {
    for (const window of windows) {
      if (window.weekday !== day.weekday) continue;
      const opens = minutesOf(window.opens);
      const closes = minutesOf(window.closes) + (minutesOf(window.closes) <= opens ? 1440 : 0);
      if (day.midnight + opens * MINUTE <= start && end <= day.midnight + closes * MINUTE) return true;
    }
  }
  return false;
}

function generate(catalog: DemoCatalog, now = NOW, seed?: number): DemoBookingData {
  return generateDemoBookings({ catalog, accounts: resolveDemoAccounts(catalog), now }, { seed });
}

describe('generateDemoBookings', () => {
  let catalog: DemoCatalog;
  let data: DemoBookingData;
  let instruments: Map<string, DemoInstrument>;
  let rules: Map<string, DemoBookingRules>;
  /** user id -> institution id, demo accounts included. */
  let users: Map<string, string>;
  const now = NOW.getTime();

  let localDay: ReturnType<typeof localCalendar>;

  beforeAll(() => {
    catalog = generateDemoCatalog();
    data = generate(catalog);
    expect(new Set(catalog.instruments.map((instrument) => instrument.timeZone))).toEqual(new Set(['Asia/Shanghai']));
    localDay = localCalendar('Asia/Shanghai', now);
    instruments = new Map(catalog.instruments.map((instrument) => [instrument.id, instrument]));
    rules = new Map(data.rules.map((row) => [row.instrumentId, row]));
    users = new Map(data.users.map((user) => [user.id, user.institutionId]));
    resolveDemoAccounts(catalog).forEach((account, index) => {
      if (account.institutionId) users.set(data.accountIds[index].id, account.institutionId);
    });
  });

  const accountId = (email: string) => data.accountIds.find((account) => account.email === email)!.id;
  const bookingsOf = (email: string) => {
    const id = accountId(email);
    return data.bookings.filter((booking) => booking.userId === id);
  };

  it('gives identical output for the same catalog, accounts and now', () => {
    const smaller = generateDemoCatalog({ instrumentCount: 1_500 });
    const first = generate(smaller);
    expect(first.bookings.length).toBeGreaterThan(5_000);
    expect(fingerprint(generate(smaller))).toBe(fingerprint(first));
    expect(fingerprint(generate(smaller, NOW, 7))).not.toBe(fingerprint(first));
    expect(fingerprint(generate(smaller, new Date(now + DAY)))).not.toBe(fingerprint(first));
  });

  it('moves with the day it is loaded on: a year back and four weeks ahead of now', () => {
    const starts = data.bookings.map((booking) => booking.startsAt.getTime());
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(now - 366 * DAY);
    expect(Math.min(...starts)).toBeLessThan(now - 355 * DAY);
    expect(Math.max(...starts)).toBeLessThanOrEqual(now + 29 * DAY);
    const later = generate(generateDemoCatalog({ instrumentCount: 600 }), new Date(now + 100 * DAY));
    expect(Math.max(...later.bookings.map((booking) => booking.startsAt.getTime()))).toBeGreaterThan(now + 100 * DAY);
  });

  it('has the planned size: hours for every instrument, bookings on 1,500 of them, about 60,000 past and 3,000 future', () => {
    expect(data.rules).toHaveLength(9_000);
    expect(data.bookableInstrumentIds).toHaveLength(1_500);
    const past = data.bookings.filter((booking) => booking.endsAt.getTime() <= now).length;
    const future = data.bookings.filter((booking) => booking.startsAt.getTime() > now).length;
    expect(past).toBeGreaterThan(50_000);
    expect(past).toBeLessThan(70_000);
    expect(future).toBeGreaterThan(2_000);
    expect(future).toBeLessThan(4_500);
    expect(data.users.length).toBeGreaterThanOrEqual(300);
    expect(data.users.length).toBeLessThanOrEqual(400);
    expect(new Set(data.bookings.map((booking) => booking.instrumentId)).size).toBeGreaterThan(1_400);
  });

  it('scales with the catalog: a sixth of a small one, never more than 1,500 instruments', () => {
    expect(demoBookableInstrumentCount(9_000)).toBe(1_500);
    expect(demoBookableInstrumentCount(100_000)).toBe(1_500);
    expect(demoBookableInstrumentCount(400)).toBe(67);
    expect(demoBookableInstrumentCount(100_000, { bookableInstrumentLimit: 0 })).toBe(0);
    const small = generate(generateDemoCatalog({ instrumentCount: 400 }));
    expect(small.bookableInstrumentIds.length).toBeLessThanOrEqual(67);
    expect(small.rules).toHaveLength(400);
    const none = generateDemoBookings({ catalog: { institutions: [], instruments: [] }, accounts: [], now: NOW });
    expect(none.bookings).toEqual([]);
  });

  it('publishes hours: most instruments 08:00-21:00 on weekdays, some Saturday mornings, a few overnight; a fifth need approval', () => {
    const byInstrument = groupBy(data.openingWindows, (window) => window.instrumentId);
    expect(byInstrument.size).toBe(9_000);
    const shareWith = (predicate: (windows: DemoOpeningWindow[]) => boolean) =>
      [...byInstrument.values()].filter(predicate).length / byInstrument.size;
    expect(shareWith((windows) => windows.some((window) => window.weekday === 3 && window.opens === '08:00' && window.closes === '21:00'))).toBeGreaterThan(0.85);
    expect(shareWith((windows) => windows.some((window) => window.weekday === 6))).toBeGreaterThan(0.1);
    expect(shareWith((windows) => windows.some((window) => window.opens === '22:00' && window.closes === '06:00'))).toBeGreaterThan(0.03);
    const approval = data.rules.filter((row) => row.requiresApproval).length / data.rules.length;
    expect(approval).toBeGreaterThan(0.15);
    expect(approval).toBeLessThan(0.25);
    expect(data.rules.filter((row) => row.slotMinutes === 30).length / data.rules.length).toBeGreaterThan(0.85);
    expect(data.rules.some((row) => row.maxMinutesPerDay !== null)).toBe(true);
  });

  it('never overlaps two bookings of an instrument, buffers included, nor a booking and maintenance', () => {
    const maintenance = groupBy(data.maintenancePeriods, (period) => period.instrumentId);
    const problems: string[] = [];
    for (const [instrumentId, bookings] of groupBy(data.bookings, (booking) => booking.instrumentId)) {
      const buffer = rules.get(instrumentId)!.bufferMinutes * MINUTE;
      const sorted = [...bookings].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      sorted.forEach((booking, index) => {
        const next = sorted[index + 1];
        const blockedUntil = booking.endsAt.getTime() + buffer;
        if (next && next.startsAt.getTime() < blockedUntil) problems.push(`${booking.id} and ${next.id}`);
        for (const period of maintenance.get(instrumentId) ?? []) {
          if (period.startsAt.getTime() < blockedUntil && booking.startsAt.getTime() < period.endsAt.getTime()) problems.push(`${booking.id} and ${period.id}`);
        }
      });
    }
    expect(problems.slice(0, 5)).toEqual([]);
    // The rows the exclusion constraint sees.
    const blockProblems: string[] = [];
    for (const blocks of groupBy(data.timeBlocks, (block) => block.instrumentId).values()) {
      const sorted = [...blocks].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      sorted.forEach((block, index) => {
        if (index > 0 && block.startsAt < sorted[index - 1].endsAt) blockProblems.push(`${block.instrumentId} at ${block.startsAt.toISOString()}`);
      });
    }
    expect(blockProblems.slice(0, 5)).toEqual([]);
  });

  it('places every booking inside published hours, on no closed day of its institution', () => {
    const windows = groupBy(data.openingWindows, (window) => window.instrumentId);
    const closures = groupBy(data.closures, (closure) => closure.institutionId);
    const problems = violations(data.bookings, (booking) => {
      const instrument = instruments.get(booking.instrumentId)!;
      const start = booking.startsAt.getTime();
      const end = booking.endsAt.getTime();
      const { index, days } = localDay(start);
      if (!insideHours(windows.get(booking.instrumentId)!, days, index, start, end)) return `${booking.id}: outside hours`;
      const first = days[index].iso;
      const last = days[localDay(end - 1).index].iso;
      const closed = (closures.get(instrument.institutionId) ?? []).find((closure) => closure.startsOn <= last && closure.endsOn >= first);
      return closed && `${booking.id}: on ${closed.reason} ${closed.startsOn}`;
    });
    expect(problems).toEqual([]);
  });

  it('keeps to the slot grid of the local clock and to the lengths and caps the rules allow', () => {
    const problems = violations(data.bookings, (booking) => {
      const rule = rules.get(booking.instrumentId)!;
      const start = booking.startsAt.getTime();
      const { index, days } = localDay(start);
      const minutes = (booking.endsAt.getTime() - start) / MINUTE;
      if ((start - days[index].midnight) % (rule.slotMinutes * MINUTE) !== 0) return `${booking.id}: starts off the grid`;
      if (minutes % rule.slotMinutes !== 0) return `${booking.id}: ${minutes} minutes`;
      if (minutes < rule.minDurationMinutes || minutes > rule.maxDurationMinutes) return `${booking.id}: ${minutes} minutes`;
      return undefined;
    });
    expect(problems).toEqual([]);
    const perDay = groupBy(data.bookings, (booking) => `${booking.userId}|${booking.instrumentId}|${localDay(booking.startsAt.getTime()).index}`);
    const overCap = [...perDay.values()].filter((bookings) => {
      const cap = rules.get(bookings[0].instrumentId)!.maxMinutesPerDay;
      const minutes = bookings.reduce((sum, booking) => sum + (booking.endsAt.getTime() - booking.startsAt.getTime()) / MINUTE, 0);
      return cap !== null && minutes > cap;
    });
    expect(overCap.length).toBe(0);
  });

  it('has every status, each at a time that fits it', () => {
    const counts = Object.fromEntries(DEMO_BOOKING_STATUSES.map((status) => [status, data.bookings.filter((booking) => booking.status === status).length]));
    expect(DEMO_BOOKING_STATUSES.filter((status) => counts[status] === 0)).toEqual([]);
    expect(counts.completed / data.bookings.length).toBeGreaterThan(0.7);
    expect(counts.held).toBeGreaterThanOrEqual(2);
    expect(counts.held).toBeLessThanOrEqual(6);
    const finished = ['completed', 'no_show', 'expired', 'lapsed'];
    const upcoming = ['held', 'pending', 'confirmed'];
    const problems = violations(data.bookings, (booking) => {
      const start = booking.startsAt.getTime();
      if (finished.includes(booking.status) && start > now) return `${booking.id}: ${booking.status} in the future`;
      if (upcoming.includes(booking.status) && start <= now) return `${booking.id}: ${booking.status} in the past`;
      if (booking.status === 'in_use' && start > now) return `${booking.id}: in use before its start`;
      if (booking.createdAt.getTime() > now || booking.updatedAt.getTime() > now) return `${booking.id}: written after now`;
      if (booking.createdAt.getTime() > start - rules.get(booking.instrumentId)!.minNoticeMinutes * MINUTE) return `${booking.id}: made at short notice`;
      return undefined;
    });
    expect(problems).toEqual([]);
  });

  it('keeps holds live: they expire in the future, start after the notice, and block until they expire', () => {
    const holds = data.bookings.filter((booking) => booking.status === 'held');
    for (const hold of holds) {
      expect(hold.holdExpiresAt!.getTime()).toBeGreaterThan(now);
      expect(hold.holdExpiresAt!.getTime()).toBeLessThanOrEqual(now + 10 * MINUTE);
      expect(hold.startsAt.getTime()).toBeGreaterThan(now + rules.get(hold.instrumentId)!.minNoticeMinutes * MINUTE);
      expect(data.timeBlocks.find((block) => block.bookingId === hold.id)?.expiresAt).toEqual(hold.holdExpiresAt);
    }
    expect(data.bookings.filter((booking) => booking.status !== 'held' && booking.holdExpiresAt !== null)).toEqual([]);
  });

  it('gives one time block to each blocking booking, [start, end + buffer), and to each maintenance period, and none to the rest', () => {
    const blocks = new Map(data.timeBlocks.filter((block) => block.bookingId).map((block) => [block.bookingId, block]));
    const problems = violations(data.bookings, (booking) => {
      const block = blocks.get(booking.id);
      const blocking = DEMO_BLOCKING_STATUSES.includes(booking.status);
      if (!blocking) return block && `${booking.id}: ${booking.status} with a block`;
      const until = booking.endsAt.getTime() + rules.get(booking.instrumentId)!.bufferMinutes * MINUTE;
      if (!block || block.startsAt.getTime() !== booking.startsAt.getTime() || block.endsAt.getTime() !== until) return `${booking.id}: block wrong`;
      return undefined;
    });
    expect(problems).toEqual([]);
    expect(blocks.size).toBe(data.bookings.filter((booking) => DEMO_BLOCKING_STATUSES.includes(booking.status)).length);
    const maintenanceBlocks = data.timeBlocks.filter((block) => block.maintenanceId);
    expect(maintenanceBlocks).toHaveLength(data.maintenancePeriods.length);
    expect(data.maintenancePeriods.some((period) => period.startsAt.getTime() > now)).toBe(true);
    expect(data.maintenancePeriods.some((period) => period.endsAt.getTime() < now)).toBe(true);
  });

  it('charges as the booking service does: hourly quotes by the minute, final fees from the time used, late cancellations half the quote', () => {
    const amount = (unit: string, rate: number, minutes: number, samples: number | null) => {
      if (unit === 'hour') return Math.floor((rate * minutes + 30) / 60);
      if (unit === 'day') return rate * Math.max(1, Math.ceil(minutes / 1440));
      return unit === 'sample' ? rate * Math.max(1, samples ?? 1) : rate;
    };
    const problems = violations(data.bookings, (booking: DemoBooking) => {
      const instrument = instruments.get(booking.instrumentId)!;
      const fee = instrument.fees[0];
      const internal = users.get(booking.userId) === instrument.institutionId;
      if (booking.isInternal !== internal) return `${booking.id}: internal ${booking.isInternal}`;
      if (booking.rateFen !== (internal ? fee.internalRateFen : fee.externalRateFen)) return `${booking.id}: rate`;
      const minutes = (booking.endsAt.getTime() - booking.startsAt.getTime()) / MINUTE;
      if (booking.quoteFen !== amount(fee.unit, booking.rateFen!, minutes, booking.sampleCount)) return `${booking.id}: quote`;
      if (booking.status === 'completed') {
        const used = Math.ceil((booking.actualEndAt!.getTime() - booking.actualStartAt!.getTime()) / MINUTE);
        if (booking.actualEndAt!.getTime() > now) return `${booking.id}: finished after now`;
        if (booking.finalFeeFen !== amount(fee.unit, booking.rateFen!, used, booking.sampleCount)) return `${booking.id}: final fee`;
      } else if (booking.finalFeeFen !== null) return `${booking.id}: final fee while ${booking.status}`;
      if (booking.status === 'cancelled') {
        const late = booking.startsAt.getTime() - booking.cancelledAt!.getTime() < 24 * HOUR;
        if (booking.cancellationFeeFen !== null && !late) return `${booking.id}: fee for an early cancellation`;
        if (booking.cancellationFeeFen !== null && booking.cancellationFeeFen !== Math.floor(booking.quoteFen! / 2)) return `${booking.id}: late fee`;
        if (booking.cancelledAt!.getTime() >= booking.startsAt.getTime()) return `${booking.id}: cancelled after its start`;
      }
      return undefined;
    });
    expect(problems).toEqual([]);
    const lateFees = data.bookings.filter((booking) => booking.cancellationFeeFen !== null);
    expect(lateFees.length).toBeGreaterThan(100);
    const rated = data.bookings.filter((booking) => booking.rating !== null);
    expect(rated.every((booking) => booking.status === 'completed' && booking.ratedAt!.getTime() <= now)).toBe(true);
    expect(rated.length / data.bookings.length).toBeGreaterThan(0.2);
  });

  it('lets only trained users operate an instrument themselves', () => {
    const trained = new Set(
      data.qualifications.filter((row) => row.validUntil.getTime() > now).map((row) => `${row.userId}|${row.instrumentId}`),
    );
    const problems = violations(data.bookings, (booking) =>
      booking.mode === 'self_operated' && !trained.has(`${booking.userId}|${booking.instrumentId}`) && `${booking.id}: untrained`,
    );
    expect(problems).toEqual([]);
    expect(violations(data.bookings, (booking) => !instruments.get(booking.instrumentId)!.serviceModes.includes(booking.mode) && booking.id)).toEqual([]);
    expect(data.qualifications.every((row) => row.grantedAt.getTime() < now - 365 * DAY)).toBe(true);
  });

  it('gives the demo researcher and firm member a handful of past and future bookings in various states', () => {
    const researcher = bookingsOf('researcher@demo.example');
    const firm = bookingsOf('firm@demo.example');
    for (const [bookings, statuses] of [
      [researcher, ['completed', 'cancelled', 'no_show', 'rejected', 'expired', 'lapsed', 'confirmed', 'pending', 'held']],
      [firm, ['completed', 'cancelled', 'no_show', 'rejected', 'confirmed', 'pending', 'held']],
    ] as const) {
      expect(new Set(bookings.map((booking) => booking.status))).toEqual(new Set(statuses));
      expect(bookings.filter((booking) => booking.startsAt.getTime() > now).length).toBeGreaterThanOrEqual(4);
      expect(bookings.some((booking) => booking.rating !== null)).toBe(true);
      expect(bookings.some((booking) => booking.cancellationFeeFen !== null)).toBe(true);
    }
    const qualifications = data.qualifications.filter((row) => row.userId === accountId('researcher@demo.example'));
    expect(qualifications.length).toBeGreaterThanOrEqual(3);
    expect(qualifications.length).toBeLessThanOrEqual(8);
    expect(qualifications.some((row) => row.validUntil.getTime() < now)).toBe(true);
    // The lab manager has requests of its own instruments to decide.
    const labManager = resolveDemoAccounts(catalog).find((account) => account.role === 'lab_manager')!;
    const managed = new Set(catalog.instruments.filter((instrument) => instrument.institutionId === labManager.institutionId).map((instrument) => instrument.id));
    expect(data.bookings.some((booking) => booking.status === 'pending' && managed.has(booking.instrumentId))).toBe(true);
  });

  it('keeps below the no-show limit: three within 90 days would have suspended the user', () => {
    const problems: string[] = [];
    for (const [userId, noShows] of groupBy(data.bookings.filter((booking) => booking.status === 'no_show'), (booking) => booking.userId)) {
      const starts = noShows.map((booking) => booking.startsAt.getTime()).sort((a, b) => a - b);
      starts.forEach((start, index) => {
        if (index >= 2 && start - starts[index - 2] < 90 * DAY) problems.push(userId);
      });
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it('records one event per booking: how it reached its status, by whom, never after now', () => {
    expect(data.events).toHaveLength(data.bookings.length);
    const byBooking = new Map(data.events.map((event) => [event.bookingId, event]));
    const managers = new Set([accountId('labmanager@demo.example'), accountId('admin@demo.example')]);
    const problems = violations(data.bookings, (booking) => {
      const event = byBooking.get(booking.id);
      if (!event || event.toStatus !== booking.status) return `${booking.id}: event`;
      if (event.occurredAt.getTime() > now || event.occurredAt < booking.createdAt) return `${booking.id}: event at ${event.occurredAt.toISOString()}`;
      if (['approved', 'rejected', 'no_show'].includes(event.type) && !managers.has(event.actorId!)) return `${booking.id}: decided by ${event.actorId}`;
      if (booking.decidedBy !== null && !managers.has(booking.decidedBy)) return `${booking.id}: decided by ${booking.decidedBy}`;
      return undefined;
    });
    expect(problems).toEqual([]);
  });

  it('closes institutions for the national holidays, the next one included', () => {
    expect(data.closures.some((closure) => closure.startsOn === '2027-01-01' && closure.reason === '元旦放假')).toBe(true);
    expect(data.closures.some((closure) => closure.startsOn === '2026-10-01')).toBe(true);
    expect(data.closures.every((closure) => closure.endsOn >= closure.startsOn)).toBe(true);
  });

  it('still has uses under way when loaded at night, and all promises hold', () => {
    const night = new Date('2026-11-28T15:00:00Z'); // Saturday 23:00 in Shanghai
    const small = generateDemoCatalog({ instrumentCount: 3_000 });
    const loaded = generate(small, night);
    const inUse = loaded.bookings.filter((booking) => booking.status === 'in_use');
    expect(inUse.length).toBeGreaterThanOrEqual(1);
    expect(inUse.every((booking) => booking.startsAt.getTime() < night.getTime())).toBe(true);
    const holds = loaded.bookings.filter((booking) => booking.status === 'held');
    expect(holds.length).toBeGreaterThanOrEqual(2);
    expect(holds.every((booking) => booking.holdExpiresAt!.getTime() > night.getTime())).toBe(true);
  });
});

describe('loadDemoBookings (statements)', () => {
  const catalog = generateDemoCatalog({ instrumentCount: 600 });
  const accounts = resolveDemoAccounts(catalog);
  const realIds = accounts.map((_, index) => `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`);

  function recorder(known = accounts.map((account) => account.email)) {
    const statements: { sql: string; parameters: unknown[] }[] = [];
    const query = async (sql: string, parameters: unknown[] = []) => {
      if (sql.startsWith('SELECT id, email, password_hash FROM app_user')) {
        return accounts
          .map((account, index) => ({ id: realIds[index], email: account.email, password_hash: '$argon2id$demo' }))
          .filter((row) => known.includes(row.email));
      }
      statements.push({ sql, parameters });
      return [];
    };
    return { statements, query };
  }
  const tableOf = (sql: string) => /^INSERT INTO (\w+)/.exec(sql)![1];

  it('inserts every table in order, in batches, inside the caller’s transaction, with the demo accounts’ real ids', async () => {
    const data = generate(catalog);
    const { statements, query } = recorder();
    const loaded = await loadDemoBookings(query, data, { batchSize: 1_000 });
    expect([...new Set(statements.map((statement) => tableOf(statement.sql)))]).toEqual([
      'app_user', 'booking_rules', 'opening_window', 'institution_closure', 'maintenance_period', 'qualification', 'booking', 'booking_event', 'time_block',
    ]);
    expect(statements.filter((statement) => tableOf(statement.sql) === 'booking')).toHaveLength(Math.ceil(data.bookings.length / 1_000));
    expect(statements.some((statement) => /BEGIN|COMMIT|ROLLBACK/i.test(statement.sql))).toBe(false);
    expect(loaded.bookings).toBe(data.bookings.length);
    expect(loaded.events).toBe(data.bookings.length);
    expect(Object.values(loaded.bookingsByStatus).reduce((sum, count) => sum + count, 0)).toBe(data.bookings.length);
    const everything = statements.flatMap((statement) => statement.parameters).join('\n');
    for (const { id } of data.accountIds) expect(everything).not.toContain(id);
    expect(everything).toContain(realIds[0]);
    // Generated users get the demo accounts' hash.
    expect(statements[0].parameters[2]).toMatch(/^\{"\$argon2id\$demo"(,"\$argon2id\$demo")*\}$/);
    expect(statements.find((statement) => tableOf(statement.sql) === 'time_block')!.sql).toContain('tstzrange(source.starts_at, source.ends_at)');
  });

  it('quotes and escapes text in the array literals, and writes nulls as NULL', async () => {
    const data = generate(catalog);
    data.users[0].displayName = 'a "b" \\ c, {d}';
    const { statements, query } = recorder();
    await loadDemoBookings(query, data);
    const names = statements[0].parameters[3] as string;
    expect(names.startsWith('{"a \\"b\\" \\\\ c, {d}",')).toBe(true);
    const booking = statements.find((statement) => tableOf(statement.sql) === 'booking')!;
    expect(booking.parameters[10]).toMatch(/^\{(NULL|[0-9TZ:.-]+)(,(NULL|[0-9TZ:.-]+))*\}$/);
  });

  it('refuses to load before the demo accounts exist', async () => {
    const { statements, query } = recorder([]);
    await expect(loadDemoBookings(query, generate(catalog))).rejects.toThrow(/Load the demo accounts/);
    expect(statements).toEqual([]);
  });
});
