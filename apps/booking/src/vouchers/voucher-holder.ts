import type { AuthUser } from '@app/auth';

/**
 * Whose wallet a signed-in user acts for: a firm member for their enterprise (voucher_grant.enterprise_id),
 * a researcher for themselves as an individual (voucher_grant.holder_user_id), nobody else.
 * `column` is one of two fixed names, safe to place in SQL.
 */
export interface VoucherHolder {
  kind: 'enterprise' | 'individual';
  column: 'enterprise_id' | 'holder_user_id';
  id: string;
}

export function voucherHolderOf(user: AuthUser): VoucherHolder | null {
  if (user.role === 'firm_member' && user.institutionId) return { kind: 'enterprise', column: 'enterprise_id', id: user.institutionId };
  if (user.role === 'researcher') return { kind: 'individual', column: 'holder_user_id', id: user.id };
  return null;
}

/** Does this grant (its two holder columns) belong to the user's wallet? */
export function holdsGrant(user: AuthUser, grant: { enterprise_id: string | null; holder_user_id: string | null }): boolean {
  const holder = voucherHolderOf(user);
  if (!holder) return false;
  return holder.kind === 'enterprise' ? grant.enterprise_id === holder.id : grant.holder_user_id === holder.id;
}
