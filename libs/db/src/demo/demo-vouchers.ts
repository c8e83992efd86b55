import { DateTime } from 'luxon';
import { isWithin } from '../codes';
import type { ServiceMode } from '../entities/enums';
import type { ResolvedDemoAccount } from './demo-accounts';
import type { DemoBooking, DemoBookingData } from './demo-bookings.generator';
import type { DemoCatalogTarget } from './demo-catalog.loader';
import { DEFAULT_DEMO_SEED, type DemoCatalog } from './demo-catalog.generator';
import { SeededRandom, deterministicUuids } from './seeded-random.util';

/**
 * The innovation voucher side of the demo (issue 5): a provincial and two city programs, the demo
 * firm's approved quota in the program of its city, the demo researcher's own quota as an individual
 * (Hangzhou's program admits individuals), some orders it paid by voucher (used on
 * completed services, one of them in a redemption claim the bureau has paid) and some still
 * reserved, and other demo firms' applications (approved, waiting or rejected).
 *
 * Deterministic: the same catalog, accounts, bookings, `now` and seed give the same rows. Nothing
 * here touches the database; loadDemoVouchers writes the rows. Every balance comes from ledger
 * entries (the database's trigger moves the grants' balances as they go in, in time order), so the
 * ledger replays to the balances; caps and the program budget hold as the booking service keeps them.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YUAN = 100;
/** Programs are issued by Chinese bureaus: their days are China Standard Time. */
const VOUCHER_TIME_ZONE = 'Asia/Shanghai';
const ALL_MODES: readonly ServiceMode[] = ['self_operated', 'sample_submission'];

/** Caps of every demo program: the defaults of DOMAIN.md. */
export const DEMO_VOUCHER_CAPS = {
  applicationCapFen: 20_000 * YUAN,
  firmYearCapFen: 100_000 * YUAN,
  fullCoverBelowFen: 10_000 * YUAN,
  shareAbovePercent: 50,
} as const;

/**
 * The three programs: the province's, Hangzhou's (its own providers only; individuals such as
 * makers and researchers may apply too) and Ningbo's (G60-corridor cities too).
 */
export const DEMO_VOUCHER_PROGRAMS = [
  { key: 'province', name: '浙江省科技创新券', issuingRegionCode: '330000', acceptedRegionCodes: ['330000'], budgetYuan: 200_000_000, allowsIndividuals: false },
  { key: 'hangzhou', name: '杭州市科技创新券', issuingRegionCode: '330100', acceptedRegionCodes: ['330100'], budgetYuan: 50_000_000, allowsIndividuals: true },
  {
    key: 'ningbo',
    name: '宁波市科技创新券（G60科创走廊通用）',
    issuingRegionCode: '330200',
    // Ningbo, Hangzhou, Jiaxing, Huzhou.
    acceptedRegionCodes: ['330200', '330100', '330400', '330500'],
    budgetYuan: 30_000_000,
    allowsIndividuals: false,
  },
] as const;

/** The demo firm's quota, and what other firms ask for. */
const DEMO_FIRM_GRANT_FEN = 20_000 * YUAN;
/** The demo researcher's own quota, as an individual, where a program of their region admits individuals. */
const DEMO_INDIVIDUAL_GRANT_FEN = 5_000 * YUAN;
const OTHER_FIRM_REQUESTS_YUAN = [5_000, 8_000, 10_000, 12_000, 15_000, 20_000] as const;
/** Decisions of the other firms' applications, in turn. */
const OTHER_FIRM_OUTCOMES = ['approved', 'approved', 'applied', 'approved', 'rejected', 'applied', 'approved', 'approved'] as const;
const USED_ORDERS = 4;
const RESERVED_ORDERS = 3;

export interface DemoVoucherInput {
  catalog: Pick<DemoCatalog, 'institutions' | 'instruments'>;
  accounts: readonly ResolvedDemoAccount[];
  /** The generated bookings and users (generateDemoBookings): demo accounts appear under their stand-in ids. */
  bookings: Pick<DemoBookingData, 'bookings' | 'users' | 'accountIds'>;
  now: Date;
}

export interface DemoVoucherProgram {
  id: string;
  name: string;
  issuingRegionCode: string;
  budgetFen: number;
  /** The sum of its approved grants. */
  grantedFen: number;
  validFrom: string;
  validUntil: string;
  /** End of validUntil in China Standard Time. */
  expiresAt: Date;
  eligibleServiceModes: readonly ServiceMode[];
  acceptedRegionCodes: readonly string[];
  applicationCapFen: number;
  firmYearCapFen: number;
  fullCoverBelowFen: number;
  shareAbovePercent: number;
  allowsIndividuals: boolean;
  createdBy: string;
  createdAt: Date;
}

export type DemoVoucherGrantStatus = 'applied' | 'approved' | 'rejected';

export interface DemoVoucherGrant {
  id: string;
  programId: string;
  /** Exactly one of the two holds the grant: a firm, or one person. */
  enterpriseId: string | null;
  holderUserId: string | null;
  applicantId: string;
  requestedFen: number;
  purpose: string;
  status: DemoVoucherGrantStatus;
  approvedFen: number | null;
  grantYear: number | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  expiresAt: Date;
  createdAt: Date;
}

export interface DemoBookingVoucher {
  bookingId: string;
  grantId: string;
  status: 'reserved' | 'redeemed';
  reservedFen: number;
  redeemedFen: number;
  providerInstitutionId: string;
  redeemedAt: Date | null;
  claimId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DemoLedgerKind = 'grant' | 'reserve' | 'release' | 'redeem';

export interface DemoLedgerEntry {
  grantId: string;
  programId: string;
  enterpriseId: string | null;
  kind: DemoLedgerKind;
  amountFen: number;
  bookingId: string | null;
  providerInstitutionId: string | null;
  actorId: string | null;
  reason: string;
  operationKey: string;
  createdAt: Date;
}

export interface DemoRedemptionClaim {
  id: string;
  programId: string;
  providerInstitutionId: string;
  periodFrom: string;
  periodTo: string;
  amountFen: number;
  itemCount: number;
  status: 'paid';
  submittedBy: string;
  submittedAt: Date;
  decidedBy: string;
  decidedAt: Date;
  paidBy: string;
  paidAt: Date;
  paymentReference: string;
}

export interface DemoClaimItem {
  claimId: string;
  bookingId: string;
  amountFen: number;
}

export interface DemoVoucherData {
  programs: DemoVoucherProgram[];
  grants: DemoVoucherGrant[];
  payments: DemoBookingVoucher[];
  /** In time order: the order they are inserted in, so no balance is ever short. */
  ledger: DemoLedgerEntry[];
  claims: DemoRedemptionClaim[];
  claimItems: DemoClaimItem[];
}

/** The most one order may be paid by voucher: all of it below the threshold, else the share (as the booking service). */
export function demoOrderShareCapFen(program: Pick<DemoVoucherProgram, 'fullCoverBelowFen' | 'shareAbovePercent'>, feeFen: number): number {
  if (feeFen <= 0) return 0;
  if (feeFen < program.fullCoverBelowFen) return feeFen;
  return Math.floor((feeFen * program.shareAbovePercent) / 100);
}

/** True when the region code lies within one of the accepted regions (a province or city covers its counties). */
function accepts(program: Pick<DemoVoucherProgram, 'acceptedRegionCodes'>, regionCode: string): boolean {
  return program.acceptedRegionCodes.some((code) => isWithin(regionCode, code));
}

/** A city's program for a firm of that city, the province's otherwise. */
function programFor(programs: readonly DemoVoucherProgram[], regionCode: string): DemoVoucherProgram {
  return programs.find((program) => program !== programs[0] && isWithin(regionCode, program.issuingRegionCode)) ?? programs[0];
}

function standInId(input: DemoVoucherInput, role: ResolvedDemoAccount['role']): { id: string; institutionId: string | null } | null {
  const index = input.accounts.findIndex((account) => account.role === role);
  if (index < 0) return null;
  const email = input.accounts[index].email;
  const id = input.bookings.accountIds.find((account) => account.email === email)?.id;
  return id ? { id, institutionId: input.accounts[index].institutionId } : null;
}

/** Vouchers for the demo, relative to `input.now`. See the top of this file. */
export function generateDemoVouchers(input: DemoVoucherInput, options: { seed?: number } = {}): DemoVoucherData {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const random = new SeededRandom(seed).fork('vouchers');
  const ids = {
    program: deterministicUuids(seed, 'voucher-program'),
    grant: deterministicUuids(seed, 'voucher-grant'),
    claim: deterministicUuids(seed, 'voucher-claim'),
  };
  const now = input.now.getTime();
  const staff = standInId(input, 'department_staff');
  const firmMember = standInId(input, 'firm_member');
  const labManager = standInId(input, 'lab_manager');
  const admin = standInId(input, 'admin');
  const empty: DemoVoucherData = { programs: [], grants: [], payments: [], ledger: [], claims: [], claimItems: [] };
  if (!staff) return empty;

  // Valid from the first of the month 13 months ago (before the demo's year of bookings) to the end of the month a year ahead.
  const today = DateTime.fromMillis(now, { zone: VOUCHER_TIME_ZONE }).startOf('day');
  const validFrom = today.minus({ months: 13 }).startOf('month');
  const validUntil = today.plus({ months: 12 }).endOf('month').startOf('day');
  const expiresAt = validUntil.plus({ days: 1 }).toJSDate();
  const programs: DemoVoucherProgram[] = DEMO_VOUCHER_PROGRAMS.map((program, index) => ({
    id: ids.program(index),
    name: program.name,
    issuingRegionCode: program.issuingRegionCode,
    budgetFen: program.budgetYuan * YUAN,
    grantedFen: 0,
    validFrom: validFrom.toISODate()!,
    validUntil: validUntil.toISODate()!,
    expiresAt,
    eligibleServiceModes: ALL_MODES,
    acceptedRegionCodes: program.acceptedRegionCodes,
    ...DEMO_VOUCHER_CAPS,
    allowsIndividuals: program.allowsIndividuals,
    createdBy: staff.id,
    createdAt: validFrom.minus({ days: 20 }).plus({ hours: 10 }).toJSDate(),
  }));
  const programStart = validFrom.toMillis();

  const grants: DemoVoucherGrant[] = [];
  const ledger: DemoLedgerEntry[] = [];
  const addGrant = (
    program: DemoVoucherProgram,
    enterpriseId: string | null,
    applicantId: string,
    requestedFen: number,
    status: DemoVoucherGrantStatus,
    createdAt: number,
    decidedAt: number | null,
    approvedFen: number | null = status === 'approved' ? requestedFen : null,
    holderUserId: string | null = null,
  ): DemoVoucherGrant => {
    const grant: DemoVoucherGrant = {
      id: ids.grant(grants.length),
      programId: program.id,
      enterpriseId,
      holderUserId,
      applicantId,
      requestedFen,
      purpose: '委托检测与仪器共享服务费用',
      status,
      approvedFen,
      grantYear: status === 'approved' && decidedAt !== null ? DateTime.fromMillis(decidedAt, { zone: VOUCHER_TIME_ZONE }).year : null,
      decidedBy: decidedAt === null ? null : staff.id,
      decidedAt: decidedAt === null ? null : new Date(decidedAt),
      decisionReason: status === 'rejected' ? '申报材料不全：未提供小微企业认定证明' : null,
      expiresAt,
      createdAt: new Date(createdAt),
    };
    grants.push(grant);
    if (status === 'approved') {
      program.grantedFen += approvedFen!;
      ledger.push(entry(grant, 'grant', approvedFen!, null, null, staff.id, '申请批准', `grant:${grant.id}`, decidedAt!));
    }
    return grant;
  };

  // The demo firm: its city's program (the province's elsewhere), approved a week after the programs opened.
  const firmInstitution = firmMember?.institutionId ? input.catalog.institutions.find((institution) => institution.id === firmMember.institutionId) : undefined;
  let payments: DemoBookingVoucher[] = [];
  let claims: DemoRedemptionClaim[] = [];
  let claimItems: DemoClaimItem[] = [];
  if (firmMember && firmInstitution) {
    const program = programFor(programs, firmInstitution.regionCode);
    const decidedAt = programStart + 7 * DAY + 10 * HOUR;
    const grant = addGrant(program, firmInstitution.id, firmMember.id, DEMO_FIRM_GRANT_FEN, 'approved', decidedAt - 3 * DAY, decidedAt);
    // And a second application, to the province, waiting for staff.
    if (program !== programs[0]) addGrant(programs[0], firmInstitution.id, firmMember.id, 10_000 * YUAN, 'applied', now - 2 * DAY, null);
    ({ payments, claims, claimItems } = payOrders(input, program, grant, firmMember.id, ledger, { labManager, admin, staff: staff.id, claimId: ids.claim(0) }));
  }

  // Other small firms with members among the generated users: applications in turn approved, waiting or rejected.
  const firmsById = new Map(input.catalog.institutions.filter((institution) => institution.isSmallMicro && institution.kind === 'enterprise').map((institution) => [institution.id, institution]));
  const applicants = new Map<string, string>();
  for (const user of input.bookings.users) {
    if (user.role === 'firm_member' && firmsById.has(user.institutionId) && user.institutionId !== firmInstitution?.id && !applicants.has(user.institutionId)) {
      applicants.set(user.institutionId, user.id);
    }
  }
  [...applicants].slice(0, OTHER_FIRM_OUTCOMES.length).forEach(([institutionId, applicantId], index) => {
    const status = OTHER_FIRM_OUTCOMES[index];
    const requestedFen = random.pick(OTHER_FIRM_REQUESTS_YUAN) * YUAN;
    const createdAt = status === 'applied' ? now - random.int(1, 10) * DAY - random.int(1, 8) * HOUR : programStart + random.int(10, 300) * DAY + random.int(9, 17) * HOUR;
    const decidedAt = status === 'applied' ? null : Math.min(createdAt + random.int(2, 10) * DAY, now - HOUR);
    // Staff sometimes approve less than asked.
    const approvedFen = status === 'approved' ? (random.chance(0.3) ? Math.round((requestedFen * 0.8) / 100) * 100 : requestedFen) : null;
    addGrant(programFor(programs, firmsById.get(institutionId)!.regionCode), institutionId, applicantId, requestedFen, status, createdAt, decidedAt, approvedFen);
  });

  // The demo researcher, as an individual, where a program of their institution's region admits individuals.
  const researcher = standInId(input, 'researcher');
  const university = researcher?.institutionId ? input.catalog.institutions.find((institution) => institution.id === researcher.institutionId) : undefined;
  const individualProgram = university && university.kind !== 'enterprise' ? programs.find((program) => program.allowsIndividuals && isWithin(university.regionCode, program.issuingRegionCode)) : undefined;
  if (researcher && individualProgram) {
    const decidedAt = programStart + 20 * DAY + 15 * HOUR;
    addGrant(individualProgram, null, researcher.id, DEMO_INDIVIDUAL_GRANT_FEN, 'approved', decidedAt - 4 * DAY, decidedAt, DEMO_INDIVIDUAL_GRANT_FEN, researcher.id);
  }

  ledger.sort((left, right) => left.createdAt.getTime() - right.createdAt.getTime() || KIND_ORDER[left.kind] - KIND_ORDER[right.kind]);
  return { programs, grants, payments, ledger, claims, claimItems };
}

/** Within one instant: the grant first, then what a completion writes (release, then redeem). */
const KIND_ORDER: Record<DemoLedgerKind, number> = { grant: 0, reserve: 1, release: 2, redeem: 3 };

function entry(
  grant: DemoVoucherGrant,
  kind: DemoLedgerKind,
  amountFen: number,
  bookingId: string | null,
  providerInstitutionId: string | null,
  actorId: string | null,
  reason: string,
  operationKey: string,
  at: number,
): DemoLedgerEntry {
  return { grantId: grant.id, programId: grant.programId, enterpriseId: grant.enterpriseId, kind, amountFen, bookingId, providerInstitutionId, actorId, reason, operationKey, createdAt: new Date(at) };
}

interface Order {
  booking: DemoBooking;
  providerId: string;
  completed: boolean;
}

/**
 * The demo firm's orders on other institutions' instruments that the program accepts, made after
 * the approval: its latest completed ones are paid by voucher (reserved when booked, redeemed on
 * the actual fee at check-out, the rest released), its upcoming confirmed and pending ones hold a
 * reservation. Reservations are taken in time order from what is available then. The most recent
 * used order, at the demo lab manager's institution when there is one, is in a claim the bureau paid.
 */
function payOrders(
  input: DemoVoucherInput,
  program: DemoVoucherProgram,
  grant: DemoVoucherGrant,
  firmMemberId: string,
  ledger: DemoLedgerEntry[],
  people: { labManager: { id: string; institutionId: string | null } | null; admin: { id: string } | null; staff: string; claimId: string },
): Pick<DemoVoucherData, 'payments' | 'claims' | 'claimItems'> {
  const instruments = new Map(input.catalog.instruments.map((instrument) => [instrument.id, instrument]));
  const approvedAt = grant.decidedAt!.getTime();
  const now = input.now.getTime();
  const eligible = (booking: DemoBooking): Order | null => {
    const instrument = instruments.get(booking.instrumentId);
    if (!instrument || booking.userId !== firmMemberId || booking.isInternal || instrument.institutionId === grant.enterpriseId) return null;
    if (!accepts(program, instrument.regionCode) || !program.eligibleServiceModes.includes(booking.mode) || booking.createdAt.getTime() <= approvedAt) return null;
    const completed = booking.status === 'completed' && (booking.finalFeeFen ?? 0) > 0 && (booking.quoteFen ?? 0) > 0 && booking.actualEndAt !== null;
    const upcoming = (booking.status === 'confirmed' || booking.status === 'pending') && booking.startsAt.getTime() > now && (booking.quoteFen ?? 0) > 0;
    return completed || upcoming ? { booking, providerId: instrument.institutionId, completed } : null;
  };
  const orders = input.bookings.bookings.map(eligible).filter((order): order is Order => order !== null);
  const byStart = (left: Order, right: Order) => left.booking.startsAt.getTime() - right.booking.startsAt.getTime();
  const chosen = [...orders.filter((order) => order.completed).sort(byStart).slice(-USED_ORDERS), ...orders.filter((order) => !order.completed).sort(byStart).slice(0, RESERVED_ORDERS)];

  // Reserve when booked, settle at check-out, in time order.
  const events = chosen.flatMap((order) => [
    { at: order.booking.createdAt.getTime(), order, settle: false },
    ...(order.completed ? [{ at: order.booking.actualEndAt!.getTime(), order, settle: true }] : []),
  ]);
  events.sort((left, right) => left.at - right.at || Number(left.settle) - Number(right.settle));
  let available = grant.approvedFen!;
  const reserved = new Map<Order, number>();
  const payments: DemoBookingVoucher[] = [];
  for (const { at, order, settle } of events) {
    const { booking } = order;
    if (!settle) {
      const amount = Math.min(demoOrderShareCapFen(program, booking.quoteFen!), available);
      if (amount <= 0) continue;
      available -= amount;
      reserved.set(order, amount);
      ledger.push(entry(grant, 'reserve', amount, booking.id, null, firmMemberId, '预约时冻结创新券', `reserve:${booking.id}:1`, at));
      payments.push({
        bookingId: booking.id,
        grantId: grant.id,
        status: 'reserved',
        reservedFen: amount,
        redeemedFen: 0,
        providerInstitutionId: order.providerId,
        redeemedAt: null,
        claimId: null,
        createdAt: new Date(at),
        updatedAt: new Date(at),
      });
      continue;
    }
    const amount = reserved.get(order);
    if (amount === undefined) continue;
    const redeemed = Math.min(amount, demoOrderShareCapFen(program, booking.finalFeeFen!));
    if (amount > redeemed) {
      available += amount - redeemed;
      ledger.push(entry(grant, 'release', amount - redeemed, booking.id, null, null, '实际费用低于冻结额，释放差额', `release:${booking.id}:1`, at));
    }
    ledger.push(entry(grant, 'redeem', redeemed, booking.id, order.providerId, null, '服务完成，按实际费用使用', `redeem:${booking.id}:1`, at));
    Object.assign(payments.find((payment) => payment.bookingId === booking.id)!, { status: 'redeemed', redeemedFen: redeemed, redeemedAt: new Date(at), updatedAt: new Date(at) });
  }

  const used = payments.filter((payment) => payment.status === 'redeemed');
  const mine = used.filter((payment) => payment.providerInstitutionId === people.labManager?.institutionId);
  const claimed = (mine.length > 0 ? mine : used).at(-1);
  if (!claimed) return { payments, claims: [], claimItems: [] };
  const submitter = claimed.providerInstitutionId === people.labManager?.institutionId ? people.labManager.id : (people.admin?.id ?? people.staff);
  // Submitted a day after the service, approved two days later, paid within the week (never after now).
  const submittedAt = Math.min(claimed.redeemedAt!.getTime() + DAY, now - 3 * HOUR);
  const decidedAt = Math.min(submittedAt + 2 * DAY, now - 2 * HOUR);
  const paidAt = Math.min(decidedAt + 3 * DAY, now - HOUR);
  const serviceDay = DateTime.fromJSDate(claimed.redeemedAt!, { zone: VOUCHER_TIME_ZONE });
  const claim: DemoRedemptionClaim = {
    id: people.claimId,
    programId: program.id,
    providerInstitutionId: claimed.providerInstitutionId,
    periodFrom: serviceDay.startOf('month').toISODate()!,
    periodTo: serviceDay.endOf('month').toISODate()!,
    amountFen: claimed.redeemedFen,
    itemCount: 1,
    status: 'paid',
    submittedBy: submitter,
    submittedAt: new Date(submittedAt),
    decidedBy: people.staff,
    decidedAt: new Date(decidedAt),
    paidBy: people.staff,
    paidAt: new Date(paidAt),
    paymentReference: `CXQ-${serviceDay.toFormat('yyyyMM')}-0001`,
  };
  claimed.claimId = claim.id;
  return { payments, claims: [claim], claimItems: [{ claimId: claim.id, bookingId: claimed.bookingId, amountFen: claimed.redeemedFen }] };
}

export interface LoadedDemoVouchers {
  programs: number;
  grants: number;
  ledgerEntries: number;
  payments: number;
  claims: number;
}

/**
 * Writes generated voucher data on the caller's connection, inside its transaction, after the
 * catalog, the demo accounts and the bookings: the demo accounts' stand-in ids become their real
 * ids (found by e-mail). Ledger entries go in one at a time in time order; the trigger moves the
 * balances of each grant as it goes.
 */
export async function loadDemoVouchers(target: DemoCatalogTarget, data: DemoVoucherData, accountIds: readonly { email: string; id: string }[]): Promise<LoadedDemoVouchers> {
  const query = typeof target === 'function' ? target : (sql: string, parameters?: unknown[]) => target.query(sql, parameters);
  const found = (await query(`SELECT id, email FROM app_user WHERE email = ANY($1::text[])`, [accountIds.map((account) => account.email)])) as { id: string; email: string }[];
  const realIdByEmail = new Map(found.map((row) => [row.email, row.id]));
  const realId = new Map(accountIds.map((account) => [account.id, realIdByEmail.get(account.email)]));
  const user = (id: string | null): string | null => (id === null ? null : (realId.get(id) ?? id));

  for (const program of data.programs) {
    await query(
      `INSERT INTO voucher_program (id, name, issuing_region_code, budget_fen, granted_fen, valid_from, valid_until, expires_at, eligible_service_modes,
                                    accepted_region_codes, application_cap_fen, firm_year_cap_fen, full_cover_below_fen, share_above_percent, allows_individuals,
                                    created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::timestamptz, $17::timestamptz)`,
      [
        program.id, program.name, program.issuingRegionCode, program.budgetFen, program.grantedFen, program.validFrom, program.validUntil, program.expiresAt,
        program.eligibleServiceModes, program.acceptedRegionCodes, program.applicationCapFen, program.firmYearCapFen, program.fullCoverBelowFen,
        program.shareAbovePercent, program.allowsIndividuals, user(program.createdBy), program.createdAt,
      ],
    );
  }
  for (const grant of data.grants) {
    await query(
      `INSERT INTO voucher_grant (id, program_id, enterprise_id, holder_user_id, applicant_id, requested_fen, purpose, status, approved_fen, grant_year, decided_by,
                                  decided_at, decision_reason, expires_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::timestamptz, $13, $14, $15::timestamptz, coalesce($12::timestamptz, $15::timestamptz))`,
      [
        grant.id, grant.programId, grant.enterpriseId, user(grant.holderUserId), user(grant.applicantId), grant.requestedFen, grant.purpose, grant.status,
        grant.approvedFen, grant.grantYear, user(grant.decidedBy), grant.decidedAt, grant.decisionReason, grant.expiresAt, grant.createdAt,
      ],
    );
  }
  for (const claim of data.claims) {
    await query(
      `INSERT INTO voucher_redemption_claim (id, program_id, provider_institution_id, period_from, period_to, amount_fen, item_count, status, submitted_by,
                                             submitted_at, decided_by, decided_at, paid_by, paid_at, payment_reference)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        claim.id, claim.programId, claim.providerInstitutionId, claim.periodFrom, claim.periodTo, claim.amountFen, claim.itemCount, claim.status,
        user(claim.submittedBy), claim.submittedAt, user(claim.decidedBy), claim.decidedAt, user(claim.paidBy), claim.paidAt, claim.paymentReference,
      ],
    );
  }
  for (const payment of data.payments) {
    await query(
      `INSERT INTO booking_voucher (booking_id, grant_id, status, reserved_fen, redeemed_fen, provider_institution_id, redeemed_at, claim_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [payment.bookingId, payment.grantId, payment.status, payment.reservedFen, payment.redeemedFen, payment.providerInstitutionId, payment.redeemedAt, payment.claimId, payment.createdAt, payment.updatedAt],
    );
  }
  for (const item of data.ledger) {
    await query(
      `INSERT INTO voucher_ledger_entry (grant_id, program_id, enterprise_id, kind, amount_fen, booking_id, provider_institution_id, actor_id, reason, operation_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [item.grantId, item.programId, item.enterpriseId, item.kind, item.amountFen, item.bookingId, item.providerInstitutionId, user(item.actorId), item.reason, item.operationKey, item.createdAt],
    );
  }
  for (const item of data.claimItems) {
    await query(`INSERT INTO voucher_claim_item (claim_id, booking_id, amount_fen) VALUES ($1, $2, $3)`, [item.claimId, item.bookingId, item.amountFen]);
  }
  return { programs: data.programs.length, grants: data.grants.length, ledgerEntries: data.ledger.length, payments: data.payments.length, claims: data.claims.length };
}
