import { DateTime } from 'luxon';
import { isWithin } from '@app/db';
import type { ServiceMode } from '@app/db';

/** Voucher programs are issued by Chinese bureaus: validity dates and cap years are China Standard Time. */
export const VOUCHER_TIME_ZONE = 'Asia/Shanghai';

/** What decides whether and how much a program's voucher may pay for one order. */
export interface VoucherProgramTerms {
  eligibleServiceModes: readonly ServiceMode[];
  eligibleCategoryCodes: readonly string[];
  acceptedRegionCodes: readonly string[];
  fullCoverBelowFen: number;
  shareAbovePercent: number;
}

export interface VoucherOrder {
  feeFen: number;
  mode: ServiceMode;
  categoryCode: string;
  providerRegionCode: string;
  /** The provider is the holder's own institution: an internal service, which vouchers do not buy. */
  providerIsOwnInstitution: boolean;
}

export enum VoucherRefusal {
  MODE_NOT_ELIGIBLE = 'VOUCHER_MODE_NOT_ELIGIBLE',
  CATEGORY_NOT_ELIGIBLE = 'VOUCHER_CATEGORY_NOT_ELIGIBLE',
  PROVIDER_REGION_NOT_ACCEPTED = 'VOUCHER_PROVIDER_REGION_NOT_ACCEPTED',
  OWN_PROVIDER = 'VOUCHER_OWN_PROVIDER',
  NO_FEE = 'VOUCHER_NO_FEE',
}

/** Why this program's voucher cannot pay for the order at all, or null when it can. */
export function voucherRefusal(terms: VoucherProgramTerms, order: VoucherOrder): VoucherRefusal | null {
  if (order.providerIsOwnInstitution) return VoucherRefusal.OWN_PROVIDER;
  if (!terms.eligibleServiceModes.includes(order.mode)) return VoucherRefusal.MODE_NOT_ELIGIBLE;
  if (terms.eligibleCategoryCodes.length > 0 && !terms.eligibleCategoryCodes.some((code) => isWithin(order.categoryCode, code))) {
    return VoucherRefusal.CATEGORY_NOT_ELIGIBLE;
  }
  if (!terms.acceptedRegionCodes.some((code) => isWithin(order.providerRegionCode, code))) return VoucherRefusal.PROVIDER_REGION_NOT_ACCEPTED;
  if (order.feeFen <= 0) return VoucherRefusal.NO_FEE;
  return null;
}

/**
 * The most one order may be paid by voucher: all of it below the program's threshold, otherwise
 * its share of the whole fee, rounded down to the fen (the firm pays the rest).
 */
export function orderShareCapFen(terms: Pick<VoucherProgramTerms, 'fullCoverBelowFen' | 'shareAbovePercent'>, feeFen: number): number {
  if (feeFen <= 0) return 0;
  if (feeFen < terms.fullCoverBelowFen) return feeFen;
  return Math.floor((feeFen * terms.shareAbovePercent) / 100);
}

/** The instant a program's last valid day ends. */
export function programExpiresAt(validUntil: string): Date {
  return DateTime.fromISO(validUntil, { zone: VOUCHER_TIME_ZONE }).plus({ days: 1 }).startOf('day').toJSDate();
}

/** The instant a program's first valid day starts. */
export function programStartsAt(validFrom: string): Date {
  return DateTime.fromISO(validFrom, { zone: VOUCHER_TIME_ZONE }).startOf('day').toJSDate();
}

/** The calendar year, in China, the per-firm-year cap counts an approval in. */
export function capYear(instant: Date): number {
  return DateTime.fromJSDate(instant, { zone: VOUCHER_TIME_ZONE }).year;
}

/** The first instant of a calendar year in China. */
export function yearStart(year: number): Date {
  return DateTime.fromObject({ year, month: 1, day: 1 }, { zone: VOUCHER_TIME_ZONE }).toJSDate();
}
