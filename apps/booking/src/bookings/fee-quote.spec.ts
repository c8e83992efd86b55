import { lateCancellationFee, quoteFee } from './fee-quote';

describe('quoteFee', () => {
  const hourly = { unit: 'hour' as const, internalRateFen: 20_000, externalRateFen: 45_000 };

  it('charges members the internal rate and everyone else the external one', () => {
    expect(quoteFee(hourly, { minutes: 120, sampleCount: null, internal: true })).toEqual({ unit: 'hour', rateFen: 20_000, amountFen: 40_000, internal: true });
    expect(quoteFee(hourly, { minutes: 120, sampleCount: null, internal: false })?.amountFen).toBe(90_000);
  });

  it('charges hours by the minute in whole fen, rounding half up', () => {
    expect(quoteFee({ ...hourly, externalRateFen: 10_001 }, { minutes: 30, sampleCount: null, internal: false })?.amountFen).toBe(5_001);
    expect(quoteFee({ ...hourly, externalRateFen: 10_003 }, { minutes: 20, sampleCount: null, internal: false })?.amountFen).toBe(3_334);
  });

  it('charges per started day, per sample (at least one) and per run', () => {
    const rate = { internalRateFen: 100, externalRateFen: 100 };
    expect(quoteFee({ unit: 'day', ...rate }, { minutes: 1441, sampleCount: null, internal: false })?.amountFen).toBe(200);
    expect(quoteFee({ unit: 'sample', ...rate }, { minutes: 60, sampleCount: 7, internal: false })?.amountFen).toBe(700);
    expect(quoteFee({ unit: 'sample', ...rate }, { minutes: 60, sampleCount: null, internal: false })?.amountFen).toBe(100);
    expect(quoteFee({ unit: 'run', ...rate }, { minutes: 600, sampleCount: 3, internal: false })?.amountFen).toBe(100);
  });

  it('quotes nothing without a fee schedule', () => {
    expect(quoteFee(null, { minutes: 60, sampleCount: null, internal: false })).toBeNull();
  });
});

describe('lateCancellationFee', () => {
  it('is the set share of the quote, in whole fen', () => {
    expect(lateCancellationFee(90_001, 50)).toBe(45_000);
    expect(lateCancellationFee(null, 50)).toBe(0);
    expect(lateCancellationFee(90_000, 0)).toBe(0);
  });
});
