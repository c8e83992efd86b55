import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INSTRUMENT_CATEGORIES } from '../migrations/instrument-categories.data';
import { DEMO_MAKERS } from './instrument-makers.data';
import { DEMO_CAPABILITY_PROFILES, DEMO_TYPE_TRAITS } from './instrument-profiles.data';
import { DEMO_INSTRUMENT_TYPES } from './instrument-types.data';

/** The CSV is the source the TypeScript copy was made from; the test reads it, the app never does. */
function readCsv() {
  const [header, ...lines] = readFileSync(join(__dirname, 'instrument-types.csv'), 'utf8').trim().split('\n');
  expect(header.split(',')).toEqual([
    'category_code', 'name_zh', 'name_en', 'aliases', 'value_min_yuan', 'value_max_yuan',
    'manufacturers', 'fee_unit', 'external_fee_min_yuan', 'external_fee_max_yuan',
  ]);
  return lines.map((line) => {
    const cells = line.split(',');
    expect(cells).toHaveLength(10);
    const [categoryCode, nameZh, nameEn, aliases, valueMin, valueMax, makers, feeUnit, feeMin, feeMax] = cells;
    return {
      categoryCode,
      nameZh,
      nameEn,
      aliases: aliases.split(';'),
      valueMinYuan: Number(valueMin),
      valueMaxYuan: Number(valueMax),
      manufacturers: makers.split(';'),
      feeUnit,
      externalFeeMinYuan: Number(feeMin),
      externalFeeMaxYuan: Number(feeMax),
    };
  });
}

describe('DEMO_INSTRUMENT_TYPES', () => {
  it('is an exact copy of instrument-types.csv', () => {
    expect(DEMO_INSTRUMENT_TYPES).toEqual(readCsv());
    expect(DEMO_INSTRUMENT_TYPES).toHaveLength(54);
  });

  it('uses category codes of the migrated category tree', () => {
    const codes = new Set(INSTRUMENT_CATEGORIES.map(([code]) => code));
    for (const type of DEMO_INSTRUMENT_TYPES) expect(codes.has(type.categoryCode)).toBe(true);
  });

  it('has sound ranges', () => {
    for (const type of DEMO_INSTRUMENT_TYPES) {
      expect(type.valueMinYuan).toBeLessThanOrEqual(type.valueMaxYuan);
      expect(type.externalFeeMinYuan).toBeLessThanOrEqual(type.externalFeeMaxYuan);
      expect(['hour', 'sample', 'run']).toContain(type.feeUnit);
    }
  });

  it('has generator traits, a capability profile and known makers for every type', () => {
    for (const type of DEMO_INSTRUMENT_TYPES) {
      const traits = DEMO_TYPE_TRAITS[type.nameEn];
      expect({ type: type.nameEn, traits: Boolean(traits) }).toEqual({ type: type.nameEn, traits: true });
      expect(DEMO_CAPABILITY_PROFILES[type.categoryCode.slice(0, 4)]).toBeDefined();
      for (const maker of [...type.manufacturers, ...(traits.domesticMakers ?? [])]) {
        expect({ maker, known: maker in DEMO_MAKERS }).toEqual({ maker, known: true });
      }
    }
  });

  it('names every maker country as ISO alpha-2', () => {
    for (const maker of Object.values(DEMO_MAKERS)) expect(maker.country).toMatch(/^[A-Z]{2}$/);
  });
});
