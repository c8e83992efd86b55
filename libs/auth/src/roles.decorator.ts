import { SetMetadata } from '@nestjs/common';
import type { UserRole } from '@app/db';

export const REQUIRED_ROLES = 'requiredRoles';

/** Only callers with one of these roles may use the route (403 otherwise). */
export const Roles = (...roles: UserRole[]) => SetMetadata(REQUIRED_ROLES, roles);
