import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppConfig } from '@app/config';
import { CsvColumn, toCsv } from './csv';
import { ServiceRecordDto, ServiceRecordsDto, ServiceRecordsQuery } from './dto/service-record.dto';
import { resolveDayRange } from './statistics-period';
import { hoursOf } from './statistics-rates';
import { regionCondition, scopeCondition, statisticsScope } from './statistics-scope';
import { yuanOf } from './yuan';

interface RecordRow {
  booking_id: string;
  instrument_id: string;
  name_zh: string;
  asset_number: string | null;
  category_code: string;
  category_name: string;
  owner_name: string;
  service_day: string;
  started_at: string | null;
  ended_at: string | null;
  mode: 'self_operated' | 'sample_submission';
  is_internal: boolean;
  user_institution: string | null;
  sample_count: number | null;
  effective_minutes: number | null;
  amount_fen: string;
  rating: number | null;
}

function toRecord(row: RecordRow): ServiceRecordDto {
  return {
    bookingId: row.booking_id,
    instrumentId: row.instrument_id,
    instrumentName: row.name_zh,
    assetNumber: row.asset_number,
    categoryCode: row.category_code,
    categoryName: row.category_name,
    ownerInstitution: row.owner_name,
    serviceDate: row.service_day,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    serviceWay: row.mode === 'sample_submission' ? '送样' : '自测',
    userScope: row.is_internal ? '校内' : '校外',
    userInstitution: row.user_institution,
    sampleCount: row.sample_count,
    effectiveHours: row.effective_minutes === null ? null : hoursOf(row.effective_minutes),
    amountYuan: yuanOf(row.amount_fen),
    amountFen: Number(row.amount_fen),
    rating: row.rating,
  };
}

const column = (header: string, value: CsvColumn<ServiceRecordDto>['value']): CsvColumn<ServiceRecordDto> => ({ header, value });

/** The national platform's service record layout (Chinese headers; English in the README). */
const RECORD_COLUMNS: CsvColumn<ServiceRecordDto>[] = [
  column('仪器名称', (row) => row.instrumentName),
  column('资产编号', (row) => row.assetNumber),
  column('分类代码', (row) => row.categoryCode),
  column('仪器分类', (row) => row.categoryName),
  column('所属单位', (row) => row.ownerInstitution),
  column('服务日期', (row) => row.serviceDate),
  column('开始时间', (row) => row.startedAt),
  column('结束时间', (row) => row.endedAt),
  column('服务方式', (row) => row.serviceWay),
  column('校内/校外', (row) => row.userScope),
  column('用户单位', (row) => row.userInstitution),
  column('样品数', (row) => row.sampleCount),
  column('有效机时', (row) => row.effectiveHours),
  column('金额(元)', (row) => row.amountYuan),
  column('满意度', (row) => row.rating),
];

/**
 * Completed services of a range of local days, within the caller's scope: each on the local day
 * of its check-in (or booked start) in the instrument's zone, as the compiled statistics count it.
 */
@Injectable()
export class ServiceRecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async list(user: AuthUser, query: ServiceRecordsQuery): Promise<ServiceRecordsDto> {
    const scope = statisticsScope(user);
    const range = resolveDayRange(query, this.config.STATISTICS_MAX_RANGE_DAYS);
    const params: unknown[] = [range.firstDay, range.lastDay];
    const condition = scopeCondition(scope, params) + regionCondition(query.region, params);
    // The window's instants are worked out once per instrument (in its zone), not once per booking.
    const rows: RecordRow[] = await this.dataSource.query(
      `WITH inst AS MATERIALIZED (
         SELECT i.id, i.name_zh, i.asset_number, i.category_code, i.institution_id, i.time_zone,
                statistics_local_instant($1::date + time '00:00', i.time_zone) AS starts,
                statistics_local_instant($2::date + 1 + time '00:00', i.time_zone) AS ends
         FROM instrument i
         WHERE true${condition}
       )
       SELECT b.id AS booking_id, i.id AS instrument_id, i.name_zh, i.asset_number, i.category_code::text, c.name_zh AS category_name,
              o.name_zh AS owner_name,
              (coalesce(b.actual_start_at, b.starts_at) AT TIME ZONE i.time_zone)::date::text AS service_day,
              to_char(b.actual_start_at AT TIME ZONE i.time_zone, 'YYYY-MM-DD HH24:MI') AS started_at,
              to_char(b.actual_end_at AT TIME ZONE i.time_zone, 'YYYY-MM-DD HH24:MI') AS ended_at,
              b.mode, b.is_internal, ui.name_zh AS user_institution, b.sample_count,
              round(extract(epoch FROM b.actual_end_at - b.actual_start_at) / 60)::int AS effective_minutes,
              coalesce(b.final_fee_fen, 0) AS amount_fen, b.rating
       FROM inst i
       JOIN booking b ON b.instrument_id = i.id
       JOIN institution o ON o.id = i.institution_id
       JOIN instrument_category c ON c.code = i.category_code
       JOIN app_user u ON u.id = b.user_id
       LEFT JOIN institution ui ON ui.id = u.institution_id
       WHERE b.status = 'completed' AND coalesce(b.actual_start_at, b.starts_at) >= i.starts AND coalesce(b.actual_start_at, b.starts_at) < i.ends
       ORDER BY coalesce(b.actual_start_at, b.starts_at), b.id`,
      params,
    );
    return { from: range.firstDay, to: range.lastDay, rows: rows.map(toRecord) };
  }

  csv(records: ServiceRecordsDto): string {
    return toCsv(RECORD_COLUMNS, records.rows);
  }
}
