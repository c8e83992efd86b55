import * as argon2 from 'argon2';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import type { InstitutionKind, ServiceMode, SharingMode, UserRole } from '@app/db';
import { HttpClient } from './http-client';

export const TEST_PASSWORD = 'correct-horse-battery';

export interface TestInstitution {
  id: string;
  nameZh: string;
  regionCode: string;
}

export interface TestAccount {
  id: string;
  email: string;
  role: UserRole;
  token: string;
  institutionId: string | null;
  regionCode: string | null;
}

let passwordHash: Promise<string> | undefined;

/** Writes fixtures straight into the test database; tests then act only through HTTP. */
export class CatalogFixtures {
  private counter = 0;

  /**
   * @param signToken for apps without /auth/login (the booking service): tokens are signed with the
   *   app's own AccessTokenService instead of logging in over HTTP.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly http: HttpClient,
    private readonly signToken?: (user: AuthUser) => string,
  ) {}

  async institution(overrides: Partial<{ nameZh: string; kind: InstitutionKind; regionCode: string; isSmallMicro: boolean }> = {}): Promise<TestInstitution> {
    const nameZh = overrides.nameZh ?? `测试机构${++this.counter}-${Math.random().toString(36).slice(2, 7)}`;
    const regionCode = overrides.regionCode ?? '330106';
    const [row] = await this.dataSource.query(
      `INSERT INTO institution (name_zh, kind, region_code, is_small_micro) VALUES ($1, $2, $3, $4) RETURNING id`,
      [nameZh, overrides.kind ?? 'university', regionCode, overrides.isSmallMicro ?? false],
    );
    return { id: row.id, nameZh, regionCode };
  }

  /** Creates an account of any role directly and logs it in over HTTP. */
  async account(role: UserRole, scope: { institutionId?: string; regionCode?: string } = {}): Promise<TestAccount> {
    passwordHash ??= argon2.hash(TEST_PASSWORD, { type: argon2.argon2id });
    const email = `${role}.${++this.counter}.${Math.random().toString(36).slice(2, 8)}@test.example`;
    const needsInstitution = role === 'researcher' || role === 'firm_member' || role === 'lab_manager';
    const institutionId = needsInstitution ? (scope.institutionId ?? (await this.institution({ kind: role === 'firm_member' ? 'enterprise' : 'university' })).id) : null;
    const regionCode = role === 'department_staff' ? (scope.regionCode ?? '330000') : null;
    const [row] = await this.dataSource.query(
      `INSERT INTO app_user (email, password_hash, display_name, role, institution_id, region_code) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [email, await passwordHash, `Test ${role}`, role, institutionId, regionCode],
    );
    if (this.signToken) return { id: row.id, email, role, token: this.signToken({ id: row.id, role, institutionId, regionCode }), institutionId, regionCode };
    const login = await this.http.post('/auth/login', { email, password: TEST_PASSWORD });
    if (login.status !== 200) throw new Error(`login failed for ${email}: ${login.status} ${login.text}`);
    return { id: row.id, email, role, token: login.body.accessToken, institutionId, regionCode };
  }

  /** An instrument written straight into the catalog tables, with one fee line (hour, 200 / 500 yuan). */
  async instrument(
    institutionId: string,
    overrides: Partial<{ nameZh: string; categoryCode: string; timeZone: string; sharingMode: SharingMode; serviceModes: ServiceMode[]; regionCode: string }> = {},
  ): Promise<{ id: string }> {
    const [row] = await this.dataSource.query(
      `INSERT INTO instrument (institution_id, name_zh, category_code, original_value_fen, source, funding_source, purpose,
                               service_modes, sharing_mode, time_zone, region_code)
       VALUES ($1, $2, $3, 100000000, 'purchased', 'own_funds', 'general', $4, $5, $6, $7) RETURNING id`,
      [
        institutionId,
        overrides.nameZh ?? '扫描电子显微镜',
        overrides.categoryCode ?? '010102',
        overrides.serviceModes ?? ['self_operated', 'sample_submission'],
        overrides.sharingMode ?? 'external',
        overrides.timeZone ?? 'Asia/Shanghai',
        overrides.regionCode ?? '330106',
      ],
    );
    await this.dataSource.query(
      `INSERT INTO instrument_fee (instrument_id, position, unit, internal_rate_fen, external_rate_fen) VALUES ($1, 0, 'hour', 20000, 50000)`,
      [row.id],
    );
    return { id: row.id };
  }
}

/** A valid instrument body for POST /instruments; override what a test is about. */
export function instrumentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    nameZh: '场发射扫描电子显微镜',
    nameEn: 'Field-emission scanning electron microscope',
    model: 'SU8010',
    manufacturer: 'Hitachi',
    countryOfOrigin: 'JP',
    categoryCode: '010102',
    originalValueFen: 350_000_000,
    inServiceDate: '2018-09-01',
    source: 'purchased',
    fundingSource: 'central_government',
    purpose: 'general',
    specs: '分辨率 1.0 nm @ 15 kV',
    functions: '材料表面形貌观察与能谱元素分析',
    serviceContent: '样品形貌表征',
    serviceModes: ['self_operated', 'sample_submission'],
    fees: [{ unit: 'hour', internalRateFen: 20_000, externalRateFen: 50_000, description: '含常规制样' }],
    regionCode: '330106',
    address: '杭州市西湖区',
    contact: { name: '王老师', phone: '0571-87950000', email: 'sem@lab.example' },
    ...overrides,
  };
}
