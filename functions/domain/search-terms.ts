/**
 * Search terms: how a record's text and a person's query become the words the search index
 * stores and looks up. Lower case, accents folded (ä → a, ß → ss), split at anything that is
 * not a letter or digit, words of at least two characters, each cut to `MAX_TERM` characters.
 * A query word matches every stored word it begins (the index reads by key prefix), so
 * "ransom" finds "ransomware" and "Uberschwemmung" finds "Überschwemmung".
 */

/** Longest stored word; longer words are cut (a query word is cut the same way). */
export const MAX_TERM = 20
/** Most distinct words one record writes to the index (a transaction holds at most 100 items). */
export const MAX_TERMS = 60

/** Lower case with accents folded and `ß` spelled `ss`: "Überschwemmung" → "uberschwemmung". */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
}

/** The words of a text as the index keeps them: folded, ≥ 2 characters, cut, in order, once each. */
export function termsOf(...texts: (string | undefined)[]): string[] {
  const seen = new Set<string>()
  for (const text of texts) {
    if (!text) continue
    for (const word of fold(text).split(/[^\p{L}\p{N}]+/u)) {
      if (word.length < 2) continue
      seen.add(word.slice(0, MAX_TERM))
      if (seen.size >= MAX_TERMS) return [...seen]
    }
  }
  return [...seen]
}

/**
 * The words of a query: folded like stored words; one-character words are kept only when
 * the query has nothing longer (so "R" alone still looks for ids beginning with r).
 * At most five words are looked up.
 */
export function queryWords(q: string): string[] {
  const words = [
    ...new Set(
      fold(q)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    ),
  ].map((w) => w.slice(0, MAX_TERM))
  const long = words.filter((w) => w.length >= 2)
  return (long.length > 0 ? long : words).slice(0, 5)
}

/** Whether every query word begins some word of the text (re-checks an index hit against the record). */
export function matchesAll(words: readonly string[], terms: readonly string[]): boolean {
  return words.every((w) => terms.some((t) => t.startsWith(w)))
}
