import { assertFirstParamIndex } from './sql-params';
import { normalizeSearchText } from './text-normalizer';
import { cjkBigrams, tokenize } from './tokenizer';

/** Searchable fields of one instrument record. */
export interface SearchDocumentFields {
  nameZh: string;
  nameEn?: string | null;
  model?: string | null;
  manufacturer?: string | null;
  functions?: string | null;
  specs?: string | null;
  serviceContent?: string | null;
  /** Category names in any language, at every level of the category tree; missing names are skipped. */
  categoryNames?: readonly (string | null | undefined)[] | null;
}

/** Text of one weight class, ready for PostgreSQL. */
export interface SearchDocumentPart {
  /** Space-separated latin words, for to_tsvector('english', ...). */
  latin: string;
  /** Space-separated CJK bigrams, for to_tsvector('simple', ...). */
  cjk: string;
}

/** A: names, B: model and manufacturer, C: functions, specs and services, D: categories. */
export interface SearchDocument {
  a: SearchDocumentPart;
  b: SearchDocumentPart;
  c: SearchDocumentPart;
  d: SearchDocumentPart;
}

const WEIGHTS = ['a', 'b', 'c', 'd'] as const;

/** Placeholders used by searchDocumentSql: latin and cjk text for each of the four weights. */
export const SEARCH_DOCUMENT_PARAM_COUNT = WEIGHTS.length * 2;

/**
 * Longer field text is cut before indexing: it bounds the conversion cost and
 * keeps the tsvector far below PostgreSQL's 1 MB limit.
 */
export const MAX_INDEXED_FIELD_LENGTH = 20_000;

export function buildSearchDocument(fields: SearchDocumentFields): SearchDocument {
  return {
    a: buildSearchDocumentPart([fields.nameZh, fields.nameEn]),
    b: buildSearchDocumentPart([fields.model, fields.manufacturer]),
    c: buildSearchDocumentPart([fields.functions, fields.specs, fields.serviceContent]),
    d: buildSearchDocumentPart(fields.categoryNames ?? []),
  };
}

/** Normalizes and tokenizes raw texts into one weight class's latin words and CJK bigrams. */
export function buildSearchDocumentPart(texts: readonly (string | null | undefined)[]): SearchDocumentPart {
  let latin = '';
  let cjk = '';
  for (const text of texts) {
    if (!text) continue;
    const normalized = normalizeSearchText(text.length > MAX_INDEXED_FIELD_LENGTH ? text.slice(0, MAX_INDEXED_FIELD_LENGTH) : text);
    for (const token of tokenize(normalized)) {
      if (token.kind === 'latin') latin += (latin === '' ? '' : ' ') + token.text;
      else for (const bigram of cjkBigrams(token.text)) cjk += (cjk === '' ? '' : ' ') + bigram;
    }
  }
  return { latin, cjk };
}

/** Parameter values for searchDocumentSql, in placeholder order. */
export function searchDocumentParams(document: SearchDocument): string[] {
  const { a, b, c, d } = document;
  return [a.latin, a.cjk, b.latin, b.cjk, c.latin, c.cjk, d.latin, d.cjk];
}

/**
 * tsvector expression over SEARCH_DOCUMENT_PARAM_COUNT placeholders starting at
 * $firstParamIndex, to be bound to searchDocumentParams(document).
 */
export function searchDocumentSql(firstParamIndex = 1): string {
  assertFirstParamIndex(firstParamIndex);
  const placeholders = Array.from({ length: SEARCH_DOCUMENT_PARAM_COUNT }, (_, i) => `$${firstParamIndex + i}`);
  return searchDocumentSqlOver(placeholders);
}

/** The expression for the usual case: placeholders $1 to $8. */
export const SEARCH_DOCUMENT_SQL = searchDocumentSql(1);

/**
 * The same expression over arbitrary SQL value expressions (for example the
 * columns of an unnest(...) source in a bulk INSERT ... SELECT), given in
 * searchDocumentParams order. The expressions are inserted verbatim: never
 * pass user input here.
 */
export function searchDocumentSqlOver(valueExpressions: readonly string[]): string {
  if (valueExpressions.length !== SEARCH_DOCUMENT_PARAM_COUNT) {
    throw new RangeError(`expected ${SEARCH_DOCUMENT_PARAM_COUNT} value expressions, got ${valueExpressions.length}`);
  }
  // Anything but a placeholder or a column reference is parenthesized, so that ::text applies to all of it.
  const asText = (expression: string): string => (/^[\w.$]+$/.test(expression) ? expression : `(${expression})`) + '::text';
  return WEIGHTS.map((weight, i) => {
    const label = weight.toUpperCase();
    const latin = asText(valueExpressions[2 * i]);
    const cjk = asText(valueExpressions[2 * i + 1]);
    return (
      `setweight(to_tsvector('english'::regconfig, ${latin}), '${label}') || ` +
      `setweight(to_tsvector('simple'::regconfig, ${cjk}), '${label}')`
    );
  }).join(' || ');
}

/** Builds the document for one record and returns the tsvector expression with its parameter values. */
export function searchVectorSql(fields: SearchDocumentFields, firstParamIndex = 1): { sql: string; params: string[] } {
  return { sql: searchDocumentSql(firstParamIndex), params: searchDocumentParams(buildSearchDocument(fields)) };
}

/**
 * The title vector (weights A and B: names, model, manufacturer) over the same value
 * expressions as searchDocumentSqlOver. It is small, so ranking the matches by it stays cheap
 * when a query matches thousands of instruments.
 */
export function searchTitleSqlOver(valueExpressions: readonly string[]): string {
  if (valueExpressions.length !== SEARCH_DOCUMENT_PARAM_COUNT) {
    throw new RangeError(`expected ${SEARCH_DOCUMENT_PARAM_COUNT} value expressions, got ${valueExpressions.length}`);
  }
  return searchDocumentSqlOver([...valueExpressions.slice(0, 4), "''", "''", "''", "''"]);
}

/** Title and document expressions for one record, over placeholders from $firstParamIndex, with their values. */
export function searchTextSql(
  fields: SearchDocumentFields,
  firstParamIndex = 1,
): { titleSql: string; documentSql: string; params: string[] } {
  assertFirstParamIndex(firstParamIndex);
  const placeholders = Array.from({ length: SEARCH_DOCUMENT_PARAM_COUNT }, (_, i) => `$${firstParamIndex + i}`);
  return {
    titleSql: searchTitleSqlOver(placeholders),
    documentSql: searchDocumentSqlOver(placeholders),
    params: searchDocumentParams(buildSearchDocument(fields)),
  };
}
