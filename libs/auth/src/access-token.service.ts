import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { KeyObject, createSecretKey } from 'node:crypto';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { AuthErrorCode } from './auth-error-code';
import { AccessTokenClaims, AuthUser } from './auth-user';

/** How long a verified token is taken on trust without checking its signature again (never past its expiry). */
const VERIFIED_TOKEN_TRUST_MS = 60_000;
/** Verified tokens remembered at most; the oldest go first. */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

interface VerifiedToken {
  user: AuthUser;
  trustedUntil: number;
}

/** Signs and checks JWT access tokens (HS256, lifetime JWT_TTL_SECONDS). */
@Injectable()
export class AccessTokenService {
  /**
   * The HMAC key as a KeyObject, made once: given a string, jsonwebtoken first tries to read it as a
   * public key (and fails) on every call, which cost about 0.7 ms of CPU per request.
   */
  private readonly key: KeyObject;
  /**
   * Tokens verified in the last minute: a client sends the same token with every request, and the
   * HMAC check and claim parsing cost about 0.1 ms each time. A token is stateless (nothing revokes
   * it before its expiry), so remembering the answer changes no outcome.
   */
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    private readonly jwt: JwtService,
    config: AppConfig,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  sign(user: AuthUser): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, inst: user.institutionId, region: user.regionCode };
    return this.jwt.sign(claims, { secret: this.key as unknown as Buffer });
  }

  verify(token: string): AuthUser {
    const now = Date.now();
    const remembered = this.verified.get(token);
    // A copy: callers may extend the user they are given.
    if (remembered && remembered.trustedUntil > now) return { ...remembered.user };
    let claims: AccessTokenClaims & { exp?: number };
    try {
      claims = this.jwt.verify<AccessTokenClaims & { exp?: number }>(token, { algorithms: ['HS256'], secret: this.key as unknown as Buffer });
    } catch {
      this.verified.delete(token);
      throw new DomainError(AuthErrorCode.INVALID_TOKEN, 'The access token is invalid or expired', HttpStatus.UNAUTHORIZED);
    }
    const user: AuthUser = { id: claims.sub, role: claims.role, institutionId: claims.inst ?? null, regionCode: claims.region ?? null };
    this.remember(token, { user, trustedUntil: Math.min(now + VERIFIED_TOKEN_TRUST_MS, (claims.exp ?? Infinity) * 1000) });
    return { ...user };
  }

  private remember(token: string, verified: VerifiedToken): void {
    this.verified.delete(token);
    if (this.verified.size >= VERIFIED_TOKEN_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, verified);
  }
}
