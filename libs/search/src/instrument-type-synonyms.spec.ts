import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { INSTRUMENT_TYPE_TERMS } from './instrument-type-synonyms';

/** Where the demo data set lived when the copy was made; the check is skipped once it moves. */
const DEMO_CSV = resolve(__dirname, '../../db/src/demo/instrument-types.csv');

describe('INSTRUMENT_TYPE_TERMS', () => {
  it('holds the 54 demo instrument types, each with both names', () => {
    expect(INSTRUMENT_TYPE_TERMS).toHaveLength(54);
    for (const row of INSTRUMENT_TYPE_TERMS) {
      expect(row.nameZh).not.toBe('');
      expect(row.nameEn).not.toBe('');
    }
  });

  (existsSync(DEMO_CSV) ? it : it.skip)('matches the demo CSV', () => {
    const [, ...lines] = readFileSync(DEMO_CSV, 'utf8').trim().split(/\r?\n/);
    const fromCsv = lines.map((line) => {
      const [categoryCode, nameZh, nameEn, aliases] = line.split(',');
      return { categoryCode, nameZh, nameEn, aliases: aliases.split(';').filter((alias) => alias !== '') };
    });
    expect(INSTRUMENT_TYPE_TERMS).toEqual(fromCsv);
  });
});
