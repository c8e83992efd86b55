import { createHash } from 'node:crypto';
import { DemoCatalog, demoInstitutionCount, generateDemoCatalog } from './demo-catalog.generator';
import { DEMO_TYPE_TRAITS } from './instrument-profiles.data';
import { DEMO_INSTRUMENT_TYPES, DemoInstrumentType } from './instrument-types.data';
import { zhejiangCounties } from './zhejiang-counties';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const THRESHOLD_FEN = 500_000 * 100;

function fingerprint(catalog: DemoCatalog): string {
  return createHash('sha256').update(JSON.stringify(catalog)).digest('hex');
}

/** The type behind an instrument name, variants included. */
const TYPE_BY_NAME = new Map<string, DemoInstrumentType>();
for (const type of DEMO_INSTRUMENT_TYPES) {
  TYPE_BY_NAME.set(type.nameZh, type);
  for (const variant of DEMO_TYPE_TRAITS[type.nameEn]?.variants ?? []) TYPE_BY_NAME.set(variant.nameZh, type);
}

const share = <T>(items: readonly T[], predicate: (item: T) => boolean) => items.filter(predicate).length / items.length;

/**
 * Runs a check over every row and returns the first few failures (id and reason): one expect per
 * test instead of one per row keeps the suite fast and the failure message readable.
 */
function violations<T extends { id: string }>(rows: readonly T[], check: (row: T) => string | undefined | false): string[] {
  const found: string[] = [];
  for (const row of rows) {
    const problem = check(row);
    if (problem) found.push(`${row.id}: ${problem}`);
    if (found.length >= 5) break;
  }
  return found;
}

describe('generateDemoCatalog', () => {
  let catalog: DemoCatalog;

  beforeAll(() => {
    catalog = generateDemoCatalog();
  });

  it('gives identical output on every run, ids included', () => {
    expect(fingerprint(generateDemoCatalog({ instrumentCount: 9_000, seed: 20261125 }))).toBe(fingerprint(catalog));
    expect(fingerprint(generateDemoCatalog({ seed: 1 }))).not.toBe(fingerprint(catalog));
  });

  it('makes 9,000 instruments and about 350 institutions by default, never fewer than 60', () => {
    expect(catalog.instruments).toHaveLength(9_000);
    expect(catalog.institutions).toHaveLength(350);
    expect(demoInstitutionCount(100_000)).toBeGreaterThan(3_000);
    const small = generateDemoCatalog({ instrumentCount: 100 });
    expect(small.instruments).toHaveLength(100);
    expect(small.institutions).toHaveLength(60);
    expect(generateDemoCatalog({ instrumentCount: 0 }).instruments).toEqual([]);
  });

  it('covers every Zhejiang city and most counties, weighted towards Hangzhou and Ningbo', () => {
    const counties = zhejiangCounties();
    expect(counties).toHaveLength(90);
    const cities = new Set(counties.map((county) => county.cityCode));
    expect(cities.size).toBe(11);
    const institutionCities = new Set(catalog.institutions.map((institution) => `${institution.regionCode.slice(0, 4)}00`));
    const instrumentCities = new Set(catalog.instruments.map((instrument) => `${instrument.regionCode.slice(0, 4)}00`));
    expect(institutionCities).toEqual(cities);
    expect(instrumentCities).toEqual(cities);
    const countyCodes = new Set(counties.map((county) => county.code));
    const coveredCounties = new Set(catalog.institutions.map((institution) => institution.regionCode));
    for (const code of coveredCounties) expect(countyCodes.has(code)).toBe(true);
    expect(coveredCounties.size).toBeGreaterThanOrEqual(80);
    const hangzhou = share(catalog.institutions, (institution) => institution.regionCode.startsWith('3301'));
    const ningbo = share(catalog.institutions, (institution) => institution.regionCode.startsWith('3302'));
    expect(hangzhou).toBeGreaterThan(0.3);
    expect(hangzhou).toBeLessThan(0.42);
    expect(ningbo).toBeGreaterThan(0.11);
    expect(ningbo).toBeLessThan(0.19);
  });

  it('gives institutions unique ids and unique Chinese and English names of every kind', () => {
    const { institutions } = catalog;
    expect(violations(institutions, (institution) => !UUID.test(institution.id) && 'malformed id')).toEqual([]);
    expect(new Set(institutions.map((institution) => institution.id)).size).toBe(institutions.length);
    expect(new Set(institutions.map((institution) => institution.nameZh)).size).toBe(institutions.length);
    expect(new Set(institutions.map((institution) => institution.nameEn)).size).toBe(institutions.length);
    expect(new Set(institutions.map((institution) => institution.kind))).toEqual(
      new Set(['university', 'research_institute', 'hospital', 'enterprise', 'other']),
    );
    expect(violations(institutions, (institution) => institution.isSmallMicro && institution.kind !== 'enterprise' && 'small but not a firm')).toEqual([]);
    const enterprises = institutions.filter((institution) => institution.kind === 'enterprise');
    expect(share(enterprises, (firm) => firm.isSmallMicro)).toBeGreaterThan(0.6);
  });

  it('gives instruments and fee lines unique ids and owners that exist', () => {
    const institutionIds = new Set(catalog.institutions.map((institution) => institution.id));
    const instrumentIds = new Set(catalog.instruments.map((instrument) => instrument.id));
    const feeIds = catalog.instruments.flatMap((instrument) => instrument.fees.map((fee) => fee.id));
    expect(instrumentIds.size).toBe(catalog.instruments.length);
    expect(new Set(feeIds).size).toBe(feeIds.length);
    expect([...instrumentIds, ...feeIds].filter((id) => !UUID.test(id))).toEqual([]);
    expect(violations(catalog.instruments, (instrument) => !institutionIds.has(instrument.institutionId) && 'unknown owner')).toEqual([]);
    // Every institution owns at least one instrument when there are enough to go round.
    expect(new Set(catalog.instruments.map((instrument) => instrument.institutionId)).size).toBe(catalog.institutions.length);
  });

  it('keeps values within the type ranges, with 5% to 12% below the 500,000-yuan line', () => {
    const problems = violations(catalog.instruments, (instrument) => {
      const type = TYPE_BY_NAME.get(instrument.nameZh);
      if (!type) return `unknown type ${instrument.nameZh}`;
      if (instrument.categoryCode !== type.categoryCode) return `category ${instrument.categoryCode}`;
      const value = instrument.originalValueFen;
      if (!Number.isInteger(value) || value < type.valueMinYuan * 100 || value > type.valueMaxYuan * 100) return `value ${value}`;
    });
    expect(problems).toEqual([]);
    const below = share(catalog.instruments, (instrument) => instrument.originalValueFen < THRESHOLD_FEN);
    expect(below).toBeGreaterThanOrEqual(0.05);
    expect(below).toBeLessThanOrEqual(0.12);
  });

  it('prices in whole yuan, external within the type range, internal 1.5 to 3 times cheaper', () => {
    const problems = violations(catalog.instruments, (instrument) => {
      const type = TYPE_BY_NAME.get(instrument.nameZh)!;
      const { fees } = instrument;
      if (fees.length < 1 || fees.length > 2) return `${fees.length} fee lines`;
      for (const [position, fee] of fees.entries()) {
        if (fee.position !== position || fee.instrumentId !== instrument.id) return `fee line ${position} misplaced`;
        for (const rate of [fee.externalRateFen, fee.internalRateFen]) {
          if (!Number.isInteger(rate) || rate % 100 !== 0) return `rate ${rate} is not whole yuan`;
        }
        const ratio = fee.externalRateFen / fee.internalRateFen;
        if (ratio < 1.5 || ratio > 3) return `external/internal ratio ${ratio}`;
      }
      const [primary, second] = fees;
      if (primary.unit !== type.feeUnit) return `primary unit ${primary.unit}`;
      if (primary.externalRateFen < type.externalFeeMinYuan * 100 || primary.externalRateFen > type.externalFeeMaxYuan * 100) {
        return `external rate ${primary.externalRateFen}`;
      }
      if (second && second.unit !== 'day') return `second unit ${second.unit}`;
      if (instrument.priceUnit !== primary.unit || instrument.externalPriceFen !== primary.externalRateFen || instrument.internalPriceFen !== primary.internalRateFen) {
        return 'price columns differ from the primary fee line';
      }
    });
    expect(problems).toEqual([]);
    const withDayRate = share(catalog.instruments, (instrument) => instrument.fees.length === 2);
    expect(withDayRate).toBeGreaterThan(0.05);
    expect(withDayRate).toBeLessThan(0.35);
  });

  it('draws the record fields from the documented value sets with realistic shares', () => {
    const { instruments } = catalog;
    const problems = violations(instruments, (instrument) => {
      const date = instrument.inServiceDate ?? '';
      const { latitude, longitude } = instrument;
      if (instrument.timeZone !== 'Asia/Shanghai') return `time zone ${instrument.timeZone}`;
      if (!(date >= '2008-01-01' && date <= '2025-12-31')) return `in service ${date}`;
      const asset = instrument.assetNumber ?? '';
      if (!/^\d{4}-\d{6}$/.test(asset) || !asset.startsWith(date.slice(0, 4))) return `asset number ${asset}`;
      if (!/^[A-Z]{2}$/.test(instrument.countryOfOrigin ?? '')) return `country ${instrument.countryOfOrigin}`;
      if (latitude === null || latitude < 27.0 || latitude > 31.2) return `latitude ${latitude}`;
      if (longitude === null || longitude < 118.0 || longitude > 122.9) return `longitude ${longitude}`;
      if (!instrument.address.startsWith('浙江省')) return `address ${instrument.address}`;
      if (instrument.photoUrls.length > 2) return 'too many photos';
      if (instrument.photoUrls.some((url) => !/^https:\/\/images\.example\.org\/instruments\/\d+\.jpg$/.test(url))) return 'photo url';
      if (instrument.subjectAreas.length < 1) return 'no subject area';
      if (!/^[a-z0-9]+@[a-z0-9]+\.example\.org$/.test(instrument.contactEmail)) return `e-mail ${instrument.contactEmail}`;
      if (instrument.priceUnit !== 'hour' && instrument.serviceModes.join() !== 'sample_submission') return 'samples are submitted';
      const texts = [instrument.specs, instrument.functions, instrument.serviceContent, instrument.sharingRules];
      if (texts.some((text) => text.length <= 10 || text.length > 5000)) return 'text length';
    });
    expect(problems).toEqual([]);
    expect(share(instruments, (instrument) => instrument.sharingMode === 'internal_only')).toBeGreaterThan(0.015);
    expect(share(instruments, (instrument) => instrument.sharingMode === 'internal_only')).toBeLessThan(0.05);
    expect(share(instruments, (instrument) => instrument.sharingMode === 'not_shared')).toBeLessThan(0.025);
    expect(share(instruments, (instrument) => instrument.purpose === 'general')).toBeGreaterThan(0.7);
    expect(share(instruments, (instrument) => instrument.condition === 'normal')).toBeGreaterThan(0.85);
    expect(share(instruments, (instrument) => instrument.source === 'purchased')).toBeGreaterThan(0.8);
    const ownOrOther = share(instruments, (instrument) => ['own_funds', 'other'].includes(instrument.fundingSource));
    expect(ownOrOther).toBeGreaterThan(0.1);
    expect(ownOrOther).toBeLessThan(0.2);
    expect(share(instruments, (instrument) => instrument.countryOfOrigin === 'CN')).toBeGreaterThan(0.03);
    const selfOperatedOnly = share(instruments, (instrument) => instrument.serviceModes.join() === 'self_operated');
    expect(selfOperatedOnly).toBeGreaterThan(0);
    expect(selfOperatedOnly).toBeLessThan(0.2);
  });

  it('makes common types more frequent than rare ones', () => {
    const count = (nameEn: string) => {
      const type = DEMO_INSTRUMENT_TYPES.find((candidate) => candidate.nameEn === nameEn)!;
      const names = new Set([type.nameZh, ...(DEMO_TYPE_TRAITS[nameEn]?.variants ?? []).map((variant) => variant.nameZh)]);
      return catalog.instruments.filter((instrument) => names.has(instrument.nameZh)).length;
    };
    const cryoEm = count('Cryo-transmission electron microscope');
    for (const common of ['High-performance liquid chromatograph', 'Scanning electron microscope', 'X-ray diffractometer', 'Universal testing machine']) {
      expect(count(common)).toBeGreaterThan(5 * Math.max(cryoEm, 1));
    }
  });

  it('names the key capability in the functions text (mass spectrometers mention 质谱 and the English name)', () => {
    const massSpectrometers = catalog.instruments.filter((instrument) => instrument.categoryCode === '010200');
    expect(massSpectrometers.length).toBeGreaterThan(100);
    const problems = violations(massSpectrometers, (instrument) =>
      !(instrument.functions.includes('质谱') && instrument.functions.includes(instrument.nameEn!)) && instrument.functions,
    );
    expect(problems).toEqual([]);
  });

  it('leaves out the columns the database generates', () => {
    const keys = Object.keys(catalog.instruments[0]);
    for (const generated of ['categoryL1Code', 'categoryL2Code', 'isPubliclyFunded', 'cityCode', 'provinceCode', 'version', 'createdAt', 'updatedAt']) {
      expect(keys).not.toContain(generated);
    }
  });
});
