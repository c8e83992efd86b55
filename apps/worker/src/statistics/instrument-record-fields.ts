/** A text column counts as filled when it holds more than white space. */
const text = (column: string) => `nullif(btrim(i.${column}), '') IS NOT NULL`;

/**
 * The fields of an instrument record on the national platform (DOMAIN.md "Instrument record"),
 * each with the SQL over `instrument i` that says it is filled. The platform's review status is
 * not kept in the catalog, so it is not counted. Fields the catalog requires always count as
 * filled; they are listed so the share means the same as on the platform.
 */
export const INSTRUMENT_RECORD_FIELDS: readonly (readonly [field: string, filled: string])[] = [
  ['nameZh', text('name_zh')],
  ['nameEn', text('name_en')],
  ['assetNumber', text('asset_number')],
  ['model', text('model')],
  ['manufacturer', text('manufacturer')],
  ['countryOfOrigin', 'i.country_of_origin IS NOT NULL'],
  ['originalValue', 'i.original_value_fen > 0'],
  ['inServiceDate', 'i.in_service_date IS NOT NULL'],
  ['source', 'i.source IS NOT NULL'],
  ['fundingSource', 'i.funding_source IS NOT NULL'],
  ['department', text('department')],
  ['categoryCode', 'i.category_code IS NOT NULL'],
  ['purpose', 'i.purpose IS NOT NULL'],
  ['subjectAreas', 'cardinality(i.subject_areas) > 0'],
  ['specs', text('specs')],
  ['functions', text('functions')],
  ['serviceContent', text('service_content')],
  ['feeStandard', 'i.external_price_fen IS NOT NULL OR EXISTS (SELECT 1 FROM instrument_fee f WHERE f.instrument_id = i.id)'],
  ['condition', 'i.condition IS NOT NULL'],
  ['sharingMode', 'i.sharing_mode IS NOT NULL'],
  ['sharingRules', text('sharing_rules')],
  ['regionCode', 'i.region_code IS NOT NULL'],
  ['address', text('address')],
  ['coordinates', 'i.latitude IS NOT NULL AND i.longitude IS NOT NULL'],
  ['contactName', text('contact_name')],
  ['contactPhone', text('contact_phone')],
  ['contactEmail', text('contact_email')],
];

/** SQL for the text[] of the record fields an instrument `i` leaves empty, in the order above. */
export function missingRecordFieldsSql(): string {
  const cases = INSTRUMENT_RECORD_FIELDS.map(([field, filled]) => `CASE WHEN NOT coalesce(${filled}, false) THEN '${field}' END`);
  return `array_remove(ARRAY[${cases.join(', ')}]::text[], NULL)`;
}
