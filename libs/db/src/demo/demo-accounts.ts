import type { Language, UserRole } from '../entities/enums';
import type { DemoCatalog, DemoInstitution } from './demo-catalog.generator';
import { ZHEJIANG_PROVINCE_CODE } from './zhejiang-counties';

/** The one password of every demo account; shown on the start screen, never used outside demos. */
export const DEMO_PASSWORD = 'demo-password';

/** Which generated institution an account belongs to, chosen from the catalog (see resolveDemoAccounts). */
export type DemoAccountAffiliation =
  /** A Hangzhou university other than the lab manager's, so its researcher books as an external user. */
  | 'hangzhou_university'
  /** A small or micro enterprise, eligible for innovation vouchers. */
  | 'small_enterprise'
  /** The Hangzhou institution that owns the most instruments. */
  | 'largest_hangzhou_owner';

export interface DemoAccount {
  email: string;
  displayName: string;
  role: UserRole;
  language: Language;
  affiliation: DemoAccountAffiliation | null;
  /** Department staff only: the region they oversee. */
  regionCode: string | null;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    email: 'researcher@demo.example',
    displayName: '林晓雯',
    role: 'researcher',
    language: 'zh',
    affiliation: 'hangzhou_university',
    regionCode: null,
  },
  {
    email: 'firm@demo.example',
    displayName: '周建华',
    role: 'firm_member',
    language: 'zh',
    affiliation: 'small_enterprise',
    regionCode: null,
  },
  {
    email: 'labmanager@demo.example',
    displayName: '王立群',
    role: 'lab_manager',
    language: 'zh',
    affiliation: 'largest_hangzhou_owner',
    regionCode: null,
  },
  {
    email: 'staff@demo.example',
    displayName: '省科技厅 张敏',
    role: 'department_staff',
    language: 'zh',
    affiliation: null,
    regionCode: ZHEJIANG_PROVINCE_CODE,
  },
  {
    email: 'admin@demo.example',
    displayName: '平台管理员',
    role: 'admin',
    language: 'zh',
    affiliation: null,
    regionCode: null,
  },
];

export interface ResolvedDemoAccount extends DemoAccount {
  institutionId: string | null;
}

const HANGZHOU_CITY_PREFIX = '3301';

/** Most instruments first; ties by id, so the choice never depends on array order. */
function byInstrumentsThenId(counts: Map<string, number>) {
  return (left: DemoInstitution, right: DemoInstitution) =>
    (counts.get(right.id) ?? 0) - (counts.get(left.id) ?? 0) || left.id.localeCompare(right.id);
}

/**
 * Gives each demo account its institution id in this catalog. Deterministic: the same catalog
 * always yields the same ids. Throws when the catalog lacks a needed kind of institution (the
 * generator always provides two Hangzhou universities and a Hangzhou small firm).
 */
export function resolveDemoAccounts(catalog: DemoCatalog): ResolvedDemoAccount[] {
  const counts = new Map<string, number>();
  for (const instrument of catalog.instruments) counts.set(instrument.institutionId, (counts.get(instrument.institutionId) ?? 0) + 1);
  const order = byInstrumentsThenId(counts);
  const inHangzhou = catalog.institutions.filter((institution) => institution.regionCode.startsWith(HANGZHOU_CITY_PREFIX));

  const largestOwner = [...inHangzhou].sort(order)[0];
  const universities = inHangzhou.filter((institution) => institution.kind === 'university').sort(order);
  const university = universities.find((institution) => institution.id !== largestOwner?.id) ?? universities[0];
  const smallFirms = catalog.institutions.filter((institution) => institution.isSmallMicro);
  const smallFirm = [...smallFirms.filter((firm) => firm.regionCode.startsWith(HANGZHOU_CITY_PREFIX)), ...smallFirms][0];

  const chosen: Record<DemoAccountAffiliation, DemoInstitution | undefined> = {
    hangzhou_university: university,
    small_enterprise: smallFirm,
    largest_hangzhou_owner: largestOwner,
  };
  return DEMO_ACCOUNTS.map((account) => {
    if (account.affiliation === null) return { ...account, institutionId: null };
    const institution = chosen[account.affiliation];
    if (!institution) throw new Error(`The demo catalog has no institution for ${account.email} (${account.affiliation})`);
    return { ...account, institutionId: institution.id };
  });
}
