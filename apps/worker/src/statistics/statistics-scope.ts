import type { AuthUser } from '@app/auth';
import { ForbiddenError } from '@app/common';
import { likeBelow } from '@app/db';
import { StatisticsErrorCode } from './statistics-error-code';

/** Which instruments a caller's statistics cover: a column of `instrument` and its value, or all. */
export type StatisticsScope =
  | { column: null; value: null }
  | { column: 'province_code' | 'city_code' | 'region_code' | 'institution_id'; value: string };

/**
 * Department staff see the instruments of their region (a province code ends in 0000, a city code
 * in 00, anything else is a county), lab managers those of their institution, admins everything.
 */
export function statisticsScope(user: AuthUser): StatisticsScope {
  if (user.role === 'admin') return { column: null, value: null };
  if (user.role === 'department_staff' && user.regionCode) {
    const code = user.regionCode;
    if (code.endsWith('0000')) return { column: 'province_code', value: code };
    if (code.endsWith('00')) return { column: 'city_code', value: code };
    return { column: 'region_code', value: code };
  }
  if (user.role === 'lab_manager' && user.institutionId) return { column: 'institution_id', value: user.institutionId };
  throw new ForbiddenError('Statistics are for department staff, lab managers and admins', StatisticsErrorCode.OUT_OF_SCOPE);
}

/** `AND i.<column> = $n` for the scope (the parameter is appended to `params`), or nothing. */
export function scopeCondition(scope: StatisticsScope, params: unknown[], alias = 'i'): string {
  if (scope.column === null) return '';
  params.push(scope.value);
  return ` AND ${alias}.${scope.column} = $${params.length}${scope.column === 'institution_id' ? '::uuid' : '::char(6)'}`;
}

/** Only instruments located in this region (drill-down), as a WHERE fragment over alias i; '' without a region. */
export function regionCondition(region: string | undefined, params: unknown[], alias = 'i'): string {
  if (!region) return '';
  params.push(likeBelow(region));
  return ` AND ${alias}.region_code LIKE $${params.length}`;
}
