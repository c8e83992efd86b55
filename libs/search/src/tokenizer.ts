/**
 * Han ideographs indexed as CJK bigrams: CJK Unified Ideographs, Extension A,
 * compatibility ideographs and Extension B: blocks that C libraries have
 * classified as letters for many years, so PostgreSQL's parser keeps each
 * bigram whole. Newer blocks (late Extension C additions and after) are split
 * by the parser on current Debian hosts, so they are treated as separators.
 */
function isCjkCodePoint(codePoint: number): boolean {
  return (
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0xf900 && codePoint <= 0xfad9 && codePoint !== 0xfa6e && codePoint !== 0xfa6f) ||
    (codePoint >= 0x20000 && codePoint <= 0x2a6df)
  );
}

/** Letters of scripts other than Han, and combining marks. */
const NON_HAN_LETTER_OR_MARK = /^(?:[^\P{L}\p{Script=Han}]|\p{M})$/u;

const SEPARATOR = 0;
const CJK = 1;
const LATIN = 2;
type CharacterClass = typeof SEPARATOR | typeof CJK | typeof LATIN;

/**
 * A token is a run of CJK characters, or a "latin" word: letters of any other
 * script, combining marks and ASCII digits. Everything else (punctuation,
 * symbols, emoji, hyphens, dots) separates tokens, on both the index and the
 * query side, so that PostgreSQL's parser only ever sees plain words: no
 * hyphenated compounds, decimals (0.23nm would become 0.23 + nm), versions,
 * paths, URLs or e-mail addresses, and a document and a query always produce
 * the same lexemes.
 */
function classify(codePoint: number): CharacterClass {
  if (codePoint < 0x80) {
    const isAsciiWordCharacter =
      (codePoint >= 0x61 && codePoint <= 0x7a) || (codePoint >= 0x30 && codePoint <= 0x39) || (codePoint >= 0x41 && codePoint <= 0x5a);
    return isAsciiWordCharacter ? LATIN : SEPARATOR;
  }
  if (isCjkCodePoint(codePoint)) return CJK;
  return NON_HAN_LETTER_OR_MARK.test(String.fromCodePoint(codePoint)) ? LATIN : SEPARATOR;
}

export type SearchTokenKind = 'cjk' | 'latin';

export interface SearchToken {
  kind: SearchTokenKind;
  text: string;
}

/** Splits normalized text (see normalizeSearchText) into CJK runs and latin words, in order. */
export function tokenize(normalizedText: string): SearchToken[] {
  const tokens: SearchToken[] = [];
  let tokenStart = 0;
  let tokenClass: CharacterClass = SEPARATOR;
  // A hand-written scanner: several times faster than a Unicode regular expression, and it runs for every indexed field.
  for (let i = 0; i <= normalizedText.length; ) {
    const codePoint = i < normalizedText.length ? normalizedText.codePointAt(i)! : -1;
    const characterClass = codePoint < 0 ? SEPARATOR : classify(codePoint);
    if (characterClass !== tokenClass) {
      if (tokenClass !== SEPARATOR) {
        tokens.push({ kind: tokenClass === CJK ? 'cjk' : 'latin', text: normalizedText.slice(tokenStart, i) });
      }
      tokenStart = i;
      tokenClass = characterClass;
    }
    i += codePoint > 0xffff ? 2 : 1;
  }
  return tokens;
}

/**
 * Overlapping character bigrams of a CJK run (质谱仪 -> 质谱, 谱仪), the way
 * Lucene's CJK analyzer indexes Chinese; a one-character run yields itself.
 * Iterates by code point so that Extension B characters stay whole.
 */
export function cjkBigrams(run: string): string[] {
  if (SURROGATE.test(run)) return bigramsOf(Array.from(run));
  // Fast path, nearly always taken: every character is one UTF-16 code unit.
  if (run.length <= 1) return run === '' ? [] : [run];
  const bigrams = new Array<string>(run.length - 1);
  for (let i = 0; i < run.length - 1; i++) bigrams[i] = run.slice(i, i + 2);
  return bigrams;
}

const SURROGATE = /[\ud800-\udfff]/;

function bigramsOf(characters: readonly string[]): string[] {
  if (characters.length <= 1) return [...characters];
  const bigrams = new Array<string>(characters.length - 1);
  for (let i = 0; i < characters.length - 1; i++) bigrams[i] = characters[i] + characters[i + 1];
  return bigrams;
}
