/**
 * The work index: small sort-key-only entries in the organisation's partition that list what is
 * open — tasks (`task-index.ts`), review cycles by due time, open incidents, and risks that are not
 * closed by their residual cell of the matrix. `records.ts` computes a record's entries from its
 * data on every write and adds and drops them in the record's own transaction, so the index can
 * never lag behind a record; readers read one key condition and count the keys. Records written
 * before the index existed are indexed once per organisation (`ensureWorkIndexed`).
 */
import { OPEN_REVIEW_STATUSES } from '../domain/reviews/types.js'
import type { AlsoPut, OrgRecords } from './records.js'
import { isRecord, taskKeys } from './task-index.js'

/** Open review cycles by due time: `REVIEWOPEN#<dueAt>#<id>`. */
export const REVIEW_OPEN = 'REVIEWOPEN#'
/** Open incidents by awareness: `INCIDENTOPEN#<awareAt>#<id>`. */
export const INCIDENT_OPEN = 'INCIDENTOPEN#'
/** Risks not closed, by residual cell: `RISKCELL#<likelihood>#<impact>#<id>`. */
export const RISK_CELL = 'RISKCELL#'

const obj = (v: unknown) => (isRecord(v) ? v : undefined)
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** The entries of each record type the index keeps, from the record's data alone. */
const KEYS: Record<string, (id: string, data: unknown) => string[]> = {
  task: taskKeys,
  review: (id, data) => {
    const d = obj(data)
    if (!d || !OPEN_REVIEW_STATUSES.some((s) => s === d.status) || typeof d.dueAt !== 'string') return []
    return [`${REVIEW_OPEN}${d.dueAt}#${id}`]
  },
  incident: (id, data) => {
    // Open until it has a closing time (`isOpenIncident`).
    const d = obj(data)
    if (!d || typeof d.awareAt !== 'string' || d.closedAt !== undefined) return []
    return [`${INCIDENT_OPEN}${d.awareAt}#${id}`]
  },
  risk: (id, data) => {
    const d = obj(data)
    if (!d || d.status === 'closed') return []
    const l = num(d.residualLikelihood) ?? num(d.likelihood)
    const i = num(d.residualImpact) ?? num(d.impact)
    return l === undefined || i === undefined ? [] : [`${RISK_CELL}${l}#${i}#${id}`]
  },
}

/** Types the work index keeps entries for. */
export const WORK_INDEX_TYPES = Object.keys(KEYS)

/** The work-index entries (sort keys) of one record; none for types the index does not keep. */
export function keptKeys(type: string, id: string, data: unknown): string[] {
  const keys = KEYS[type]
  return keys ? keys(id, data) : []
}

/** The last part of an entry: the record's id. */
export const idOfEntry = (sk: string) => sk.slice(sk.lastIndexOf('#') + 1)
/** The part before the id (a due time or awareness time). */
export const timeOfEntry = (sk: string) => {
  const parts = sk.split('#')
  return parts.at(-2) ?? ''
}

/** Marks an organisation whose records were indexed once. */
const INDEXED_MARK = 'WORKINDEXED#v1'

/** The marker saying an organisation's records are in the work index (a new organisation's). */
export const workIndexMarker = (): AlsoPut => ({ sk: INDEXED_MARK })

/**
 * Indexes the organisation's existing records once (records written before the index existed;
 * every later write keeps its own entries). Idempotent: entries are plain puts of keys.
 */
export async function ensureWorkIndexed(org: OrgRecords): Promise<void> {
  if ((await org.sideKeys(INDEXED_MARK, 1)).length > 0) return
  for (const type of WORK_INDEX_TYPES) {
    const records = await org.all<unknown>(type)
    const keys = records.flatMap((r) => keptKeys(type, r.id, r.data))
    await org.putSide(keys.map((sk) => ({ sk, item: { kind: 'kept' } })))
  }
  await org.putSide([{ sk: INDEXED_MARK }])
}
