import { INSTRUMENT_RECORD_FIELDS, missingRecordFieldsSql } from './instrument-record-fields';

describe('instrument record fields', () => {
  it('lists each national platform field once and builds one array expression', () => {
    const names = INSTRUMENT_RECORD_FIELDS.map(([field]) => field);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toHaveLength(27);
    const sql = missingRecordFieldsSql();
    expect(sql.startsWith('array_remove(ARRAY[')).toBe(true);
    expect(sql.match(/CASE WHEN/g)).toHaveLength(27);
  });
});
