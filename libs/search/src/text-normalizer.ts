import * as OpenCC from 'opencc-js/t2cn';

/**
 * Han ideographs that may need traditional -> simplified conversion. Wider than
 * the tokenizer's CJK range on purpose: converting a rare character is harmless.
 */
const HAN_CHARACTER = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;

/** NUL and other C0/C1 control characters count as whitespace (PostgreSQL rejects NUL in text). */
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]+/g;

type ConvertFunction = (text: string) => string;

let traditionalToSimplified: ConvertFunction | undefined;

/**
 * 'hk' -> 'cn' converts the Taiwan and Hong Kong variant characters as well as
 * standard traditional ones (質譜儀 -> 质谱仪, 衞 -> 卫, 綫 -> 线). 'twp' was
 * rejected: its phrase table rewrites words that are also valid simplified
 * Chinese (程序 -> 进程), which would corrupt simplified documents.
 */
function getConverter(): ConvertFunction {
  return (traditionalToSimplified ??= OpenCC.Converter({ from: 'hk', to: 'cn' }));
}

/**
 * Short texts (names, categories, manufacturers) repeat across thousands of
 * records, and character conversion costs about 0.1 µs per character, so
 * their results are remembered. The cache is simply emptied when full.
 */
const CACHEABLE_LENGTH = 64;
const CACHE_CAPACITY = 10_000;
const cache = new Map<string, string>();

/**
 * Canonical form used for both indexing and querying: NFKC (full-width ->
 * half-width, compatibility ideographs -> unified), lower case, traditional ->
 * simplified Chinese, control characters removed, whitespace collapsed.
 */
export function normalizeSearchText(text: string | null | undefined): string {
  if (!text) return '';
  if (text.length > CACHEABLE_LENGTH) return normalize(text);
  let normalized = cache.get(text);
  if (normalized === undefined) {
    normalized = normalize(text);
    if (cache.size >= CACHE_CAPACITY) cache.clear();
    cache.set(text, normalized);
  }
  return normalized;
}

function normalize(text: string): string {
  let normalized = text.normalize('NFKC').toLowerCase();
  if (HAN_CHARACTER.test(normalized)) normalized = getConverter()(normalized);
  return normalized.replace(WHITESPACE_OR_CONTROL, ' ').trim();
}
