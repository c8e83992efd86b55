import { InstrumentSummaryRow, SummaryNames, listingFragments, summaryJsonOfListing, toInstrumentSummary } from './instrument-views';

describe('summaryJsonOfListing', () => {
  const names: SummaryNames = {
    category: () => ({ nameZh: '质谱仪器', nameEn: 'Mass "spectrometry"' }),
    institution: () => ({ nameZh: '浙江大学', nameEn: null, kind: 'university' }),
    region: (code) => (code === '330106' ? '西湖区' : code === '330100' ? '杭州市' : undefined),
  };
  const row = (overrides: Partial<InstrumentSummaryRow>): InstrumentSummaryRow => ({
    id: '0b7c2f52-5a3e-4f7e-9d7a-1c2b3d4e5f60',
    name_zh: '液相色谱-质谱联用仪\u0001\n',
    name_en: 'LC–MS "triple quad" \\ ≥',
    model: null,
    manufacturer: 'Agilent',
    category_code: '010200',
    category_name_zh: '质谱仪器',
    category_name_en: 'Mass "spectrometry"',
    institution_id: '1b7c2f52-5a3e-4f7e-9d7a-1c2b3d4e5f60',
    institution_name_zh: '浙江大学',
    institution_name_en: null,
    institution_kind: 'university',
    region_code: '330106',
    county_name: '西湖区',
    city_code: '330100',
    city_name: '杭州市',
    address: '余杭塘路866号',
    latitude: '30.274100',
    longitude: '120.155000',
    original_value_fen: '250000000',
    service_modes: ['self_operated', 'sample_submission'],
    price_unit: 'hour',
    external_price_fen: '50000',
    internal_price_fen: '30000',
    sharing_mode: 'external',
    condition: 'normal',
    photo_urls: ['https://example.org/a.jpg'],
    ...overrides,
  });
  /** The listing as PostgreSQL builds it (INSTRUMENT_LISTING_SQL): numbers as numeric text. */
  const listingOf = (r: InstrumentSummaryRow) =>
    `[${[r.name_zh, r.name_en, r.model, r.manufacturer, r.address].map((v) => JSON.stringify(v)).join(', ')}, ${r.latitude ?? 'null'}, ${r.longitude ?? 'null'}, ` +
    `${JSON.stringify(r.service_modes)}, ${JSON.stringify(r.price_unit)}, ${r.internal_price_fen ?? 'null'}, ${JSON.stringify(r.condition)}, ${JSON.stringify(r.photo_urls)}]`;
  const document = (r: InstrumentSummaryRow) => ({
    institutionId: r.institution_id,
    sharingMode: r.sharing_mode,
    categoryCode: r.category_code,
    regionCode: r.region_code,
    externalPriceFen: r.external_price_fen === null ? null : Number(r.external_price_fen),
    originalValueFen: Number(r.original_value_fen),
    listing: listingFragments(listingOf(r)),
  });

  it.each([
    ['every field set', {}],
    ['no fee line, no place, no photos', { price_unit: null, external_price_fen: null, internal_price_fen: null, latitude: null, longitude: null, photo_urls: [] }],
    ['a county without a name here', { region_code: '330199', county_name: null }],
  ])('is the JSON of the summary the database path builds: %s', (_case, overrides) => {
    const r = row(overrides as Partial<InstrumentSummaryRow>);
    expect(summaryJsonOfListing(r.id, document(r), names)).toBe(JSON.stringify(toInstrumentSummary(r)));
  });

  it('is undefined when a name is unknown here', () => {
    const r = row({});
    expect(summaryJsonOfListing(r.id, document(r), { ...names, institution: () => undefined })).toBeUndefined();
  });
});
