import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { AuthUser } from '@app/auth';
import { Clock } from '@app/common';
import { AppConfig } from '@app/config';
import { GoalInstrumentDto, GoalRegionDto, SharingGoalDto } from './dto/sharing-goal.dto';
import { rateOf } from './statistics-rates';
import { scopeCondition, statisticsScope } from './statistics-scope';

/** Eligible but not shared is allowed while an approved exemption asks for the mode in force (as the catalog rules). */
const EXEMPT = `EXISTS (SELECT 1 FROM sharing_exemption e WHERE e.instrument_id = i.id AND e.status = 'approved' AND e.requested_mode = i.sharing_mode)`;

interface RegionRow {
  level: 'all' | 'city' | 'county';
  code: string | null;
  name: string | null;
  eligible: string;
  eligible_value_fen: string;
  shared: string;
  shared_value_fen: string;
  non_compliant: string;
}

interface InstrumentRow {
  id: string;
  name_zh: string;
  institution_id: string;
  institution_name: string;
  region_code: string;
  original_value_fen: string;
  sharing_mode: string;
  last_external_day: string | null;
  is_shared: boolean;
  is_exempt: boolean;
}

function toRegion(row: RegionRow): GoalRegionDto {
  return {
    code: row.code!,
    name: row.name ?? row.code!,
    eligibleInstruments: Number(row.eligible),
    sharedInstruments: Number(row.shared),
    sharedValueFen: Number(row.shared_value_fen),
    nonCompliantInstruments: Number(row.non_compliant),
  };
}

function toInstrument(row: InstrumentRow): GoalInstrumentDto {
  return {
    id: row.id,
    nameZh: row.name_zh,
    institutionId: row.institution_id,
    institutionName: row.institution_name,
    regionCode: row.region_code,
    originalValueFen: Number(row.original_value_fen),
    sharingMode: row.sharing_mode,
    lastExternalDay: row.last_external_day,
  };
}

/**
 * Progress towards the province's goal: publicly funded instruments at or above the sharing
 * threshold that are open for external use, by city and county, with the eligible instruments that
 * are not open without an approved exemption (non-compliant, as the catalog counts them) and the open ones nobody from outside used for SHARING_IDLE_MONTHS.
 */
@Injectable()
export class SharingGoalService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async progress(user: AuthUser): Promise<SharingGoalDto> {
    const scope = statisticsScope(user);
    const today = DateTime.fromJSDate(this.clock.now(), { zone: this.config.STATISTICS_NIGHTLY_TZ }).startOf('day');
    const idleSince = today.minus({ months: this.config.SHARING_IDLE_MONTHS }).toISODate()!;

    const regionParams: unknown[] = [this.config.sharingThresholdFen];
    const regionScope = scopeCondition(scope, regionParams);
    const regions: RegionRow[] = await this.dataSource.query(
      `SELECT CASE WHEN grouping(i.city_code) = 0 THEN 'city' WHEN grouping(i.region_code) = 0 THEN 'county' ELSE 'all' END AS level,
              coalesce(i.city_code, i.region_code)::text AS code,
              (SELECT name FROM region WHERE code = coalesce(i.city_code, i.region_code)) AS name,
              count(*) AS eligible, coalesce(sum(i.original_value_fen), 0) AS eligible_value_fen,
              count(*) FILTER (WHERE i.sharing_mode = 'external') AS shared,
              coalesce(sum(i.original_value_fen) FILTER (WHERE i.sharing_mode = 'external'), 0) AS shared_value_fen,
              count(*) FILTER (WHERE i.sharing_mode <> 'external' AND NOT ${EXEMPT}) AS non_compliant
       FROM instrument i
       WHERE i.is_publicly_funded AND i.original_value_fen >= $1::bigint${regionScope}
       GROUP BY GROUPING SETS ((), (i.city_code), (i.region_code))
       ORDER BY 1, 2`,
      regionParams,
    );

    const listParams: unknown[] = [this.config.sharingThresholdFen, idleSince];
    const listScope = scopeCondition(scope, listParams);
    const instruments: InstrumentRow[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT i.id, i.name_zh, i.institution_id, o.name_zh AS institution_name, i.region_code::text, i.original_value_fen, i.sharing_mode,
                (SELECT max(s.day)::text FROM instrument_day_statistics s WHERE s.instrument_id = i.id AND s.external_minutes > 0) AS last_external_day,
                i.sharing_mode = 'external' AS is_shared, ${EXEMPT} AS is_exempt
         FROM instrument i
         JOIN institution o ON o.id = i.institution_id
         WHERE i.is_publicly_funded AND i.original_value_fen >= $1::bigint${listScope}) listed
       WHERE (NOT is_shared AND NOT is_exempt) OR (is_shared AND (last_external_day IS NULL OR last_external_day::date < $2::date))
       ORDER BY region_code, original_value_fen DESC, id`,
      listParams,
    );

    const all = regions.find((row) => row.level === 'all');
    const shared = { instruments: Number(all?.shared ?? 0), originalValueFen: Number(all?.shared_value_fen ?? 0) };
    return {
      thresholdFen: this.config.sharingThresholdFen,
      goal: { instruments: this.config.SHARING_GOAL_INSTRUMENTS, originalValueFen: this.config.sharingGoalValueFen },
      eligible: { instruments: Number(all?.eligible ?? 0), originalValueFen: Number(all?.eligible_value_fen ?? 0) },
      shared,
      instrumentProgress: rateOf(shared.instruments, this.config.SHARING_GOAL_INSTRUMENTS) ?? 0,
      valueProgress: rateOf(shared.originalValueFen, this.config.sharingGoalValueFen) ?? 0,
      byCity: regions.filter((row) => row.level === 'city').map(toRegion),
      byCounty: regions.filter((row) => row.level === 'county').map(toRegion),
      nonCompliant: instruments.filter((row) => !row.is_shared).map(toInstrument),
      idleSince,
      idle: instruments.filter((row) => row.is_shared).map(toInstrument),
    };
  }
}
