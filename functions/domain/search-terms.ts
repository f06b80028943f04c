/**
 * Search terms: how a record's text and a person's query become the words the search index
 * stores and looks up. Lower case, accents folded (ä → a, ß → ss), split at anything that is
 * not a letter or digit, words of at least two characters that are not stop words ("the",
 * "und"), each cut to `MAX_TERM` characters.
 * A token joined by punctuation ("A.8.13", "R-12", "E-Mail") is also kept as one word without
 * it ("a813", "r12", "email"), so ids and spellings with or without a hyphen are found.
 * A query word matches every stored word it begins (the index reads by key prefix), so
 * "ransom" finds "ransomware" and "Uberschwemmung" finds "Überschwemmung".
 */

/** Longest stored word; longer words are cut (a query word is cut the same way). */
export const MAX_TERM = 20
/**
 * Most distinct words one record writes to the index. A record's write changes at most this
 * many entries away and this many in, beside the record, its audit line and the work index's
 * few entries (at most two each way), in one transaction of at most 100 items:
 * 2 × 45 + 2 + 2 × 2 ≤ 100. (A task also writes its inbox entries; a task's words are its
 * title, which does not change after it is created, so its writes change few words.)
 */
export const MAX_TERMS = 45

/** Lower case with accents folded and `ß` spelled `ss`: "Überschwemmung" → "uberschwemmung". */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
}

const NOT_WORD = /[^\p{L}\p{N}]+/u

/**
 * Words too common to find anything by (English and German, folded): a record does not spend
 * its `MAX_TERMS` on them, and a query looks them up only when it has no other word.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be by for from has have in into is its not of on or our so that the ' +
    'their them then there these this to was we were will with ' +
    'aber als am an auch auf aus bei bis das dass dem den der des die ein eine einem einen einer ' +
    'eines es fur hat im in ist mit nach nicht noch nur oder sich sie sind so uber um und vom von ' +
    'vor war wird wie zu zum zur'
  ).split(' '),
)

/** The pieces of one whitespace-free token, and the token without its punctuation when it had inner punctuation. */
function tokenWords(token: string): { parts: string[]; joined?: string } {
  const parts = token.split(NOT_WORD).filter(Boolean)
  return parts.length > 1 ? { parts, joined: parts.join('') } : { parts }
}

/**
 * The words of a text as the index keeps them: folded, ≥ 2 characters, cut, in order, once
 * each; a token with inner punctuation adds itself without it after its pieces.
 */
export function termsOf(...texts: (string | undefined)[]): string[] {
  const seen = new Set<string>()
  for (const text of texts) {
    if (!text) continue
    for (const token of fold(text).split(/\s+/u)) {
      const { parts, joined } = tokenWords(token)
      for (const word of joined ? [...parts, joined] : parts) {
        if (word.length < 2 || STOP_WORDS.has(word)) continue
        seen.add(word.slice(0, MAX_TERM))
        if (seen.size >= MAX_TERMS) return [...seen]
      }
    }
  }
  return [...seen]
}

/**
 * The words of a query: folded like stored words; a token with inner punctuation is looked up
 * as one word without it ("A.8.13" → "a813", "e-mail" → "email"); stop words are dropped and
 * one-character words too, each only when the query has something else (so "R" alone still
 * looks for ids beginning with r, and "on" alone for words beginning with on). At most five
 * words are looked up.
 */
export function queryWords(q: string): string[] {
  const words = [
    ...new Set(
      fold(q)
        .split(/\s+/u)
        .map((token) => {
          const { parts, joined } = tokenWords(token)
          return joined ?? parts[0] ?? ''
        })
        .filter(Boolean),
    ),
  ].map((w) => w.slice(0, MAX_TERM))
  const long = words.filter((w) => w.length >= 2)
  const telling = long.filter((w) => !STOP_WORDS.has(w))
  return [...new Set(telling.length > 0 ? telling : long.length > 0 ? long : words)].slice(0, 5)
}

/** Whether every query word begins some word of the text (re-checks an index hit against the record). */
export function matchesAll(words: readonly string[], terms: readonly string[]): boolean {
  return words.every((w) => terms.some((t) => t.startsWith(w)))
}
