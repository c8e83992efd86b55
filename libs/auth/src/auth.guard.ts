import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ForbiddenError, IS_PUBLIC_ROUTE } from '@app/common';
import type { UserRole } from '@app/db';
import { AccessTokenService } from './access-token.service';
import { AuthErrorCode } from './auth-error-code';
import { REQUIRED_ROLES } from './roles.decorator';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public(); a token sent
 * to a public route must still be valid. @Roles() narrows who may call.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers?.authorization;
    if (header) {
      const [scheme, token] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) {
        throw new DomainError(AuthErrorCode.INVALID_TOKEN, 'Authorization must be "Bearer <token>"', HttpStatus.UNAUTHORIZED);
      }
      request.user = this.tokens.verify(token);
    }
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_ROUTE, targets);
    if (!request.user) {
      if (isPublic) return true;
      throw new DomainError(AuthErrorCode.UNAUTHENTICATED, 'Log in first: this route needs a bearer token', HttpStatus.UNAUTHORIZED);
    }
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(request.user.role)) {
      throw new ForbiddenError(`This action is for ${roles.join(', ')} only`, AuthErrorCode.ROLE_NOT_ALLOWED);
    }
    return true;
  }
}
