import { SqlParams } from './sql-params';
import { matchSynonymAt, synonymUnitOfWord } from './synonyms';
import { normalizeSearchText } from './text-normalizer';
import { cjkBigrams, tokenize } from './tokenizer';

/** Longer queries are cut (in code points) before they are analysed. */
export const MAX_QUERY_LENGTH = 200;
/** Terms beyond this number are ignored. */
export const MAX_QUERY_TERMS = 20;
/** Alternatives (the term and its synonyms) kept per term. */
export const MAX_ALTERNATIVES_PER_TERM = 12;
/** The last latin word is matched as a prefix only from this length on, so one letter does not match half the catalog. */
const MIN_PREFIX_LENGTH = 2;

/**
 * One tsquery operand. 'english-words' is plain text for
 * plainto_tsquery('english', ...), which accepts anything; the other two are
 * tsquery syntax built here from lexemes that cannot contain quotes or
 * backslashes (CJK characters, letters, digits).
 */
export type SearchQueryLeaf =
  | { config: 'english-words'; text: string }
  | { config: 'english-prefix'; text: string }
  | { config: 'simple-lexemes'; text: string };

/** A term matches when any alternative matches; an alternative matches when all its leaves match. */
export interface SearchQueryTerm {
  /** The normalized query text this term came from. */
  text: string;
  alternatives: SearchQueryLeaf[][];
}

interface QueryUnit {
  kind: 'latin' | 'cjk';
  /** A latin word or one CJK character, as normalized. */
  text: string;
  /** Synonym lookup unit (see synonymUnits). */
  key: string;
  /** Index of the token the unit came from: CJK units of one run share it. */
  tokenIndex: number;
}

interface Segment {
  start: number;
  end: number;
  /** Synonyms when units[start, end) is a known term. */
  synonyms?: string[];
}

/**
 * Splits a user query into terms that must all match (AND), each with its
 * alternatives (OR): the term itself and its synonyms. Returns [] when the
 * query has nothing searchable.
 */
export function parseSearchQuery(query: string): SearchQueryTerm[] {
  if (typeof query !== 'string') return [];
  const capped = Array.from(query.slice(0, MAX_QUERY_LENGTH * 2)).slice(0, MAX_QUERY_LENGTH).join('');
  const normalized = Array.from(normalizeSearchText(capped)).slice(0, MAX_QUERY_LENGTH).join('');
  const units = toUnits(normalized);
  if (units.length === 0) return [];

  // The user may still be typing the last word, unless a space or punctuation follows it.
  const lastWordMayBeIncomplete = /[\p{L}\p{M}\p{N}]$/u.test(capped);
  const segments = segment(units);
  const terms: SearchQueryTerm[] = [];
  const seen = new Set<string>();
  for (const [index, { start, end, synonyms }] of segments.entries()) {
    const text = textOfUnits(units, start, end);
    const alternativeTexts = [text, ...(synonyms ?? [])];
    const alternatives: SearchQueryLeaf[][] = [];
    const isLastWord = index === segments.length - 1 && end - start === 1 && units[start].kind === 'latin';
    if (isLastWord && lastWordMayBeIncomplete && Array.from(text).length >= MIN_PREFIX_LENGTH) {
      // english-prefix stems the word first, so 'spectrometers':* still finds "spectrometer" and stop words drop out.
      alternatives.push([{ config: 'english-prefix', text: `'${text}':*` }]);
      alternativeTexts.shift();
    } else if (end - start === 1 && units[start].kind === 'cjk' && !synonyms) {
      alternativeTexts[0] = lonelyCharacterTerm(units, start);
    }
    for (const alternativeText of alternativeTexts) alternatives.push(leavesOf(alternativeText));

    const term = { text, alternatives: uniqueAlternatives(alternatives).slice(0, MAX_ALTERNATIVES_PER_TERM) };
    const key = JSON.stringify(term.alternatives);
    if (term.alternatives.length === 0 || seen.has(key)) continue;
    seen.add(key);
    terms.push(term);
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return terms;
}

/**
 * tsquery expression for a user query, with its parameter values bound from
 * $firstParamIndex on; null when the query has nothing to search for (blank,
 * punctuation only). All user text travels as parameters.
 */
export function buildSearchQuery(query: string, firstParamIndex = 1): { sql: string; params: string[] } | null {
  const params = new SqlParams(firstParamIndex);
  const terms = parseSearchQuery(query);
  if (terms.length === 0) return null;
  // tsquery's && and || have equal precedence in SQL, hence the explicit parentheses.
  const alternativeSql = (leaves: readonly SearchQueryLeaf[]): string =>
    `(${leaves.map((leaf) => leafSql(leaf, params)).join(' && ')})`;
  const termSql = (term: SearchQueryTerm): string => `(${term.alternatives.map(alternativeSql).join(' || ')})`;
  return { sql: `(${terms.map(termSql).join(' && ')})`, params: params.values };
}

function leafSql(leaf: SearchQueryLeaf, params: SqlParams): string {
  switch (leaf.config) {
    case 'english-words':
      return `plainto_tsquery('english'::regconfig, ${params.add(leaf.text)})`;
    case 'english-prefix':
      return `to_tsquery('english'::regconfig, ${params.add(leaf.text)})`;
    case 'simple-lexemes':
      return `to_tsquery('simple'::regconfig, ${params.add(leaf.text)})`;
  }
}

function toUnits(normalized: string): QueryUnit[] {
  const units: QueryUnit[] = [];
  tokenize(normalized).forEach((token, tokenIndex) => {
    if (token.kind === 'latin') {
      units.push({ kind: 'latin', text: token.text, key: synonymUnitOfWord(token.text), tokenIndex });
    } else {
      for (const character of token.text) units.push({ kind: 'cjk', text: character, key: character, tokenIndex });
    }
  });
  return units;
}

/**
 * Greedy longest match of known terms, left to right; what is left becomes
 * latin words and CJK pieces. Splitting 场发射扫描电镜 into 场发射 + 扫描电镜
 * only drops the bigram across the cut, so a record containing the query
 * literally always still matches.
 */
function segment(units: readonly QueryUnit[]): Segment[] {
  const keys = units.map((unit) => unit.key);
  const segments: Segment[] = [];
  let i = 0;
  while (i < units.length) {
    const match = matchSynonymAt(keys, i);
    if (match) {
      segments.push({ start: i, end: i + match.unitCount, synonyms: match.alternatives });
      i += match.unitCount;
      continue;
    }
    const previous = segments[segments.length - 1];
    const continuesCjkPiece = previous !== undefined && !previous.synonyms && inSameCjkRun(units, i - 1, i);
    if (continuesCjkPiece) previous.end = i + 1;
    else segments.push({ start: i, end: i + 1 });
    i++;
  }
  return segments;
}

/** Text of units[start, end): CJK characters of one run joined, everything else separated by spaces. */
function textOfUnits(units: readonly QueryUnit[], start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) {
    text += (i > start && !inSameCjkRun(units, i - 1, i) ? ' ' : '') + units[i].text;
  }
  return text;
}

function inSameCjkRun(units: readonly QueryUnit[], first: number, second: number): boolean {
  const [a, b] = [units[first], units[second]];
  return a?.kind === 'cjk' && b?.kind === 'cjk' && a.tokenIndex === b.tokenIndex;
}

/**
 * A single CJK character left over between known terms (仪 in 红外光谱仪) is
 * searched together with its neighbour in the run (谱仪), because records
 * index bigrams; a one-character run stays alone and becomes a prefix match.
 */
function lonelyCharacterTerm(units: readonly QueryUnit[], index: number): string {
  if (inSameCjkRun(units, index, index + 1)) return units[index].text + units[index + 1].text;
  if (inSameCjkRun(units, index - 1, index)) return units[index - 1].text + units[index].text;
  return units[index].text;
}

/** The leaves that all must match for a normalized text: its latin words and its CJK bigrams. */
function leavesOf(normalizedText: string): SearchQueryLeaf[] {
  const words: string[] = [];
  const lexemes = new Set<string>();
  for (const token of tokenize(normalizedText)) {
    if (token.kind === 'latin') words.push(token.text);
    else if (Array.from(token.text).length === 1) lexemes.add(`'${token.text}':*`);
    else for (const bigram of cjkBigrams(token.text)) lexemes.add(`'${bigram}'`);
  }
  const leaves: SearchQueryLeaf[] = [];
  if (words.length > 0) leaves.push({ config: 'english-words', text: words.join(' ') });
  if (lexemes.size > 0) leaves.push({ config: 'simple-lexemes', text: [...lexemes].join(' & ') });
  return leaves;
}

/**
 * Drops duplicates and alternatives implied by another one: 质谱仪 (质谱 & 谱仪)
 * adds nothing next to 质谱, nor does "nuclear magnetic resonance
 * spectrometer" next to "nuclear magnetic resonance". Keeps the tsquery short.
 */
function uniqueAlternatives(alternatives: readonly SearchQueryLeaf[][]): SearchQueryLeaf[][] {
  const itemSets = alternatives.map(itemsByConfig);
  return alternatives.filter((leaves, index) => {
    if (leaves.length === 0) return false;
    return !itemSets.some((other, otherIndex) => {
      if (otherIndex === index || !isSubset(other, itemSets[index])) return false;
      // Of two equivalent alternatives keep the first.
      return !isSubset(itemSets[index], other) || otherIndex < index;
    });
  });
}

/** Each leaf as the set of operands it requires (all of them must match). */
function itemsByConfig(leaves: readonly SearchQueryLeaf[]): Map<string, Set<string>> {
  const items = new Map<string, Set<string>>();
  for (const leaf of leaves) {
    const separator = leaf.config === 'english-words' ? ' ' : ' & ';
    items.set(leaf.config, new Set(leaf.text.split(separator)));
  }
  return items;
}

/** True when every operand required by `required` is also required by `other`, so `other` implies `required`. */
function isSubset(required: Map<string, Set<string>>, other: Map<string, Set<string>>): boolean {
  for (const [config, operands] of required) {
    const otherOperands = other.get(config);
    if (!otherOperands) return false;
    for (const operand of operands) if (!otherOperands.has(operand)) return false;
  }
  return true;
}
