/**
 * Full-text search preparation for PostgreSQL without a Chinese parser: text is
 * normalized (NFKC, lower case, traditional -> simplified), Chinese is indexed
 * as character bigrams with the 'simple' configuration and everything else
 * with 'english'; queries are expanded with synonyms.
 *
 * Writing a record:
 *   const text = searchTextSql(fields, 2);
 *   await db.query(`INSERT INTO instrument_search_text (instrument_id, title, document)
 *                   VALUES ($1, ${text.titleSql}, ${text.documentSql}) ...`, [id, ...text.params]);
 *
 * Searching:
 *   const tsquery = buildSearchQuery(userText, 1); // null: nothing to search for
 *   SELECT t.instrument_id FROM instrument_search_text t, (SELECT ${tsquery.sql} AS q) tsq
 *    WHERE t.document @@ tsq.q ORDER BY ts_rank(t.title, tsq.q) DESC
 */
export { normalizeSearchText } from './text-normalizer';
export { cjkBigrams, tokenize } from './tokenizer';
export type { SearchToken, SearchTokenKind } from './tokenizer';
export { GENERAL_SYNONYM_GROUPS, ONE_WAY_SYNONYMS, expandTerm } from './synonyms';
export { INSTRUMENT_TYPE_TERMS } from './instrument-type-synonyms';
export type { InstrumentTypeTerms } from './instrument-type-synonyms';
export {
  MAX_INDEXED_FIELD_LENGTH,
  SEARCH_DOCUMENT_PARAM_COUNT,
  SEARCH_DOCUMENT_SQL,
  buildSearchDocument,
  buildSearchDocumentPart,
  searchDocumentParams,
  searchDocumentSql,
  searchDocumentSqlOver,
  searchTextSql,
  searchTitleSqlOver,
  searchVectorSql,
} from './search-document';
export type { SearchDocument, SearchDocumentFields, SearchDocumentPart } from './search-document';
export { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, buildSearchQuery, parseSearchQuery } from './search-query';
export type { SearchQueryLeaf, SearchQueryTerm } from './search-query';
export { TsQuerySyntaxError, lexemesOf, parseTsQuery } from './tsquery-expression';
export type { TsQueryExpression } from './tsquery-expression';
