import { VoucherRefusal, capYear, orderShareCapFen, programExpiresAt, voucherRefusal } from './voucher-rules';

const terms = {
  eligibleServiceModes: ['sample_submission', 'self_operated'] as const,
  eligibleCategoryCodes: [] as string[],
  acceptedRegionCodes: ['330100'],
  fullCoverBelowFen: 1_000_000,
  shareAbovePercent: 50,
};
const order = { feeFen: 80_000, mode: 'sample_submission' as const, categoryCode: '010201', providerRegionCode: '330106', providerIsOwnInstitution: false };

describe('voucherRefusal', () => {
  it('accepts an order from a provider within an accepted region', () => {
    expect(voucherRefusal(terms, order)).toBeNull();
  });

  it('refuses a provider outside the accepted regions, even in the same province', () => {
    expect(voucherRefusal(terms, { ...order, providerRegionCode: '330203' })).toBe(VoucherRefusal.PROVIDER_REGION_NOT_ACCEPTED);
    expect(voucherRefusal({ ...terms, acceptedRegionCodes: ['330100', '330200'] }, { ...order, providerRegionCode: '330203' })).toBeNull();
  });

  it('refuses a service mode or category the program does not fund', () => {
    expect(voucherRefusal({ ...terms, eligibleServiceModes: ['sample_submission'] }, { ...order, mode: 'self_operated' })).toBe(VoucherRefusal.MODE_NOT_ELIGIBLE);
    expect(voucherRefusal({ ...terms, eligibleCategoryCodes: ['020000'] }, order)).toBe(VoucherRefusal.CATEGORY_NOT_ELIGIBLE);
    expect(voucherRefusal({ ...terms, eligibleCategoryCodes: ['010200'] }, order)).toBeNull();
  });

  it('refuses to pay the holder’s own institution, whatever else the program accepts', () => {
    expect(voucherRefusal(terms, { ...order, providerIsOwnInstitution: true })).toBe(VoucherRefusal.OWN_PROVIDER);
  });

  it('refuses an order without a fee', () => {
    expect(voucherRefusal(terms, { ...order, feeFen: 0 })).toBe(VoucherRefusal.NO_FEE);
  });
});

describe('orderShareCapFen', () => {
  it('covers an order below the threshold fully', () => {
    expect(orderShareCapFen(terms, 999_999)).toBe(999_999);
  });

  it('covers only the share of an order at or above the threshold, rounded down to the fen', () => {
    expect(orderShareCapFen(terms, 1_000_000)).toBe(500_000);
    expect(orderShareCapFen({ ...terms, shareAbovePercent: 30 }, 1_234_567)).toBe(370_370);
  });
});

describe('program dates in China Standard Time', () => {
  it('ends validity at midnight after the last day in Shanghai', () => {
    expect(programExpiresAt('2026-12-31').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('counts an approval on New Year’s morning in Shanghai in the new year', () => {
    expect(capYear(new Date('2026-12-31T16:30:00Z'))).toBe(2027);
    expect(capYear(new Date('2026-12-31T15:30:00Z'))).toBe(2026);
  });
});
