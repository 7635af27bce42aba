/**
 * Search conditions over a `search_text` column (platform.search_text(): lower case, no
 * diacritics) backed by a trigram index: every word of the query somewhere in the text, or,
 * when that finds nothing, the query close to some stretch of it (typos).
 */
import { type Expression, type RawBuilder, sql } from 'kysely';

/** The word, folded like the column, as a LIKE pattern with its wildcards escaped. */
export function containsWord(column: string, word: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} like '%' || replace(replace(replace(platform.search_text(${word}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
}

/** Every word of `q` (split on spaces) is in the column. */
export function containsAllWords(column: string, q: string): Expression<boolean>[] {
  return q
    .split(' ')
    .filter(Boolean)
    .map((word) => containsWord(column, word));
}

/** The query close to some stretch of the column (pg_trgm word similarity, index-backed). */
export function closeTo(column: string, q: string): RawBuilder<boolean> {
  return sql<boolean>`platform.search_text(${q}) <% ${sql.ref(column)}`;
}
