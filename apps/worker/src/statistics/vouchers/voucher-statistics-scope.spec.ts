import type { AuthUser } from '@app/auth';
import { regionAtLevelSql, voucherScopeCondition, voucherStatisticsScope } from './voucher-statistics-scope';

const user = (role: AuthUser['role'], scope: Partial<AuthUser> = {}): AuthUser => ({ id: 'u', role, institutionId: null, regionCode: null, ...scope });

describe('voucher statistics scope', () => {
  it('maps staff to the issuing region, lab managers to the provider, firm members to their enterprise', () => {
    expect(voucherStatisticsScope(user('department_staff', { regionCode: '330100' }))).toEqual({ kind: 'issuing_region', regionCode: '330100' });
    expect(voucherStatisticsScope(user('lab_manager', { institutionId: 'i1' }))).toEqual({ kind: 'provider', institutionId: 'i1' });
    expect(voucherStatisticsScope(user('firm_member', { institutionId: 'f1' }))).toEqual({ kind: 'enterprise', institutionId: 'f1' });
    expect(voucherStatisticsScope(user('admin'))).toEqual({ kind: 'all' });
  });

  it('refuses researchers and accounts without their region or institution', () => {
    expect(() => voucherStatisticsScope(user('researcher', { institutionId: 'i1' }))).toThrow(/department staff/);
    expect(() => voucherStatisticsScope(user('department_staff'))).toThrow(/department staff/);
    expect(() => voucherStatisticsScope(user('firm_member'))).toThrow(/department staff/);
  });

  it('adds the scope as a parameter: a province or city matches every code below it', () => {
    const params: unknown[] = ['2026-01-01'];
    expect(voucherScopeCondition({ kind: 'issuing_region', regionCode: '330000' }, params)).toBe(' AND p.issuing_region_code LIKE $2');
    expect(voucherScopeCondition({ kind: 'issuing_region', regionCode: '330100' }, params)).toBe(' AND p.issuing_region_code LIKE $3');
    expect(voucherScopeCondition({ kind: 'provider', institutionId: 'i1' }, params)).toBe(' AND f.provider_id = $4::uuid');
    expect(voucherScopeCondition({ kind: 'enterprise', institutionId: 'f1' }, params)).toBe(' AND f.enterprise_id = $5::uuid');
    expect(voucherScopeCondition({ kind: 'all' }, params)).toBe('');
    expect(params).toEqual(['2026-01-01', '33%', '3301%', 'i1', 'f1']);
  });

  it('rolls an issuing region up to its province or city, keeping codes above the level', () => {
    expect(regionAtLevelSql('c', 'province')).toBe("(left(c, 2) || '0000')");
    expect(regionAtLevelSql('c', 'city')).toContain("WHEN c LIKE '__0000' THEN c::text");
    expect(regionAtLevelSql('c', 'county')).toBe('c::text');
  });
});
