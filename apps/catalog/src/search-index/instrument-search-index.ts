import { SHARING_MODES, codeLevel } from '@app/db';
import type { CodeLevel, ServiceMode, SharingMode } from '@app/db';
import { lexemesOf } from '@app/search';
import type { TsQueryExpression } from '@app/search';
import { INSTRUMENT_SORTS } from '../instruments/dto/search-instruments.query';
import type { InstrumentSort } from '../instruments/dto/search-instruments.query';
import { ListingColumn } from './listing-column';
import { OrdinalSet } from './ordinal-set';
import { UuidColumn } from './uuid-column';

/** One instrument as the index holds it: the narrow search columns and its lexemes. */
export interface IndexedInstrument {
  instrumentId: string;
  institutionId: string;
  sharingMode: SharingMode;
  categoryCode: string;
  regionCode: string;
  offersSelfOperated: boolean;
  offersSampleSubmission: boolean;
  externalPriceFen: number | null;
  originalValueFen: number;
  /** created_at in microseconds since the epoch: PostgreSQL's precision, so ties order as in SQL. */
  createdAtMicros: number;
  /** The document vector's lexemes (tsvector_to_array), as PostgreSQL stemmed them. */
  lexemes: readonly string[];
  /** The title vector's lexemes, for ranking. */
  titleLexemes: readonly string[];
  /** What a search result shows of the instrument beyond these columns, as text the caller encodes and decodes. */
  listing: string;
}

/** A document of a result page: the columns a result shows, and its listing. */
export interface ListedDocument {
  institutionId: string;
  sharingMode: SharingMode;
  categoryCode: string;
  regionCode: string;
  externalPriceFen: number | null;
  originalValueFen: number;
  listing: string;
}

/** Which instruments a caller may read (see InstrumentAccessPolicy.readableScope). */
export type ReadableScope =
  | { kind: 'all' }
  | { kind: 'external' }
  | { kind: 'external-or-region'; regionCode: string }
  | { kind: 'external-or-institution'; institutionId: string; institutionModes: 'internal_only' | 'all' };

export interface IndexSearchRequest {
  scope: ReadableScope;
  /** undefined: no text condition; null: text without lexemes (stop words only), which matches nothing. */
  text?: TsQueryExpression | null;
  category?: string;
  region?: string;
  serviceMode?: ServiceMode;
  institutionId?: string;
  minPriceFen?: number;
  maxPriceFen?: number;
  minValueFen?: number;
  maxValueFen?: number;
  sharingMode?: SharingMode;
  sort: InstrumentSort;
  page: number;
  pageSize: number;
}

export interface IndexSearchResult {
  total: number;
  /** Matches per category one level below the category filter (level 1 without one). */
  categoryFacet: Map<string, number>;
  /** Matches per city, or per county once a city or county is chosen. */
  regionFacet: Map<string, number>;
  pageIds: string[];
  /** The same documents' columns and listings, in page order. */
  pageListings: ListedDocument[];
}

type Postings = Uint32Array | OrdinalSet;
/** A dense lexeme's bitset, or a sparse one's list with how much of it is filled. */
type PostingsBeingFilled = { set: OrdinalSet; list?: undefined; filled: 0 } | { set?: undefined; list: Uint32Array; filled: number };

const SELF_OPERATED = 1;
const SAMPLE_SUBMISSION = 2;
const EXTERNAL = SHARING_MODES.indexOf('external');
const INTERNAL_ONLY = SHARING_MODES.indexOf('internal_only');
/** A lexeme in more than 1 of this many documents is kept as a bitset (capacity / 8 bytes) instead of a list (4 bytes per document). */
const DENSE_POSTINGS_RATIO = 32;

/**
 * The catalog's search index, in memory: per instrument its filter and sort columns in typed arrays,
 * per lexeme the ordinals of the documents holding it. A search evaluates the tsquery (parsed from
 * what PostgreSQL built, so stemming and stop words are PostgreSQL's) over bitsets, then one pass
 * over the matches applies the filters and counts both facets, and a bounded heap picks the page.
 *
 * Loading happens once (load for each instrument in ascending id order, then seal); later changes
 * arrive through upsert, which retires the old ordinal and appends a new one, so the bulk postings
 * never change. The owner rebuilds the whole index when the appended part grows large.
 */
export class InstrumentSearchIndex {
  private size = 0;
  /** Ordinals below this were loaded in ascending id order, so their order is their id order. */
  private loadedCount = 0;
  private capacity: number;
  private appendedCount = 0;
  private liveCount = 0;

  private ids: UuidColumn;
  /** Ordinals of documents appended after loading (loaded ones are found by binary search). */
  private readonly appendedOrdinalOfId = new Map<string, number>();
  private lastLoadedId = '';
  private alive: OrdinalSet;
  private institution: Int32Array;
  private sharing: Uint8Array;
  private modes: Uint8Array;
  private categoryKey: Int32Array;
  private regionKey: Int32Array;
  private price: Float64Array;
  /** The price as sort keys, no fee line last either way: Infinity, or -Infinity for a descending order (keys are negated). */
  private priceLastUp: Float64Array;
  private priceLastDown: Float64Array;
  private value: Float64Array;
  private created: Float64Array;

  private readonly institutionKeys = new Map<string, number>();
  private readonly institutionIds: string[] = [];
  private listings: ListingColumn;
  /** Distinct category and region codes as numbers; documents refer to them by key (position). */
  private readonly categoryCodes: number[] = [];
  private readonly categoryKeys = new Map<string, number>();
  private readonly regionCodes: number[] = [];
  private readonly regionKeys = new Map<string, number>();

  private readonly documentPostings = new Map<string, Postings>();
  private readonly titlePostings = new Map<string, Postings>();
  /** While loading: the postings being filled, sized from the frequencies. */
  private loading: { document: Map<string, PostingsBeingFilled>; title: Map<string, PostingsBeingFilled> } | null;
  /** Postings of documents appended after sealing (and of lexemes the frequencies missed). */
  private readonly documentAppendix = new Map<string, number[]>();
  private readonly titleAppendix = new Map<string, number[]>();
  /**
   * Documents per group (level-1 category, city, sharing mode, service mode; keys from groupsOf), built
   * when sealing: a filter first narrows the candidates to its groups word by word, so the per-document
   * checks visit a tenth of the catalog instead of all of it.
   */
  private readonly groupPostings = new Map<string, Postings>();
  private readonly groupAppendix = new Map<string, number[]>();
  private sortedLexemes: string[] | null = null;

  /** Scratch space reused by every search (searches run one at a time on the event loop). */
  private matched: Int32Array;
  private scores: Uint8Array;
  private spareSets: OrdinalSet[] = [];
  private borrowedSets: OrdinalSet[] = [];

  /**
   * @param expectedCount documents that load will add
   * @param documentFrequencies documents per document lexeme (ts_stat ndoc), to size the postings exactly
   * @param titleFrequencies the same for title lexemes
   */
  constructor(expectedCount: number, documentFrequencies: ReadonlyMap<string, number>, titleFrequencies: ReadonlyMap<string, number>) {
    this.capacity = Math.max(64, expectedCount + Math.ceil(expectedCount / 8));
    this.alive = new OrdinalSet(this.capacity);
    this.ids = new UuidColumn(this.capacity);
    this.listings = new ListingColumn(this.capacity);
    this.institution = new Int32Array(this.capacity);
    this.sharing = new Uint8Array(this.capacity);
    this.modes = new Uint8Array(this.capacity);
    this.categoryKey = new Int32Array(this.capacity);
    this.regionKey = new Int32Array(this.capacity);
    this.price = new Float64Array(this.capacity);
    this.priceLastUp = new Float64Array(this.capacity);
    this.priceLastDown = new Float64Array(this.capacity);
    this.value = new Float64Array(this.capacity);
    this.created = new Float64Array(this.capacity);
    this.matched = new Int32Array(this.capacity);
    this.scores = new Uint8Array(this.capacity);
    this.loading = { document: beingFilled(documentFrequencies, expectedCount), title: beingFilled(titleFrequencies, expectedCount) };
  }

  get documentCount(): number {
    return this.liveCount;
  }

  /** Documents added after sealing: the owner rebuilds when these grow large. */
  get appended(): number {
    return this.appendedCount;
  }

  /** Adds one document while loading; ids must come in ascending order. */
  load(instrument: IndexedInstrument): void {
    if (!this.loading) throw new Error('load after seal: use upsert');
    if (!(this.lastLoadedId < instrument.instrumentId)) throw new Error('load takes instruments in ascending id order');
    this.lastLoadedId = instrument.instrumentId;
    const ordinal = this.addColumns(instrument);
    this.addPostings(ordinal, instrument.lexemes, this.loading.document, this.documentAppendix);
    this.addPostings(ordinal, instrument.titleLexemes, this.loading.title, this.titleAppendix);
  }

  /** Ends loading: lists sized from frequencies that turned out too large are trimmed. */
  seal(): void {
    if (!this.loading) return;
    for (const [filling, postings] of [
      [this.loading.document, this.documentPostings],
      [this.loading.title, this.titlePostings],
    ] as const) {
      for (const [lexeme, { set, list, filled }] of filling) {
        if (set) postings.set(lexeme, set);
        else if (filled > 0) postings.set(lexeme, filled < list!.length ? list!.slice(0, filled) : list!);
      }
    }
    this.loading = null;
    this.sortedLexemes = null;
    this.loadedCount = this.size;
    this.buildGroupPostings();
  }

  private buildGroupPostings(): void {
    const sizes = new Map<string, number>();
    for (let ordinal = 0; ordinal < this.size; ordinal++) for (const group of this.groupsOf(ordinal)) sizes.set(group, (sizes.get(group) ?? 0) + 1);
    const filling = beingFilled(sizes, this.size);
    for (let ordinal = 0; ordinal < this.size; ordinal++) this.addPostings(ordinal, this.groupsOf(ordinal), filling, this.groupAppendix);
    for (const [group, { set, list }] of filling) this.groupPostings.set(group, set ?? list!);
  }

  /** The groups a document belongs to, as keys of groupPostings. */
  private groupsOf(ordinal: number): string[] {
    const groups = [
      `category ${truncate(this.categoryCodes[this.categoryKey[ordinal]], 1)}`,
      `city ${truncate(this.regionCodes[this.regionKey[ordinal]], 2)}`,
      `sharing ${this.sharing[ordinal]}`,
    ];
    if (this.modes[ordinal] & SELF_OPERATED) groups.push(`mode ${SELF_OPERATED}`);
    if (this.modes[ordinal] & SAMPLE_SUBMISSION) groups.push(`mode ${SAMPLE_SUBMISSION}`);
    return groups;
  }

  /** Adds a new document or replaces an indexed one (same instrument id). */
  upsert(instrument: IndexedInstrument): void {
    if (this.loading) throw new Error('upsert before seal');
    const appended = this.appendedOrdinalOfId.get(instrument.instrumentId);
    const previous = appended ?? this.ids.search(instrument.instrumentId, this.loadedCount);
    if (previous !== -1 && this.alive.has(previous)) {
      this.alive.delete(previous);
      this.liveCount--;
    }
    const ordinal = this.addColumns(instrument);
    this.appendedOrdinalOfId.set(instrument.instrumentId, ordinal);
    this.appendedCount++;
    this.appendPostings(ordinal, instrument.lexemes, this.documentAppendix);
    this.appendPostings(ordinal, instrument.titleLexemes, this.titleAppendix);
    this.appendPostings(ordinal, this.groupsOf(ordinal), this.groupAppendix);
  }

  search(request: IndexSearchRequest): IndexSearchResult {
    try {
      return this.searchWithScratch(request);
    } finally {
      this.spareSets.push(...this.borrowedSets.filter((set) => set.capacity === this.capacity));
      this.borrowedSets = [];
    }
  }

  /**
   * Runs a spread of searches over the index's own lexemes and codes (every sort order, filter kind,
   * scope and tsquery operator), so V8 has compiled the search paths before the first caller waits
   * for it: measured, the first 500 searches after a start took 1.7 times the CPU of the next 500.
   */
  warmUp(): void {
    const lexemes = [...this.documentPostings.keys()];
    const dense = lexemes.find((lexeme) => this.documentPostings.get(lexeme) instanceof OrdinalSet);
    const sparse = lexemes.find((lexeme) => !(this.documentPostings.get(lexeme) instanceof OrdinalSet));
    if (dense === undefined || sparse === undefined || this.categoryCodes.length === 0) return;
    const word = (lexeme: string, prefix = false): TsQueryExpression => ({ kind: 'lexeme', lexeme, prefix });
    const texts: (TsQueryExpression | undefined)[] = [
      undefined,
      word(dense),
      word(sparse),
      word(sparse.slice(0, 1), true),
      { kind: 'and', operands: [word(dense), word(sparse)] },
      { kind: 'or', operands: [word(dense), { kind: 'not', operand: word(sparse) }] },
    ];
    const category = codeText(this.categoryCodes[0]);
    const region = codeText(this.regionCodes[0]);
    const filters: Partial<IndexSearchRequest>[] = [
      {},
      { category: `${category.slice(0, 2)}0000` },
      { category, region: `${region.slice(0, 4)}00` },
      { region, serviceMode: 'self_operated' },
      { maxPriceFen: 100_000, minValueFen: 1 },
      { sharingMode: 'external', institutionId: this.institutionIds[0] },
    ];
    const scopes: ReadableScope[] = [{ kind: 'external' }, { kind: 'all' }, { kind: 'external-or-region', regionCode: region }];
    let round = 0;
    for (const text of texts) {
      for (const filter of filters) {
        for (const sort of INSTRUMENT_SORTS) {
          round++;
          this.search({ ...filter, text, sort, scope: scopes[round % scopes.length], page: 1 + (round % 3) * 10, pageSize: 20 });
        }
      }
    }
  }

  /** A cleared set from the scratch pool, returned to it when the search ends (no 12 KB allocation per term). */
  private borrowSet(): OrdinalSet {
    const set = this.spareSets.pop() ?? new OrdinalSet(this.capacity);
    set.words.fill(0);
    this.borrowedSets.push(set);
    return set;
  }

  private searchWithScratch(request: IndexSearchRequest): IndexSearchResult {
    const candidates = this.narrowToGroups(request.text === undefined ? this.alive : this.matchText(request.text), request);
    const accepts = this.compileFilter(request);
    const categoryFacetLevel: CodeLevel = request.category ? (Math.min(codeLevel(request.category) + 1, 3) as CodeLevel) : 1;
    const regionFacetLevel: CodeLevel = request.region && codeLevel(request.region) > 1 ? 3 : 2;
    const categoryCounts = new Int32Array(this.categoryCodes.length);
    const regionCounts = new Int32Array(this.regionCodes.length);
    const matched = this.matched;
    const categoryKey = this.categoryKey;
    const regionKey = this.regionKey;
    let total = 0;
    // The hot loop of every search: set bits visited word by word, without a callback per document.
    const words = candidates.words;
    for (let index = 0; index < words.length; index++) {
      let word = words[index];
      while (word !== 0) {
        const lowest = word & -word;
        word ^= lowest;
        const ordinal = (index << 5) + 31 - Math.clz32(lowest);
        if (accepts !== null && !accepts(ordinal)) continue;
        matched[total++] = ordinal;
        categoryCounts[categoryKey[ordinal]]++;
        regionCounts[regionKey[ordinal]]++;
      }
    }

    const textForRanking = request.sort === 'relevance' && request.text ? request.text : null;
    if (textForRanking) this.score(textForRanking, matched, total);
    const offset = (request.page - 1) * request.pageSize;
    const { ids, loadedCount } = this;
    const idBefore = (a: number, b: number) => (a < loadedCount && b < loadedCount ? a < b : ids.compare(a, b) < 0);
    const { keys, sign } = this.sortKeys(textForRanking ? 'relevance' : request.sort === 'relevance' ? 'newest' : request.sort);
    const page = selectPage(matched, total, offset, request.pageSize, keys, sign, idBefore);
    if (textForRanking) for (let i = 0; i < total; i++) this.scores[matched[i]] = 0;

    return {
      total,
      categoryFacet: facetOf(this.categoryCodes, categoryCounts, categoryFacetLevel, { levelTwoMayBeMissing: true }),
      regionFacet: facetOf(this.regionCodes, regionCounts, regionFacetLevel, { levelTwoMayBeMissing: false }),
      pageIds: page.map((ordinal) => this.ids.get(ordinal)),
      pageListings: page.map((ordinal) => this.listedDocument(ordinal)),
    };
  }

  private listedDocument(ordinal: number): ListedDocument {
    const price = this.price[ordinal];
    return {
      institutionId: this.institutionIds[this.institution[ordinal]],
      sharingMode: SHARING_MODES[this.sharing[ordinal]],
      categoryCode: codeText(this.categoryCodes[this.categoryKey[ordinal]]),
      regionCode: codeText(this.regionCodes[this.regionKey[ordinal]]),
      externalPriceFen: Number.isNaN(price) ? null : price,
      originalValueFen: this.value[ordinal],
      listing: this.listings.get(ordinal),
    };
  }

  private addColumns(instrument: IndexedInstrument): number {
    if (this.size === this.capacity) this.grow();
    const ordinal = this.size++;
    this.ids.set(ordinal, instrument.instrumentId);
    this.alive.add(ordinal);
    this.liveCount++;
    this.institution[ordinal] = keyOf(this.institutionKeys, instrument.institutionId);
    this.institutionIds[this.institution[ordinal]] = instrument.institutionId;
    this.listings.set(ordinal, instrument.listing);
    this.sharing[ordinal] = SHARING_MODES.indexOf(instrument.sharingMode);
    this.modes[ordinal] = (instrument.offersSelfOperated ? SELF_OPERATED : 0) | (instrument.offersSampleSubmission ? SAMPLE_SUBMISSION : 0);
    this.categoryKey[ordinal] = codeKey(this.categoryKeys, this.categoryCodes, instrument.categoryCode);
    this.regionKey[ordinal] = codeKey(this.regionKeys, this.regionCodes, instrument.regionCode);
    this.price[ordinal] = instrument.externalPriceFen ?? Number.NaN;
    this.priceLastUp[ordinal] = instrument.externalPriceFen ?? Infinity;
    this.priceLastDown[ordinal] = instrument.externalPriceFen ?? -Infinity;
    this.value[ordinal] = instrument.originalValueFen;
    this.created[ordinal] = instrument.createdAtMicros;
    return ordinal;
  }

  private addPostings(ordinal: number, lexemes: readonly string[], filling: Map<string, PostingsBeingFilled>, appendix: Map<string, number[]>): void {
    for (const lexeme of lexemes) {
      const postings = filling.get(lexeme);
      if (postings?.set) postings.set.add(ordinal);
      else if (postings && postings.filled < postings.list!.length) postings.list![postings.filled++] = ordinal;
      // More documents than the frequencies said (they were read in another snapshot): still found.
      else this.appendPostings(ordinal, [lexeme], appendix);
    }
  }

  private appendPostings(ordinal: number, lexemes: readonly string[], appendix: Map<string, number[]>): void {
    for (const lexeme of lexemes) {
      const list = appendix.get(lexeme);
      if (list) list.push(ordinal);
      else {
        appendix.set(lexeme, [ordinal]);
        if (!this.documentPostings.has(lexeme)) this.sortedLexemes = null;
      }
    }
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(array: T): T => {
      const copy = new (array.constructor as new (length: number) => T)(capacity);
      copy.set(array);
      return copy;
    };
    this.institution = grown(this.institution);
    this.sharing = grown(this.sharing);
    this.modes = grown(this.modes);
    this.categoryKey = grown(this.categoryKey);
    this.regionKey = grown(this.regionKey);
    this.price = grown(this.price);
    this.priceLastUp = grown(this.priceLastUp);
    this.priceLastDown = grown(this.priceLastDown);
    this.value = grown(this.value);
    this.created = grown(this.created);
    this.alive = this.alive.grownTo(capacity);
    this.ids.grow(capacity);
    this.listings.grow(capacity);
    this.matched = new Int32Array(capacity);
    this.scores = new Uint8Array(capacity);
    this.spareSets = [];
    this.capacity = capacity;
  }

  /**
   * The candidates within the groups the request's filters imply (its category's top level, its
   * city, the sharing mode it sees or asks for, its service mode). Membership of those groups is
   * exact, so compileFilter leaves out the checks they settle (see settledByGroups). Never changes
   * candidates itself (it may be the set of live documents).
   */
  private narrowToGroups(candidates: OrdinalSet, request: IndexSearchRequest): OrdinalSet {
    const groups: string[] = [];
    if (request.category) groups.push(`category ${truncate(Number(request.category), 1)}`);
    if (request.region && codeLevel(request.region) > 1) groups.push(`city ${truncate(Number(request.region), 2)}`);
    if (request.scope.kind === 'external') groups.push(`sharing ${EXTERNAL}`);
    if (request.sharingMode) groups.push(`sharing ${SHARING_MODES.indexOf(request.sharingMode)}`);
    if (request.serviceMode) groups.push(`mode ${request.serviceMode === 'self_operated' ? SELF_OPERATED : SAMPLE_SUBMISSION}`);
    if (groups.length === 0) return candidates;
    const narrowed = this.borrowSet();
    narrowed.unionWith(candidates);
    const group = this.borrowSet();
    for (const key of groups) {
      group.words.fill(0);
      this.collect(group, key, this.groupPostings, this.groupAppendix);
      narrowed.intersectWith(group);
    }
    return narrowed;
  }

  /** The documents (alive ones) matching a tsquery. */
  private matchText(text: TsQueryExpression | null): OrdinalSet {
    if (!text) return this.borrowSet();
    const matches = this.evaluate(text);
    matches.intersectWith(this.alive);
    return matches;
  }

  private evaluate(expression: TsQueryExpression): OrdinalSet {
    switch (expression.kind) {
      case 'lexeme': {
        const set = this.borrowSet();
        for (const lexeme of this.expand(expression.lexeme, expression.prefix)) this.collect(set, lexeme, this.documentPostings, this.documentAppendix);
        return set;
      }
      case 'and': {
        const [first, ...rest] = expression.operands.map((operand) => this.evaluate(operand));
        for (const other of rest) first.intersectWith(other);
        return first;
      }
      case 'or': {
        const [first, ...rest] = expression.operands.map((operand) => this.evaluate(operand));
        for (const other of rest) first.unionWith(other);
        return first;
      }
      case 'not': {
        const set = this.evaluate(expression.operand);
        set.complementWithin(this.alive);
        return set;
      }
    }
  }

  /** Adds to set the documents holding lexeme, from the bulk postings and the appended ones. */
  private collect(set: OrdinalSet, lexeme: string, postings: Map<string, Postings>, appendix: Map<string, number[]>): void {
    const list = postings.get(lexeme);
    if (list instanceof OrdinalSet) set.unionWith(list);
    else if (list) set.addAll(list);
    const appended = appendix.get(lexeme);
    if (appended) set.addAll(appended);
  }

  /** The lexeme itself, or with prefix every known lexeme starting with it (as tsquery's :*). */
  private expand(lexeme: string, prefix: boolean): string[] {
    if (!prefix) return [lexeme];
    const sorted = this.lexemeDictionary();
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (sorted[middle] < lexeme) low = middle + 1;
      else high = middle;
    }
    const expanded: string[] = [];
    for (let i = low; i < sorted.length && sorted[i].startsWith(lexeme); i++) expanded.push(sorted[i]);
    return expanded;
  }

  private lexemeDictionary(): string[] {
    this.sortedLexemes ??= [...new Set([...this.documentPostings.keys(), ...this.documentAppendix.keys()])].sort(compareCodeUnits);
    return this.sortedLexemes;
  }

  /** Relevance: how many of the query's lexemes each match has in its title (names, model, maker). */
  private score(text: TsQueryExpression, matched: Int32Array, total: number): void {
    const inTitle = this.borrowSet();
    const scores = this.scores;
    for (const { lexeme, prefix } of lexemesOf(text)) {
      inTitle.words.fill(0);
      for (const expanded of this.expand(lexeme, prefix)) this.collect(inTitle, expanded, this.titlePostings, this.titleAppendix);
      for (let i = 0; i < total; i++) {
        const ordinal = matched[i];
        if (inTitle.has(ordinal) && scores[ordinal] < 255) scores[ordinal]++;
      }
    }
  }

  /**
   * One closure for the filters and the caller's scope that narrowToGroups did not settle already
   * (code filters become lookups by key); null when none is left, which the usual search reaches:
   * the public scope, a text, a top-level category, a city, a service mode.
   */
  private compileFilter(request: IndexSearchRequest): ((ordinal: number) => boolean) | null {
    const { institution, categoryKey, regionKey, price, value } = this;
    const settled = settledByGroups(request);
    const categoryAllowed = request.category && !settled.category ? codeTable(this.categoryCodes, request.category) : null;
    const regionAllowed = request.region && !settled.region ? codeTable(this.regionCodes, request.region) : null;
    const institutionFilter = request.institutionId === undefined ? -1 : (this.institutionKeys.get(request.institutionId) ?? -2);
    const minPrice = request.minPriceFen ?? -Infinity;
    const maxPrice = request.maxPriceFen ?? Infinity;
    const pricedOnly = request.minPriceFen !== undefined || request.maxPriceFen !== undefined;
    const minValue = request.minValueFen ?? -Infinity;
    const maxValue = request.maxValueFen ?? Infinity;
    const valued = request.minValueFen !== undefined || request.maxValueFen !== undefined;
    const readable = settled.scope ? null : this.compileScope(request.scope);
    if (!categoryAllowed && !regionAllowed && institutionFilter === -1 && !pricedOnly && !valued && !readable) return null;
    return (ordinal) => {
      if (categoryAllowed && categoryAllowed[categoryKey[ordinal]] === 0) return false;
      if (regionAllowed && regionAllowed[regionKey[ordinal]] === 0) return false;
      if (institutionFilter !== -1 && institution[ordinal] !== institutionFilter) return false;
      if (pricedOnly) {
        const fen = price[ordinal];
        // NaN (no fee line) fails both comparisons, as NULL does in SQL.
        if (!(fen >= minPrice && fen <= maxPrice)) return false;
      }
      if (valued) {
        const fen = value[ordinal];
        if (fen < minValue || fen > maxValue) return false;
      }
      return readable === null || readable(ordinal);
    };
  }

  private compileScope(scope: ReadableScope): (ordinal: number) => boolean {
    const { sharing, institution, regionKey } = this;
    switch (scope.kind) {
      case 'all':
        return () => true;
      case 'external':
        return (ordinal) => sharing[ordinal] === EXTERNAL;
      case 'external-or-region': {
        const within = codeTable(this.regionCodes, scope.regionCode);
        return (ordinal) => sharing[ordinal] === EXTERNAL || within[regionKey[ordinal]] === 1;
      }
      case 'external-or-institution': {
        const key = this.institutionKeys.get(scope.institutionId) ?? -2;
        return scope.institutionModes === 'all'
          ? (ordinal) => sharing[ordinal] === EXTERNAL || institution[ordinal] === key
          : (ordinal) => sharing[ordinal] === EXTERNAL || (sharing[ordinal] === INTERNAL_ONLY && institution[ordinal] === key);
      }
    }
  }

  /**
   * A sort order as one number per document, times sign, smaller first (ties go by instrument id,
   * as in SQL): compared inline instead of through a comparator per order.
   */
  private sortKeys(sort: InstrumentSort): { keys: Float64Array | Uint8Array; sign: 1 | -1 } {
    switch (sort) {
      case 'relevance':
        return { keys: this.scores, sign: -1 };
      case 'newest':
        return { keys: this.created, sign: -1 };
      case 'value_asc':
        return { keys: this.value, sign: 1 };
      case 'value_desc':
        return { keys: this.value, sign: -1 };
      case 'price_asc':
        return { keys: this.priceLastUp, sign: 1 };
      case 'price_desc':
        return { keys: this.priceLastDown, sign: -1 };
    }
  }
}

/**
 * The ordinals at positions [offset, offset + limit) of the matches sorted by sign * keys[ordinal]
 * (smaller first), ties by idBefore, via a heap of offset + limit.
 */
export function selectPage(
  matched: Int32Array,
  count: number,
  offset: number,
  limit: number,
  keys: Float64Array | Uint8Array,
  sign: 1 | -1,
  idBefore: (a: number, b: number) => boolean,
): number[] {
  const wanted = Math.min(count, offset + limit);
  if (offset >= wanted) return [];
  const before = (a: number, b: number) => {
    const ka = sign * keys[a];
    const kb = sign * keys[b];
    return ka !== kb ? ka < kb : idBefore(a, b);
  };
  // Max-heap by sort order: the root is the last of the best `wanted` seen so far.
  const heap: number[] = [];
  const siftUp = (index: number) => {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[parent], heap[index])) break;
      [heap[parent], heap[index]] = [heap[index], heap[parent]];
      index = parent;
    }
  };
  const siftDown = (index: number) => {
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let last = index;
      if (left < heap.length && before(heap[last], heap[left])) last = left;
      if (right < heap.length && before(heap[last], heap[right])) last = right;
      if (last === index) return;
      [heap[last], heap[index]] = [heap[index], heap[last]];
      index = last;
    }
  };
  let rootKey = Infinity;
  for (let i = 0; i < count; i++) {
    const ordinal = matched[i];
    if (heap.length < wanted) {
      heap.push(ordinal);
      siftUp(heap.length - 1);
      rootKey = sign * keys[heap[0]];
    } else if (sign * keys[ordinal] <= rootKey && before(ordinal, heap[0])) {
      // Most matches lose to the root on the key alone.
      heap[0] = ordinal;
      siftDown(0);
      rootKey = sign * keys[heap[0]];
    }
  }
  heap.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  return heap.slice(offset);
}

/**
 * The conditions narrowToGroups settles exactly: a top-level category, a city, the public scope
 * (its sharing group); a sharing mode or service mode asked for always is (their own groups).
 */
function settledByGroups(request: IndexSearchRequest): { category: boolean; region: boolean; scope: boolean } {
  return {
    category: request.category !== undefined && codeLevel(request.category) === 1,
    region: request.region !== undefined && codeLevel(request.region) === 2,
    scope: request.scope.kind === 'external' || request.scope.kind === 'all',
  };
}

function beingFilled(frequencies: ReadonlyMap<string, number>, expectedCount: number): Map<string, PostingsBeingFilled> {
  const filling = new Map<string, PostingsBeingFilled>();
  for (const [lexeme, documents] of frequencies) {
    filling.set(
      lexeme,
      documents * DENSE_POSTINGS_RATIO > expectedCount ? { set: new OrdinalSet(expectedCount), filled: 0 } : { list: new Uint32Array(documents), filled: 0 },
    );
  }
  return filling;
}

function keyOf(keys: Map<string, number>, value: string): number {
  let key = keys.get(value);
  if (key === undefined) {
    key = keys.size;
    keys.set(value, key);
  }
  return key;
}

function codeKey(keys: Map<string, number>, codes: number[], code: string): number {
  const key = keyOf(keys, code);
  codes[key] = Number(code);
  return key;
}

/** Digits a code keeps at a level: 33 for 330106 at level 1, 3301 at level 2. */
function truncate(code: number, level: CodeLevel): number {
  return level === 1 ? Math.floor(code / 10_000) : level === 2 ? Math.floor(code / 100) : code;
}

/** 1 for each known code at or below scope (a county within its city), 0 otherwise. */
function codeTable(codes: readonly number[], scope: string): Uint8Array {
  const level = codeLevel(scope);
  const prefix = truncate(Number(scope), level);
  return Uint8Array.from(codes, (code) => (truncate(code, level) === prefix ? 1 : 0));
}

/**
 * Counts per code rolled up to a level. Like category_l2_code in SQL, a category without a level-2
 * part (XX00YY) has no level-2 bucket; a region always has its city (city_code).
 */
function facetOf(codes: readonly number[], counts: Int32Array, level: CodeLevel, options: { levelTwoMayBeMissing: boolean }): Map<string, number> {
  const facet = new Map<string, number>();
  for (let key = 0; key < codes.length; key++) {
    if (counts[key] === 0) continue;
    const code = codes[key];
    if (level === 2 && options.levelTwoMayBeMissing && Math.floor(code / 100) % 100 === 0) continue;
    const rolled = level === 1 ? truncate(code, 1) * 10_000 : level === 2 ? truncate(code, 2) * 100 : code;
    const name = codeText(rolled);
    facet.set(name, (facet.get(name) ?? 0) + counts[key]);
  }
  return facet;
}

/** A code as its six digits: 10200 is 010200. */
function codeText(code: number): string {
  return String(code).padStart(6, '0');
}

/** Plain code-unit order, as the binary search for prefixes needs (not locale order). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
