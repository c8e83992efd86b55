import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppConfig } from '@app/config';
import { CsvColumn, toCsv } from '../csv';
import { resolveDayRange } from '../statistics-period';
import { yuanOf } from '../yuan';
import { VoucherFiguresDto, VoucherGroup, VoucherRowDto, VoucherStatisticsDto, VoucherStatisticsQuery } from './dto/voucher-statistics.dto';
import { regionAtLevelSql, voucherScopeCondition, voucherStatisticsScope } from './voucher-statistics-scope';
import type { VoucherRegionLevel } from './voucher-statistics-scope';

/** Voucher programs are issued by Chinese bureaus: the days of a period are China Standard Time. */
const VOUCHER_TIME_ZONE = 'Asia/Shanghai';

/** Per group: the fact column (facts `f` joined to their program `p`) that keys it, and where its name comes from. */
function groupSql(groupBy: VoucherGroup, level: VoucherRegionLevel): { key: string; name: string; order: string } {
  switch (groupBy) {
    case 'program':
      return { key: 'p.id::text', name: '(SELECT name FROM voucher_program WHERE id = g.key::uuid)', order: 'name, g.key' };
    case 'region':
      return { key: regionAtLevelSql('p.issuing_region_code', level), name: '(SELECT name FROM region WHERE code = g.key)', order: 'g.key' };
    case 'firm':
      return { key: 'f.enterprise_id::text', name: '(SELECT name_zh FROM institution WHERE id = g.key::uuid)', order: 'name, g.key' };
    case 'holder':
      return {
        key: 'coalesce(f.enterprise_id, f.holder_user_id)::text',
        name: 'coalesce((SELECT name_zh FROM institution WHERE id = g.key::uuid), (SELECT display_name FROM app_user WHERE id = g.key::uuid))',
        order: 'name, g.key',
      };
    case 'provider':
      return { key: 'f.provider_id::text', name: '(SELECT name_zh FROM institution WHERE id = g.key::uuid)', order: 'name, g.key' };
  }
}

/**
 * Every voucher fact the figures are summed from, one set: the ledger entries up to the end of the
 * period (those inside it are the period's movements; all of them the granted-to-date), what each
 * booking still holds reserved (its reserve minus its release and redeem entries), the available
 * balance of each grant, and the items of redemption claims paid in the period. Each fact carries
 * its program, holder (firm or individual) and, where it has one, provider (the owner institution of the instrument).
 */
const FACTS = `
  bounds AS (
    SELECT ($1::date)::timestamp AT TIME ZONE '${VOUCHER_TIME_ZONE}' AS since,
           ($2::date + 1)::timestamp AT TIME ZONE '${VOUCHER_TIME_ZONE}' AS until
  ),
  facts AS (
    SELECT e.program_id, e.enterprise_id, e.holder_user_id, coalesce(e.provider_institution_id, bv.provider_institution_id) AS provider_id,
           CASE WHEN e.kind IN ('grant', 'adjust') THEN e.amount_fen END AS granted_to_date,
           CASE WHEN e.created_at >= b.since AND e.kind IN ('grant', 'adjust') THEN e.amount_fen END AS granted,
           CASE WHEN e.created_at >= b.since AND e.kind = 'redeem' THEN e.amount_fen END AS redeemed,
           CASE WHEN e.created_at >= b.since AND e.kind = 'expire' THEN e.amount_fen END AS expired,
           CASE WHEN e.created_at >= b.since AND e.kind = 'release' THEN e.amount_fen END AS released,
           NULL::bigint AS reserved, NULL::bigint AS available, NULL::bigint AS claims_paid,
           CASE WHEN e.created_at >= b.since AND e.kind = 'redeem' THEN e.enterprise_id END AS served_firm,
           CASE WHEN e.created_at >= b.since AND e.kind = 'redeem' THEN e.holder_user_id END AS served_individual
    FROM voucher_ledger_entry e
    CROSS JOIN bounds b
    LEFT JOIN booking_voucher bv ON bv.booking_id = e.booking_id
    WHERE e.created_at < b.until
    UNION ALL
    SELECT e.program_id, e.enterprise_id, e.holder_user_id, bv.provider_institution_id, NULL, NULL, NULL, NULL, NULL,
           sum(CASE e.kind WHEN 'reserve' THEN e.amount_fen ELSE -e.amount_fen END), NULL, NULL, NULL, NULL
    FROM booking_voucher bv
    JOIN voucher_ledger_entry e ON e.booking_id = bv.booking_id
    WHERE bv.status = 'reserved'
    GROUP BY e.program_id, e.enterprise_id, e.holder_user_id, bv.provider_institution_id
    UNION ALL
    SELECT g.program_id, g.enterprise_id, g.holder_user_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, g.available_fen, NULL, NULL, NULL
    FROM voucher_grant g
    WHERE g.available_fen > 0
    UNION ALL
    SELECT c.program_id, g.enterprise_id, g.holder_user_id, c.provider_institution_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ci.amount_fen, NULL, NULL
    FROM voucher_redemption_claim c
    CROSS JOIN bounds b
    JOIN voucher_claim_item ci ON ci.claim_id = c.id
    JOIN booking_voucher bv ON bv.booking_id = ci.booking_id
    JOIN voucher_grant g ON g.id = bv.grant_id
    WHERE c.status = 'paid' AND c.paid_at >= b.since AND c.paid_at < b.until
  )`;

interface FiguresRow {
  is_total: boolean;
  key: string | null;
  name: string | null;
  granted_to_date: string;
  granted: string;
  redeemed: string;
  expired: string;
  released: string;
  reserved: string;
  available: string;
  claims_paid: string;
  firms_served: string;
  individuals_served: string;
}

/** The columns of the CSV: money in yuan with two decimals, as the other exports. */
const VOUCHER_CSV: CsvColumn<VoucherRowDto>[] = [
  { header: '代码', value: (row) => row.key },
  { header: '名称', value: (row) => row.name },
  { header: '发放额度(元)', value: (row) => yuanOrBlank(row.grantedFen) },
  { header: '已使用(元)', value: (row) => yuanOf(row.redeemedFen) },
  { header: '已过期(元)', value: (row) => yuanOrBlank(row.expiredFen) },
  { header: '已释放(元)', value: (row) => yuanOf(row.releasedFen) },
  { header: '当前冻结(元)', value: (row) => yuanOf(row.reservedFen) },
  { header: '当前可用(元)', value: (row) => yuanOrBlank(row.availableFen) },
  { header: '服务企业数', value: (row) => row.firmsServed },
  { header: '服务个人数', value: (row) => row.individualsServed },
  { header: '已兑付(元)', value: (row) => yuanOf(row.claimsPaidFen) },
];

function yuanOrBlank(fen: number | null): string | null {
  return fen === null ? null : yuanOf(fen);
}

/**
 * Innovation voucher figures (issue 5, item 6) by program, issuing region, firm, holder (firm or individual) or provider, within
 * the caller's scope, with the progress of the quota granted towards the province's target. One
 * statement: the facts are grouped by the chosen key and, in the same pass, all together.
 */
@Injectable()
export class VoucherStatisticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async figures(user: AuthUser, query: VoucherStatisticsQuery): Promise<VoucherStatisticsDto> {
    const scope = voucherStatisticsScope(user);
    const range = resolveDayRange(query, this.config.STATISTICS_MAX_RANGE_DAYS);
    const level = query.groupBy === 'region' ? (query.level ?? 'city') : undefined;
    const group = groupSql(query.groupBy, level ?? 'city');
    // Granted, expired and available quota has no provider: by provider or for one, those figures are null (and
    // by provider, the facts without one form a group of their own, left out of the rows but not of the total).
    const byProvider = query.groupBy === 'provider' || scope.kind === 'provider';
    const params: unknown[] = [range.firstDay, range.lastDay];
    const condition = voucherScopeCondition(scope, params);
    const rows: FiguresRow[] = await this.dataSource.query(
      `WITH ${FACTS}
       SELECT g.*, CASE WHEN g.is_total THEN NULL ELSE ${group.name} END AS name FROM (
         SELECT grouping(${group.key}) = 1 AS is_total, ${group.key} AS key,
                coalesce(sum(f.granted_to_date), 0) AS granted_to_date,
                coalesce(sum(f.granted), 0) AS granted,
                coalesce(sum(f.redeemed), 0) AS redeemed,
                coalesce(sum(f.expired), 0) AS expired,
                coalesce(sum(f.released), 0) AS released,
                coalesce(sum(f.reserved), 0) AS reserved,
                coalesce(sum(f.available), 0) AS available,
                coalesce(sum(f.claims_paid), 0) AS claims_paid,
                count(DISTINCT f.served_firm) AS firms_served,
                count(DISTINCT f.served_individual) AS individuals_served
         FROM facts f
         JOIN voucher_program p ON p.id = f.program_id
         WHERE true${condition}
         GROUP BY GROUPING SETS ((${group.key}), ())) g
       ORDER BY g.is_total, ${group.order}`,
      params,
    );
    const figuresOf = (row: FiguresRow | undefined): VoucherFiguresDto => ({
      grantedFen: byProvider ? null : Number(row?.granted ?? 0),
      redeemedFen: Number(row?.redeemed ?? 0),
      expiredFen: byProvider ? null : Number(row?.expired ?? 0),
      releasedFen: Number(row?.released ?? 0),
      reservedFen: Number(row?.reserved ?? 0),
      availableFen: byProvider ? null : Number(row?.available ?? 0),
      firmsServed: Number(row?.firms_served ?? 0),
      individualsServed: Number(row?.individuals_served ?? 0),
      claimsPaidFen: Number(row?.claims_paid ?? 0),
    });
    const total = rows.find((row) => row.is_total);
    const grantedToDateFen = scope.kind === 'provider' ? null : Number(total?.granted_to_date ?? 0);
    return {
      groupBy: query.groupBy,
      ...(level ? { level } : {}),
      from: range.firstDay,
      to: range.lastDay,
      target: {
        targetFen: this.config.voucherTargetFen,
        grantedToDateFen,
        // Six decimals: 0.0001 % of 2 billion yuan is 2,000 yuan.
        progress: grantedToDateFen === null ? null : Math.round((grantedToDateFen / this.config.voucherTargetFen) * 1_000_000) / 1_000_000,
      },
      rows: rows.filter((row) => !row.is_total && row.key !== null).map((row) => ({ key: row.key!, name: row.name ?? row.key!, ...figuresOf(row) })),
      total: figuresOf(total),
    };
  }

  csv(figures: VoucherStatisticsDto): string {
    return toCsv(VOUCHER_CSV, figures.rows);
  }
}
