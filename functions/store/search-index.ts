/**
 * The search index: for each searchable record, one item per word of its text in the
 * organisation's partition, `SEARCH#<word>#<type>#<id>`, written in the record's own
 * transaction (`WriteOptions.also`). A query word reads the entries whose word it begins by
 * key condition; several words intersect. Entries of words a record no longer has stay
 * behind and are dropped by the reader's re-check against the record (`matchesAll`).
 */
import { termsOf } from '../domain/search-terms.js'
import type { AlsoPut, OrgRecords } from './records.js'

/** Record types the search knows. */
export const SEARCH_TYPES = ['risk'] as const
export type SearchType = (typeof SEARCH_TYPES)[number]

const PREFIX = 'SEARCH#'
/** Marks an organisation whose existing records were indexed once. */
const BACKFILL_MARK = 'SEARCHINDEXED#v1'

/** The index entries of one record, for `WriteOptions.also`. */
export function searchEntries(type: SearchType, id: string, texts: (string | undefined)[]): AlsoPut[] {
  return termsOf(id, ...texts).map((term) => ({
    sk: `${PREFIX}${term}#${type}#${id}`,
    item: { kind: 'search' },
  }))
}

/** A hit of the index: which record. */
export interface SearchHit {
  type: SearchType
  id: string
}

/**
 * Records whose words begin with every one of `words` (key-condition reads, one per word,
 * intersected). At most `limit` entries are read per word.
 */
export async function findInIndex(
  org: OrgRecords,
  words: readonly string[],
  limit = 200,
): Promise<SearchHit[]> {
  if (words.length === 0) return []
  const perWord = await Promise.all(
    words.map(async (w) => {
      const keys = await org.sideKeys(`${PREFIX}${w}`, limit)
      return new Set(
        keys.map((sk) => {
          const [, , type, ...id] = sk.split('#')
          return `${type}#${id.join('#')}`
        }),
      )
    }),
  )
  const [first, ...rest] = perWord
  const both = [...(first ?? [])].filter((k) => rest.every((s) => s.has(k)))
  return both.map((k) => {
    const i = k.indexOf('#')
    return { type: k.slice(0, i) as SearchType, id: k.slice(i + 1) }
  })
}

/**
 * Indexes an organisation's existing records once (records written before the index
 * existed); later writes index themselves. `index` rewrites one type's records with entries.
 */
export async function ensureSearchIndexed(
  org: OrgRecords,
  index: (org: OrgRecords) => Promise<void>,
): Promise<void> {
  const done = await org.sideKeys(BACKFILL_MARK, 1)
  if (done.length > 0) return
  await index(org)
  await org.putSide([{ sk: BACKFILL_MARK }])
}

/** The index entries of a risk: its id, title, description and threat. */
export const riskSearchEntries = (
  id: string,
  risk: { title: string; description?: string; threat?: string },
) => searchEntries('risk', id, [risk.title, risk.description, risk.threat])
