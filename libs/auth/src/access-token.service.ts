import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@app/common';
import { AuthErrorCode } from './auth-error-code';
import { AccessTokenClaims, AuthUser } from './auth-user';

/** Signs and checks JWT access tokens (HS256, lifetime JWT_TTL_SECONDS). */
@Injectable()
export class AccessTokenService {
  constructor(private readonly jwt: JwtService) {}

  sign(user: AuthUser): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, inst: user.institutionId, region: user.regionCode };
    return this.jwt.sign(claims);
  }

  verify(token: string): AuthUser {
    try {
      const claims = this.jwt.verify<AccessTokenClaims>(token, { algorithms: ['HS256'] });
      return { id: claims.sub, role: claims.role, institutionId: claims.inst ?? null, regionCode: claims.region ?? null };
    } catch {
      throw new DomainError(AuthErrorCode.INVALID_TOKEN, 'The access token is invalid or expired', HttpStatus.UNAUTHORIZED);
    }
  }
}
