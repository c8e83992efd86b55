import type { InstrumentSummary } from '../../api/catalog-types';

/** The services' answers the instrument page reads (see each service's /docs for every field). */
export type ServiceMode = 'self_operated' | 'sample_submission';
export type FeeUnit = 'hour' | 'sample' | 'day' | 'run';

export interface InstrumentRecord extends InstrumentSummary {
  condition: 'normal' | 'occasional_faults' | 'frequent_faults' | 'awaiting_repair' | 'awaiting_disposal';
  assetNumber: string | null;
  countryOfOrigin: string | null;
  inServiceDate: string | null;
  department: string | null;
  subjectAreas: string[];
  specs: string;
  functions: string;
  serviceContent: string;
  fees: { unit: FeeUnit; internalRateFen: number; externalRateFen: number; description: string }[];
  sharingRules: string;
  timeZone: string;
  contact: { name: string; phone: string; email: string };
}

export interface BookingRules {
  slotMinutes: number;
  minDurationMinutes: number;
  maxDurationMinutes: number;
  bufferMinutes: number;
  minNoticeMinutes: number;
  maxAdvanceDays: number;
  maxMinutesPerDay?: number | null;
  maxMinutesPerWeek?: number | null;
  requiresApproval: boolean;
}

export interface OpeningRules {
  instrumentId: string;
  timeZone: string;
  rules: BookingRules;
  weeklyHours: { weekday: number; opens: string; closes: string }[];
}

export interface Performance {
  from: string;
  to: string;
  utilizationBand: 'low' | 'medium' | 'high' | 'fully_booked';
  medianApprovalHours: number | null;
  decisions: number;
  completionRate: number | null;
  settledBookings: number;
  averageRating: number | null;
  ratingCount: number;
}

export interface FreeSlot {
  start: string;
  end: string;
  startLocal: string;
}

export interface BusyPeriod {
  start: string;
  end: string;
  kind: 'booked' | 'held' | 'maintenance';
}

export interface VoucherOption {
  grantId: string;
  programName: string;
  availableFen: number;
  orderCapFen: number;
  coverableFen: number;
  expiresAt: string;
  refusal?: string;
}

export interface BookingQuote {
  fee: { unit: FeeUnit; rateFen: number; amountFen: number; internal: boolean } | null;
  voucherOptions: VoucherOption[];
  bestGrantId?: string;
  voucherFen: number;
  payableOtherwiseFen: number;
}

export interface Booking {
  id: string;
  status: string;
  mode: ServiceMode;
  start: string;
  end: string;
  timeZone: string;
  quote?: { amountFen: number } | null;
  voucher?: { programName: string; reservedFen: number };
}
