import { INSTRUMENT_TYPE_TERMS } from './instrument-type-synonyms';
import { normalizeSearchText } from './text-normalizer';
import { tokenize } from './tokenizer';

/**
 * General equivalences that the instrument-type names do not cover: colloquial
 * abbreviations (电镜 is never part of an instrument's name), Taiwan
 * terminology that character conversion cannot map (層析 -> 层析, not 色谱) and
 * English words for Chinese-only records. Written in any script or case; they
 * are normalized when the dictionary is built.
 */
export const GENERAL_SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['电镜', '电子显微镜', 'electron microscope', 'electron microscopy'],
  ['质谱', '质谱仪', '质谱法', 'mass spectrometer', 'mass spectrometry', 'mass spectroscopy'],
  ['色谱', '色谱仪', '色谱法', '层析', 'chromatograph', 'chromatography'],
  ['光谱', '光谱仪', '光谱学', 'spectroscopy', 'optical spectrometer'],
  ['核磁', '核磁共振', 'NMR', 'nuclear magnetic resonance'],
  ['显微镜', 'microscope', 'microscopy'],
  ['衍射', '衍射仪', '绕射', 'diffraction', 'diffractometer'],
  ['X射线', 'X光', 'X-ray'],
  ['激光', '雷射', '镭射', 'laser'],
  ['纳米', '奈米'],
  ['傅里叶', '傅立叶', 'Fourier'],
  ['等离子体', '电浆', 'plasma'],
  ['红外', 'infrared', 'IR'],
  ['紫外', 'ultraviolet', 'UV'],
  ['荧光', 'fluorescence', 'fluorescent'],
  ['能谱', '能谱仪', 'EDS', 'EDX', 'energy dispersive spectrometer', 'energy dispersive spectroscopy'],
  ['热重', '热重分析', 'TGA', 'thermogravimetric analysis', 'thermogravimetry'],
  ['原子吸收', '原子吸收光谱仪', 'AAS', 'atomic absorption spectrometer'],
  ['磁共振成像', '核磁共振成像', 'MRI', 'magnetic resonance imaging'],
  ['计算机断层扫描', 'CT', 'computed tomography'],
  ['离心机', 'centrifuge'],
  ['测序', '定序', '测序仪', 'sequencing', 'sequencer'],
  ['流式', '流式细胞仪', 'flow cytometer', 'flow cytometry'],
  ['共聚焦', 'confocal'],
  ['电化学', 'electrochemical', 'electrochemistry'],
  ['分析仪', 'analyzer', 'analyser'],
];

/**
 * Broad English words that should also find Chinese-only records, but not the
 * other way round: 谱仪 covers 光谱仪, 质谱仪, 波谱仪 and 能谱仪, whereas
 * 光谱 must not find every "spectrometer" (a mass spectrometer is not 光谱仪).
 */
export const ONE_WAY_SYNONYMS: readonly { term: string; alsoMatches: readonly string[] }[] = [
  { term: 'spectrometer', alsoMatches: ['谱仪'] },
];

/** Keeps the tsquery of one expanded term small even when a term is in several groups. */
const MAX_ALTERNATIVES_PER_KEY = 16;

/** A trailing plural "s" is ignored when looking terms up (microscopes -> microscope), never "ss" or short words (ms, xps). */
const PLURAL_ENDING = /^(.{2,}[^s])s$/;

/**
 * Lookup units: latin words (plural folded) and single CJK characters, so a
 * synonym can start or end inside a CJK run (扫描电镜 inside 场发射扫描电镜)
 * while latin terms only match whole words.
 */
export function synonymUnits(normalizedText: string): string[] {
  const units: string[] = [];
  for (const token of tokenize(normalizedText)) {
    if (token.kind === 'latin') units.push(synonymUnitOfWord(token.text));
    else units.push(...Array.from(token.text));
  }
  return units;
}

export function synonymUnitOfWord(latinWord: string): string {
  return latinWord.replace(PLURAL_ENDING, '$1');
}

/** Key of a unit sequence; units never contain spaces. */
function keyOf(units: readonly string[]): string {
  return units.join(' ');
}

interface SynonymDictionary {
  alternativesByKey: Map<string, string[]>;
  /** Keys of every leading part of every key, so a lookup can stop as soon as nothing longer can match. */
  keyPrefixes: Set<string>;
}

let dictionary: SynonymDictionary | undefined;

function getDictionary(): SynonymDictionary {
  dictionary ??= buildDictionary();
  return dictionary;
}

function buildDictionary(): SynonymDictionary {
  const alternativesByKey = new Map<string, string[]>();
  const keyPrefixes = new Set<string>();

  const addExpansion = (term: string, alternatives: readonly string[]): void => {
    const units = synonymUnits(term);
    // A single CJK character is too ambiguous to expand (and would split runs everywhere).
    if (units.length === 0 || isSingleCjkCharacter(term)) return;
    const key = keyOf(units);
    const existing = alternativesByKey.get(key) ?? [];
    alternativesByKey.set(key, uniqueByKey([...existing, ...alternatives]));
    for (let length = 1; length <= units.length; length++) keyPrefixes.add(keyOf(units.slice(0, length)));
  };

  const groups: string[][] = [
    ...INSTRUMENT_TYPE_TERMS.map((row) => [row.nameZh, row.nameEn, ...row.aliases]),
    ...GENERAL_SYNONYM_GROUPS.map((group) => [...group]),
  ];
  for (const group of groups) {
    const normalizedGroup = group.map(normalizeSearchText).filter((term) => term !== '');
    for (const term of normalizedGroup) addExpansion(term, normalizedGroup);
  }
  for (const { term, alsoMatches } of ONE_WAY_SYNONYMS) {
    const normalizedTerm = normalizeSearchText(term);
    addExpansion(normalizedTerm, [normalizedTerm, ...alsoMatches.map(normalizeSearchText)]);
  }
  for (const [key, alternatives] of alternativesByKey) {
    alternativesByKey.set(key, alternatives.slice(0, MAX_ALTERNATIVES_PER_KEY));
  }
  return { alternativesByKey, keyPrefixes };
}

function isSingleCjkCharacter(normalizedTerm: string): boolean {
  const tokens = tokenize(normalizedTerm);
  return tokens.length === 1 && tokens[0].kind === 'cjk' && Array.from(tokens[0].text).length === 1;
}

/** Keeps the first of several spellings that look up the same (lc-ms, LC MS). */
function uniqueByKey(terms: readonly string[]): string[] {
  const seen = new Set<string>();
  return terms.filter((term) => {
    const key = keyOf(synonymUnits(term));
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The term (normalized, see normalizeSearchText) followed by its synonyms;
 * just [term] when it has none. Multi-word latin terms match as a whole
 * ("mass spectrometer", "lc-ms"); punctuation and a plural "s" are ignored.
 */
export function expandTerm(normalizedTerm: string): string[] {
  const alternatives = getDictionary().alternativesByKey.get(keyOf(synonymUnits(normalizedTerm)));
  return uniqueByKey([normalizedTerm, ...(alternatives ?? [])]);
}

export interface SynonymMatch {
  /** Number of units covered, starting at the requested position. */
  unitCount: number;
  /** Normalized synonyms of the matched units, not including the matched text itself. */
  alternatives: string[];
}

/** Longest synonym whose units start at units[start] (units from synonymUnits), or null. */
export function matchSynonymAt(units: readonly string[], start: number): SynonymMatch | null {
  const { alternativesByKey, keyPrefixes } = getDictionary();
  let longest: SynonymMatch | null = null;
  let key = '';
  for (let end = start; end < units.length; end++) {
    key = end === start ? units[end] : `${key} ${units[end]}`;
    if (!keyPrefixes.has(key)) break;
    const alternatives = alternativesByKey.get(key);
    if (alternatives) longest = { unitCount: end - start + 1, alternatives: [...alternatives] };
  }
  return longest;
}
