import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { useSession } from './session';
import type { Role } from './session';

/** Sends a visitor to the login page (and back afterwards); a signed-in user without the role sees why. */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { user } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  if (!user) return <Navigate to="/login" state={{ from: location.pathname + location.search }} replace />;
  if (!roles.includes(user.role)) return <p className="error">{t.errors.forbidden}</p>;
  return <>{children}</>;
}
