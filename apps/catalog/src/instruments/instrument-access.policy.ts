import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@app/auth';
import { ForbiddenError } from '@app/common';
import { isWithin, likeBelow } from '@app/db';
import type { Instrument } from '@app/db';
import type { ReadableScope } from '../search-index/instrument-search-index';

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

export enum InstrumentAccessErrorCode {
  NOT_OWNER = 'NOT_INSTRUMENT_OWNER',
  ROLE_CANNOT_EDIT_CATALOG = 'ROLE_CANNOT_EDIT_CATALOG',
}

/**
 * Who reads and who writes instruments:
 * - everyone reads what is shared externally;
 * - members of the owner institution also read its internal-only instruments, and its lab managers everything it owns;
 * - department staff read everything in their region; admins everything;
 * - only lab managers of the owner institution (and admins) write.
 */
@Injectable()
export class InstrumentAccessPolicy {
  /** A WHERE condition over an instrument alias; placeholders start at $firstParam. */
  readableCondition(user: AuthUser | undefined, alias: string, firstParam: number): SqlCondition {
    if (!user) return { sql: `${alias}.sharing_mode = 'external'`, params: [] };
    switch (user.role) {
      case 'admin':
        return { sql: 'true', params: [] };
      case 'department_staff':
        return {
          sql: `(${alias}.sharing_mode = 'external' OR ${alias}.region_code LIKE $${firstParam})`,
          params: [likeBelow(user.regionCode ?? '')],
        };
      case 'lab_manager':
        return {
          sql: `(${alias}.sharing_mode = 'external' OR ${alias}.institution_id = $${firstParam})`,
          params: [user.institutionId],
        };
      default:
        return {
          sql: `(${alias}.sharing_mode = 'external' OR (${alias}.sharing_mode = 'internal_only' AND ${alias}.institution_id = $${firstParam}))`,
          params: [user.institutionId],
        };
    }
  }

  /** The same rule as readableCondition, for the in-memory search index. */
  readableScope(user: AuthUser | undefined): ReadableScope {
    if (!user) return { kind: 'external' };
    switch (user.role) {
      case 'admin':
        return { kind: 'all' };
      case 'department_staff':
        return user.regionCode ? { kind: 'external-or-region', regionCode: user.regionCode } : { kind: 'external' };
      case 'lab_manager':
        return user.institutionId ? { kind: 'external-or-institution', institutionId: user.institutionId, institutionModes: 'all' } : { kind: 'external' };
      default:
        return user.institutionId
          ? { kind: 'external-or-institution', institutionId: user.institutionId, institutionModes: 'internal_only' }
          : { kind: 'external' };
    }
  }

  /** Callers with the same scope see the same instruments (so they may share cached search results). */
  scopeKey(user: AuthUser | undefined): string {
    if (!user) return 'public';
    switch (user.role) {
      case 'admin':
        return 'all';
      case 'department_staff':
        return `region:${user.regionCode}`;
      case 'lab_manager':
        return `owner:${user.institutionId}`;
      default:
        return `member:${user.institutionId}`;
    }
  }

  canRead(user: AuthUser | undefined, instrument: Pick<Instrument, 'sharingMode' | 'institutionId' | 'regionCode'>): boolean {
    if (instrument.sharingMode === 'external') return true;
    if (!user) return false;
    switch (user.role) {
      case 'admin':
        return true;
      case 'department_staff':
        return user.regionCode !== null && isWithin(instrument.regionCode, user.regionCode);
      case 'lab_manager':
        return instrument.institutionId === user.institutionId;
      default:
        return instrument.sharingMode === 'internal_only' && instrument.institutionId === user.institutionId;
    }
  }

  assertCanWrite(user: AuthUser, instrument: Pick<Instrument, 'institutionId'>): void {
    if (user.role === 'admin') return;
    if (user.role !== 'lab_manager') {
      throw new ForbiddenError('Only lab managers of the owner institution edit instruments', InstrumentAccessErrorCode.ROLE_CANNOT_EDIT_CATALOG);
    }
    if (instrument.institutionId !== user.institutionId) {
      throw new ForbiddenError('This instrument belongs to another institution', InstrumentAccessErrorCode.NOT_OWNER);
    }
  }
}
