/**
 * GB/T 2260 region codes and the six-digit instrument category codes share one shape:
 * level 1 XX0000, level 2 XXYY00, level 3 XXYYZZ.
 */
export type CodeLevel = 1 | 2 | 3;

export function codeLevel(code: string): CodeLevel {
  if (code.endsWith('0000')) return 1;
  if (code.endsWith('00')) return 2;
  return 3;
}

/** The digits every code below this one starts with: '33' for 330000, '3301' for 330100. */
export function codePrefix(code: string): string {
  return code.slice(0, codeLevel(code) * 2);
}

/** True when code is scope itself or lies below it (a county within its city or province). */
export function isWithin(code: string, scope: string): boolean {
  return code.startsWith(codePrefix(scope));
}

/** A LIKE pattern matching the code and everything below it. */
export function likeBelow(code: string): string {
  return `${codePrefix(code)}%`;
}

export interface NamedCategory {
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
}

/**
 * The names a category contributes to an instrument's search document: its own and its ancestors'
 * in both languages, without level 1 (分析仪器 "analytical instruments" would make nearly every
 * instrument match).
 */
export function searchableCategoryNames(categories: ReadonlyMap<string, NamedCategory>, code: string): string[] {
  const names: string[] = [];
  for (let current = categories.get(code); current?.parentCode; current = categories.get(current.parentCode)) {
    names.push(current.nameZh, current.nameEn);
  }
  return names;
}
