import type { AuthUser } from '@app/auth';
import { ForbiddenError } from '@app/common';
import { InstrumentSearchIndex } from '../search-index/instrument-search-index';
import { InstrumentAccessPolicy } from './instrument-access.policy';

const ownerId = '11111111-1111-4111-8111-111111111111';
const otherId = '22222222-2222-4222-8222-222222222222';
const user = (role: AuthUser['role'], institutionId: string | null = ownerId, regionCode: string | null = null): AuthUser => ({
  id: 'u',
  role,
  institutionId,
  regionCode,
});

describe('InstrumentAccessPolicy', () => {
  const policy = new InstrumentAccessPolicy();
  const internal = { sharingMode: 'internal_only' as const, institutionId: ownerId, regionCode: '330106' };
  const notShared = { ...internal, sharingMode: 'not_shared' as const };

  it('lets anyone read external instruments and nobody outside read restricted ones', () => {
    expect(policy.canRead(undefined, { ...internal, sharingMode: 'external' })).toBe(true);
    expect(policy.canRead(undefined, internal)).toBe(false);
    expect(policy.canRead(user('researcher', otherId), internal)).toBe(false);
  });

  it('lets members read internal-only instruments and only lab managers read unshared ones', () => {
    expect(policy.canRead(user('researcher'), internal)).toBe(true);
    expect(policy.canRead(user('researcher'), notShared)).toBe(false);
    expect(policy.canRead(user('lab_manager'), notShared)).toBe(true);
  });

  it('scopes department staff to their region', () => {
    expect(policy.canRead(user('department_staff', null, '330000'), notShared)).toBe(true);
    expect(policy.canRead(user('department_staff', null, '330100'), notShared)).toBe(true);
    expect(policy.canRead(user('department_staff', null, '330200'), notShared)).toBe(false);
    expect(policy.canRead(user('department_staff', null, '330106'), notShared)).toBe(true);
  });

  it('lets only the owner lab manager and admins write', () => {
    expect(() => policy.assertCanWrite(user('lab_manager'), internal)).not.toThrow();
    expect(() => policy.assertCanWrite(user('admin', null), internal)).not.toThrow();
    expect(() => policy.assertCanWrite(user('lab_manager', otherId), internal)).toThrow(ForbiddenError);
    expect(() => policy.assertCanWrite(user('researcher'), internal)).toThrow(ForbiddenError);
    expect(() => policy.assertCanWrite(user('department_staff', null, '330000'), internal)).toThrow(ForbiddenError);
  });

  it('gives the search index the same rule as canRead, for every role', () => {
    const instruments = [];
    let n = 0;
    for (const sharingMode of ['external', 'internal_only', 'not_shared'] as const) {
      for (const institutionId of [ownerId, otherId]) {
        for (const regionCode of ['330106', '330211']) {
          n++;
          instruments.push({ instrumentId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, sharingMode, institutionId, regionCode });
        }
      }
    }
    const index = new InstrumentSearchIndex(instruments.length, new Map(), new Map());
    for (const item of instruments) {
      index.load({
        ...item,
        categoryCode: '010201',
        offersSelfOperated: true,
        offersSampleSubmission: true,
        externalPriceFen: 1,
        originalValueFen: 1,
        createdAtMicros: 0,
        lexemes: [],
        titleLexemes: [],
        listing: '[]',
      });
    }
    index.seal();
    const callers = [
      undefined,
      user('researcher'),
      user('firm_member', null),
      user('lab_manager'),
      user('lab_manager', otherId),
      user('department_staff', null, '330000'),
      user('department_staff', null, '330200'),
      user('department_staff', null, '330106'),
      user('admin', null),
    ];
    for (const caller of callers) {
      const viaIndex = index.search({ scope: policy.readableScope(caller), sort: 'value_asc', page: 1, pageSize: 100 }).pageIds;
      const viaCanRead = instruments.filter((item) => policy.canRead(caller, item)).map((item) => item.instrumentId);
      expect({ caller, ids: viaIndex.sort() }).toEqual({ caller, ids: viaCanRead.sort() });
    }
  });
});
