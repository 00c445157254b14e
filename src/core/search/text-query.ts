import { sql, type SQL } from 'drizzle-orm';

/**
 * The text-search configuration of `messages.content_tsv` (migration 0017). 'simple' lower-cases
 * words and nothing more: no stemming and no stop words, so it serves every language the same and
 * a query finds the words as written. Queries must use the same configuration as the index.
 */
export const SEARCH_CONFIG = 'simple';

/**
 * A tsquery from what a person typed, never parsed as tsquery syntax (`&`, `!`, `:*` are just
 * text). Exact: the words as a phrase, in order. Otherwise every word, in any order, each as a
 * prefix, so "refun ord" finds "Refund for order" the way a search box that matched substrings did.
 */
export function textQuery(text: string, options: { isExact?: boolean } = {}): SQL {
  if (options.isExact) return sql`phraseto_tsquery('simple', ${text})`;
  // plainto_tsquery quotes each lexeme ('a' & 'b'); a ':*' after each closing quote makes it a prefix.
  return sql`to_tsquery('simple', regexp_replace(plainto_tsquery('simple', ${text})::text, '''(\\s|$)', ''':*\\1', 'g'))`;
}

/** `<em>`-wrapped snippets around the matches, as Dixa's highlights show them. */
export function headline(document: SQL, query: SQL): SQL<string> {
  return sql<string>`ts_headline('simple', coalesce(${document}, ''), ${query},
    'StartSel=<em>, StopSel=</em>, MaxWords=35, MinWords=15')`;
}
