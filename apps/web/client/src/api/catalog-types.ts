/** The catalog's answers, as the pages use them (see the catalog's /docs for every field). */
export interface NamedCode {
  code: string;
  nameZh: string;
  nameEn: string | null;
}

export interface InstrumentSummary {
  id: string;
  nameZh: string;
  nameEn: string | null;
  model: string | null;
  manufacturer: string | null;
  category: NamedCode;
  institution: { id: string; nameZh: string; nameEn: string | null; kind: string };
  location: { regionCode: string; countyName: string; cityCode: string; cityName: string; address: string | null };
  originalValueFen: number;
  serviceModes: ('self_operated' | 'sample_submission')[];
  price: { unit: 'hour' | 'sample' | 'day' | 'run'; externalRateFen: number; internalRateFen: number } | null;
  sharingMode: 'external' | 'internal_only' | 'not_shared';
}

export interface FacetBucket extends NamedCode {
  count: number;
}

export interface InstrumentPage {
  items: InstrumentSummary[];
  total: number;
  page: number;
  pageSize: number;
  facets: { category: FacetBucket[]; region: FacetBucket[] };
}

export interface FreeSlots {
  instrumentId: string;
  timeZone: string;
  durationMinutes: number;
  slots: { start: string; end: string; startLocal: string }[];
}

export interface EarliestSlot {
  instrumentId: string;
  instrumentNameZh: string;
  institutionNameZh: string;
  regionCode: string;
  timeZone: string;
  start: string;
  end: string;
  startLocal: string;
  nextStarts: string[];
  externalPriceFen: number | null;
  priceUnit: string | null;
}

export interface EarliestSlotPage {
  items: EarliestSlot[];
  total: number;
  page: number;
  pageSize: number;
}
