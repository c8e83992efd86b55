/** The shapes the dashboard reads from the worker's statistics and the booking service's vouchers. */

export interface SummaryFigures {
  instruments: number;
  effectiveHours: number;
  externalHours: number;
  ratedHours: number;
  utilizationRated: number | null;
  utilizationOpen: number | null;
  sharingRate: number | null;
  services: number;
  revenueFen: number;
}

export interface SummaryRow extends SummaryFigures {
  key: string;
  name: string;
}

export interface Summary {
  groupBy: string;
  from: string;
  to: string;
  rows: SummaryRow[];
  total: SummaryFigures;
}

export interface GoalTarget {
  instruments: number;
  originalValueFen: number;
}

export interface GoalRegion {
  code: string;
  name: string;
  eligibleInstruments: number;
  sharedInstruments: number;
  sharedValueFen: number;
  nonCompliantInstruments: number;
}

export interface GoalInstrument {
  id: string;
  nameZh: string;
  institutionName: string;
  regionCode: string;
  originalValueFen: number;
  sharingMode: string;
  lastExternalDay: string | null;
}

export interface SharingGoal {
  goal: GoalTarget;
  eligible: GoalTarget;
  shared: GoalTarget;
  instrumentProgress: number;
  valueProgress: number;
  byCity: GoalRegion[];
  byCounty: GoalRegion[];
  nonCompliant: GoalInstrument[];
  idleSince: string;
  idle: GoalInstrument[];
}

export interface StatisticsRun {
  id: number;
  from: string;
  to: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  daysTotal: number;
  daysDone: number;
  progress: number;
  rowsWritten: number;
  durationMs: number | null;
  error: string | null;
}

export interface EvaluationRow {
  id: string;
  name: string;
  institutionName: string;
  instruments: number;
  indicators: { effectiveHours: number; externalHours: number; sharingRate: number | null; externalServices: number; completeness: number };
  total: number;
  grade: string;
}

export interface Evaluation {
  year: number;
  level: 'institution' | 'instrument';
  policy: { cutOffs: { excellent: number; good: number; pass: number } };
  rows: EvaluationRow[];
}

export interface VoucherFigures {
  grantedFen: number | null;
  redeemedFen: number;
  expiredFen: number | null;
  reservedFen: number;
  availableFen: number | null;
  firmsServed: number;
  claimsPaidFen: number;
}

export interface VoucherStatistics {
  groupBy: string;
  from: string;
  to: string;
  target: { targetFen: number; grantedToDateFen: number | null; progress: number | null };
  rows: (VoucherFigures & { key: string; name: string })[];
  total: VoucherFigures;
}

export interface VoucherProgram {
  id: string;
  name: string;
  issuingRegionCode: string;
  budgetFen: number;
  grantedFen: number;
  remainingFen: number;
  validFrom: string;
  validUntil: string;
  status: 'open' | 'closed';
}

export interface RedemptionClaim {
  id: string;
  programName: string;
  providerName: string;
  from: string;
  to: string;
  amountFen: number;
  itemCount: number;
  status: 'submitted' | 'approved' | 'rejected' | 'paid';
  decisionReason?: string;
  paymentReference?: string;
}

/** An application for voucher quota, as staff of the issuing region decide it. */
export interface VoucherApplication {
  id: string;
  programName: string;
  holderKind: 'enterprise' | 'individual';
  holderName: string;
  requestedFen: number;
  purpose: string;
  status: 'applied' | 'approved' | 'rejected';
  createdAt: string;
}

export interface Region {
  code: string;
  name: string;
  level: string;
}
