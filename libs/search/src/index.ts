/**
 * Full-text search preparation for PostgreSQL without a Chinese parser: text is
 * normalized (NFKC, lower case, traditional -> simplified), Chinese is indexed
 * as character bigrams with the 'simple' configuration and everything else
 * with 'english'; queries are expanded with synonyms.
 *
 * Writing a record:
 *   const vector = searchVectorSql(fields, 2);
 *   await db.query(`UPDATE instrument SET search_document = ${vector.sql} WHERE id = $1`, [id, ...vector.params]);
 *
 * Searching:
 *   const tsquery = buildSearchQuery(userText, 1); // null: nothing to search for
 *   SELECT i.id FROM instrument i, (SELECT ${tsquery.sql} AS q) tsq
 *    WHERE i.search_document @@ tsq.q ORDER BY ts_rank_cd(i.search_document, tsq.q) DESC
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
  searchVectorSql,
} from './search-document';
export type { SearchDocument, SearchDocumentFields, SearchDocumentPart } from './search-document';
export { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, buildSearchQuery, parseSearchQuery } from './search-query';
export type { SearchQueryLeaf, SearchQueryTerm } from './search-query';
