import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '@app/common';
import { Instrument, SharingExemption, inTransaction, isWithin, likeBelow } from '@app/db';
import type { RestrictedSharingMode } from '@app/db';
import {
  ExemptionPageDto,
  ExemptionResponseDto,
  ListExemptionsQuery,
  NonCompliantPageDto,
  NonCompliantQuery,
} from './dto/sharing.dto';
import { SharingErrorCode } from './sharing-error-code';
import { SharingPolicy } from './sharing-policy';
import { SearchResultCache } from '../search-cache/search-result.cache';

const EXEMPTION_SELECT = `
  SELECT e.id, e.instrument_id, i.name_zh AS instrument_name_zh, i.institution_id, inst.name_zh AS institution_name_zh,
         i.region_code, i.original_value_fen, i.sharing_mode AS current_mode, e.requested_mode, e.reason, e.status,
         e.requested_at, e.decided_at, e.decision_note
  FROM sharing_exemption e
  JOIN instrument i ON i.id = e.instrument_id
  JOIN institution inst ON inst.id = i.institution_id`;

/**
 * Requests to restrict sharing of instruments that must be shared, and the decisions of
 * department staff on them. A restriction applies only once approved.
 */
@Injectable()
export class SharingExemptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: SharingPolicy,
    private readonly searchCache: SearchResultCache,
  ) {}

  /** Records a restriction request in the caller's transaction, replacing an earlier open one. */
  async request(
    manager: EntityManager,
    instrumentId: string,
    requestedMode: RestrictedSharingMode,
    reason: string,
    requestedBy: AuthUser,
  ): Promise<SharingExemption> {
    await manager.query(
      `UPDATE sharing_exemption SET status = 'superseded', decided_at = now(), decision_note = 'replaced by a newer request'
       WHERE instrument_id = $1 AND status = 'pending'`,
      [instrumentId],
    );
    return manager.getRepository(SharingExemption).save({
      instrumentId,
      requestedMode,
      reason,
      status: 'pending',
      requestedById: requestedBy.id,
    });
  }

  /** The instrument is shared externally again: open and approved restrictions no longer apply. */
  async closeAll(manager: EntityManager, instrumentId: string): Promise<void> {
    await manager.query(
      `UPDATE sharing_exemption SET status = 'superseded', decided_at = coalesce(decided_at, now()),
              decision_note = coalesce(decision_note, 'instrument shared externally again')
       WHERE instrument_id = $1 AND status IN ('pending', 'approved')`,
      [instrumentId],
    );
  }

  /** The open or approved exemption of an instrument, if any. */
  async current(manager: EntityManager, instrumentId: string): Promise<SharingExemption | null> {
    return manager
      .getRepository(SharingExemption)
      .createQueryBuilder('e')
      .where('e.instrument_id = :instrumentId', { instrumentId })
      .andWhere(`e.status IN ('pending', 'approved')`)
      .orderBy(`CASE e.status WHEN 'pending' THEN 0 ELSE 1 END`)
      .addOrderBy('e.requested_at', 'DESC')
      .getOne();
  }

  async list(user: AuthUser, query: ListExemptionsQuery): Promise<ExemptionPageDto> {
    const scope = this.scopeRegion(user);
    const where = `WHERE e.status = $1 AND i.region_code LIKE $2`;
    const params = [query.status, scope ? likeBelow(scope) : '%'];
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`${EXEMPTION_SELECT} ${where} ORDER BY e.requested_at, e.id LIMIT $3 OFFSET $4`, [
        ...params,
        query.pageSize,
        (query.page - 1) * query.pageSize,
      ]),
      this.dataSource.query(
        `SELECT count(*)::int AS total FROM sharing_exemption e JOIN instrument i ON i.id = e.instrument_id ${where}`,
        params,
      ),
    ]);
    return { items: rows.map(toExemptionResponse), total, page: query.page, pageSize: query.pageSize };
  }

  async approve(user: AuthUser, exemptionId: string, note?: string): Promise<ExemptionResponseDto> {
    return this.decide(user, exemptionId, 'approved', note ?? null);
  }

  async reject(user: AuthUser, exemptionId: string, note: string): Promise<ExemptionResponseDto> {
    return this.decide(user, exemptionId, 'rejected', note);
  }

  private async decide(
    user: AuthUser,
    exemptionId: string,
    decision: 'approved' | 'rejected',
    note: string | null,
  ): Promise<ExemptionResponseDto> {
    await inTransaction(this.dataSource, async (manager) => {
      const exemption = await manager
        .getRepository(SharingExemption)
        .findOne({ where: { id: exemptionId }, lock: { mode: 'pessimistic_write' } });
      if (!exemption) throw new NotFoundError('Sharing exemption', exemptionId);
      const instrument = await manager
        .getRepository(Instrument)
        .findOne({ where: { id: exemption.instrumentId }, lock: { mode: 'pessimistic_write' } });
      if (!instrument) throw new NotFoundError('Instrument', exemption.instrumentId);
      const scope = this.scopeRegion(user);
      if (scope && !isWithin(instrument.regionCode, scope)) {
        throw new ForbiddenError('The instrument is outside your region', SharingErrorCode.OUT_OF_REGION);
      }
      if (exemption.status !== 'pending') {
        throw new ConflictError(SharingErrorCode.EXEMPTION_ALREADY_DECIDED, `This request is ${exemption.status} already`, {
          status: exemption.status,
        });
      }
      if (decision === 'approved') {
        await manager.query(
          `UPDATE sharing_exemption SET status = 'superseded', decision_note = coalesce(decision_note, 'replaced by a newer approval')
           WHERE instrument_id = $1 AND status = 'approved'`,
          [instrument.id],
        );
        await manager.query(`UPDATE instrument SET sharing_mode = $2, version = version + 1, updated_at = now() WHERE id = $1`, [
          instrument.id,
          exemption.requestedMode,
        ]);
      }
      await manager.query(
        `UPDATE sharing_exemption SET status = $2, decided_by_id = $3, decided_at = now(), decision_note = $4 WHERE id = $1`,
        [exemption.id, decision, user.id, note],
      );
    });
    if (decision === 'approved') await this.searchCache.invalidate();
    const [row] = await this.dataSource.query(`${EXEMPTION_SELECT} WHERE e.id = $1`, [exemptionId]);
    return toExemptionResponse(row);
  }

  /** Instruments that must be shared externally but are not, without an approved exemption for their mode. */
  async nonCompliant(user: AuthUser, query: NonCompliantQuery): Promise<NonCompliantPageDto> {
    const scope = this.scopeRegion(user);
    // The narrower of the caller's region and the one asked for; a region beside the caller's is refused.
    let region = scope ?? query.region ?? null;
    if (query.region && scope) {
      if (isWithin(query.region, scope)) region = query.region;
      else if (!isWithin(scope, query.region)) throw new ForbiddenError('That region is outside yours', SharingErrorCode.OUT_OF_REGION);
    }
    const where = `
      FROM instrument i
      JOIN institution inst ON inst.id = i.institution_id
      WHERE i.is_publicly_funded AND i.original_value_fen >= $1 AND i.sharing_mode <> 'external'
        AND i.region_code LIKE $2
        AND NOT EXISTS (SELECT 1 FROM sharing_exemption e
                        WHERE e.instrument_id = i.id AND e.status = 'approved' AND e.requested_mode = i.sharing_mode)`;
    const params = [this.policy.thresholdFen, region ? likeBelow(region) : '%'];
    const [rows, [summary]] = await Promise.all([
      this.dataSource.query(
        `SELECT i.id, i.name_zh, i.institution_id, inst.name_zh AS institution_name_zh, i.region_code, i.city_code,
                i.original_value_fen, i.sharing_mode,
                EXISTS (SELECT 1 FROM sharing_exemption e WHERE e.instrument_id = i.id AND e.status = 'pending') AS has_pending
         ${where} ORDER BY i.original_value_fen DESC, i.id LIMIT $3 OFFSET $4`,
        [...params, query.pageSize, (query.page - 1) * query.pageSize],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total, coalesce(sum(i.original_value_fen), 0)::text AS value ${where}`, params),
    ]);
    return {
      items: rows.map((row: any) => ({
        id: row.id,
        nameZh: row.name_zh,
        institutionId: row.institution_id,
        institutionNameZh: row.institution_name_zh,
        regionCode: row.region_code,
        cityCode: row.city_code,
        originalValueFen: Number(row.original_value_fen),
        sharingMode: row.sharing_mode,
        hasPendingExemption: row.has_pending,
      })),
      total: summary.total,
      totalOriginalValueFen: Number(summary.value),
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** Department staff act within their region; admins everywhere (null). */
  private scopeRegion(user: AuthUser): string | null {
    if (user.role === 'admin') return null;
    if (user.role === 'department_staff' && user.regionCode) return user.regionCode;
    throw new DomainError('FORBIDDEN', 'Only department staff and admins', HttpStatus.FORBIDDEN);
  }
}

function toExemptionResponse(row: any): ExemptionResponseDto {
  return {
    id: row.id,
    instrumentId: row.instrument_id,
    instrumentNameZh: row.instrument_name_zh,
    institutionId: row.institution_id,
    institutionNameZh: row.institution_name_zh,
    regionCode: row.region_code,
    originalValueFen: Number(row.original_value_fen),
    currentMode: row.current_mode,
    requestedMode: row.requested_mode,
    reason: row.reason,
    status: row.status,
    requestedAt: new Date(row.requested_at).toISOString(),
    decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
    decisionNote: row.decision_note,
  };
}
