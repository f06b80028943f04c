/**
 * The search index: for each searchable record, one item per word of its text in the
 * organisation's partition, `SEARCHWORD#<record type>#<word>#<id>`. The record store writes
 * the entries in the record's own transaction (`records.ts`, beside the work index's): a create puts them, an update
 * deletes the words the record lost and puts the ones it gained, a removal deletes them all,
 * so a record and its entries never disagree. A query word reads, per record type, the entries
 * whose word it begins by key condition; several words intersect. The reader still re-checks
 * each hit against the record (`matchesAll`) and the reader's rights.
 */
import { fold, termsOf } from '../domain/search-terms.js'
import { annexACatalogue, tisaxCatalogue } from './certification.js'
import { recordPages } from './record-pages.js'
import type { AlsoPut, OrgRecords } from './records.js'

/** What the search finds, by the name the API groups it under. */
export const SEARCH_TYPES = ['risk', 'control', 'task', 'review', 'incident'] as const
export type SearchType = (typeof SEARCH_TYPES)[number]

const PREFIX = 'SEARCHWORD#'
/**
 * The version of the search index's words (bump when the words of a type change): an
 * organisation without its marker is indexed again (`ensureSearchIndexed`, by the re-index on
 * deploy, which a change of this number starts: `steps/index-versions.ts`).
 */
export const SEARCH_INDEX_VERSION = 2
/** Marks an organisation whose existing records were indexed at this version. */
const BACKFILL_MARK = `SEARCHINDEXED#v${SEARCH_INDEX_VERSION}`
/** The first index (risks only, `SEARCH#<word>#<type>#<id>`), replaced by the backfill. */
const LEGACY = { prefix: 'SEARCH#', mark: 'SEARCHINDEXED#v1' }

type Data = Record<string, unknown>
type Texts = (string | undefined)[]

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const isData = (v: unknown): v is Data => typeof v === 'object' && v !== null
const obj = (v: unknown): Data => (isData(v) ? v : {})
const localized = (v: unknown): Texts => [str(obj(v).en), str(obj(v).de)]
const list = (v: unknown): Data[] => (Array.isArray(v) ? v.map(obj) : [])

/** The short title of a control (Annex A or TISAX), both languages. */
export function controlTitle(controlId: string): { en: string; de: string } | undefined {
  const c =
    annexACatalogue().controls.find((x) => x.id === controlId) ??
    tisaxCatalogue().controls.find((x) => x.id === controlId)
  return c?.title
}

/**
 * What each type is stored as, and the texts whose words it is found by. One place, used to
 * write the entries and to re-check a hit.
 */
const SEARCHABLE: Record<SearchType, { recordType: string; texts(id: string, d: Data): Texts }> = {
  risk: {
    recordType: 'risk',
    // The long description last: a record keeps at most `MAX_TERMS` words.
    texts: (id, d) => [id, str(d.title), str(d.threat), str(d.vulnerability), str(d.description)],
  },
  control: {
    recordType: 'cert-soa',
    texts: (_id, d) => {
      const controlId = str(d.controlId) ?? ''
      return [
        controlId,
        ...localized(controlTitle(controlId)),
        str(d.justification),
        ...list(d.evidence).map((e) => str(e.title)),
      ]
    },
  },
  task: {
    recordType: 'task',
    texts: (_id, d) => [...localized(d.title), str(obj(d.subject).title), ...localized(d.description)],
  },
  review: {
    recordType: 'review',
    texts: (_id, d) => [
      ...localized(d.title),
      ...Object.values(obj(d.answers)).map(str),
      ...list(d.actions).map((a) => str(a.title)),
      ...localized(d.note),
    ],
  },
  incident: {
    recordType: 'incident',
    texts: (id, d) => [
      id,
      str(d.title),
      str(d.description),
      str(d.affected),
      str(obj(obj(d.triage).answers).assessment),
      str(d.lessonsLearned),
    ],
  },
}
const BY_RECORD_TYPE = new Map(Object.values(SEARCHABLE).map((s) => [s.recordType, s]))

/** The record type behind a search type. */
export const recordTypeOf = (type: SearchType): string => SEARCHABLE[type].recordType

/** The words a record is found by ([] for a type the search does not know). */
export function searchTermsOf(recordType: string, id: string, data: unknown): string[] {
  const s = BY_RECORD_TYPE.get(recordType)
  return s ? termsOf(...s.texts(id, obj(data))) : []
}

/** The sort keys of a record's index entries (what the record store writes beside it). */
export function searchKeysOf(recordType: string, id: string, data: unknown): string[] {
  return searchTermsOf(recordType, id, data).map((term) => `${PREFIX}${recordType}#${term}#${id}`)
}

/**
 * Ids of the records of one type whose words begin with every one of `words` (one
 * key-condition read per word, at most `limit` entries each, intersected).
 */
export async function findInIndex(
  org: OrgRecords,
  type: SearchType,
  words: readonly string[],
  limit = 200,
): Promise<string[]> {
  if (words.length === 0) return []
  const recordType = recordTypeOf(type)
  const start = `${PREFIX}${recordType}#`
  const perWord = await Promise.all(
    words.map(async (w) => {
      const keys = await org.sideKeys(`${start}${fold(w)}`, limit)
      // The word has no '#'; the id is everything after it (ids may hold '#').
      return new Set(keys.map((sk) => sk.slice(sk.indexOf('#', start.length) + 1)))
    }),
  )
  const [first, ...rest] = perWord
  return [...(first ?? [])].filter((id) => rest.every((s) => s.has(id)))
}

/**
 * Indexes an organisation's existing records once (records written before the index, or
 * before its words changed), and drops the first index's entries; later writes index
 * themselves. Idempotent: running it twice, or alongside writes, puts the same entries.
 */
export async function ensureSearchIndexed(org: OrgRecords): Promise<boolean> {
  if ((await org.sideKeys(BACKFILL_MARK, 1)).length > 0) return false
  for (const { recordType } of Object.values(SEARCHABLE))
    for await (const page of recordPages<unknown>(org, recordType))
      await org.putSide(
        [...new Set(page.flatMap((r) => searchKeysOf(recordType, r.id, r.data)))].map((sk) => ({
          sk,
          item: { kind: 'kept' },
        })),
      )
  for (;;) {
    const old = await org.sideKeys(LEGACY.prefix, 100)
    if (old.length === 0) break
    await org.writeSide({ deletes: old })
  }
  await org.writeSide({ deletes: [LEGACY.mark] })
  await org.putSide([{ sk: BACKFILL_MARK }])
  return true
}

/** The marker saying an organisation's records are in the search index (a new organisation's). */
export const searchMarker = (): AlsoPut => ({ sk: BACKFILL_MARK })

/** Marks a new organisation as indexed: it has no records from before the index to backfill. */
export async function markSearchIndexed(org: OrgRecords): Promise<void> {
  await org.putSide([searchMarker()])
}
