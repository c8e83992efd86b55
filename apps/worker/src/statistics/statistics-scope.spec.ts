import type { AuthUser } from '@app/auth';
import { scopeCondition, statisticsScope } from './statistics-scope';

const user = (role: AuthUser['role'], scope: Partial<AuthUser> = {}): AuthUser => ({ id: 'u', role, institutionId: null, regionCode: null, ...scope });

describe('statistics scope', () => {
  it('maps department staff to their province, city or county, lab managers to their institution', () => {
    expect(statisticsScope(user('department_staff', { regionCode: '330000' }))).toEqual({ column: 'province_code', value: '330000' });
    expect(statisticsScope(user('department_staff', { regionCode: '330100' }))).toEqual({ column: 'city_code', value: '330100' });
    expect(statisticsScope(user('department_staff', { regionCode: '330106' }))).toEqual({ column: 'region_code', value: '330106' });
    expect(statisticsScope(user('lab_manager', { institutionId: 'i1' }))).toEqual({ column: 'institution_id', value: 'i1' });
    expect(statisticsScope(user('admin'))).toEqual({ column: null, value: null });
  });

  it('refuses everyone else', () => {
    expect(() => statisticsScope(user('researcher', { institutionId: 'i1' }))).toThrow(/department staff/);
    expect(() => statisticsScope(user('firm_member', { institutionId: 'i1' }))).toThrow(/department staff/);
  });

  it('adds the scope as a parameter, never as text', () => {
    const params: unknown[] = ['2026-01-01'];
    expect(scopeCondition({ column: 'city_code', value: '330100' }, params)).toBe(' AND i.city_code = $2::char(6)');
    expect(params).toEqual(['2026-01-01', '330100']);
    expect(scopeCondition({ column: null, value: null }, params)).toBe('');
  });
});
