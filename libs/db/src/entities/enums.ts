/** Value sets stored as text with CHECK constraints (see the migrations); one spelling across all apps. */
export const REGION_LEVELS = ['province', 'city', 'county'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const INSTITUTION_KINDS = ['university', 'research_institute', 'enterprise', 'hospital', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const USER_ROLES = ['researcher', 'firm_member', 'lab_manager', 'department_staff', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];
/** Roles anyone may take by registering; the others are created by admins. */
export const SELF_SERVICE_ROLES = ['researcher', 'firm_member'] as const satisfies readonly UserRole[];
export const PRIVILEGED_ROLES = ['lab_manager', 'department_staff', 'admin'] as const satisfies readonly UserRole[];

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const INSTRUMENT_SOURCES = ['purchased', 'self_built', 'donated', 'other'] as const;
export type InstrumentSource = (typeof INSTRUMENT_SOURCES)[number];

/** Central and local government money count as public funding. */
export const FUNDING_SOURCES = ['central_government', 'local_government', 'own_funds', 'other'] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];
export const PUBLIC_FUNDING_SOURCES: readonly FundingSource[] = ['central_government', 'local_government'];

export const INSTRUMENT_PURPOSES = ['general', 'special'] as const;
export type InstrumentPurpose = (typeof INSTRUMENT_PURPOSES)[number];

/** self_operated: the user runs it after training; sample_submission: staff run it on the user's samples. */
export const SERVICE_MODES = ['self_operated', 'sample_submission'] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

export const INSTRUMENT_CONDITIONS = [
  'normal',
  'occasional_faults',
  'frequent_faults',
  'awaiting_repair',
  'awaiting_disposal',
] as const;
export type InstrumentCondition = (typeof INSTRUMENT_CONDITIONS)[number];

export const SHARING_MODES = ['external', 'internal_only', 'not_shared'] as const;
export type SharingMode = (typeof SHARING_MODES)[number];
export const RESTRICTED_SHARING_MODES = ['internal_only', 'not_shared'] as const satisfies readonly SharingMode[];
export type RestrictedSharingMode = (typeof RESTRICTED_SHARING_MODES)[number];

export const FEE_UNITS = ['hour', 'sample', 'day', 'run'] as const;
export type FeeUnit = (typeof FEE_UNITS)[number];

export const SHARING_EXEMPTION_STATUSES = ['pending', 'approved', 'rejected', 'superseded'] as const;
export type SharingExemptionStatus = (typeof SHARING_EXEMPTION_STATUSES)[number];
