import { CsvColumn, toCsv } from './csv';
import { GoalInstrumentDto, GoalRegionDto, SharingGoalDto } from './dto/sharing-goal.dto';
import type { GoalList } from './dto/sharing-goal.query';
import { yuanOf } from './yuan';

const REGION_COLUMNS: CsvColumn<GoalRegionDto>[] = [
  { header: '地区代码', value: (row) => row.code },
  { header: '地区', value: (row) => row.name },
  { header: '应开放仪器数', value: (row) => row.eligibleInstruments },
  { header: '已开放仪器数', value: (row) => row.sharedInstruments },
  { header: '已开放原值(元)', value: (row) => yuanOf(row.sharedValueFen) },
  { header: '未开放(不合规)仪器数', value: (row) => row.nonCompliantInstruments },
];

const INSTRUMENT_COLUMNS: CsvColumn<GoalInstrumentDto>[] = [
  { header: '仪器名称', value: (row) => row.nameZh },
  { header: '所属单位', value: (row) => row.institutionName },
  { header: '区县代码', value: (row) => row.regionCode },
  { header: '原值(元)', value: (row) => yuanOf(row.originalValueFen) },
  { header: '共享方式', value: (row) => row.sharingMode },
  { header: '最近对外服务日', value: (row) => row.lastExternalDay },
];

/** One list of the sharing goal as CSV: regions by city or county, or the non-compliant or idle instruments. */
export function sharingGoalCsv(goal: SharingGoalDto, list: GoalList): string {
  switch (list) {
    case 'cities':
      return toCsv(REGION_COLUMNS, goal.byCity);
    case 'counties':
      return toCsv(REGION_COLUMNS, goal.byCounty);
    case 'non_compliant':
      return toCsv(INSTRUMENT_COLUMNS, goal.nonCompliant);
    case 'idle':
      return toCsv(INSTRUMENT_COLUMNS, goal.idle);
  }
}
