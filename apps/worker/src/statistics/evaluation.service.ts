import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { AppConfig } from '@app/config';
import { compiledFiguresSql } from './compiled-figures';
import { CsvColumn, toCsv } from './csv';
import { EvaluationDto, EvaluationQuery, EvaluationRowDto } from './dto/evaluation.dto';
import { EvaluationInputs, EvaluationPolicy, evaluationPolicyOf, scoreEvaluation, sumEvaluationInputs } from './evaluation-scoring';
import { INSTRUMENT_RECORD_FIELDS, missingRecordFieldsSql } from './instrument-record-fields';
import { averageOf, hoursOf, rateOf } from './statistics-rates';
import { scopeCondition, statisticsScope } from './statistics-scope';

interface InstrumentYearRow {
  id: string;
  name_zh: string;
  asset_number: string | null;
  institution_id: string;
  institution_name: string;
  institution_region: string;
  region_code: string;
  rated_hours: string;
  missing_fields: string[];
  effective_minutes: string;
  external_minutes: string;
  rating_sum: string;
  rating_count: string;
  external_services: string;
  firm_services: string;
}

function inputsOf(row: InstrumentYearRow): EvaluationInputs {
  return {
    instruments: 1,
    ratedHours: Number(row.rated_hours),
    effectiveMinutes: Number(row.effective_minutes),
    externalMinutes: Number(row.external_minutes),
    externalServices: Number(row.external_services),
    firmServices: Number(row.firm_services),
    ratingSum: Number(row.rating_sum),
    ratingCount: Number(row.rating_count),
    completeness: 1 - row.missing_fields.length / INSTRUMENT_RECORD_FIELDS.length,
  };
}

type Subject = Pick<EvaluationRowDto, 'id' | 'name' | 'assetNumber' | 'institutionId' | 'institutionName' | 'regionCode' | 'missingFields'>;

function rowOf(subject: Subject, inputs: EvaluationInputs, policy: EvaluationPolicy): EvaluationRowDto {
  const { scores, total, grade } = scoreEvaluation(inputs, policy);
  return {
    ...subject,
    instruments: inputs.instruments,
    indicators: {
      ratedHours: Math.round(inputs.ratedHours * 100) / 100,
      effectiveHours: hoursOf(inputs.effectiveMinutes),
      externalHours: hoursOf(inputs.externalMinutes),
      sharingRate: rateOf(inputs.externalMinutes, inputs.effectiveMinutes),
      externalServices: inputs.externalServices,
      firmServices: inputs.firmServices,
      averageRating: averageOf(inputs.ratingSum, inputs.ratingCount),
      ratingCount: inputs.ratingCount,
      completeness: Math.round(inputs.completeness * 10_000) / 10_000,
    },
    scores: { ...scores, sharingRate: scores.sharingRate ?? 0 } as EvaluationRowDto['scores'],
    total,
    grade,
  };
}

const column = (header: string, value: CsvColumn<EvaluationRowDto>['value']): CsvColumn<EvaluationRowDto> => ({ header, value });

/** Figures and scores, the same for both levels (headers in Chinese; English in the README). */
const FIGURE_COLUMNS: CsvColumn<EvaluationRowDto>[] = [
  column('仪器数', (row) => row.instruments),
  column('定额机时', (row) => row.indicators.ratedHours),
  column('有效机时', (row) => row.indicators.effectiveHours),
  column('对外服务机时', (row) => row.indicators.externalHours),
  column('共享率', (row) => row.indicators.sharingRate),
  column('校外服务次数', (row) => row.indicators.externalServices),
  column('企业服务次数', (row) => row.indicators.firmServices),
  column('平均评分', (row) => row.indicators.averageRating),
  column('评分次数', (row) => row.indicators.ratingCount),
  column('数据完整率', (row) => row.indicators.completeness),
  column('有效机时得分', (row) => row.scores.effectiveHours),
  column('对外服务机时得分', (row) => row.scores.externalHours),
  column('共享率得分', (row) => row.scores.sharingRate),
  column('校外服务得分', (row) => row.scores.externalServices),
  column('企业服务得分', (row) => row.scores.firmServices),
  column('用户评价得分', (row) => row.scores.rating),
  column('数据完整性得分', (row) => row.scores.completeness),
  column('总分', (row) => row.total),
  column('等级', (row) => row.grade),
];

const CSV_COLUMNS = {
  institution: [column('单位名称', (row) => row.name), column('区县代码', (row) => row.regionCode), ...FIGURE_COLUMNS],
  instrument: [
    column('仪器名称', (row) => row.name),
    column('资产编号', (row) => row.assetNumber),
    column('所属单位', (row) => row.institutionName),
    column('区县代码', (row) => row.regionCode),
    ...FIGURE_COLUMNS,
    column('缺失字段', (row) => row.missingFields.join(' ')),
  ],
};

/**
 * The annual evaluation (绩效考核) of instruments at or above the sharing threshold, one by one or
 * per owner institution, from the compiled days of the year and its completed services.
 */
@Injectable()
export class EvaluationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async evaluate(user: AuthUser, query: EvaluationQuery): Promise<EvaluationDto> {
    const scope = statisticsScope(user);
    const policy = evaluationPolicyOf(this.config);
    const rows = await this.instrumentYears(scope, query.year);
    const evaluated =
      query.level === 'instrument'
        ? rows.map((row) =>
            rowOf(
              {
                id: row.id,
                name: row.name_zh,
                assetNumber: row.asset_number,
                institutionId: row.institution_id,
                institutionName: row.institution_name,
                regionCode: row.region_code,
                missingFields: row.missing_fields,
              },
              inputsOf(row),
              policy,
            ),
          )
        : this.byInstitution(rows, policy);
    const listed = query.grade ? evaluated.filter((row) => row.grade === query.grade) : evaluated;
    listed.sort((a, b) => b.total - a.total || a.name.localeCompare(b.name, 'zh') || a.id.localeCompare(b.id));
    return { year: query.year, level: query.level, grade: query.grade ?? null, policy, rows: listed };
  }

  csv(evaluation: EvaluationDto): string {
    return toCsv(CSV_COLUMNS[evaluation.level], evaluation.rows);
  }

  private byInstitution(rows: InstrumentYearRow[], policy: EvaluationPolicy): EvaluationRowDto[] {
    const groups = new Map<string, InstrumentYearRow[]>();
    for (const row of rows) groups.set(row.institution_id, [...(groups.get(row.institution_id) ?? []), row]);
    return [...groups.values()].map((members) =>
      rowOf(
        {
          id: members[0].institution_id,
          name: members[0].institution_name,
          assetNumber: null,
          institutionId: members[0].institution_id,
          institutionName: members[0].institution_name,
          regionCode: members[0].institution_region,
          missingFields: [],
        },
        sumEvaluationInputs(members.map(inputsOf)),
        policy,
      ),
    );
  }

  /**
   * One row per instrument in scope: rated hours (by purpose, pro-rated from in_service_date when it
   * falls in the year), the missing record fields, the summed days of the year, and the completed
   * services of the year to outside users and outside firms, each on the local day of its check-in
   * (or booked start) as the compiler counts services.
   */
  private async instrumentYears(scope: ReturnType<typeof statisticsScope>, year: number): Promise<InstrumentYearRow[]> {
    const params: unknown[] = [`${year}-01-01`, `${year}-12-31`, this.config.RATED_HOURS_GENERAL, this.config.RATED_HOURS_SPECIAL, this.config.sharingThresholdFen];
    const condition = scopeCondition(scope, params);
    return this.dataSource.query(
      `WITH inst AS MATERIALIZED (
         SELECT i.id, i.name_zh, i.asset_number, i.institution_id, o.name_zh AS institution_name, o.region_code::text AS institution_region,
                i.region_code::text,
                statistics_local_instant($1::date + time '00:00', i.time_zone) AS starts,
                statistics_local_instant($2::date + 1 + time '00:00', i.time_zone) AS ends,
                CASE i.purpose WHEN 'general' THEN $3::int ELSE $4::int END::numeric
                  * (($2::date + 1) - greatest($1::date, coalesce(i.in_service_date, $1::date))) / (($2::date + 1) - $1::date) AS rated_hours,
                ${missingRecordFieldsSql()} AS missing_fields
         FROM instrument i
         JOIN institution o ON o.id = i.institution_id
         WHERE i.original_value_fen >= $5::bigint AND (i.in_service_date IS NULL OR i.in_service_date <= $2::date)${condition}
       ),
       days AS (
         SELECT s.instrument_id, sum(s.effective_minutes) AS effective_minutes, sum(s.external_minutes) AS external_minutes,
                sum(s.rating_sum) AS rating_sum, sum(s.rating_count) AS rating_count
         FROM inst JOIN (${compiledFiguresSql('$1', '$2')}) s ON s.instrument_id = inst.id
         GROUP BY s.instrument_id
       ),
       services AS (
         SELECT b.instrument_id,
                count(*) AS external_services,
                count(*) FILTER (WHERE ui.kind = 'enterprise') AS firm_services
         FROM inst
         JOIN booking b ON b.instrument_id = inst.id
         JOIN app_user u ON u.id = b.user_id
         LEFT JOIN institution ui ON ui.id = u.institution_id
         WHERE b.status = 'completed' AND NOT b.is_internal
           AND coalesce(b.actual_start_at, b.starts_at) >= inst.starts AND coalesce(b.actual_start_at, b.starts_at) < inst.ends
         GROUP BY b.instrument_id
       )
       SELECT inst.id, inst.name_zh, inst.asset_number, inst.institution_id, inst.institution_name, inst.institution_region, inst.region_code,
              inst.rated_hours, inst.missing_fields,
              coalesce(d.effective_minutes, 0) AS effective_minutes, coalesce(d.external_minutes, 0) AS external_minutes,
              coalesce(d.rating_sum, 0) AS rating_sum, coalesce(d.rating_count, 0) AS rating_count,
              coalesce(v.external_services, 0) AS external_services, coalesce(v.firm_services, 0) AS firm_services
       FROM inst
       LEFT JOIN days d ON d.instrument_id = inst.id
       LEFT JOIN services v ON v.instrument_id = inst.id
       ORDER BY inst.id`,
      params,
    );
  }
}
