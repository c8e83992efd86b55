import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock, ConflictError, ForbiddenError, NotFoundError } from '@app/common';
import { inTransaction, isWithin, likeBelow } from '@app/db';
import type { ServiceMode } from '@app/db';
import { CreateVoucherProgramDto, VoucherProgramResponseDto } from './dto/voucher.dto';
import { VoucherError, VoucherErrorCode } from './voucher-ledger';
import { programExpiresAt } from './voucher-rules';
import type { VoucherProgramTerms } from './voucher-rules';

/** Caps where a program does not set its own (DOMAIN.md: amounts seen in provincial rules). */
export const DEFAULT_PROGRAM_CAPS = {
  applicationCapFen: 20_000_00,
  firmYearCapFen: 100_000_00,
  fullCoverBelowFen: 10_000_00,
  shareAbovePercent: 50,
} as const;

export interface VoucherProgramRow {
  id: string;
  name: string;
  issuing_region_code: string;
  budget_fen: string;
  granted_fen: string;
  valid_from: string;
  valid_until: string;
  expires_at: Date;
  eligible_service_modes: ServiceMode[];
  eligible_category_codes: string[];
  accepted_region_codes: string[];
  application_cap_fen: string;
  firm_year_cap_fen: string;
  full_cover_below_fen: string;
  share_above_percent: number;
  allows_individuals: boolean;
  status: 'open' | 'closed';
  created_at: Date;
}

export const PROGRAM_SELECT = `
  SELECT id, name, issuing_region_code, budget_fen, granted_fen, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
         to_char(valid_until, 'YYYY-MM-DD') AS valid_until, expires_at, eligible_service_modes, eligible_category_codes::text[] AS eligible_category_codes,
         accepted_region_codes::text[] AS accepted_region_codes, application_cap_fen, firm_year_cap_fen, full_cover_below_fen,
         share_above_percent, allows_individuals, status, created_at
  FROM voucher_program`;

/** The columns the eligibility and share rules read. */
export type ProgramTermsRow = Pick<VoucherProgramRow, 'eligible_service_modes' | 'eligible_category_codes' | 'accepted_region_codes' | 'full_cover_below_fen' | 'share_above_percent'>;

export function programTerms(row: ProgramTermsRow): VoucherProgramTerms {
  return {
    eligibleServiceModes: row.eligible_service_modes,
    eligibleCategoryCodes: row.eligible_category_codes,
    acceptedRegionCodes: row.accepted_region_codes,
    fullCoverBelowFen: Number(row.full_cover_below_fen),
    shareAbovePercent: row.share_above_percent,
  };
}

/** Staff of the issuing region (or above it) and admins run a program. */
export function mayRunProgram(user: AuthUser, issuingRegionCode: string): boolean {
  return user.role === 'admin' || (user.role === 'department_staff' && user.regionCode !== null && isWithin(issuingRegionCode, user.regionCode));
}

/** Voucher programs: issued by department staff for their region, read by everyone signed in. */
@Injectable()
export class VoucherProgramsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, dto: CreateVoucherProgramDto): Promise<VoucherProgramResponseDto> {
    if (!mayRunProgram(user, dto.issuingRegionCode)) {
      throw new ForbiddenError('Department staff issue programs for their own region (or one within it)', VoucherErrorCode.PROGRAM_OUTSIDE_REGION);
    }
    if (dto.validUntil < dto.validFrom) {
      throw new VoucherError(VoucherErrorCode.PROGRAM_DATES_INVALID, 'validUntil must not be before validFrom');
    }
    const expiresAt = programExpiresAt(dto.validUntil);
    if (expiresAt.getTime() <= this.clock.now().getTime()) throw new VoucherError(VoucherErrorCode.PROGRAM_DATES_INVALID, 'The program would have expired already');
    return inTransaction(this.dataSource, async (manager) => {
      const regions: { code: string }[] = await manager.query(`SELECT code FROM region WHERE code = ANY($1::text[])`, [
        [dto.issuingRegionCode, ...(dto.acceptedRegionCodes ?? [])],
      ]);
      const known = new Set(regions.map((region) => region.code));
      const unknown = [dto.issuingRegionCode, ...(dto.acceptedRegionCodes ?? [])].filter((code) => !known.has(code));
      if (unknown.length > 0) throw new NotFoundError('Region', unknown.join(','));
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO voucher_program (name, issuing_region_code, budget_fen, valid_from, valid_until, expires_at, eligible_service_modes,
                                      eligible_category_codes, accepted_region_codes, application_cap_fen, firm_year_cap_fen,
                                      full_cover_below_fen, share_above_percent, allows_individuals, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
        [
          dto.name,
          dto.issuingRegionCode,
          dto.budgetFen,
          dto.validFrom,
          dto.validUntil,
          expiresAt,
          dto.eligibleServiceModes ?? ['self_operated', 'sample_submission'],
          dto.eligibleCategoryCodes ?? [],
          dto.acceptedRegionCodes ?? [dto.issuingRegionCode],
          dto.applicationCapFen ?? DEFAULT_PROGRAM_CAPS.applicationCapFen,
          dto.firmYearCapFen ?? DEFAULT_PROGRAM_CAPS.firmYearCapFen,
          dto.fullCoverBelowFen ?? DEFAULT_PROGRAM_CAPS.fullCoverBelowFen,
          dto.shareAbovePercent ?? DEFAULT_PROGRAM_CAPS.shareAbovePercent,
          dto.allowsIndividuals ?? false,
          user.id,
        ],
      );
      return toProgramResponse(await loadProgram(manager, id));
    });
  }

  /** Staff see the programs of their region; everyone else the open ones (firms apply to them). */
  async list(user: AuthUser): Promise<VoucherProgramResponseDto[]> {
    const rows: VoucherProgramRow[] =
      user.role === 'admin'
        ? await this.dataSource.query(`${PROGRAM_SELECT} ORDER BY created_at DESC`)
        : user.role === 'department_staff' && user.regionCode
          ? await this.dataSource.query(`${PROGRAM_SELECT} WHERE issuing_region_code LIKE $1 ORDER BY created_at DESC`, [likeBelow(user.regionCode)])
          : await this.dataSource.query(`${PROGRAM_SELECT} WHERE status = 'open' AND expires_at > $1 ORDER BY created_at DESC`, [this.clock.now()]);
    return rows.map(toProgramResponse);
  }

  async get(id: string): Promise<VoucherProgramResponseDto> {
    return toProgramResponse(await loadProgram(this.dataSource.manager, id));
  }

  /** No new applications or grants; quota already granted stays usable until it expires. */
  close(user: AuthUser, id: string): Promise<VoucherProgramResponseDto> {
    return inTransaction(this.dataSource, async (manager) => {
      const program = await loadProgram(manager, id, { lock: true });
      if (!mayRunProgram(user, program.issuing_region_code)) throw new ForbiddenError('Only staff of the issuing region close a program', VoucherErrorCode.PROGRAM_OUTSIDE_REGION);
      if (program.status === 'closed') throw new ConflictError(VoucherErrorCode.INVALID_TRANSITION, 'The program is closed already');
      await manager.query(`UPDATE voucher_program SET status = 'closed', updated_at = now() WHERE id = $1`, [id]);
      return toProgramResponse(await loadProgram(manager, id));
    });
  }
}

export async function loadProgram(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<VoucherProgramRow> {
  const [row]: VoucherProgramRow[] = await manager.query(`${PROGRAM_SELECT} WHERE id = $1 ${options.lock ? 'FOR UPDATE' : ''}`, [id]);
  if (!row) throw new NotFoundError('Voucher program', id);
  return row;
}

export function toProgramResponse(row: VoucherProgramRow): VoucherProgramResponseDto {
  return {
    id: row.id,
    name: row.name,
    issuingRegionCode: row.issuing_region_code,
    budgetFen: Number(row.budget_fen),
    grantedFen: Number(row.granted_fen),
    remainingFen: Number(row.budget_fen) - Number(row.granted_fen),
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    expiresAt: row.expires_at.toISOString(),
    eligibleServiceModes: row.eligible_service_modes,
    eligibleCategoryCodes: row.eligible_category_codes,
    acceptedRegionCodes: row.accepted_region_codes,
    applicationCapFen: Number(row.application_cap_fen),
    firmYearCapFen: Number(row.firm_year_cap_fen),
    fullCoverBelowFen: Number(row.full_cover_below_fen),
    shareAbovePercent: row.share_above_percent,
    allowsIndividuals: row.allows_individuals,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}
