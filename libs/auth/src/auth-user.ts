import type { UserRole } from '@app/db';

/** Who is calling, as carried in the access token. */
export interface AuthUser {
  id: string;
  role: UserRole;
  institutionId: string | null;
  regionCode: string | null;
}

export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  inst: string | null;
  region: string | null;
}
