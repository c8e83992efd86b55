import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@app/auth';
import { ForbiddenError, NotFoundError } from '@app/common';
import { isWithin, likeBelow } from '@app/db';
import type { BookableInstrument } from './bookable-instrument';

/** What deciding whether a caller may see an instrument looks at. */
export type VisibleInstrument = Pick<BookableInstrument, 'id' | 'institutionId' | 'regionCode' | 'sharingMode'>;

export enum BookingAccessErrorCode {
  NOT_INSTRUMENT_MANAGER = 'NOT_INSTRUMENT_MANAGER',
  ROLE_CANNOT_BOOK = 'ROLE_CANNOT_BOOK',
}

/**
 * Who may do what around an instrument's time:
 * - book: anyone signed in who may see the instrument (external ones for all, internal-only ones
 *   for members of the owner institution, unshared ones for nobody outside its lab managers);
 * - publish hours and rules, decide requests: lab managers of the owner institution, and admins;
 * - see who booked and why: the booker, those managers, department staff of the instrument's region, admins.
 */
@Injectable()
export class BookingAccessPolicy {
  /** Instruments a caller may not see answer 404, as in the catalog. */
  assertCanSee(user: AuthUser | undefined, instrument: VisibleInstrument): void {
    if (!this.canSee(user, instrument)) throw new NotFoundError('Instrument', instrument.id);
  }

  assertCanBook(user: AuthUser, instrument: VisibleInstrument): void {
    this.assertCanSee(user, instrument);
    if (!this.roleBooks(user)) throw new ForbiddenError('Department staff do not book instruments', BookingAccessErrorCode.ROLE_CANNOT_BOOK);
  }

  /** assertCanBook as a question. */
  canBook(user: AuthUser, instrument: VisibleInstrument): boolean {
    return this.canSee(user, instrument) && this.roleBooks(user);
  }

  private roleBooks(user: AuthUser): boolean {
    return user.role !== 'department_staff';
  }

  isManager(user: AuthUser | undefined, instrument: Pick<BookableInstrument, 'institutionId'>): boolean {
    return user?.role === 'admin' || (user?.role === 'lab_manager' && user.institutionId === instrument.institutionId);
  }

  assertManager(user: AuthUser, instrument: BookableInstrument): void {
    this.assertCanSee(user, instrument);
    if (!this.isManager(user, instrument)) {
      throw new ForbiddenError('Only lab managers of the owner institution manage this instrument', BookingAccessErrorCode.NOT_INSTRUMENT_MANAGER);
    }
  }

  /** May the caller see the booker's identity, purpose and notes of a booking on this instrument? */
  canSeePersonalDetails(user: AuthUser | undefined, instrument: Pick<BookableInstrument, 'institutionId' | 'regionCode'>, bookerId: string): boolean {
    if (!user) return false;
    if (user.id === bookerId || this.isManager(user, instrument)) return true;
    return user.role === 'department_staff' && user.regionCode !== null && isWithin(instrument.regionCode, user.regionCode);
  }

  /** canSee as a WHERE condition over an alias with sharing_mode, institution_id and region_code; parameters from $firstParam. */
  visibleCondition(user: AuthUser | undefined, alias: string, firstParam: number): { sql: string; params: unknown[] } {
    if (!user) return { sql: `${alias}.sharing_mode = 'external'`, params: [] };
    switch (user.role) {
      case 'admin':
        return { sql: 'true', params: [] };
      case 'department_staff':
        return user.regionCode
          ? { sql: `(${alias}.sharing_mode = 'external' OR ${alias}.region_code LIKE $${firstParam})`, params: [likeBelow(user.regionCode)] }
          : { sql: `${alias}.sharing_mode = 'external'`, params: [] };
      case 'lab_manager':
        return { sql: `(${alias}.sharing_mode = 'external' OR ${alias}.institution_id = $${firstParam})`, params: [user.institutionId] };
      default:
        return {
          sql: `(${alias}.sharing_mode = 'external' OR (${alias}.sharing_mode = 'internal_only' AND ${alias}.institution_id = $${firstParam}))`,
          params: [user.institutionId],
        };
    }
  }

  /** What visibleCondition says in SQL, for an instrument in memory. */
  canSee(user: AuthUser | undefined, instrument: VisibleInstrument): boolean {
    if (instrument.sharingMode === 'external') return true;
    if (!user) return false;
    if (user.role === 'admin') return true;
    if (user.role === 'department_staff') return user.regionCode !== null && isWithin(instrument.regionCode, user.regionCode);
    if (user.institutionId !== instrument.institutionId) return false;
    return instrument.sharingMode === 'internal_only' || user.role === 'lab_manager';
  }
}
