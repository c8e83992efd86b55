import type { EntityManager } from 'typeorm';
import { queryPrepared } from '@app/db';
import type { ListedDocument } from '../search-index/instrument-search-index';
import type { InstrumentSummaryDto } from './dto/instrument-response.dto';

/** The columns search results and the detail view share, joined with names of category, owner and places. */
export const INSTRUMENT_SUMMARY_SELECT = `
  SELECT i.id, i.name_zh, i.name_en, i.model, i.manufacturer, i.category_code,
         c.name_zh AS category_name_zh, c.name_en AS category_name_en,
         i.institution_id, inst.name_zh AS institution_name_zh, inst.name_en AS institution_name_en, inst.kind AS institution_kind,
         i.region_code, county.name AS county_name, i.city_code, city.name AS city_name, i.address, i.latitude, i.longitude,
         i.original_value_fen, i.service_modes, i.price_unit, i.external_price_fen, i.internal_price_fen,
         i.sharing_mode, i.condition, i.photo_urls
  FROM instrument i
  JOIN instrument_category c ON c.code = i.category_code
  JOIN institution inst ON inst.id = i.institution_id
  LEFT JOIN region county ON county.code = i.region_code
  LEFT JOIN region city ON city.code = i.city_code`;

const INSTRUMENT_SUMMARIES_BY_ID = `${INSTRUMENT_SUMMARY_SELECT} WHERE i.id = ANY($1::uuid[])`;

export interface InstrumentSummaryRow {
  id: string;
  name_zh: string;
  name_en: string | null;
  model: string | null;
  manufacturer: string | null;
  category_code: string;
  category_name_zh: string;
  category_name_en: string | null;
  institution_id: string;
  institution_name_zh: string;
  institution_name_en: string | null;
  institution_kind: InstrumentSummaryDto['institution']['kind'];
  region_code: string;
  county_name: string | null;
  city_code: string;
  city_name: string | null;
  address: string;
  latitude: string | null;
  longitude: string | null;
  original_value_fen: string;
  service_modes: InstrumentSummaryDto['serviceModes'];
  price_unit: NonNullable<InstrumentSummaryDto['price']>['unit'] | null;
  external_price_fen: string | null;
  internal_price_fen: string | null;
  sharing_mode: InstrumentSummaryDto['sharingMode'];
  condition: InstrumentSummaryDto['condition'];
  photo_urls: string[];
}

export function toInstrumentSummary(row: InstrumentSummaryRow): InstrumentSummaryDto {
  return {
    id: row.id,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    model: row.model,
    manufacturer: row.manufacturer,
    category: { code: row.category_code, nameZh: row.category_name_zh, nameEn: row.category_name_en },
    institution: {
      id: row.institution_id,
      nameZh: row.institution_name_zh,
      nameEn: row.institution_name_en,
      kind: row.institution_kind,
    },
    location: {
      regionCode: row.region_code,
      countyName: row.county_name ?? '',
      cityCode: row.city_code,
      cityName: row.city_name ?? '',
      address: row.address,
      latitude: row.latitude === null ? null : Number(row.latitude),
      longitude: row.longitude === null ? null : Number(row.longitude),
    },
    originalValueFen: Number(row.original_value_fen),
    serviceModes: row.service_modes,
    price:
      row.price_unit && row.external_price_fen !== null && row.internal_price_fen !== null
        ? { unit: row.price_unit, externalRateFen: Number(row.external_price_fen), internalRateFen: Number(row.internal_price_fen) }
        : null,
    sharingMode: row.sharing_mode,
    condition: row.condition,
    photoUrls: row.photo_urls,
  };
}

/**
 * The instrument's own columns of a summary that the search index does not hold anyway, as one JSON
 * array (over alias i, the instrument): the index keeps it per instrument, so a result page needs
 * no database round trip. Values only, no keys: 100,000 of them stay a few tens of MB.
 */
export const INSTRUMENT_LISTING_SQL = `json_build_array(i.name_zh, i.name_en, i.model, i.manufacturer, i.address, i.latitude, i.longitude,
  i.service_modes, i.price_unit, i.internal_price_fen, i.condition, i.photo_urls)::text`;

/** Names a summary shows beside the instrument's own columns; they change apart from it. */
export interface SummaryNames {
  category(code: string): { nameZh: string; nameEn: string | null } | undefined;
  institution(id: string): { nameZh: string; nameEn: string | null; kind: InstrumentSummaryRow['institution_kind'] } | undefined;
  region(code: string): string | undefined;
}

/** Separates a listing's values (JSON texts): JSON.stringify escapes every control character inside a string, so none holds it. */
const LISTING_SEPARATOR = '\u0001';

/**
 * A listing as the index keeps it: the values of INSTRUMENT_LISTING_SQL's array, each as its own
 * JSON text (JSON.stringify's, so numbers read as toInstrumentSummary writes them), joined by
 * LISTING_SEPARATOR, so a result page is assembled as text without parsing it again.
 */
export function listingFragments(listing: string): string {
  return (JSON.parse(listing) as unknown[]).map((value) => JSON.stringify(value)).join(LISTING_SEPARATOR);
}

/**
 * The summary of an indexed document as JSON text, the very JSON of the InstrumentSummaryDto that
 * loadInstrumentSummaries reads (same keys, order and numbers); undefined when a name is unknown.
 */
export function summaryJsonOfListing(id: string, document: ListedDocument, names: SummaryNames): string | undefined {
  const category = names.category(document.categoryCode);
  const institution = names.institution(document.institutionId);
  if (!category || !institution) return undefined;
  const [nameZh, nameEn, model, manufacturer, address, latitude, longitude, serviceModes, priceUnit, internalPriceFen, condition, photoUrls] =
    document.listing.split(LISTING_SEPARATOR);
  // city_code is generated from region_code the same way.
  const cityCode = `${document.regionCode.slice(0, 4)}00`;
  const price =
    priceUnit !== 'null' && document.externalPriceFen !== null && internalPriceFen !== 'null'
      ? `{"unit":${priceUnit},"externalRateFen":${JSON.stringify(document.externalPriceFen)},"internalRateFen":${internalPriceFen}}`
      : 'null';
  const text = JSON.stringify;
  return (
    `{"id":${text(id)},"nameZh":${nameZh},"nameEn":${nameEn},"model":${model},"manufacturer":${manufacturer},` +
    `"category":${text({ code: document.categoryCode, nameZh: category.nameZh, nameEn: category.nameEn })},` +
    `"institution":${text({ id: document.institutionId, nameZh: institution.nameZh, nameEn: institution.nameEn, kind: institution.kind })},` +
    `"location":{"regionCode":${text(document.regionCode)},"countyName":${text(names.region(document.regionCode) ?? '')},` +
    `"cityCode":${text(cityCode)},"cityName":${text(names.region(cityCode) ?? '')},"address":${address},"latitude":${latitude},"longitude":${longitude}},` +
    `"originalValueFen":${text(document.originalValueFen)},"serviceModes":${serviceModes},"price":${price},` +
    `"sharingMode":${text(document.sharingMode)},"condition":${condition},"photoUrls":${photoUrls}}`
  );
}

/** The JSON text of a T, already serialized: sent as it is. */
export type JsonText<T> = string & { readonly jsonOf?: T };

/** Summaries for the given ids, in the order given. */
export async function loadInstrumentSummaries(manager: EntityManager, ids: string[]): Promise<InstrumentSummaryDto[]> {
  if (ids.length === 0) return [];
  const rows = await queryPrepared<InstrumentSummaryRow>(manager, 'instrument-summaries', INSTRUMENT_SUMMARIES_BY_ID, [ids]);
  const byId = new Map(rows.map((row) => [row.id, toInstrumentSummary(row)]));
  return ids.map((id) => byId.get(id)).filter((summary): summary is InstrumentSummaryDto => summary !== undefined);
}
