import type { AuthUser } from '@app/auth';
import { ForbiddenError } from '@app/common';
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
});
