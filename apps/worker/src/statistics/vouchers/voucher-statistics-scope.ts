import type { AuthUser } from '@app/auth';
import { ForbiddenError } from '@app/common';
import { likeBelow } from '@app/db';
import { StatisticsErrorCode } from '../statistics-error-code';

/**
 * Which voucher figures a caller sees: department staff the programs issued within their region
 * (province staff the whole province, city staff their city and its counties), lab managers what
 * their institution received as provider, firm members their own enterprise's, admins everything.
 */
export type VoucherStatisticsScope =
  | { kind: 'all' }
  | { kind: 'issuing_region'; regionCode: string }
  | { kind: 'provider'; institutionId: string }
  | { kind: 'enterprise'; institutionId: string };

export function voucherStatisticsScope(user: AuthUser): VoucherStatisticsScope {
  if (user.role === 'admin') return { kind: 'all' };
  if (user.role === 'department_staff' && user.regionCode) return { kind: 'issuing_region', regionCode: user.regionCode };
  if (user.role === 'lab_manager' && user.institutionId) return { kind: 'provider', institutionId: user.institutionId };
  if (user.role === 'firm_member' && user.institutionId) return { kind: 'enterprise', institutionId: user.institutionId };
  throw new ForbiddenError('Voucher statistics are for department staff, lab managers, firm members and admins', StatisticsErrorCode.OUT_OF_SCOPE);
}

/**
 * `AND ...` restricting voucher facts (alias `f`: program_id, enterprise_id, provider_id) joined to
 * their program (alias `p`) to the scope; the value is appended to `params`, never written as text.
 */
export function voucherScopeCondition(scope: VoucherStatisticsScope, params: unknown[]): string {
  switch (scope.kind) {
    case 'all':
      return '';
    case 'issuing_region':
      params.push(likeBelow(scope.regionCode));
      return ` AND p.issuing_region_code LIKE $${params.length}`;
    case 'provider':
      params.push(scope.institutionId);
      return ` AND f.provider_id = $${params.length}::uuid`;
    case 'enterprise':
      params.push(scope.institutionId);
      return ` AND f.enterprise_id = $${params.length}::uuid`;
  }
}

export const VOUCHER_REGION_LEVELS = ['province', 'city', 'county'] as const;
export type VoucherRegionLevel = (typeof VOUCHER_REGION_LEVELS)[number];

/**
 * The region a program counts under at a level, as SQL over a six-digit code column: its province,
 * its city, or itself. A program issued above the level keeps its own code (a provincial program
 * stays 330000 in a roll-up by city).
 */
export function regionAtLevelSql(column: string, level: VoucherRegionLevel): string {
  switch (level) {
    case 'province':
      return `(left(${column}, 2) || '0000')`;
    case 'city':
      return `(CASE WHEN ${column} LIKE '__0000' THEN ${column}::text ELSE left(${column}, 4) || '00' END)`;
    case 'county':
      return `${column}::text`;
  }
}
