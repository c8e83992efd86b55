import { resolveDemoAccounts } from './demo-accounts';
import { DemoBookingData, generateDemoBookings } from './demo-bookings.generator';
import { DemoCatalog, generateDemoCatalog } from './demo-catalog.generator';
import { DEMO_VOUCHER_CAPS, DemoVoucherData, DemoVoucherInput, demoOrderShareCapFen, generateDemoVouchers } from './demo-vouchers';

// A Wednesday, 10:30 in Shanghai (as the booking spec).
const NOW = new Date('2026-11-25T02:30:00Z');

describe('demo vouchers', () => {
  let catalog: DemoCatalog;
  let bookings: DemoBookingData;
  let input: DemoVoucherInput;
  let data: DemoVoucherData;

  beforeAll(() => {
    catalog = generateDemoCatalog({ instrumentCount: 2_000 });
    const accounts = resolveDemoAccounts(catalog);
    bookings = generateDemoBookings({ catalog, accounts, now: NOW });
    input = { catalog, accounts, bookings, now: NOW };
    data = generateDemoVouchers(input);
  });

  const firmAccount = () => input.accounts.find((account) => account.role === 'firm_member')!;
  const standIn = (email: string) => bookings.accountIds.find((account) => account.email === email)!.id;

  it('is deterministic', () => {
    expect(JSON.stringify(generateDemoVouchers(input))).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateDemoVouchers(input, { seed: 99 }))).not.toBe(JSON.stringify(data));
  });

  it('has a provincial and two city programs with the default caps, valid now, Ningbo accepting G60 cities', () => {
    expect(data.programs.map((program) => [program.issuingRegionCode, program.acceptedRegionCodes])).toEqual([
      ['330000', ['330000']],
      ['330100', ['330100']],
      ['330200', ['330200', '330100', '330400', '330500']],
    ]);
    for (const program of data.programs) {
      expect(program).toMatchObject({ applicationCapFen: 2_000_000, firmYearCapFen: 10_000_000, fullCoverBelowFen: 1_000_000, shareAbovePercent: 50 });
      expect(program.validFrom < '2026-11-25' && program.validUntil > '2026-11-25').toBe(true);
      // The end of the last valid day in China: 16:00 UTC the day before the next.
      expect(program.expiresAt.toISOString()).toBe(`${program.validUntil}T16:00:00.000Z`);
      expect(program.createdBy).toBe(standIn('staff@demo.example'));
      const approved = data.grants.filter((grant) => grant.programId === program.id && grant.status === 'approved');
      expect(program.grantedFen).toBe(approved.reduce((sum, grant) => sum + grant.approvedFen!, 0));
      expect(program.grantedFen).toBeLessThanOrEqual(program.budgetFen);
    }
    expect(data.programs[0].budgetFen).toBe(200_000_000 * 100);
  });

  it("grants the demo firm 20,000 yuan in its city's program, and lets others apply, wait or be refused", () => {
    const firm = firmAccount();
    const region = catalog.institutions.find((institution) => institution.id === firm.institutionId)!.regionCode;
    const own = data.grants.filter((grant) => grant.enterpriseId === firm.institutionId);
    const approved = own.find((grant) => grant.status === 'approved')!;
    expect(approved).toMatchObject({ requestedFen: 2_000_000, approvedFen: 2_000_000, applicantId: standIn('firm@demo.example') });
    const program = data.programs.find((candidate) => candidate.id === approved.programId)!;
    expect(region.startsWith(program.issuingRegionCode.slice(0, 4)) || program.issuingRegionCode === '330000').toBe(true);

    const others = data.grants.filter((grant) => grant.enterpriseId !== firm.institutionId);
    expect(new Set(others.map((grant) => grant.status))).toEqual(new Set(['approved', 'applied', 'rejected']));
    expect(others.filter((grant) => grant.status === 'rejected')).toHaveLength(1);
    for (const grant of data.grants) {
      expect(grant.requestedFen).toBeLessThanOrEqual(DEMO_VOUCHER_CAPS.applicationCapFen);
      expect(grant.status === 'applied').toBe(grant.decidedAt === null);
      expect(grant.status === 'approved').toBe(grant.approvedFen !== null && grant.grantYear !== null);
      if (grant.approvedFen !== null) expect(grant.approvedFen).toBeLessThanOrEqual(grant.requestedFen);
      if (grant.decidedAt) expect(grant.decidedAt.getTime()).toBeLessThan(NOW.getTime());
    }
  });

  it('grants the demo researcher 5,000 yuan as an individual in Hangzhou’s program, the only one admitting individuals', () => {
    expect(data.programs.map((program) => program.allowsIndividuals)).toEqual([false, true, false]);
    const personal = data.grants.filter((grant) => grant.holderUserId !== null);
    expect(personal).toEqual([
      expect.objectContaining({ programId: data.programs[1].id, enterpriseId: null, holderUserId: standIn('researcher@demo.example'), status: 'approved', approvedFen: 500_000 }),
    ]);
    for (const grant of data.grants) expect([grant.enterpriseId, grant.holderUserId].filter((holder) => holder !== null)).toHaveLength(1);
  });

  it('pays a few completed orders and reserves a few upcoming ones, on accepted providers, within the share of each order', () => {
    const bookingById = new Map(bookings.bookings.map((booking) => [booking.id, booking]));
    const instrumentById = new Map(catalog.instruments.map((instrument) => [instrument.id, instrument]));
    const redeemed = data.payments.filter((payment) => payment.status === 'redeemed');
    const reserved = data.payments.filter((payment) => payment.status === 'reserved');
    expect(redeemed.length).toBeGreaterThanOrEqual(2);
    expect(reserved.length).toBeGreaterThanOrEqual(2);
    for (const payment of data.payments) {
      const booking = bookingById.get(payment.bookingId)!;
      const instrument = instrumentById.get(booking.instrumentId)!;
      const program = data.programs.find((candidate) => candidate.id === data.grants.find((grant) => grant.id === payment.grantId)!.programId)!;
      expect(booking.userId).toBe(standIn('firm@demo.example'));
      expect(payment.providerInstitutionId).toBe(instrument.institutionId);
      expect(instrument.institutionId).not.toBe(firmAccount().institutionId);
      expect(program.acceptedRegionCodes.some((code) => instrument.regionCode.startsWith(code.replace(/0+$/, '')))).toBe(true);
      expect(payment.reservedFen).toBeLessThanOrEqual(demoOrderShareCapFen(program, booking.quoteFen!));
      if (payment.status === 'redeemed') {
        expect(booking.status).toBe('completed');
        expect(payment.redeemedFen).toBeLessThanOrEqual(Math.min(payment.reservedFen, demoOrderShareCapFen(program, booking.finalFeeFen!)));
        expect(payment.redeemedAt).toEqual(booking.actualEndAt);
      } else {
        expect(['confirmed', 'pending']).toContain(booking.status);
        expect(booking.startsAt.getTime()).toBeGreaterThan(NOW.getTime());
      }
    }
  });

  it('keeps every balance in the ledger: replayed in order, none goes below zero and each payment has its entries', () => {
    const keys = new Set(data.ledger.map((entry) => entry.operationKey));
    expect(keys.size).toBe(data.ledger.length);
    expect(data.ledger.map((entry) => entry.createdAt.getTime())).toEqual(data.ledger.map((entry) => entry.createdAt.getTime()).sort((a, b) => a - b));
    const balances = new Map<string, { available: number; reserved: number; redeemed: number }>();
    for (const entry of data.ledger) {
      const balance = balances.get(entry.grantId) ?? { available: 0, reserved: 0, redeemed: 0 };
      if (entry.kind === 'grant') balance.available += entry.amountFen;
      if (entry.kind === 'reserve') Object.assign(balance, { available: balance.available - entry.amountFen, reserved: balance.reserved + entry.amountFen });
      if (entry.kind === 'release') Object.assign(balance, { available: balance.available + entry.amountFen, reserved: balance.reserved - entry.amountFen });
      if (entry.kind === 'redeem') Object.assign(balance, { reserved: balance.reserved - entry.amountFen, redeemed: balance.redeemed + entry.amountFen });
      expect([entry.operationKey, balance.available >= 0 && balance.reserved >= 0]).toEqual([entry.operationKey, true]);
      expect(entry.amountFen).toBeGreaterThan(0);
      expect(entry.kind === 'redeem').toBe(entry.providerInstitutionId !== null);
      expect(entry.kind === 'grant').toBe(entry.bookingId === null);
      balances.set(entry.grantId, balance);
    }
    for (const grant of data.grants) {
      const payments = data.payments.filter((payment) => payment.grantId === grant.id);
      expect(balances.get(grant.id) ?? { available: 0, reserved: 0, redeemed: 0 }).toEqual({
        available: (grant.approvedFen ?? 0) - payments.reduce((sum, payment) => sum + (payment.status === 'reserved' ? payment.reservedFen : payment.redeemedFen), 0),
        reserved: payments.filter((payment) => payment.status === 'reserved').reduce((sum, payment) => sum + payment.reservedFen, 0),
        redeemed: payments.reduce((sum, payment) => sum + payment.redeemedFen, 0),
      });
    }
  });

  it('puts one used order in a redemption claim the bureau has paid', () => {
    expect(data.claims).toHaveLength(1);
    const [claim] = data.claims;
    const claimed = data.payments.filter((payment) => payment.claimId === claim.id);
    expect(claimed).toHaveLength(1);
    expect(claimed[0].status).toBe('redeemed');
    expect(data.claimItems).toEqual([{ claimId: claim.id, bookingId: claimed[0].bookingId, amountFen: claimed[0].redeemedFen }]);
    expect(claim).toMatchObject({ status: 'paid', amountFen: claimed[0].redeemedFen, itemCount: 1, providerInstitutionId: claimed[0].providerInstitutionId });
    expect(claim.submittedAt.getTime()).toBeGreaterThan(claimed[0].redeemedAt!.getTime());
    expect(claim.submittedAt <= claim.decidedAt && claim.decidedAt <= claim.paidAt && claim.paidAt < NOW).toBe(true);
  });

  it('covers an order fully below the threshold, half of it above', () => {
    expect(demoOrderShareCapFen(DEMO_VOUCHER_CAPS, 999_999)).toBe(999_999);
    expect(demoOrderShareCapFen(DEMO_VOUCHER_CAPS, 1_000_001)).toBe(500_000);
    expect(demoOrderShareCapFen(DEMO_VOUCHER_CAPS, 0)).toBe(0);
  });
});
