import type {
  FeeUnit,
  FundingSource,
  InstitutionKind,
  InstrumentCondition,
  InstrumentSource,
  ServiceMode,
  SharingMode,
} from '../entities/enums';
import type { Institution } from '../entities/institution.entity';
import type { InstrumentFee } from '../entities/instrument-fee.entity';
import type { Instrument } from '../entities/instrument.entity';
import { DEMO_MAKERS, UNKNOWN_MAKER } from './instrument-makers.data';
import {
  DEFAULT_CAPABILITY_PROFILE,
  DEFAULT_TYPE_TRAITS,
  DEMO_CAPABILITY_PROFILES,
  DEMO_TYPE_TRAITS,
  type DemoCapabilityProfile,
  type DemoInstrumentTypeTraits,
} from './instrument-profiles.data';
import { DEMO_INSTRUMENT_TYPES, type DemoInstrumentType } from './instrument-types.data';
import {
  AFFILIATED_HOSPITAL_TEMPLATE,
  BRANCH_INSTITUTE_TEMPLATE,
  BUILDINGS,
  CHINESE_ORDINALS,
  DEPARTMENTS,
  FIRM_BRANDS,
  FIRM_INDUSTRIES,
  GIVEN_NAME_CHARACTERS,
  HOSPITAL_TEMPLATES,
  INSTITUTE_TEMPLATES,
  OTHER_TEMPLATES,
  RESEARCH_FIELDS,
  SHARING_RULES_EXTERNAL,
  SHARING_RULES_INTERNAL_ONLY,
  SHARING_RULES_NOT_SHARED,
  SURNAMES,
  UNIVERSITY_TEMPLATES,
  type NameTemplate,
} from './institution-names.data';
import { SeededRandom, WeightedPicker, deterministicUuids } from './seeded-random.util';
import { zhejiangCounties, type ZhejiangCounty } from './zhejiang-counties';
import { DEMO_STREET_NAMES } from './zhejiang-places.data';

/** An institution row: exactly the insertable columns of the institution table. */
export type DemoInstitution = Pick<Institution, 'id' | 'nameZh' | 'nameEn' | 'kind' | 'regionCode' | 'isSmallMicro'>;

/** A fee line row: the insertable columns of instrument_fee. */
export type DemoInstrumentFee = Pick<
  InstrumentFee,
  'id' | 'instrumentId' | 'position' | 'unit' | 'internalRateFen' | 'externalRateFen' | 'description'
>;

/** Columns the database fills itself: generated from other columns, or defaults it owns. */
type DatabaseFilledKey =
  | 'categoryL1Code'
  | 'categoryL2Code'
  | 'isPubliclyFunded'
  | 'cityCode'
  | 'provinceCode'
  | 'version'
  | 'createdAt'
  | 'updatedAt';

/** An instrument row (the insertable columns of instrument) with its fee lines; fees[0] is the primary line. */
export type DemoInstrument = Omit<Instrument, DatabaseFilledKey | 'fees'> & { fees: DemoInstrumentFee[] };

export interface DemoCatalog {
  institutions: DemoInstitution[];
  instruments: DemoInstrument[];
}

export interface DemoCatalogOptions {
  instrumentCount?: number;
  seed?: number;
  /** Policy line for mandatory sharing (a setting, default 500,000 yuan). */
  sharingThresholdYuan?: number;
  /** Share of instruments valued below the line (from the types whose range reaches below it). */
  belowThresholdShare?: number;
}

export const DEFAULT_DEMO_SEED = 20261125;
export const DEFAULT_DEMO_INSTRUMENT_COUNT = 9_000;
export const DEMO_TIME_ZONE = 'Asia/Shanghai';

/** About 350 owners for 9,000 instruments, as on Zhejiang's platform; never fewer than 60. */
export function demoInstitutionCount(instrumentCount: number): number {
  return Math.max(60, Math.round((instrumentCount * 350) / 9_000));
}

// ---------------------------------------------------------------------------------------------
// Distributions. Rough realism for a demo, tuned so the national-platform shares come out right.

const KIND_WEIGHTS_DISTRICT: Readonly<Record<InstitutionKind, number>> = {
  university: 16,
  research_institute: 18,
  hospital: 12,
  enterprise: 44,
  other: 10,
};
const KIND_WEIGHTS_COUNTY: Readonly<Record<InstitutionKind, number>> = {
  university: 5,
  research_institute: 12,
  hospital: 14,
  enterprise: 57,
  other: 12,
};

/** How many instruments an owner of each kind tends to hold, relative to the others. */
const INSTRUMENT_SHARE_BY_KIND: Readonly<Record<InstitutionKind, number>> = {
  university: 30,
  research_institute: 16,
  hospital: 10,
  enterprise: 5,
  other: 6,
};
const SMALL_FIRM_INSTRUMENT_SHARE = 1;

/** Which instruments each kind of owner favours, by the first four digits of the category code. */
const CATEGORY_AFFINITY: Readonly<Partial<Record<InstitutionKind, Readonly<Record<string, number>>>>> = {
  hospital: {
    '0110': 4, '0902': 3, '0108': 2.5, '0102': 1.5, '0105': 1.2, '1000': 2,
    '0201': 0.05, '0204': 0.05, '0205': 0.05, '0206': 0.05, '0301': 0.05, '0401': 0.05, '0405': 0.05, '1401': 0.05,
    '0101': 0.4, '0103': 0.4, '0104': 0.6, '0106': 0.4, '0107': 0.2, '0109': 0.2, '0111': 0.3,
  },
  enterprise: {
    '0201': 3, '0206': 3, '0301': 4, '0401': 3, '0405': 2.5, '0205': 2, '0105': 1.5, '0109': 1.5,
    '0110': 0.4, '0902': 0.05, '0106': 0.3, '1000': 0.1, '1401': 0.5,
  },
  other: {
    '0105': 3, '0102': 2.5, '0104': 2, '0111': 2, '0301': 2, '0201': 1.5,
    '0902': 0.1, '1401': 0.1, '0106': 0.5, '0204': 0.3, '0405': 0.3,
  },
};

const FUNDING_BY_KIND: Readonly<Record<InstitutionKind, Readonly<Record<FundingSource, number>>>> = {
  university: { central_government: 46, local_government: 48, own_funds: 4, other: 2 },
  research_institute: { central_government: 36, local_government: 54, own_funds: 7, other: 3 },
  hospital: { central_government: 10, local_government: 76, own_funds: 10, other: 4 },
  enterprise: { central_government: 2, local_government: 40, own_funds: 50, other: 8 },
  other: { central_government: 10, local_government: 80, own_funds: 6, other: 4 },
};

const SOURCES: Readonly<Record<InstrumentSource, number>> = { purchased: 90, self_built: 4, donated: 4, other: 2 };
const CONDITIONS: Readonly<Record<InstrumentCondition, number>> = {
  normal: 92,
  occasional_faults: 4,
  frequent_faults: 1,
  awaiting_repair: 2,
  awaiting_disposal: 1,
};
/** Restricted modes stand for legacy records from before the exemption process. */
const SHARING_MODES: Readonly<Record<SharingMode, number>> = { external: 96, internal_only: 3, not_shared: 1 };

const FIRST_SERVICE_DAY = Date.UTC(2008, 0, 1);
const SERVICE_DAYS = Math.round((Date.UTC(2025, 11, 31) - FIRST_SERVICE_DAY) / 86_400_000) + 1;
const MODEL_SUFFIXES = ['', '', '', 'F', 'Plus', 'A', 'II', 'Pro', 'X', 'HR', 'e'];

/** Zhejiang's rough bounding box; coordinates are clamped into it. */
const LATITUDE_RANGE = [27.0, 31.2] as const;
const LONGITUDE_RANGE = [118.0, 122.9] as const;

function weightedPicker<K extends string>(weights: Readonly<Record<K, number>>): WeightedPicker<K> {
  const keys = Object.keys(weights) as K[];
  return new WeightedPicker(keys, (key) => weights[key]);
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
const roundTo = (value: number, step: number): number => Math.round(value / step) * step;
const toMicroDegrees = (value: number): number => Math.round(value * 1e6) / 1e6;
const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w)\}/g, (_, key: string) => values[key] ?? '');

// ---------------------------------------------------------------------------------------------
// Institutions

interface Contact {
  name: string;
  phone: string;
  email: string;
}

/** An institution with what only the generator needs: where it is, who answers, how big it is. */
interface InstitutionDraft {
  row: DemoInstitution;
  county: ZhejiangCounty;
  latitude: number;
  longitude: number;
  address: string;
  contacts: Contact[];
  instrumentWeight: number;
}

interface Slot {
  county: ZhejiangCounty;
  kind: InstitutionKind;
  /** Forced small firm (the demo firm account needs one). */
  smallFirm?: boolean;
}

/** Institutions per city by largest remainder of the weights, every city at least one. */
function cityQuotas(cityCodes: string[], weightOf: (cityCode: string) => number, total: number): Map<string, number> {
  const weightSum = cityCodes.reduce((sum, code) => sum + weightOf(code), 0);
  const spare = total - cityCodes.length;
  const exact = cityCodes.map((code) => ({ code, share: (spare * weightOf(code)) / weightSum }));
  const quotas = new Map(exact.map(({ code, share }) => [code, 1 + Math.floor(share)]));
  let left = total - [...quotas.values()].reduce((sum, quota) => sum + quota, 0);
  const byRemainder = [...exact].sort((a, b) => b.share - Math.floor(b.share) - (a.share - Math.floor(a.share)) || a.code.localeCompare(b.code));
  for (const { code } of byRemainder) {
    if (left-- <= 0) break;
    quotas.set(code, (quotas.get(code) ?? 0) + 1);
  }
  return quotas;
}

/** Urban districts attract more owners than counties; county-level cities sit between. */
function countyWeight(county: ZhejiangCounty): number {
  if (county.isDistrict) return 3;
  return county.name.endsWith('市') ? 2 : 1;
}

function planSlots(random: SeededRandom, institutionCount: number): Slot[] {
  const counties = zhejiangCounties();
  const byCity = new Map<string, ZhejiangCounty[]>();
  for (const county of counties) byCity.set(county.cityCode, [...(byCity.get(county.cityCode) ?? []), county]);
  const cityCodes = [...byCity.keys()].sort();
  const quotas = cityQuotas(cityCodes, (code) => byCity.get(code)![0].city.weight, institutionCount);
  const districtKinds = weightedPicker(KIND_WEIGHTS_DISTRICT);
  const countyKinds = weightedPicker(KIND_WEIGHTS_COUNTY);

  const slots: Slot[] = [];
  for (const cityCode of cityCodes) {
    const cityCounties = byCity.get(cityCode)!;
    const quota = quotas.get(cityCode)!;
    // Spread first (a weighted shuffle, so every county gets one when the quota allows), then by weight.
    const spread = cityCounties
      .map((county) => ({ county, key: Math.pow(random.next(), 1 / countyWeight(county)) }))
      .sort((a, b) => b.key - a.key)
      .map(({ county }) => county);
    const picker = new WeightedPicker(cityCounties, countyWeight);
    for (let index = 0; index < quota; index++) {
      const county = index < spread.length ? spread[index] : picker.pick(random);
      const kind = (county.isDistrict ? districtKinds : countyKinds).pick(random);
      slots.push({ county, kind });
    }
  }

  // The demo accounts need two universities and a small firm in Hangzhou, whatever the draw.
  const anchors = slots.filter((slot) => slot.county.cityCode === '330100' && slot.county.isDistrict).slice(0, 3);
  if (anchors.length < 3) throw new Error('Hangzhou needs at least three institutions in urban districts');
  anchors[0].kind = 'university';
  anchors[1].kind = 'university';
  anchors[2].kind = 'enterprise';
  anchors[2].smallFirm = true;
  return slots;
}

interface NamingContext {
  random: SeededRandom;
  usedZh: Set<string>;
  usedEn: Set<string>;
  universitiesByCity: Map<string, DemoInstitution[]>;
  allUniversities: DemoInstitution[];
}

interface NameChoice {
  zh: string;
  en: string;
  smallFirm?: boolean;
}

function fromTemplate(template: NameTemplate, zh: Record<string, string>, en: Record<string, string>): NameChoice {
  return { zh: fill(template.zh, zh), en: fill(template.en, en) };
}

/**
 * A place to name an institution after: the city, the county, or (in Hangzhou only) the province.
 * Universities take county names only from county-level cities (义乌, 余姚), as real colleges do.
 */
function placeName(random: SeededRandom, county: ZhejiangCounty, style: 'university' | 'full'): { zh: string; en: string } {
  const roll = random.next();
  const short = style === 'university';
  if (county.cityCode === '330100' && roll < 0.15) return { zh: short ? '浙江' : '浙江省', en: 'Zhejiang' };
  const countyAllowed = !short || (!county.isDistrict && county.name.endsWith('市'));
  if (roll < 0.7 || !countyAllowed) return { zh: short ? county.cityShortName : county.cityName, en: county.city.nameEn };
  return { zh: short ? county.shortName : county.name, en: county.nameEn };
}

function candidateName(kind: InstitutionKind, county: ZhejiangCounty, context: NamingContext, smallFirm?: boolean): NameChoice {
  const { random } = context;
  switch (kind) {
    case 'university': {
      const place = placeName(random, county, 'university');
      return fromTemplate(random.pick(UNIVERSITY_TEMPLATES), { p: place.zh }, { P: place.en });
    }
    case 'research_institute': {
      const elsewhere = context.allUniversities.filter((university) => university.regionCode.slice(0, 4) !== county.code.slice(0, 4));
      if (elsewhere.length > 0 && random.chance(0.2)) {
        const university = random.pick(elsewhere);
        return fromTemplate(
          BRANCH_INSTITUTE_TEMPLATE,
          { p: university.nameZh, c: county.cityShortName },
          { P: university.nameEn ?? '', C: county.city.nameEn },
        );
      }
      const place = placeName(random, county, 'full');
      const field = random.pick(RESEARCH_FIELDS);
      return fromTemplate(random.pick(INSTITUTE_TEMPLATES), { p: place.zh, f: field.zh }, { P: place.en, F: field.en });
    }
    case 'hospital': {
      const ordinal = random.pick(CHINESE_ORDINALS);
      const local = context.universitiesByCity.get(county.cityCode) ?? [];
      if (local.length > 0 && random.chance(0.25)) {
        const university = random.pick(local);
        const affiliated = random.pick(CHINESE_ORDINALS.slice(0, 4));
        return fromTemplate(
          AFFILIATED_HOSPITAL_TEMPLATE,
          { p: university.nameZh, n: affiliated.zh },
          { P: university.nameEn ?? '', N: affiliated.en },
        );
      }
      const place = random.chance(0.6) ? { zh: county.cityName, en: county.city.nameEn } : { zh: county.name, en: county.nameEn };
      return fromTemplate(random.pick(HOSPITAL_TEMPLATES), { p: place.zh, n: ordinal.zh }, { P: place.en, N: ordinal.en });
    }
    case 'enterprise': {
      const place = random.chance(0.65) ? { zh: county.cityShortName, en: county.city.nameEn } : { zh: county.shortName, en: county.nameEn };
      const brand = random.pick(FIRM_BRANDS);
      const industry = random.pick(FIRM_INDUSTRIES);
      const joinStock = !smallFirm && random.chance(0.15);
      return {
        zh: `${place.zh}${brand.zh}${industry.zh}${joinStock ? '股份有限公司' : '有限公司'}`,
        en: `${place.en} ${brand.en} ${industry.en} ${joinStock ? 'Inc.' : 'Co., Ltd.'}`,
        // Most limited companies that own an instrument or two are small or micro firms.
        smallFirm: smallFirm || (!joinStock && random.chance(0.85)) || (joinStock && random.chance(0.1)),
      };
    }
    case 'other': {
      const place = placeName(random, county, 'full');
      return fromTemplate(random.pick(OTHER_TEMPLATES), { p: place.zh }, { P: place.en });
    }
  }
}

function personName(random: SeededRandom): string {
  const given = random.chance(0.7)
    ? random.pick(GIVEN_NAME_CHARACTERS) + random.pick(GIVEN_NAME_CHARACTERS)
    : random.pick(GIVEN_NAME_CHARACTERS);
  return random.pick(SURNAMES) + given;
}

/** An e-mail domain under example.org from the English name's initials ('Hangzhou University' -> hu). */
function emailDomain(nameEn: string, used: Set<string>): string {
  const initials = nameEn
    .split(/[\s-]+/)
    .filter((word) => /^[A-Z]/.test(word))
    .map((word) => word[0].toLowerCase())
    .join('') || 'org';
  let domain = `${initials}.example.org`;
  for (let suffix = 2; used.has(domain); suffix++) domain = `${initials}${suffix}.example.org`;
  used.add(domain);
  return domain;
}

function buildInstitutions(seed: number, random: SeededRandom, institutionCount: number): InstitutionDraft[] {
  const slots = planSlots(random.fork('slots'), institutionCount);
  const context: NamingContext = {
    random: random.fork('names'),
    usedZh: new Set(),
    usedEn: new Set(),
    universitiesByCity: new Map(),
    allUniversities: [],
  };
  // Universities are named first, so hospitals and branch institutes can be attached to them.
  const namingOrder = slots.map((slot, index) => ({ slot, index })).sort(
    (a, b) => Number(b.slot.kind === 'university') - Number(a.slot.kind === 'university') || a.index - b.index,
  );
  const rows: DemoInstitution[] = new Array(slots.length);
  const institutionId = deterministicUuids(seed, 'institution');
  for (const { slot, index } of namingOrder) {
    let kind = slot.kind;
    let choice: NameChoice | undefined;
    for (let attempt = 0; attempt < 400 && !choice; attempt++) {
      // A kind whose names are used up (many universities in one city) yields to firms, which never run out.
      if (attempt === 40 && kind !== 'enterprise') kind = 'enterprise';
      const candidate = candidateName(kind, slot.county, context, slot.smallFirm);
      if (!context.usedZh.has(candidate.zh) && !context.usedEn.has(candidate.en)) choice = candidate;
    }
    if (!choice) throw new Error(`Could not find a unique institution name in ${slot.county.name}`);
    context.usedZh.add(choice.zh);
    context.usedEn.add(choice.en);
    const row: DemoInstitution = {
      id: institutionId(index),
      nameZh: choice.zh,
      nameEn: choice.en,
      kind,
      regionCode: slot.county.code,
      isSmallMicro: kind === 'enterprise' && Boolean(choice.smallFirm),
    };
    rows[index] = row;
    if (kind === 'university') {
      context.universitiesByCity.set(slot.county.cityCode, [...(context.universitiesByCity.get(slot.county.cityCode) ?? []), row]);
      context.allUniversities.push(row);
    }
  }

  const detail = random.fork('institution-details');
  const domains = new Set<string>();
  return rows.map((row, index): InstitutionDraft => {
    const county = slots[index].county;
    const domain = emailDomain(row.nameEn ?? '', domains);
    const contacts = Array.from({ length: detail.int(2, 4) }, (): Contact => ({
      name: personName(detail),
      phone: detail.chance(0.6) ? `${county.city.phoneAreaCode}-8${detail.digits(7)}` : `1${detail.pick(['3', '5', '8'])}${detail.digits(9)}`,
      email: `${detail.pick(['yqgx', 'lab', 'service', 'test', 'share'])}${detail.int(1, 99)}@${domain}`,
    }));
    const base = row.kind === 'enterprise' && row.isSmallMicro ? SMALL_FIRM_INSTRUMENT_SHARE : INSTRUMENT_SHARE_BY_KIND[row.kind];
    const spread = detail.next();
    return {
      row,
      county,
      latitude: clamp(county.city.latitude + detail.between(-0.25, 0.25), LATITUDE_RANGE[0], LATITUDE_RANGE[1]),
      longitude: clamp(county.city.longitude + detail.between(-0.3, 0.3), LONGITUDE_RANGE[0], LONGITUDE_RANGE[1]),
      address: `浙江省${county.cityName}${county.name}${detail.pick(DEMO_STREET_NAMES)}${detail.int(1, 999)}号`,
      contacts,
      // A few big owners and many small ones, as on the real platforms.
      instrumentWeight: base * (0.25 + 3 * spread * spread),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Instruments

interface TypeEntry {
  index: number;
  type: DemoInstrumentType;
  traits: DemoInstrumentTypeTraits;
  profile: DemoCapabilityProfile;
  profileKey: string;
}

function typeEntries(): TypeEntry[] {
  return DEMO_INSTRUMENT_TYPES.map((type, index) => {
    const profileKey = type.categoryCode.slice(0, 4);
    return {
      index,
      type,
      traits: DEMO_TYPE_TRAITS[type.nameEn] ?? DEFAULT_TYPE_TRAITS,
      profile: DEMO_CAPABILITY_PROFILES[profileKey] ?? DEFAULT_CAPABILITY_PROFILE,
      profileKey,
    };
  });
}

/** Type pickers per owner kind, one over the types that can be valued below the line and one over those above it. */
function typePickers(entries: TypeEntry[], thresholdYuan: number) {
  const kinds: InstitutionKind[] = ['university', 'research_institute', 'hospital', 'enterprise', 'other'];
  const build = (candidates: TypeEntry[], kind: InstitutionKind) =>
    candidates.length === 0
      ? undefined
      : new WeightedPicker(candidates, (entry) => entry.traits.weight * (CATEGORY_AFFINITY[kind]?.[entry.profileKey] ?? 1));
  const below = entries.filter((entry) => entry.type.valueMinYuan < thresholdYuan);
  const above = entries.filter((entry) => entry.type.valueMaxYuan >= thresholdYuan);
  return new Map(kinds.map((kind) => [kind, { below: build(below, kind), above: build(above, kind)! }]));
}

/** Each maker sells a few models of a type, and many owners buy the same one. */
class ModelCatalog {
  private readonly models = new Map<string, string[]>();

  constructor(private readonly seed: number) {}

  modelsOf(entry: TypeEntry, maker: string): string[] {
    const key = `${entry.index}|${maker}`;
    let models = this.models.get(key);
    if (!models) {
      const random = new SeededRandom(this.seed).fork(`models:${key}`);
      const stem = (DEMO_MAKERS[maker] ?? UNKNOWN_MAKER).modelStem + entry.traits.modelStem;
      models = Array.from({ length: random.int(2, 4) }, () => {
        const number = random.chance(0.5) ? random.int(10, 99) * 100 : random.int(100, 999);
        return `${stem}-${number}${random.pick(MODEL_SUFFIXES)}`;
      });
      this.models.set(key, models);
    }
    return models;
  }
}

/** Every possible in-service date as 'YYYY-MM-DD', formatted once. */
const SERVICE_DATES: readonly string[] = Array.from({ length: SERVICE_DAYS }, (_, day) =>
  new Date(FIRST_SERVICE_DAY + day * 86_400_000).toISOString().slice(0, 10),
);

function serviceDate(random: SeededRandom): string {
  // More recent years hold more instruments (budgets grew): sqrt skews the draw towards the end.
  return SERVICE_DATES[Math.min(SERVICE_DAYS - 1, Math.floor(SERVICE_DAYS * Math.sqrt(random.next())))];
}

/** Whole yuan, internal rate = external / 1.5..3 and never outside that band after rounding. */
function internalRateYuan(random: SeededRandom, externalYuan: number): number {
  const rounded = Math.round(externalYuan / random.between(1.5, 3));
  return clamp(rounded, Math.ceil(externalYuan / 3), Math.floor(externalYuan / 1.5));
}

const PRIMARY_FEE_DESCRIPTIONS: Readonly<Record<DemoInstrumentType['feeUnit'], string>> = {
  hour: '标准机时费',
  sample: '常规测试，按样品计',
  run: '按次运行计费',
};

function buildFees(
  random: SeededRandom,
  feeId: (index: number) => string,
  instrumentIndex: number,
  instrumentId: string,
  type: DemoInstrumentType,
  valuePosition: number,
): DemoInstrumentFee[] {
  const { externalFeeMinYuan: min, externalFeeMaxYuan: max } = type;
  // Dearer instruments charge more, with noise.
  const position = clamp(0.65 * valuePosition + 0.35 * random.next(), 0, 1);
  const externalYuan = clamp(roundTo(min + (max - min) * position, 10), min, max);
  const fees: DemoInstrumentFee[] = [
    {
      id: feeId(instrumentIndex * 2),
      instrumentId,
      position: 0,
      unit: type.feeUnit,
      externalRateFen: externalYuan * 100,
      internalRateFen: internalRateYuan(random, externalYuan) * 100,
      description: PRIMARY_FEE_DESCRIPTIONS[type.feeUnit],
    },
  ];
  if (type.feeUnit !== 'run' && random.chance(0.2)) {
    const dayYuan = roundTo(externalYuan * (type.feeUnit === 'hour' ? random.between(6, 8) : random.between(8, 15)), 100);
    fees.push({
      id: feeId(instrumentIndex * 2 + 1),
      instrumentId,
      position: 1,
      unit: 'day',
      externalRateFen: dayYuan * 100,
      internalRateFen: internalRateYuan(random, dayYuan) * 100,
      description: '包天使用（8小时）',
    });
  }
  return fees;
}

function serviceModesFor(random: SeededRandom, unit: FeeUnit): ServiceMode[] {
  if (unit !== 'hour') return ['sample_submission'];
  const roll = random.next();
  if (roll < 0.55) return ['self_operated', 'sample_submission'];
  if (roll < 0.85) return ['sample_submission'];
  return ['self_operated'];
}

function serviceModeText(modes: ServiceMode[]): string {
  if (modes.length === 2) return '可送样检测，也可经培训考核后自主上机';
  return modes[0] === 'self_operated' ? '经培训考核后自主上机操作' : '接受送样检测，由专职人员操作';
}

function sharingRulesFor(random: SeededRandom, mode: SharingMode): string {
  if (mode === 'internal_only') return `${SHARING_RULES_INTERNAL_ONLY}。`;
  if (mode === 'not_shared') return `${SHARING_RULES_NOT_SHARED}。`;
  const rules = random
    .sample(SHARING_RULES_EXTERNAL, random.int(2, 3))
    .map((rule) => fill(rule, { d: String(random.int(1, 7)), m: random.pick(['30', '60']) }));
  return `${rules.join('；')}。`;
}

function photoUrls(random: SeededRandom, typeIndex: number): string[] {
  const roll = random.next();
  const count = roll < 0.3 ? 0 : roll < 0.75 ? 1 : 2;
  // Photos are shared by type (1..5 per type), so a demo image store needs only a few hundred files.
  const first = random.int(1, 5);
  const numbers = [first, (first % 5) + 1].slice(0, count);
  return numbers.map((number) => `https://images.example.org/instruments/${(typeIndex + 1) * 10 + number}.jpg`);
}

/**
 * A deterministic demo catalog for Zhejiang: institutions spread over every city and most
 * counties, and instruments with fee lines drawn from the 54 demo instrument types. The same
 * options always give the same rows, ids included; nothing here touches the database or the clock.
 */
export function generateDemoCatalog(options: DemoCatalogOptions = {}): DemoCatalog {
  const instrumentCount = options.instrumentCount ?? DEFAULT_DEMO_INSTRUMENT_COUNT;
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const thresholdYuan = options.sharingThresholdYuan ?? 500_000;
  const belowThresholdShare = options.belowThresholdShare ?? 0.08;
  if (!Number.isInteger(instrumentCount) || instrumentCount < 0) throw new RangeError('instrumentCount must be a whole number >= 0');

  const root = new SeededRandom(seed);
  const institutions = buildInstitutions(seed, root.fork('institutions'), demoInstitutionCount(instrumentCount));
  const entries = typeEntries();
  const pickers = typePickers(entries, thresholdYuan);
  const models = new ModelCatalog(seed);
  const instrumentId = deterministicUuids(seed, 'instrument');
  // Fee lines: two slots per instrument (positions 0 and 1).
  const feeId = deterministicUuids(seed, 'instrument-fee');
  const random = root.fork('instruments');
  const owners = new WeightedPicker(institutions, (institution) => institution.instrumentWeight);
  // Every owner gets at least one instrument when there are enough; the rest follow the weights.
  const firstOwners = random.shuffle(institutions.slice());
  const pick = <K extends string>(weights: Readonly<Record<K, number>>) => weightedPicker(weights);
  const fundingPickers = new Map(
    (Object.keys(FUNDING_BY_KIND) as InstitutionKind[]).map((kind) => [kind, pick(FUNDING_BY_KIND[kind])]),
  );
  const sourcePicker = pick(SOURCES);
  const conditionPicker = pick(CONDITIONS);
  const sharingPicker = pick(SHARING_MODES);

  const instruments: DemoInstrument[] = new Array(instrumentCount);
  for (let index = 0; index < instrumentCount; index++) {
    const owner = index < firstOwners.length ? firstOwners[index] : owners.pick(random);
    const kind = owner.row.kind;
    const kindPickers = pickers.get(kind)!;
    const below = kindPickers.below !== undefined && random.chance(belowThresholdShare);
    const entry = (below ? kindPickers.below! : kindPickers.above).pick(random);
    const { type, traits, profile } = entry;

    const variant = traits.variants && random.chance(0.3) ? random.pick(traits.variants) : undefined;
    const nameZh = variant?.nameZh ?? type.nameZh;
    const nameEn = variant?.nameEn ?? type.nameEn;
    const manufacturer =
      traits.domesticMakers && random.chance(0.25) ? random.pick(traits.domesticMakers) : random.pick(type.manufacturers);

    // Values in whole hundreds of yuan; above the line skewed towards the cheaper end of the range.
    const low = below ? type.valueMinYuan : Math.max(type.valueMinYuan, thresholdYuan);
    const high = below ? thresholdYuan - 100 : type.valueMaxYuan;
    const draw = random.next();
    const valueYuan = Math.ceil(low / 100) * 100 + Math.floor(((high - low) / 100) * (below ? draw : draw * draw)) * 100;
    const valuePosition = (valueYuan - type.valueMinYuan) / Math.max(1, type.valueMaxYuan - type.valueMinYuan);

    const id = instrumentId(index);
    const fees = buildFees(random, feeId, index, id, type, valuePosition);
    const serviceModes = serviceModesFor(random, type.feeUnit);
    const sharingMode = sharingPicker.pick(random);
    const inServiceDate = serviceDate(random);
    const contact = random.pick(owner.contacts);
    const department =
      kind === 'university' && random.chance(0.5) ? random.pick(profile.schools) : random.pick(DEPARTMENTS[kind]);
    const aliases = type.aliases.length > 0 ? `；${type.aliases.join('、')}` : '';
    const applications = random.sample(profile.applications, 2);

    instruments[index] = {
      id,
      institutionId: owner.row.id,
      assetNumber: `${inServiceDate.slice(0, 4)}-${random.digits(6)}`,
      nameZh,
      nameEn,
      model: random.pick(models.modelsOf(entry, manufacturer)),
      manufacturer,
      countryOfOrigin: (DEMO_MAKERS[manufacturer] ?? UNKNOWN_MAKER).country,
      categoryCode: type.categoryCode,
      originalValueFen: valueYuan * 100,
      inServiceDate,
      source: sourcePicker.pick(random),
      fundingSource: fundingPickers.get(kind)!.pick(random),
      department,
      purpose: random.chance(0.75) ? 'general' : 'special',
      subjectAreas: random.sample(profile.subjects, random.int(1, 3)),
      specs: `${profile.specs(random, type.nameEn).join('；')}。`,
      functions: `${nameZh}（${nameEn}${aliases}）主要用于${profile.capability}，可开展${applications.join('、')}等工作。`,
      serviceContent: `提供${random.sample(profile.services, random.int(2, 3)).join('、')}等服务；${serviceModeText(serviceModes)}。`,
      serviceModes,
      condition: conditionPicker.pick(random),
      sharingMode,
      sharingRules: sharingRulesFor(random, sharingMode),
      timeZone: DEMO_TIME_ZONE,
      regionCode: owner.row.regionCode,
      address: `${owner.address}${random.pick(BUILDINGS[kind])}${random.int(1, 6)}${String(random.int(1, 30)).padStart(2, '0')}室`,
      latitude: toMicroDegrees(owner.latitude + random.between(-0.0015, 0.0015)),
      longitude: toMicroDegrees(owner.longitude + random.between(-0.0015, 0.0015)),
      contactName: contact.name,
      contactPhone: contact.phone,
      contactEmail: contact.email,
      photoUrls: photoUrls(random, entry.index),
      priceUnit: fees[0].unit,
      externalPriceFen: fees[0].externalRateFen,
      internalPriceFen: fees[0].internalRateFen,
      fees,
    };
  }
  return { institutions: institutions.map((institution) => institution.row), instruments };
}
