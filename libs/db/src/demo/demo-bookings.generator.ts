import { DateTime } from 'luxon';
import type { FeeUnit, Language, ServiceMode } from '../entities/enums';
import type { ResolvedDemoAccount } from './demo-accounts';
import { DEFAULT_DEMO_SEED, DEMO_TIME_ZONE, type DemoCatalog, type DemoInstitution, type DemoInstrument } from './demo-catalog.generator';
import { GIVEN_NAME_CHARACTERS, SURNAMES } from './institution-names.data';
import { SeededRandom, WeightedPicker, deterministicUuids } from './seeded-random.util';

/**
 * The booking side of the demo: published hours and rules, holidays, maintenance, training records,
 * a few hundred extra users and a year of bookings in every state, relative to the day of loading.
 *
 * Deterministic: the same catalog, accounts, `now` and options always give the same rows, ids
 * included. Nothing here touches the database; demo-bookings.loader.ts writes the rows.
 *
 * What the data promises (and demo-bookings.spec.ts checks):
 * - per instrument, no two bookings (whatever their status) and no booking and maintenance period
 *   overlap, each booking counted with its buffer: [start, end + buffer);
 * - every booking lies inside a published window, on no closed day, on the slot grid of the local
 *   clock, between the instrument's shortest and longest booking, within the per-user caps;
 * - statuses follow the clock: finished time holds only final states, future time only held,
 *   pending, confirmed, cancelled and rejected ones, time under way `in_use` (loaded when nothing
 *   is under way, the last two uses of the past three days are still checked in instead);
 * - holds were made minutes ago and expire within BOOKING_HOLD_MINUTES; no user reaches the
 *   no-show limit (the demo has no suspensions);
 * - fees follow the booking service: quote = rate × minutes / 60 for hourly lines (half up to the
 *   fen), final fee from the minutes actually used, late cancellation = 50 % of the quote;
 * - self-operated bookings only by users trained on the instrument.
 * Local times are computed with luxon in the instrument's zone; slot arithmetic inside a window
 * assumes no daylight-saving change within it, true of Asia/Shanghai, the zone of every demo instrument.
 */

export const DEMO_BOOKING_STATUSES = [
  'held',
  'pending',
  'confirmed',
  'in_use',
  'completed',
  'rejected',
  'cancelled',
  'no_show',
  'expired',
  'lapsed',
] as const;
export type DemoBookingStatus = (typeof DEMO_BOOKING_STATUSES)[number];
/** Statuses whose bookings take the instrument's time (they have a time_block row). */
export const DEMO_BLOCKING_STATUSES: readonly DemoBookingStatus[] = ['held', 'pending', 'confirmed', 'in_use'];

export interface DemoBookingRules {
  instrumentId: string;
  slotMinutes: number;
  minDurationMinutes: number;
  maxDurationMinutes: number;
  bufferMinutes: number;
  minNoticeMinutes: number;
  maxAdvanceDays: number;
  maxMinutesPerDay: number | null;
  maxMinutesPerWeek: number | null;
  requiresApproval: boolean;
}

/** ISO weekday (1 = Monday); closes not after opens runs overnight into the next day. */
export interface DemoOpeningWindow {
  instrumentId: string;
  weekday: number;
  opens: string;
  closes: string;
}

export interface DemoInstitutionClosure {
  id: string;
  institutionId: string;
  /** Local dates, both included. */
  startsOn: string;
  endsOn: string;
  reason: string;
}

export interface DemoMaintenancePeriod {
  id: string;
  instrumentId: string;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  createdBy: string | null;
  createdAt: Date;
}

export interface DemoQualification {
  id: string;
  userId: string;
  instrumentId: string;
  validUntil: Date;
  grantedBy: string | null;
  grantedAt: Date;
  note: string;
}

/** A generated user (the demo accounts are not in this list; see accountIds). */
export interface DemoUser {
  id: string;
  email: string;
  displayName: string;
  role: 'researcher' | 'firm_member';
  institutionId: string;
  language: Language;
}

export interface DemoBooking {
  id: string;
  instrumentId: string;
  userId: string;
  status: DemoBookingStatus;
  mode: ServiceMode;
  purpose: string;
  sampleCount: number | null;
  notes: string;
  startsAt: Date;
  endsAt: Date;
  holdExpiresAt: Date | null;
  isInternal: boolean;
  feeUnit: FeeUnit | null;
  rateFen: number | null;
  quoteFen: number | null;
  finalFeeFen: number | null;
  cancellationFeeFen: number | null;
  actualStartAt: Date | null;
  actualEndAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  cancelledBy: string | null;
  cancelledAt: Date | null;
  cancellationReason: string | null;
  rating: number | null;
  ratingComment: string | null;
  ratedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The one audit entry of a booking: how it came to its present status. */
export interface DemoBookingEvent {
  bookingId: string;
  type: string;
  fromStatus: DemoBookingStatus | null;
  toStatus: DemoBookingStatus;
  actorId: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  occurredAt: Date;
}

/** [startsAt, endsAt) taken on an instrument: a blocking booking with its buffer, or maintenance. */
export interface DemoTimeBlock {
  instrumentId: string;
  startsAt: Date;
  endsAt: Date;
  bookingId: string | null;
  maintenanceId: string | null;
  expiresAt: Date | null;
}

export interface DemoBookingData {
  /** The instant the data is relative to. */
  now: Date;
  rules: DemoBookingRules[];
  openingWindows: DemoOpeningWindow[];
  closures: DemoInstitutionClosure[];
  maintenancePeriods: DemoMaintenancePeriod[];
  qualifications: DemoQualification[];
  users: DemoUser[];
  bookings: DemoBooking[];
  events: DemoBookingEvent[];
  timeBlocks: DemoTimeBlock[];
  /**
   * Stand-in ids of the demo accounts, used in the rows above (user_id, decided_by, ...). The
   * accounts get their real ids when inserted; the loader swaps them in by e-mail.
   */
  accountIds: { email: string; id: string }[];
  /** Instruments with bookings (a prefix of the usable ones), for reports and tests. */
  bookableInstrumentIds: string[];
}

export interface DemoBookingOptions {
  seed?: number;
  /** Rules and weekly hours for the first this-many instruments of the catalog (default 10,000). */
  scheduledInstrumentLimit?: number;
  /** Bookings on at most this many instruments (default 1,500) ... */
  bookableInstrumentLimit?: number;
  /** ... and on at most this share of the catalog (default 1/6: 1,500 of 9,000). */
  bookableInstrumentShare?: number;
  /** Mean over instruments of the bookings in the past year (default 40; popular instruments get more). */
  pastBookingsPerInstrument?: number;
  pastDays?: number;
  futureDays?: number;
  /** Future bookings thin out with the lead time: the share made by now is exp(-days ahead / this). */
  futureLeadDays?: number;
  /** Generated users (default: a quarter of the bookable instruments, between 10 and 400). */
  userCount?: number;
  /** As the booking service's settings (BOOKING_HOLD_MINUTES, FREE_CANCELLATION_HOURS, ...). */
  holdMinutes?: number;
  freeCancellationHours?: number;
  lateCancellationFeePercent?: number;
  noShowGraceMinutes?: number;
  noShowLimit?: number;
  noShowWindowDays?: number;
}

export interface DemoBookingInput {
  catalog: Pick<DemoCatalog, 'institutions' | 'instruments'>;
  /** The demo accounts with their institutions (resolveDemoAccounts). */
  accounts: readonly ResolvedDemoAccount[];
  now: Date;
}

export const DEMO_BOOKING_DEFAULTS: Required<Omit<DemoBookingOptions, 'seed' | 'userCount'>> = {
  scheduledInstrumentLimit: 10_000,
  bookableInstrumentLimit: 1_500,
  bookableInstrumentShare: 1 / 6,
  pastBookingsPerInstrument: 40,
  pastDays: 365,
  futureDays: 28,
  futureLeadDays: 21,
  holdMinutes: 10,
  freeCancellationHours: 24,
  lateCancellationFeePercent: 50,
  noShowGraceMinutes: 30,
  noShowLimit: 3,
  noShowWindowDays: 90,
};

/** How many instruments of a catalog of this size get bookings. */
export function demoBookableInstrumentCount(instrumentCount: number, options: DemoBookingOptions = {}): number {
  const limit = options.bookableInstrumentLimit ?? DEMO_BOOKING_DEFAULTS.bookableInstrumentLimit;
  const share = options.bookableInstrumentShare ?? DEMO_BOOKING_DEFAULTS.bookableInstrumentShare;
  return Math.max(0, Math.min(limit, Math.ceil(instrumentCount * share)));
}

// ---------------------------------------------------------------------------------------------
// Fixed data

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Public holidays on the mainland as the State Council announced them (2025, 2026); 2027 is an
 * estimate until its notice appears. Other years get the fixed-date holidays only.
 */
const NATIONAL_HOLIDAYS: Readonly<Record<number, readonly (readonly [string, string, string])[]>> = {
  2025: [
    ['2025-01-01', '2025-01-01', '元旦'],
    ['2025-01-28', '2025-02-04', '春节'],
    ['2025-04-04', '2025-04-06', '清明节'],
    ['2025-05-01', '2025-05-05', '劳动节'],
    ['2025-05-31', '2025-06-02', '端午节'],
    ['2025-10-01', '2025-10-08', '国庆节、中秋节'],
  ],
  2026: [
    ['2026-01-01', '2026-01-03', '元旦'],
    ['2026-02-15', '2026-02-23', '春节'],
    ['2026-04-04', '2026-04-06', '清明节'],
    ['2026-05-01', '2026-05-05', '劳动节'],
    ['2026-06-19', '2026-06-21', '端午节'],
    ['2026-09-25', '2026-09-27', '中秋节'],
    ['2026-10-01', '2026-10-07', '国庆节'],
  ],
  2027: [
    ['2027-01-01', '2027-01-03', '元旦'],
    ['2027-02-05', '2027-02-11', '春节'],
    ['2027-04-03', '2027-04-05', '清明节'],
    ['2027-05-01', '2027-05-05', '劳动节'],
    ['2027-06-09', '2027-06-11', '端午节'],
    ['2027-09-15', '2027-09-17', '中秋节'],
    ['2027-10-01', '2027-10-07', '国庆节'],
  ],
};

function holidaysOf(year: number): readonly (readonly [string, string, string])[] {
  return (
    NATIONAL_HOLIDAYS[year] ?? [
      [`${year}-01-01`, `${year}-01-01`, '元旦'],
      [`${year}-05-01`, `${year}-05-05`, '劳动节'],
      [`${year}-10-01`, `${year}-10-07`, '国庆节'],
    ]
  );
}

interface WindowSpec {
  weekdays: readonly number[];
  opens: string;
  closes: string;
}

const WEEKDAYS = [1, 2, 3, 4, 5] as const;
/** Weekly hours: most open 08:00-21:00 on weekdays; some also Saturday mornings; a few run overnight. */
const HOURS_PROFILES: readonly { name: string; weight: number; windows: readonly WindowSpec[] }[] = [
  { name: 'weekdays', weight: 70, windows: [{ weekdays: WEEKDAYS, opens: '08:00', closes: '21:00' }] },
  {
    name: 'saturday',
    weight: 16,
    windows: [
      { weekdays: WEEKDAYS, opens: '08:00', closes: '21:00' },
      { weekdays: [6], opens: '08:00', closes: '12:00' },
    ],
  },
  {
    name: 'overnight',
    weight: 6,
    windows: [
      { weekdays: WEEKDAYS, opens: '08:00', closes: '21:00' },
      // Sunday to Thursday nights, into the next working morning.
      { weekdays: [7, 1, 2, 3, 4], opens: '22:00', closes: '06:00' },
    ],
  },
  { name: 'office', weight: 8, windows: [{ weekdays: WEEKDAYS, opens: '09:00', closes: '17:00' }] },
];

/** Booking lengths in minutes and how often they are asked for. */
const DURATION_WEIGHTS: readonly (readonly [number, number])[] = [
  [30, 8], [60, 22], [90, 10], [120, 24], [150, 4], [180, 14], [240, 12], [300, 2], [360, 3], [480, 4],
];

const PURPOSES: readonly string[] = [
  '测定样品的分子量', '样品形貌表征', '薄膜厚度与成分分析', '催化剂比表面积测试', '蛋白质结构解析',
  '细胞荧光成像', '元素含量测定', '晶体结构鉴定', '热稳定性分析', '纳米颗粒粒径分布测试',
  '药物杂质分析', '土壤重金属检测', '材料力学性能测试', '代谢物定性定量分析', '组织切片成像',
  '有机化合物结构确证', '半导体器件失效分析', '食品添加剂检测', '高分子材料热分析', '课题组例行测试',
];
const NOTES: readonly string[] = [
  '样品共两批，第二批稍后送到', '需要液氮，请提前准备', '首次使用，请安排老师指导', '样品易吸潮，请尽快测试',
  '测试结果请发送至邮箱', '如有空档可提前开始',
];
const BOOKER_CANCELLATION_REASONS: readonly (string | null)[] = [null, null, '实验计划调整', '样品未准备好', '课题组安排变动', '已改约其他时段'];
const MANAGER_CANCELLATION_REASONS: readonly string[] = ['仪器故障，需停机维修', '设备临时用于校准，抱歉', '实验室停电检修'];
const REJECTION_REASONS: readonly string[] = [
  '样品类型不适用于本仪器，建议改约其他设备',
  '该时段需优先保障重点项目，请改约其他时间',
  '请先完成上机培训再预约自主操作',
  '申请信息不完整，请补充样品说明后重新提交',
];
const NO_SHOW_REASONS: readonly (string | null)[] = [null, '预约开始后未到场，也未提前取消', '未到场'];
const RATING_COMMENTS: readonly string[] = [
  '老师很专业，数据质量好', '预约方便，按时完成', '仪器状态良好，服务热情', '结果出得很快，推荐',
  '操作指导很耐心', '整体满意，等待时间稍长', '设备有点老旧，但结果可靠',
];
const MAINTENANCE_REASONS: readonly string[] = [
  '年度维护保养', '厂家工程师上门校准', '更换易损部件', '真空系统检修', '光路调整与校准', '软件升级与性能验证', '例行预防性维护',
];
const QUALIFICATION_NOTES: readonly string[] = ['上机培训考核合格', '完成操作培训并通过考核', '已参加厂家培训', ''];

// ---------------------------------------------------------------------------------------------
// Local calendar

interface LocalDay {
  iso: string;
  weekday: number;
  year: number;
}

/** The local days of one zone from a first date on, and the instants of local times on them (cached). */
class ZoneCalendar {
  readonly days: LocalDay[] = [];
  private readonly instants = new Map<number, number>();
  private readonly first: DateTime;

  constructor(
    readonly zone: string,
    firstIso: string,
    dayCount: number,
  ) {
    this.first = DateTime.fromISO(firstIso, { zone });
    if (!this.first.isValid) throw new RangeError(`Invalid zone or date: ${zone} ${firstIso}`);
    for (let index = 0; index < dayCount; index++) {
      const day = this.first.plus({ days: index });
      this.days.push({ iso: day.toISODate()!, weekday: day.weekday, year: day.year });
    }
  }

  /** The instant the local clock shows `minuteOfDay` on day `dayIndex` (minutes past 1440 run into the next days). */
  at(dayIndex: number, minuteOfDay: number): number {
    const key = dayIndex * 10_000 + minuteOfDay;
    let instant = this.instants.get(key);
    if (instant === undefined) {
      instant = this.first
        .plus({ days: dayIndex + Math.floor(minuteOfDay / 1440) })
        .set({ hour: Math.floor((minuteOfDay % 1440) / 60), minute: minuteOfDay % 60 })
        .toMillis();
      this.instants.set(key, instant);
    }
    return instant;
  }
}

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

// ---------------------------------------------------------------------------------------------
// Working state

type Settings = typeof DEMO_BOOKING_DEFAULTS & { seed: number; userCount?: number };

/** Someone who books: a generated user or a demo account. */
interface Person {
  id: string;
  institutionId: string;
  /** A small dense number, for the keys of the cap counters. */
  key: number;
}

/** What one scheduled instrument publishes, and (when bookable) what happens on it. */
interface InstrumentPlan {
  instrument: DemoInstrument;
  rules: DemoBookingRules;
  windows: readonly WindowSpec[];
  /** Position on the bookable list, or -1 when the instrument gets no bookings. */
  bookable: number;
  /** Ids of the people with a valid qualification on it. */
  trained: Set<string>;
  /** Its regular users (only trained ones when it offers self-operation only). */
  bookers: Person[];
  maintenance: DemoMaintenancePeriod[];
  slots: Slot[];
  /** Minutes booked per person and local day (week); kept only when the rules cap them. */
  dayUse: Map<number, number> | null;
  weekUse: Map<number, number> | null;
}

/** A place for a booking on an instrument's timeline, then who took it and how it ended. */
interface Slot {
  plan: InstrumentPlan;
  start: number;
  end: number;
  /** Local day of the window it lies in, and the Monday of that week (day indexes, for the caps). */
  dayIndex: number;
  weekIndex: number;
  assigned?: Assignment;
}

interface Assignment {
  person: Person;
  status: DemoBookingStatus;
  /** Cancellations: late (with the fee when the rules allow one) or early; by the lab, not the booker. */
  late?: boolean;
  byManager?: boolean;
  /** Completed ones: rated or not (undefined: at random). */
  rated?: boolean;
}

interface ScriptLine {
  status: DemoBookingStatus;
  when: 'past' | 'future';
  /** Needs an instrument whose bookings are approved by its lab. */
  approval?: boolean;
  late?: boolean;
  rated?: boolean;
}

const lines = (...groups: [number, ScriptLine][]): ScriptLine[] => groups.flatMap(([count, line]) => Array.from({ length: count }, () => line));

/** What the demo researcher and firm member have done and have planned, on a few favourite instruments. */
const DEMO_SCRIPTS: readonly { role: 'researcher' | 'firm_member'; favourites: number; lines: readonly ScriptLine[] }[] = [
  {
    role: 'researcher',
    favourites: 7,
    lines: lines(
      [5, { status: 'completed', when: 'past', rated: true }],
      [3, { status: 'completed', when: 'past', rated: false }],
      [1, { status: 'cancelled', when: 'past', late: true }],
      [1, { status: 'cancelled', when: 'past', late: false }],
      [1, { status: 'no_show', when: 'past' }],
      [1, { status: 'rejected', when: 'past', approval: true }],
      [1, { status: 'expired', when: 'past', approval: true }],
      [1, { status: 'lapsed', when: 'past' }],
      [3, { status: 'confirmed', when: 'future' }],
      [1, { status: 'pending', when: 'future', approval: true }],
      [1, { status: 'held', when: 'future' }],
      [1, { status: 'cancelled', when: 'future', late: false }],
    ),
  },
  {
    role: 'firm_member',
    favourites: 5,
    lines: lines(
      [3, { status: 'completed', when: 'past', rated: true }],
      [2, { status: 'completed', when: 'past', rated: false }],
      [1, { status: 'cancelled', when: 'past', late: true }],
      [1, { status: 'no_show', when: 'past' }],
      [1, { status: 'rejected', when: 'past', approval: true }],
      [2, { status: 'confirmed', when: 'future' }],
      [1, { status: 'pending', when: 'future', approval: true }],
      [1, { status: 'held', when: 'future' }],
    ),
  },
];

/** Quote in fen from the primary fee line, as the booking service computes it (apps/booking fee-quote.ts). */
function feeAmount(unit: FeeUnit, rateFen: number, minutes: number, sampleCount: number | null): number {
  switch (unit) {
    case 'hour':
      return Math.floor((rateFen * minutes + 30) / 60);
    case 'day':
      return rateFen * Math.max(1, Math.ceil(minutes / 1440));
    case 'sample':
      return rateFen * Math.max(1, sampleCount ?? 1);
    case 'run':
      return rateFen;
  }
}

function poisson(random: SeededRandom, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random.next();
  while (product > limit) {
    count++;
    product *= random.next();
  }
  return count;
}

function personName(random: SeededRandom): string {
  const given = random.chance(0.7)
    ? random.pick(GIVEN_NAME_CHARACTERS) + random.pick(GIVEN_NAME_CHARACTERS)
    : random.pick(GIVEN_NAME_CHARACTERS);
  return random.pick(SURNAMES) + given;
}

/** Instruments anyone may book and that work: shared externally, with a fee schedule, in service. */
const isUsable = (instrument: DemoInstrument): boolean =>
  instrument.sharingMode === 'external' &&
  instrument.serviceModes.length > 0 &&
  instrument.fees.length > 0 &&
  (instrument.condition === 'normal' || instrument.condition === 'occasional_faults' || instrument.condition === 'frequent_faults');

function buildRules(random: SeededRandom, instrumentId: string, overnight: boolean): DemoBookingRules {
  const slotMinutes = random.chance(0.1) ? 60 : 30;
  const minDurationMinutes = slotMinutes === 60 || random.chance(0.2) ? 60 : 30;
  const maxDurationMinutes = overnight ? 480 : random.chance(0.85) ? 240 : random.pick([120, 180]);
  const maxMinutesPerDay = random.chance(0.25) ? Math.max(maxDurationMinutes, random.pick([240, 360, 480])) : null;
  return {
    instrumentId,
    slotMinutes,
    minDurationMinutes,
    maxDurationMinutes,
    bufferMinutes: random.pick([0, 0, 0, 0, 10, 15, 15, 30]),
    minNoticeMinutes: random.chance(0.9) ? 60 : 120,
    maxAdvanceDays: random.pick([30, 45, 60]),
    maxMinutesPerDay,
    maxMinutesPerWeek: random.chance(0.1) ? Math.max(maxMinutesPerDay ?? 0, random.pick([600, 960, 1200])) : null,
    requiresApproval: random.chance(0.2),
  };
}

/** Durations a window of this instrument is booked for, weighted; overnight windows favour long runs. */
function durationPicker(rules: DemoBookingRules, longRuns: boolean): WeightedPicker<readonly [number, number]> {
  const allowed = DURATION_WEIGHTS.filter(
    ([minutes]) => minutes >= rules.minDurationMinutes && minutes <= rules.maxDurationMinutes && minutes % rules.slotMinutes === 0,
  );
  return new WeightedPicker(allowed.length > 0 ? allowed : [[rules.minDurationMinutes, 1] as const], ([minutes, weight]) =>
    longRuns ? weight * (minutes >= 240 ? 8 : 0.2) : weight,
  );
}

/** Days between a slot and the nearest of the others (to spread a demo account's bookings over the year). */
function distance(slot: { start: number }, others: readonly { start: number }[]): number {
  return others.reduce((nearest, other) => Math.min(nearest, Math.abs(other.start - slot.start)), Number.MAX_SAFE_INTEGER) / DAY;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/** The local dates from startsOn to endsOn, both included. */
function datesFrom(startsOn: string, endsOn: string): string[] {
  const dates: string[] = [];
  for (let date = DateTime.fromISO(startsOn, { zone: 'utc' }); date.toISODate()! <= endsOn; date = date.plus({ days: 1 })) dates.push(date.toISODate()!);
  return dates;
}

/** Cap counters are keyed person × day in one number; day indexes stay below this. */
const DAY_KEY_RANGE = 4_096;

/**
 * Rules, hours and bookings for the demo, relative to `input.now`. See the top of this file for
 * what the data promises; the catalog and accounts come from generateDemoCatalog and resolveDemoAccounts.
 */
export function generateDemoBookings(input: DemoBookingInput, options: DemoBookingOptions = {}): DemoBookingData {
  return new DemoBookingBuilder(input, options).build();
}

/** One generation: the steps of generateDemoBookings, in order, over shared state. */
class DemoBookingBuilder {
  private readonly settings: Settings;
  private readonly now: number;
  private readonly root: SeededRandom;
  private readonly ids: Record<'closure' | 'maintenance' | 'qualification' | 'user' | 'account' | 'booking', (index: number) => string>;
  private readonly institutionById: Map<string, DemoInstitution>;
  private readonly accountIds: { email: string; id: string }[];
  private readonly labManager: { id: string; institutionId: string | null } | null;
  private readonly adminId: string | null;
  private readonly calendars = new Map<string, ZoneCalendar>();
  private readonly todayIndex: number;
  /** Institution id -> its closed local dates. */
  private readonly closedDates = new Map<string, Set<string>>();
  private readonly closureDates = new Map<string, string[]>();

  private plans: InstrumentPlan[] = [];
  private bookablePlans: InstrumentPlan[] = [];
  /** Generated users as bookers. */
  private people: Person[] = [];
  private readonly closures: DemoInstitutionClosure[] = [];
  private readonly maintenancePeriods: DemoMaintenancePeriod[] = [];
  private readonly qualifications: DemoQualification[] = [];
  private readonly users: DemoUser[] = [];
  private readonly qualificationRandom: SeededRandom;

  constructor(
    private readonly input: DemoBookingInput,
    options: DemoBookingOptions,
  ) {
    const seed = options.seed ?? DEFAULT_DEMO_SEED;
    this.settings = { ...DEMO_BOOKING_DEFAULTS, ...withoutUndefined(options), seed };
    const { pastDays, futureDays } = this.settings;
    if (!Number.isInteger(pastDays) || !Number.isInteger(futureDays) || pastDays < 0 || futureDays < 0 || pastDays + futureDays > DAY_KEY_RANGE - 16) {
      throw new RangeError(`pastDays and futureDays must be whole numbers >= 0 adding up to less than ${DAY_KEY_RANGE - 16}`);
    }
    this.now = input.now.getTime();
    if (!Number.isFinite(this.now)) throw new RangeError('now must be a valid Date');
    this.todayIndex = pastDays;
    this.root = new SeededRandom(seed).fork('bookings');
    this.qualificationRandom = this.root.fork('qualifications');
    this.ids = {
      closure: deterministicUuids(seed, 'institution-closure'),
      maintenance: deterministicUuids(seed, 'maintenance-period'),
      qualification: deterministicUuids(seed, 'qualification'),
      user: deterministicUuids(seed, 'demo-user'),
      account: deterministicUuids(seed, 'demo-account'),
      booking: deterministicUuids(seed, 'booking'),
    };
    this.institutionById = new Map(input.catalog.institutions.map((institution) => [institution.id, institution]));
    this.accountIds = input.accounts.map((account, index) => ({ email: account.email, id: this.ids.account(index) }));
    const labManagerIndex = input.accounts.findIndex((account) => account.role === 'lab_manager');
    this.labManager = labManagerIndex >= 0 ? { id: this.accountIds[labManagerIndex].id, institutionId: input.accounts[labManagerIndex].institutionId } : null;
    const adminIndex = input.accounts.findIndex((account) => account.role === 'admin');
    this.adminId = adminIndex >= 0 ? this.accountIds[adminIndex].id : null;
  }

  build(): DemoBookingData {
    this.planInstruments();
    this.planClosures();
    this.createUsers();
    for (const plan of this.bookablePlans) {
      this.formCommunity(plan);
      this.planMaintenance(plan);
      this.placeSlots(plan);
    }
    this.assignDemoAccounts();
    const slots = this.bookablePlans.flatMap((plan) => plan.slots);
    this.assignHolds(slots);
    // In time order: the no-show limit depends on what came before.
    slots.sort((a, b) => a.start - b.start || a.plan.bookable - b.plan.bookable);
    this.assignOthers(slots);

    const bookings: DemoBooking[] = [];
    const events: DemoBookingEvent[] = [];
    const timeBlocks: DemoTimeBlock[] = this.maintenancePeriods.map((period) => ({
      instrumentId: period.instrumentId,
      startsAt: period.startsAt,
      endsAt: period.endsAt,
      bookingId: null,
      maintenanceId: period.id,
      expiresAt: null,
    }));
    const random = this.root.fork('rows');
    for (const slot of slots) {
      if (!slot.assigned) continue;
      const { booking, event } = this.bookingRow(slot, slot.assigned, this.ids.booking(bookings.length), random);
      bookings.push(booking);
      events.push(event);
      if (DEMO_BLOCKING_STATUSES.includes(booking.status)) {
        timeBlocks.push({
          instrumentId: booking.instrumentId,
          startsAt: booking.startsAt,
          endsAt: new Date(slot.end + slot.plan.rules.bufferMinutes * MINUTE),
          bookingId: booking.id,
          maintenanceId: null,
          expiresAt: booking.holdExpiresAt,
        });
      }
    }
    return {
      now: new Date(this.now),
      rules: this.plans.map((plan) => plan.rules),
      openingWindows: this.plans.flatMap((plan) =>
        plan.windows.flatMap((window) =>
          window.weekdays.map((weekday): DemoOpeningWindow => ({ instrumentId: plan.instrument.id, weekday, opens: window.opens, closes: window.closes })),
        ),
      ),
      closures: this.closures,
      maintenancePeriods: this.maintenancePeriods,
      qualifications: this.qualifications,
      users: this.users,
      bookings,
      events,
      timeBlocks,
      accountIds: this.accountIds,
      bookableInstrumentIds: this.bookablePlans.map((plan) => plan.instrument.id),
    };
  }

  // --- what is published ------------------------------------------------------------------------

  /** Rules and hours for the first instruments; bookings on the usable ones among them, up to the limit. */
  private planInstruments(): void {
    const { instruments } = this.input.catalog;
    const scheduled = instruments.slice(0, Math.max(0, this.settings.scheduledInstrumentLimit));
    const bookableCount = demoBookableInstrumentCount(instruments.length, this.settings);
    const hoursPicker = new WeightedPicker(HOURS_PROFILES, (profile) => profile.weight);
    const random = this.root.fork('rules');
    let bookable = 0;
    this.plans = scheduled.map((instrument): InstrumentPlan => {
      const profile = hoursPicker.pick(random);
      const rules = buildRules(random, instrument.id, profile.name === 'overnight');
      return {
        instrument,
        rules,
        windows: profile.windows,
        bookable: bookable < bookableCount && isUsable(instrument) ? bookable++ : -1,
        trained: new Set(),
        bookers: [],
        maintenance: [],
        slots: [],
        dayUse: rules.maxMinutesPerDay === null ? null : new Map(),
        weekUse: rules.maxMinutesPerWeek === null ? null : new Map(),
      };
    });
    this.bookablePlans = this.plans.filter((plan) => plan.bookable >= 0);
    // The demo lab manager has requests to decide: two of its institution's bookable instruments need approval.
    const labManager = this.labManager;
    if (labManager) {
      for (const plan of this.bookablePlans.filter((candidate) => candidate.instrument.institutionId === labManager.institutionId).slice(0, 2)) {
        plan.rules.requiresApproval = true;
      }
    }
  }

  /** Most owners close for the national holidays of the past year and the next three months; a few close a day for other reasons. */
  private planClosures(): void {
    const { pastDays, futureDays } = this.settings;
    const random = this.root.fork('closures');
    const zone = this.plans[0]?.instrument.timeZone ?? DEMO_TIME_ZONE;
    const today = DateTime.fromMillis(this.now, { zone }).startOf('day');
    const from = today.minus({ days: pastDays }).toISODate()!;
    const until = today.plus({ days: Math.max(futureDays, 90) }).toISODate()!;
    const holidays = [today.year - 1, today.year, today.year + 1]
      .flatMap(holidaysOf)
      .filter(([startsOn, endsOn]) => endsOn >= from && startsOn <= until);
    const owners = [...new Set(this.plans.map((plan) => plan.instrument.institutionId))];
    for (const institutionId of owners) {
      for (const [startsOn, endsOn, name] of holidays) {
        if (random.chance(0.85)) this.addClosure(institutionId, startsOn, endsOn, `${name}放假`);
      }
      if (random.chance(0.03)) {
        const day = today.plus({ days: random.int(1 - pastDays, futureDays) }).toISODate()!;
        this.addClosure(institutionId, day, day, random.pick(['实验楼电力检修', '单位统一安全检查', '消防演练，实验室暂停开放']));
      }
    }
  }

  private addClosure(institutionId: string, startsOn: string, endsOn: string, reason: string): void {
    this.closures.push({ id: this.ids.closure(this.closures.length), institutionId, startsOn, endsOn, reason });
    let closed = this.closedDates.get(institutionId);
    if (!closed) this.closedDates.set(institutionId, (closed = new Set()));
    const key = `${startsOn}/${endsOn}`;
    let dates = this.closureDates.get(key);
    // Every owner closes on the same holidays: their dates are listed once.
    if (!dates) this.closureDates.set(key, (dates = datesFrom(startsOn, endsOn)));
    for (const date of dates) closed.add(date);
  }

  private calendarOf(zone: string): ZoneCalendar {
    let calendar = this.calendars.get(zone);
    if (!calendar) {
      const first = DateTime.fromMillis(this.now, { zone }).startOf('day').minus({ days: this.settings.pastDays });
      calendar = new ZoneCalendar(zone, first.toISODate()!, this.settings.pastDays + this.settings.futureDays + 2);
      this.calendars.set(zone, calendar);
    }
    return calendar;
  }

  // --- people -----------------------------------------------------------------------------------

  /** A few hundred researchers and firm members, mostly at universities and institutes. */
  private createUsers(): void {
    const count = this.settings.userCount ?? (this.bookablePlans.length === 0 ? 0 : Math.min(400, Math.max(10, Math.round(this.bookablePlans.length / 4))));
    const institutions = this.input.catalog.institutions;
    if (count === 0 || institutions.length === 0) return;
    const random = this.root.fork('users');
    const weight: Readonly<Record<DemoInstitution['kind'], number>> = { university: 6, research_institute: 4, hospital: 2, enterprise: 1.5, other: 0.5 };
    const homes = new WeightedPicker(institutions, (institution) => weight[institution.kind]);
    for (let index = 0; index < count; index++) {
      const home = homes.pick(random);
      const user: DemoUser = {
        id: this.ids.user(index),
        email: `user${String(index + 1).padStart(4, '0')}@users.demo.example`,
        displayName: personName(random),
        role: home.kind === 'enterprise' ? 'firm_member' : 'researcher',
        institutionId: home.id,
        language: random.chance(0.06) ? 'en' : 'zh',
      };
      this.users.push(user);
      this.people.push({ id: user.id, institutionId: user.institutionId, key: this.input.accounts.length + index });
    }
  }

  private cityOf(institutionId: string): string {
    return this.institutionById.get(institutionId)?.regionCode.slice(0, 4) ?? '';
  }

  /** Regular users of an instrument: a few from its own institution, most from the same city; many of them trained. */
  private formCommunity(plan: InstrumentPlan): void {
    if (this.people.length === 0) return;
    const random = this.root.fork(`community:${plan.instrument.id}`);
    const members = new Set<Person>();
    const own = this.people.filter((person) => person.institutionId === plan.instrument.institutionId);
    for (const person of random.sample(own, random.int(0, 3))) members.add(person);
    const city = plan.instrument.regionCode.slice(0, 4);
    const neighbours = this.people.filter((person) => this.cityOf(person.institutionId) === city);
    const size = random.int(4, 10);
    for (let attempt = 0; members.size < size && attempt < 40; attempt++) {
      members.add(neighbours.length > 0 && random.chance(0.6) ? random.pick(neighbours) : random.pick(this.people));
    }
    const list = [...members];
    const selfOnly = !plan.instrument.serviceModes.includes('sample_submission');
    if (plan.instrument.serviceModes.includes('self_operated')) {
      list.forEach((person, index) => {
        if ((selfOnly && index < 2) || random.chance(0.6)) this.qualify(person, plan);
      });
    }
    plan.bookers = selfOnly ? list.filter((person) => plan.trained.has(person.id)) : list;
  }

  /** Training recorded before the year began; valid beyond the end of the data unless validUntil says otherwise. */
  private qualify(person: Person, plan: InstrumentPlan, validUntil?: number): void {
    if (plan.trained.has(person.id)) return;
    const random = this.qualificationRandom;
    const grantedAt = this.now - this.settings.pastDays * DAY - random.int(5, 600) * DAY - random.int(0, 8) * HOUR;
    const until = validUntil ?? this.now + (this.settings.futureDays + random.int(60, 700)) * DAY;
    if (until > this.now) plan.trained.add(person.id);
    this.qualifications.push({
      id: this.ids.qualification(this.qualifications.length),
      userId: person.id,
      instrumentId: plan.instrument.id,
      validUntil: new Date(until),
      grantedBy: this.managerOf(plan.instrument),
      grantedAt: new Date(grantedAt),
      note: random.pick(QUALIFICATION_NOTES),
    });
  }

  /** Who decides for an instrument: its institution's demo lab manager, else the demo admin. */
  private managerOf(instrument: DemoInstrument): string | null {
    return this.labManager && this.labManager.institutionId === instrument.institutionId ? this.labManager.id : this.adminId;
  }

  // --- the timeline -----------------------------------------------------------------------------

  /** A quarter of the instruments had maintenance in the past year; a few have it coming. Weekdays from 08:00. */
  private planMaintenance(plan: InstrumentPlan): void {
    const random = this.root.fork(`maintenance:${plan.instrument.id}`);
    const calendar = this.calendarOf(plan.instrument.timeZone);
    const today = this.todayIndex;
    const wanted: number[] = [];
    const roll = random.next();
    if (roll < 0.25 && today > 12) wanted.push(random.int(7, today - 5));
    if (roll < 0.05 && today > 12) wanted.push(random.int(7, today - 5));
    if (random.chance(0.05) && this.settings.futureDays >= 5) wanted.push(random.int(today + 3, today + this.settings.futureDays - 1));
    for (let dayIndex of wanted.sort((a, b) => a - b)) {
      while (calendar.days[dayIndex].weekday > 5) dayIndex++;
      const extraDays = random.pick([0, 0, 1, 2]);
      const startsAt = calendar.at(dayIndex, 8 * 60);
      const endsAt = calendar.at(dayIndex + extraDays, extraDays === 2 ? 12 * 60 : 18 * 60);
      if (plan.maintenance.some((period) => period.endsAt.getTime() > startsAt && period.startsAt.getTime() < endsAt)) continue;
      const period: DemoMaintenancePeriod = {
        id: this.ids.maintenance(this.maintenancePeriods.length),
        instrumentId: plan.instrument.id,
        startsAt: new Date(startsAt),
        endsAt: new Date(endsAt),
        reason: random.pick(MAINTENANCE_REASONS),
        createdBy: this.managerOf(plan.instrument),
        createdAt: new Date(Math.min(startsAt - random.int(3, 30) * DAY, this.now - random.int(1, 48) * HOUR)),
      };
      plan.maintenance.push(period);
      this.maintenancePeriods.push(period);
    }
  }

  /**
   * Where bookings fall on one instrument: a Poisson number per open window (popular instruments
   * more), placed in time order on the slot grid with their buffers, skipping closed days and
   * maintenance. Future ones thin out with the lead time, as most are made a week or two ahead.
   */
  private placeSlots(plan: InstrumentPlan): void {
    const random = this.root.fork(`timeline:${plan.instrument.id}`);
    const calendar = this.calendarOf(plan.instrument.timeZone);
    const { rules } = plan;
    const now = this.now;
    const slotMs = rules.slotMinutes * MINUTE;
    const bufferMs = rules.bufferMinutes * MINUTE;
    const bufferSlots = Math.ceil(bufferMs / slotMs);
    const closed = this.closedDates.get(plan.instrument.institutionId);
    const pickers = { day: durationPicker(rules, false), night: durationPicker(rules, true) };

    const weekly = plan.windows.map((window) => {
      const opens = minutesOf(window.opens);
      const closes = minutesOf(window.closes);
      return { weekdays: window.weekdays, opens, closes: closes <= opens ? closes + 1440 : closes, overnight: closes <= opens };
    });
    const open: { start: number; end: number; dayIndex: number; overnight: boolean }[] = [];
    for (let dayIndex = 0; dayIndex < calendar.days.length - 1; dayIndex++) {
      const day = calendar.days[dayIndex];
      for (const { weekdays, opens, closes, overnight } of weekly) {
        if (!weekdays.includes(day.weekday)) continue;
        if (closed?.has(day.iso) || (overnight && closed?.has(calendar.days[dayIndex + 1].iso))) continue;
        open.push({ start: calendar.at(dayIndex, opens), end: calendar.at(dayIndex, closes), dayIndex, overnight });
      }
    }
    open.sort((a, b) => a.start - b.start);
    const pastLength = open.reduce((sum, window) => sum + (window.start < now ? window.end - window.start : 0), 0);
    // Popularity: exponential around 1, so a few instruments are busy and many are quiet.
    const popularity = Math.min(4, Math.max(0.1, -Math.log(1 - random.next())));
    const perMs = pastLength > 0 ? (this.settings.pastBookingsPerInstrument * popularity) / pastLength : 0;
    const keepFuture = (start: number) => random.chance(Math.exp(-(start - now) / (this.settings.futureLeadDays * DAY)));

    let blockedUntil = -Infinity;
    for (const window of open) {
      const count = poisson(random, perMs * (window.end - window.start));
      if (count === 0) continue;
      const picker = window.overnight ? pickers.night : pickers.day;
      const lengths = Array.from({ length: count }, () => picker.pick(random)[0] / rules.slotMinutes);
      const windowSlots = (window.end - window.start) / slotMs;
      const needed = () => lengths.reduce((sum, length) => sum + length, 0) + Math.max(0, lengths.length - 1) * bufferSlots;
      while (lengths.length > 0 && needed() > windowSlots) lengths.pop();
      const slack = windowSlots - needed();
      const shares = Array.from({ length: lengths.length + 1 }, () => random.next());
      const shareSum = shares.reduce((sum, share) => sum + share, 0);
      let cursor = window.start;
      lengths.forEach((length, index) => {
        let start = cursor + Math.floor((slack * shares[index]) / shareSum) * slotMs;
        // The previous window's last buffer may reach into this one.
        if (start < blockedUntil) start = window.start + Math.ceil((blockedUntil - window.start) / slotMs) * slotMs;
        const end = start + length * slotMs;
        if (end > window.end) return;
        const blockEnd = end + bufferMs;
        if (plan.maintenance.some((period) => period.startsAt.getTime() < blockEnd && period.endsAt.getTime() > start)) return;
        cursor = end + bufferSlots * slotMs;
        if (start > now && !keepFuture(start)) return;
        const weekday = calendar.days[window.dayIndex].weekday;
        plan.slots.push({ plan, start, end, dayIndex: window.dayIndex, weekIndex: window.dayIndex - (weekday - 1) });
        blockedUntil = blockEnd;
      });
    }
  }

  // --- who took which slot, and how it ended ----------------------------------------------------

  private withinCaps(slot: Slot, person: Person): boolean {
    const { plan } = slot;
    const minutes = (slot.end - slot.start) / MINUTE;
    const base = person.key * DAY_KEY_RANGE;
    if (plan.dayUse && (plan.dayUse.get(base + slot.dayIndex) ?? 0) + minutes > plan.rules.maxMinutesPerDay!) return false;
    if (plan.weekUse && (plan.weekUse.get(base + slot.weekIndex + 8) ?? 0) + minutes > plan.rules.maxMinutesPerWeek!) return false;
    return true;
  }

  private assign(slot: Slot, assignment: Assignment): void {
    const { plan } = slot;
    const minutes = (slot.end - slot.start) / MINUTE;
    const base = assignment.person.key * DAY_KEY_RANGE;
    plan.dayUse?.set(base + slot.dayIndex, (plan.dayUse.get(base + slot.dayIndex) ?? 0) + minutes);
    plan.weekUse?.set(base + slot.weekIndex + 8, (plan.weekUse.get(base + slot.weekIndex + 8) ?? 0) + minutes);
    slot.assigned = assignment;
  }

  private classOf(slot: Slot): 'past' | 'current' | 'future' {
    return slot.end <= this.now ? 'past' : slot.start <= this.now ? 'current' : 'future';
  }

  /** A hold made now must start after the notice; an hour more keeps it bookable for a while. */
  private earliestHoldStart(plan: InstrumentPlan): number {
    return this.now + plan.rules.minNoticeMinutes * MINUTE + HOUR;
  }

  private demoPerson(role: 'researcher' | 'firm_member'): Person | null {
    const index = this.input.accounts.findIndex((account) => account.role === role);
    const institutionId = index >= 0 ? this.input.accounts[index].institutionId : null;
    return institutionId ? { id: this.accountIds[index].id, institutionId, key: index } : null;
  }

  /**
   * The demo researcher and firm member get the slots their scripts ask for, on a few favourite
   * instruments: nearby ones first, those with most upcoming bookings first, two needing approval.
   */
  private assignDemoAccounts(): void {
    const random = this.root.fork('demo-accounts');
    for (const script of DEMO_SCRIPTS) {
      const person = this.demoPerson(script.role);
      if (!person || this.bookablePlans.length === 0) continue;
      const city = this.cityOf(person.institutionId);
      const upcoming = new Map(this.bookablePlans.map((plan) => [plan, plan.slots.filter((slot) => slot.start >= this.earliestHoldStart(plan)).length]));
      const rank = (plans: InstrumentPlan[]) =>
        plans
          .filter((plan) => plan.slots.length >= 4)
          .sort(
            (a, b) =>
              Number(b.instrument.regionCode.startsWith(city)) - Number(a.instrument.regionCode.startsWith(city)) ||
              upcoming.get(b)! - upcoming.get(a)! ||
              a.bookable - b.bookable,
          );
      const approval = rank(this.bookablePlans.filter((plan) => plan.rules.requiresApproval)).slice(0, 2);
      const free = this.bookablePlans.filter((plan) => !plan.rules.requiresApproval);
      const own = rank(free.filter((plan) => plan.instrument.institutionId === person.institutionId)).slice(0, 1);
      const others = rank(free.filter((plan) => !own.includes(plan)));
      const favourites = [...approval, ...own, ...others.slice(0, Math.max(0, script.favourites - approval.length - own.length))];
      for (const plan of favourites) if (plan.instrument.serviceModes.includes('self_operated')) this.qualify(person, plan);
      if (script.role === 'researcher') {
        // Trained on two more nearby instruments, not booked yet; on one more the training has lapsed.
        const untried = others.filter((plan) => !favourites.includes(plan) && plan.instrument.serviceModes.includes('self_operated')).slice(0, 3);
        untried.forEach((plan, index) => this.qualify(person, plan, index < 2 ? undefined : this.now - random.int(20, 120) * DAY));
      }

      const taken: Slot[] = [];
      for (const line of script.lines) {
        const candidates = favourites
          .filter((plan) => !line.approval || plan.rules.requiresApproval)
          .flatMap((plan) => plan.slots)
          .filter((slot) => !slot.assigned && this.fitsScript(slot, person, line));
        if (candidates.length === 0) continue;
        // Spread over the year: of a few candidates, the one furthest from those already taken.
        const slot = random.sample(candidates, 6).sort((a, b) => distance(b, taken) - distance(a, taken) || a.start - b.start)[0];
        this.assign(slot, { person, status: line.status, late: line.late, rated: line.rated });
        taken.push(slot);
      }
    }
  }

  private fitsScript(slot: Slot, person: Person, line: ScriptLine): boolean {
    if (!this.withinCaps(slot, person)) return false;
    if (!slot.plan.instrument.serviceModes.includes('sample_submission') && !slot.plan.trained.has(person.id)) return false;
    if (line.when === 'past') return slot.end <= this.now - DAY;
    if (this.classOf(slot) !== 'future') return false;
    if (line.status === 'held') return slot.start >= this.earliestHoldStart(slot.plan);
    if (line.status === 'cancelled' && !line.late) return slot.start > this.now + this.settings.freeCancellationHours * HOUR;
    return true;
  }

  /** A couple of generated users are filling in a request right now. */
  private assignHolds(slots: Slot[]): void {
    const random = this.root.fork('holds');
    const candidates = slots.filter(
      (slot) => !slot.assigned && slot.plan.bookers.length > 0 && slot.start >= this.earliestHoldStart(slot.plan) && slot.start <= this.now + 14 * DAY,
    );
    for (const slot of random.sample(candidates, 3)) {
      const person = random.pick(slot.plan.bookers);
      if (this.withinCaps(slot, person)) this.assign(slot, { person, status: 'held' });
    }
  }

  /** Every other slot, in time order: a regular user of the instrument, and a status that fits the clock. */
  private assignOthers(slots: Slot[]): void {
    const random = this.root.fork('statuses');
    const { noShowLimit, noShowWindowDays, noShowGraceMinutes } = this.settings;
    const noShows = new Map<string, number[]>();
    const recordNoShow = (person: Person, start: number) => {
      const list = noShows.get(person.id);
      if (list) list.push(start);
      else noShows.set(person.id, [start]);
    };
    // Never the no-show that would suspend someone: the demo has no suspensions.
    const mayNoShow = (person: Person, start: number) =>
      (noShows.get(person.id) ?? []).filter((at) => at > start - noShowWindowDays * DAY).length < noShowLimit - 1;
    let inUse = 0;
    for (const slot of slots) {
      if (slot.assigned) {
        if (slot.assigned.status === 'no_show') recordNoShow(slot.assigned.person, slot.start);
        continue;
      }
      const bookers = slot.plan.bookers;
      if (bookers.length === 0) continue;
      let person: Person | undefined;
      for (let attempt = 0; attempt < 4 && !person; attempt++) {
        const candidate = random.pick(bookers);
        if (this.withinCaps(slot, candidate)) person = candidate;
      }
      if (!person) continue;
      const approval = slot.plan.rules.requiresApproval;
      const roll = random.next();
      let status: DemoBookingStatus;
      switch (this.classOf(slot)) {
        case 'current':
          status = 'in_use';
          inUse++;
          break;
        case 'past':
          if (roll < 0.02) status = 'lapsed';
          else if (roll < 0.1) status = 'cancelled';
          else if (roll < 0.13 && slot.start + (noShowGraceMinutes + 5) * MINUTE <= this.now && mayNoShow(person, slot.start)) status = 'no_show';
          else if (approval && roll < 0.2) status = 'rejected';
          else if (approval && roll < 0.23) status = 'expired';
          else status = 'completed';
          break;
        case 'future':
          if (roll < 0.06) status = 'cancelled';
          else if (approval && roll < 0.11) status = 'rejected';
          else if (approval && roll < 0.5) status = 'pending';
          else status = 'confirmed';
          break;
      }
      if (status === 'no_show') recordNoShow(person, slot.start);
      const cancelled = status === 'cancelled';
      this.assign(slot, { person, status, late: cancelled ? random.chance(0.3) : undefined, byManager: cancelled ? random.chance(0.1) : undefined });
    }
    // Loaded outside opening hours nothing is under way: the last uses (of the past three days) are then not checked out yet.
    if (inUse < 2) {
      const recent = slots
        .filter((slot) => slot.assigned?.status === 'completed' && slot.assigned.person.key >= this.input.accounts.length && slot.end > this.now - 3 * DAY)
        .sort((a, b) => b.end - a.end);
      for (const slot of recent.slice(0, 2 - inUse)) slot.assigned = { ...slot.assigned!, status: 'in_use' };
    }
  }

  /** The booking row and its one event, consistent with its status, the rules and the clock. */
  private bookingRow(slot: Slot, assignment: Assignment, id: string, random: SeededRandom): { booking: DemoBooking; event: DemoBookingEvent } {
    const { plan, start, end } = slot;
    const { instrument, rules } = plan;
    const { person, status } = assignment;
    const { holdMinutes, freeCancellationHours, lateCancellationFeePercent, noShowGraceMinutes } = this.settings;
    const now = this.now;
    const userId = person.id;
    const manager = this.managerOf(instrument);
    const minutes = (end - start) / MINUTE;
    const offersSamples = instrument.serviceModes.includes('sample_submission');
    const mode: ServiceMode = plan.trained.has(userId) && (!offersSamples || random.chance(0.7)) ? 'self_operated' : 'sample_submission';
    const sampleCount = mode === 'sample_submission' && status !== 'held' && status !== 'lapsed' ? random.int(1, 12) : null;
    const isInternal = person.institutionId === instrument.institutionId;
    const fee = instrument.fees.find((line) => line.position === 0) ?? instrument.fees[0];
    const rateFen = isInternal ? fee.internalRateFen : fee.externalRateFen;
    const quoteFen = feeAmount(fee.unit, rateFen, minutes, sampleCount);
    const notice = rules.minNoticeMinutes * MINUTE;
    const advance = rules.maxAdvanceDays * DAY;
    const seconds = (instant: number) => Math.floor(instant / 1000) * 1000;
    /** A whole second in (from, until], not after now (just after `from` when that range is empty). */
    const between = (from: number, until: number) => {
      const latest = Math.min(until, now);
      return latest - from <= 1000 ? from + 1000 : seconds(from + random.next() * (latest - from - 1000)) + 1000;
    };

    // Requested some days ahead: not sooner than the notice, not further than the advance limit, not after now.
    let createdAt: number;
    if (status === 'held') createdAt = now - random.int(30, (holdMinutes - 1) * 60) * 1000;
    else {
      createdAt = start - notice - Math.min(advance - notice - HOUR, -Math.log(1 - random.next()) * 4 * DAY);
      if (createdAt > now - MINUTE) createdAt = now - random.int(5, 3 * 24 * 60) * MINUTE;
      createdAt = Math.min(Math.max(createdAt, start - advance + MINUTE), start - notice, now - MINUTE);
    }
    createdAt = seconds(createdAt);
    const approval = rules.requiresApproval;
    // Requests are decided within two days, and well before their start.
    const decidedAt = approval ? Math.min(between(createdAt, createdAt + Math.min(2 * DAY, (start - createdAt) / 2)), now) : 0;

    const created = new Date(createdAt);
    const booking: DemoBooking = {
      id,
      instrumentId: instrument.id,
      userId,
      status,
      mode,
      purpose: status === 'held' || status === 'lapsed' ? '' : random.pick(PURPOSES),
      sampleCount,
      notes: status !== 'held' && status !== 'lapsed' && random.chance(0.1) ? random.pick(NOTES) : '',
      startsAt: new Date(start),
      endsAt: new Date(end),
      holdExpiresAt: status === 'held' ? new Date(createdAt + holdMinutes * MINUTE) : null,
      isInternal,
      feeUnit: fee.unit,
      rateFen,
      quoteFen,
      finalFeeFen: null,
      cancellationFeeFen: null,
      actualStartAt: null,
      actualEndAt: null,
      decidedBy: null,
      decidedAt: null,
      decisionReason: null,
      cancelledBy: null,
      cancelledAt: null,
      cancellationReason: null,
      rating: null,
      ratingComment: null,
      ratedAt: null,
      createdAt: created,
      updatedAt: created,
    };
    const event: DemoBookingEvent = {
      bookingId: id,
      type: status === 'held' ? 'held' : 'requested',
      fromStatus: null,
      toStatus: status,
      actorId: userId,
      reason: null,
      data: {},
      occurredAt: booking.createdAt,
    };
    // The request stays the last event of holds, pending requests and bookings confirmed at once.
    if (status === 'held' || status === 'pending' || (status === 'confirmed' && !rules.requiresApproval)) {
      event.data = { instrumentId: instrument.id, start: booking.startsAt.toISOString(), end: booking.endsAt.toISOString() };
    }
    const outcome = (
      type: string,
      fromStatus: DemoBookingStatus,
      actorId: string | null,
      occurredAt: number,
      reason: string | null = null,
      data: Record<string, unknown> = {},
    ) => {
      Object.assign(event, { type, fromStatus, actorId, occurredAt: new Date(occurredAt), reason, data });
    };
    /** Requests to instruments that need approval were confirmed by the lab. */
    const approve = (reason: string | null = null) => {
      if (!approval) return;
      booking.decidedBy = manager;
      booking.decidedAt = new Date(decidedAt);
      booking.decisionReason = reason;
    };

    switch (status) {
      case 'held':
      case 'pending':
        break;
      case 'confirmed':
        if (approval) {
          approve();
          outcome('approved', 'pending', manager, decidedAt);
        }
        break;
      case 'rejected':
        approve(random.pick(REJECTION_REASONS));
        outcome('rejected', 'pending', manager, decidedAt, booking.decisionReason);
        break;
      case 'expired':
        outcome('expired', 'pending', null, seconds(Math.min(start + random.int(0, 90) * 1000, now)), 'Not decided before its start');
        break;
      case 'lapsed':
        outcome('lapsed', 'held', null, seconds(Math.min(createdAt + holdMinutes * MINUTE + random.int(0, 60) * 1000, now)));
        break;
      case 'cancelled': {
        // Undecided requests are withdrawn while pending, never with a fee; the others (and those meant to be late) were confirmed.
        const wasPending = approval && assignment.late !== true && random.chance(0.4);
        if (!wasPending) approve();
        const byManager = Boolean(assignment.byManager) && !wasPending && manager !== null;
        const from = booking.decidedAt?.getTime() ?? createdAt;
        const freeUntil = start - freeCancellationHours * HOUR;
        const late = Boolean(assignment.late) && !byManager && !wasPending && freeUntil < now;
        const at = Math.min(
          late ? between(Math.max(from, freeUntil), start - 10 * MINUTE) : between(from, Math.max(from + MINUTE, Math.min(freeUntil, start - 10 * MINUTE))),
          start - MINUTE,
          now,
        );
        // As the service decides it: the booker cancelling a confirmed booking within the free period pays.
        const charged = !byManager && !wasPending && start - at < freeCancellationHours * HOUR;
        const feeFen = charged ? Math.floor((quoteFen * lateCancellationFeePercent) / 100) : 0;
        booking.cancelledBy = byManager ? manager : userId;
        booking.cancelledAt = new Date(at);
        booking.cancellationReason = byManager ? random.pick(MANAGER_CANCELLATION_REASONS) : random.pick(BOOKER_CANCELLATION_REASONS);
        booking.cancellationFeeFen = charged ? feeFen : null;
        outcome('cancelled', wasPending ? 'pending' : 'confirmed', booking.cancelledBy, at, booking.cancellationReason, {
          late: charged,
          cancellationFeeFen: feeFen,
          byManager,
        });
        break;
      }
      case 'no_show':
        approve();
        outcome('no_show', 'confirmed', manager, seconds(Math.min(start + (noShowGraceMinutes + random.int(0, 120)) * MINUTE, now)), random.pick(NO_SHOW_REASONS));
        break;
      case 'in_use': {
        approve();
        const actualStart = seconds(Math.min(start + random.int(-10, 10) * MINUTE, now - MINUTE));
        booking.actualStartAt = new Date(actualStart);
        outcome('checked_in', 'confirmed', userId, actualStart, null, { actualStart: booking.actualStartAt.toISOString() });
        break;
      }
      case 'completed': {
        approve();
        const actualStart = seconds(Math.min(start + random.int(-10, 10) * MINUTE, now - 2 * MINUTE));
        const actualEnd = Math.max(actualStart + MINUTE, seconds(Math.min(end - random.int(0, 30) * MINUTE + random.int(0, 59) * 1000, now - MINUTE)));
        const usedMinutes = Math.max(1, Math.ceil((actualEnd - actualStart) / MINUTE));
        booking.actualStartAt = new Date(actualStart);
        booking.actualEndAt = new Date(actualEnd);
        booking.finalFeeFen = feeAmount(fee.unit, rateFen, usedMinutes, sampleCount);
        outcome('checked_out', 'in_use', userId, actualEnd, null, {
          actualEnd: booking.actualEndAt.toISOString(),
          effectiveMinutes: usedMinutes,
          finalFeeFen: booking.finalFeeFen,
        });
        const ratedAt = seconds(actualEnd + random.int(10, 3 * 24 * 60) * MINUTE);
        if ((assignment.rated ?? random.chance(0.35)) && ratedAt <= now) {
          const roll = random.next();
          booking.rating = roll < 0.55 ? 5 : roll < 0.85 ? 4 : roll < 0.95 ? 3 : roll < 0.99 ? 2 : 1;
          booking.ratingComment = random.chance(0.5) ? random.pick(RATING_COMMENTS) : null;
          booking.ratedAt = new Date(ratedAt);
        }
        break;
      }
    }
    // Last changed by its event, or by the rating after it (the Dates are shared: rows are never mutated once built).
    booking.updatedAt = booking.ratedAt ?? event.occurredAt;
    return { booking, event };
  }
}
