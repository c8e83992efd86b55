import { parseTsQuery } from '@app/search';
import { IndexSearchRequest, IndexedInstrument, InstrumentSearchIndex, selectPage } from './instrument-search-index';

const OWNER = 'aaaaaaaa-0000-4000-8000-000000000001';
const OTHER = 'aaaaaaaa-0000-4000-8000-000000000002';

function instrument(n: number, overrides: Partial<IndexedInstrument> = {}): IndexedInstrument {
  return {
    instrumentId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    institutionId: OWNER,
    sharingMode: 'external',
    categoryCode: '010201',
    regionCode: '330106',
    offersSelfOperated: true,
    offersSampleSubmission: false,
    externalPriceFen: 10_000 * n,
    originalValueFen: 100_000_000,
    createdAtMicros: 1_700_000_000_000_000,
    lexemes: ['质谱'],
    titleLexemes: [],
    listing: `["仪器 ${n}"]`,
    ...overrides,
  };
}

/** Builds an index the way the service does: frequencies first, then documents in id order. */
function indexOf(instruments: IndexedInstrument[]): InstrumentSearchIndex {
  const frequencies = (pick: (item: IndexedInstrument) => readonly string[]) => {
    const counts = new Map<string, number>();
    for (const item of instruments) for (const lexeme of pick(item)) counts.set(lexeme, (counts.get(lexeme) ?? 0) + 1);
    return counts;
  };
  const index = new InstrumentSearchIndex(instruments.length, frequencies((item) => item.lexemes), frequencies((item) => item.titleLexemes));
  [...instruments].sort((a, b) => (a.instrumentId < b.instrumentId ? -1 : 1)).forEach((item) => index.load(item));
  index.seal();
  return index;
}

const everything = (overrides: Partial<IndexSearchRequest> = {}): IndexSearchRequest => ({
  scope: { kind: 'all' },
  sort: 'newest',
  page: 1,
  pageSize: 100,
  ...overrides,
});

const ids = (...numbers: number[]) => numbers.map((n) => instrument(n).instrumentId);

describe('InstrumentSearchIndex', () => {
  it('evaluates AND, OR, NOT and prefixes of the tsquery over the document lexemes', () => {
    const index = indexOf([
      instrument(1, { lexemes: ['质谱', 'mass', 'spectrometri'] }),
      instrument(2, { lexemes: ['质谱', '色谱'] }),
      instrument(3, { lexemes: ['spectromet', 'laser'] }),
      instrument(4, { lexemes: ['电镜'] }),
    ]);
    const match = (tsquery: string) => index.search(everything({ text: parseTsQuery(tsquery), sort: 'value_asc' })).pageIds;
    expect(match("'质谱' & 'mass'")).toEqual(ids(1));
    expect(match("'质谱' | 'laser'")).toEqual(ids(1, 2, 3));
    expect(match("'spectrom':*")).toEqual(ids(1, 3));
    expect(match("'质谱' & !'色谱'")).toEqual(ids(1));
    expect(match("'absent'")).toEqual([]);
    expect(index.search(everything({ text: null })).total).toBe(0);
  });

  it('applies every filter, with codes matched at their level and a missing price failing price bounds', () => {
    const index = indexOf([
      instrument(1, { categoryCode: '010201', regionCode: '330106' }),
      instrument(2, { categoryCode: '010501', regionCode: '330211', offersSampleSubmission: true, offersSelfOperated: false }),
      instrument(3, { categoryCode: '020000', regionCode: '330106', externalPriceFen: null, institutionId: OTHER }),
      instrument(4, { sharingMode: 'internal_only', originalValueFen: 900_000_000 }),
    ]);
    const match = (filters: Partial<IndexSearchRequest>) => index.search(everything({ ...filters, sort: 'value_asc' })).pageIds.sort();
    expect(match({ category: '010000' })).toEqual(ids(1, 2, 4));
    expect(match({ category: '010200' })).toEqual(ids(1, 4));
    expect(match({ category: '010501' })).toEqual(ids(2));
    expect(match({ region: '330000' })).toEqual(ids(1, 2, 3, 4));
    expect(match({ region: '330100' })).toEqual(ids(1, 3, 4));
    expect(match({ region: '330211' })).toEqual(ids(2));
    expect(match({ serviceMode: 'sample_submission' })).toEqual(ids(2));
    expect(match({ institutionId: OTHER })).toEqual(ids(3));
    expect(match({ institutionId: '99999999-0000-4000-8000-000000000000' })).toEqual([]);
    expect(match({ minPriceFen: 0 })).toEqual(ids(1, 2, 4));
    expect(match({ maxPriceFen: 20_000 })).toEqual(ids(1, 2));
    expect(match({ minValueFen: 500_000_000 })).toEqual(ids(4));
    expect(match({ sharingMode: 'internal_only' })).toEqual(ids(4));
  });

  it('shows each caller only what the access policy lets it read', () => {
    const index = indexOf([
      instrument(1),
      instrument(2, { sharingMode: 'internal_only' }),
      instrument(3, { sharingMode: 'not_shared' }),
      instrument(4, { sharingMode: 'not_shared', institutionId: OTHER, regionCode: '330211' }),
    ]);
    const visible = (scope: IndexSearchRequest['scope']) => index.search(everything({ scope, sort: 'value_asc' })).pageIds.sort();
    expect(visible({ kind: 'external' })).toEqual(ids(1));
    expect(visible({ kind: 'external-or-institution', institutionId: OWNER, institutionModes: 'internal_only' })).toEqual(ids(1, 2));
    expect(visible({ kind: 'external-or-institution', institutionId: OWNER, institutionModes: 'all' })).toEqual(ids(1, 2, 3));
    expect(visible({ kind: 'external-or-region', regionCode: '330200' })).toEqual(ids(1, 4));
    expect(visible({ kind: 'all' })).toEqual(ids(1, 2, 3, 4));
  });

  it('counts facets one level below the filters, over every match and not only the page', () => {
    const index = indexOf([
      instrument(1, { categoryCode: '010201', regionCode: '330106' }),
      instrument(2, { categoryCode: '010202', regionCode: '330108' }),
      instrument(3, { categoryCode: '010501', regionCode: '330211' }),
      instrument(4, { categoryCode: '020000', regionCode: '330211' }),
    ]);
    const all = index.search(everything({ pageSize: 1 }));
    expect(all.total).toBe(4);
    expect(all.pageIds).toHaveLength(1);
    expect(Object.fromEntries(all.categoryFacet)).toEqual({ '010000': 3, '020000': 1 });
    expect(Object.fromEntries(all.regionFacet)).toEqual({ '330100': 2, '330200': 2 });
    const inCategory = index.search(everything({ category: '010000', region: '330100' }));
    expect(Object.fromEntries(inCategory.categoryFacet)).toEqual({ '010200': 2 });
    expect(Object.fromEntries(inCategory.regionFacet)).toEqual({ '330106': 1, '330108': 1 });
    // 020000 has no level-2 part, so below 020000 it has no bucket (as category_l2_code is NULL in SQL).
    expect(index.search(everything({ category: '020000' })).categoryFacet.size).toBe(0);
  });

  it('sorts like the SQL: prices with missing ones last both ways, ties by id, relevance by title lexemes', () => {
    const index = indexOf([
      instrument(1, { externalPriceFen: 300, originalValueFen: 5, titleLexemes: [] }),
      instrument(2, { externalPriceFen: null, originalValueFen: 7, titleLexemes: ['质谱'] }),
      instrument(3, { externalPriceFen: 100, originalValueFen: 5, titleLexemes: ['质谱', 'mass'], createdAtMicros: 1_800_000_000_000_000 }),
      instrument(4, { externalPriceFen: 100, originalValueFen: 9, titleLexemes: ['质谱'] }),
    ]);
    const order = (sort: IndexSearchRequest['sort'], text?: string) =>
      index.search(everything({ sort, text: text === undefined ? undefined : parseTsQuery(text) })).pageIds;
    expect(order('price_asc')).toEqual(ids(3, 4, 1, 2));
    expect(order('price_desc')).toEqual(ids(1, 3, 4, 2));
    expect(order('value_asc')).toEqual(ids(1, 3, 2, 4));
    expect(order('value_desc')).toEqual(ids(4, 2, 1, 3));
    expect(order('newest')).toEqual(ids(3, 1, 2, 4));
    expect(order('relevance', "'质谱' | 'mass'")).toEqual(ids(3, 2, 4, 1));
    // Without text, relevance means newest.
    expect(order('relevance')).toEqual(ids(3, 1, 2, 4));
  });

  it('replaces a changed instrument and finds new ones after loading, by their new lexemes only', () => {
    const index = indexOf([instrument(1, { lexemes: ['质谱'] }), instrument(2, { lexemes: ['质谱'] })]);
    index.upsert(instrument(1, { lexemes: ['电镜'], categoryCode: '020101' }));
    index.upsert(instrument(3, { lexemes: ['电镜', 'spectromet'] }));
    const match = (tsquery: string) => index.search(everything({ text: parseTsQuery(tsquery), sort: 'value_asc' })).pageIds.sort();
    expect(match("'质谱'")).toEqual(ids(2));
    expect(match("'电镜'")).toEqual(ids(1, 3));
    expect(match("'spectrom':*")).toEqual(ids(3));
    expect(index.documentCount).toBe(3);
    expect(index.appended).toBe(2);
    expect(Object.fromEntries(index.search(everything()).categoryFacet)).toEqual({ '010000': 2, '020000': 1 });
  });

  it('finds a replaced instrument by the filters of its new category, city, sharing and service mode only', () => {
    const index = indexOf([instrument(1), instrument(2)]);
    index.upsert(
      instrument(1, { categoryCode: '020101', regionCode: '330211', sharingMode: 'internal_only', offersSelfOperated: false, offersSampleSubmission: true }),
    );
    const match = (filters: Partial<IndexSearchRequest>) => index.search(everything({ ...filters, sort: 'value_asc' })).pageIds.sort();
    expect(match({ category: '020000' })).toEqual(ids(1));
    expect(match({ category: '010000' })).toEqual(ids(2));
    expect(match({ region: '330200' })).toEqual(ids(1));
    expect(match({ region: '330106' })).toEqual(ids(2));
    expect(match({ sharingMode: 'internal_only' })).toEqual(ids(1));
    expect(match({ scope: { kind: 'external' } })).toEqual(ids(2));
    expect(match({ serviceMode: 'sample_submission' })).toEqual(ids(1));
    expect(match({ serviceMode: 'self_operated' })).toEqual(ids(2));
    for (let n = 3; n <= 300; n++) index.upsert(instrument(n, { regionCode: '330211' }));
    expect(index.search(everything({ region: '330200', scope: { kind: 'external' } })).total).toBe(298);
  });

  it('answers the same after warming up as before', () => {
    const index = indexOf([
      instrument(1, { lexemes: ['质谱', 'mass'], titleLexemes: ['质谱'] }),
      instrument(2, { categoryCode: '020101', regionCode: '330211', externalPriceFen: null }),
      ...Array.from({ length: 70 }, (_, n) => instrument(n + 3, { lexemes: ['质谱', `word${n}`] })),
    ]);
    const before = index.search(everything({ text: parseTsQuery("'质谱' | 'mass'"), sort: 'relevance', pageSize: 10 }));
    index.warmUp();
    expect(index.search(everything({ text: parseTsQuery("'质谱' | 'mass'"), sort: 'relevance', pageSize: 10 }))).toEqual(before);
  });

  it('grows past its first capacity', () => {
    const index = indexOf([instrument(1)]);
    for (let n = 2; n <= 500; n++) index.upsert(instrument(n));
    expect(index.search(everything({ text: parseTsQuery("'质谱'"), pageSize: 10, page: 50 }))).toMatchObject({ total: 500 });
  });

  it('refuses documents loaded out of id order, and loading after sealing', () => {
    const index = new InstrumentSearchIndex(2, new Map(), new Map());
    index.load(instrument(2));
    expect(() => index.load(instrument(1))).toThrow(/ascending id order/);
    index.seal();
    expect(() => index.load(instrument(3))).toThrow(/after seal/);
  });
});

describe('selectPage', () => {
  it('returns the same pages as sorting everything, for every offset', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const values = Array.from({ length: 300 }, () => Math.floor(random() * 50));
    const before = (a: number, b: number) => (values[a] !== values[b] ? values[a] < values[b] : a < b);
    // Matches in a shuffled order, so the tie-break by id is exercised apart from positions.
    const matched = Int32Array.from([...values.keys()].sort(() => random() - 0.5));
    const keys = Float64Array.from(values);
    const negated = Float64Array.from(values, (value) => -value);
    const sorted = [...matched].sort((a, b) => (before(a, b) ? -1 : 1));
    for (const [offset, limit] of [[0, 20], [40, 20], [280, 20], [290, 50], [300, 10], [0, 300]]) {
      expect(selectPage(matched, matched.length, offset, limit, keys, 1, (a, b) => a < b)).toEqual(sorted.slice(offset, offset + limit));
      expect(selectPage(matched, matched.length, offset, limit, negated, -1, (a, b) => a < b)).toEqual(sorted.slice(offset, offset + limit));
    }
  });
});
