/**
 * Indexes built beside live writes: the one rule the list index (`list-index.ts`) and the inbox's
 * and workflows list's index (`task-reindex.ts`) follow.
 *
 * An index keeps its items (entries, counters) under a version of its own: its keys name the
 * version, so a new version is built beside the old one, which stays untouched until it is
 * dropped. Each record the index counts carries a stamp on its item (`Stamp`: an attribute
 * holding the version it is counted in), and the version's items hold exactly what the records
 * stamped with it add:
 * - a write (`records.ts`) stamps the record and moves the index from what the record added
 *   before — only when it was stamped with this version; otherwise it adds the record afresh —
 *   to what it adds now, in the record's transaction, conditional on the stamp it read. A
 *   rebuild that stamped the record meanwhile fails that condition (not the version's), and the
 *   write reads the record again;
 * - a rebuild (`stampAll`) stamps each record not stamped with the version yet and adds what it
 *   adds, in one transaction conditional on the record's version and on its stamp being another.
 *   A record changed or stamped meanwhile fails that, and is read again and counted on its own.
 *
 * So each record is added once, by its writer or by a rebuild, whatever the interleaving, and two
 * rebuilds at once stamp each record once. When every record is stamped the version's marker is
 * set (`ensureBuilt`: readers need not build any more, a second run writes nothing) and what other
 * versions left is deleted (`dropAllBut`). Versions only go up: code rolled back to an older
 * layout needs a new version number.
 */
import type { AlsoPut, OrgRecords, SideUpdate, SideWrites, StoredRecord } from './records.js'

/** The attribute of a record's item naming the version of an index it is counted in, and this code's version. */
export interface Stamp {
  attr: string
  version: number
}

const sum = (a: Record<string, number> = {}, b: Record<string, number> = {}) => {
  const out = { ...a }
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n
  return out
}

/**
 * Several records' side writes as one transaction may hold them: the numbers added to the same
 * counter summed into one, the changes of the same item in place into one (a transaction touches
 * an item once).
 */
export function mergeSides(all: readonly SideWrites[]): SideWrites {
  const puts: AlsoPut[] = []
  const deletes: string[] = []
  const counts = new Map<string, Record<string, number>>()
  const updates = new Map<string, SideUpdate>()
  for (const w of all) {
    puts.push(...(w.puts ?? []))
    deletes.push(...(w.deletes ?? []))
    for (const c of w.counts ?? []) counts.set(c.sk, sum(counts.get(c.sk), c.add))
    for (const u of w.updates ?? []) {
      const was = updates.get(u.sk)
      updates.set(
        u.sk,
        was
          ? {
              sk: u.sk,
              set: { ...was.set, ...u.set },
              remove: [...(was.remove ?? []), ...(u.remove ?? [])],
              add: sum(was.add, u.add),
            }
          : u,
      )
    }
  }
  return {
    puts,
    deletes,
    counts: [...counts].map(([sk, add]) => ({ sk, add })),
    updates: [...updates.values()],
  }
}

/** How many items of a transaction side writes take at most. */
const sideSize = (w: SideWrites) =>
  (w.puts?.length ?? 0) + (w.deletes?.length ?? 0) + (w.counts?.length ?? 0) + (w.updates?.length ?? 0)

/** Records one rebuild transaction stamps at most (their side writes in the same). */
const STAMP_BATCH = 20
/** Most items of one transaction (DynamoDB's limit). */
const MAX_ITEMS = 100

/** What a record adds to an index when it is counted afresh (its side writes as if created). */
export type CountOf = (rec: StoredRecord<unknown>) => SideWrites | Promise<SideWrites>

/**
 * Counts one record into an index at this version, as it is stored now: stamps it and adds what it
 * adds unless it is stamped already (its writer counted it) or gone. A record changed between the
 * read and the stamp is read again.
 */
async function stampOne(org: OrgRecords, type: string, stamp: Stamp, id: string, countOf: CountOf) {
  for (let attempt = 0; attempt < 10; attempt++) {
    const cur = await org.getStamped<unknown>(type, id, stamp.attr)
    if (!cur || cur.stamp === stamp.version) return
    if (await org.stampRecords(stamp.attr, stamp.version, [cur.rec], await countOf(cur.rec))) return
  }
  throw new Error(`store: ${type} ${id} kept changing while its index was built`)
}

/**
 * Counts every record of a type that is not stamped with this version into the index (see the
 * head of this file): a page of records at a time, as many per transaction as it holds; a batch
 * one of whose records changed meanwhile is counted record by record, as each is stored now.
 */
export async function stampAll(org: OrgRecords, type: string, stamp: Stamp, countOf: CountOf) {
  let cursor: string | undefined
  do {
    const page = await org.listStamped<unknown>(type, stamp.attr, { cursor, limit: 200 })
    const todo = page.items.filter((r) => r.stamp !== stamp.version).map((r) => r.rec)
    const counts: SideWrites[] = []
    for (const r of todo) counts.push(await countOf(r))
    for (let i = 0; i < todo.length; ) {
      const batch: StoredRecord<unknown>[] = []
      let side: SideWrites = {}
      for (; i < todo.length && batch.length < STAMP_BATCH; i++) {
        const next = mergeSides([side, counts[i]])
        if (batch.length && batch.length + 1 + sideSize(next) > MAX_ITEMS) break
        batch.push(todo[i])
        side = next
      }
      if (!(await org.stampRecords(stamp.attr, stamp.version, batch, side)))
        for (const r of batch) await stampOne(org, type, stamp, r.id, countOf)
    }
    cursor = page.cursor
  } while (cursor)
}

/** Organisations' indexes known to be built in this process (one marker read each). */
const built = new Set<string>()

/** Notes that an organisation's marker `mark` is written (by its creation): this process need not read it. */
export function noteBuilt(org: OrgRecords, mark: string): void {
  built.add(`${org.orgId}|${mark}`)
}

/**
 * Builds an organisation's index at its version unless its marker says it is built: `build`
 * (which counts the records, `stampAll`), then the marker, then `drop` (what other versions left).
 * Idempotent and safe beside live writes and other builds (see the head of this file). A process
 * remembers an organisation it found built; `recheck` reads the marker again. Answers whether it built.
 */
export async function ensureBuilt(
  org: OrgRecords,
  o: {
    mark: string
    version: number
    recheck?: boolean
    build: () => Promise<void>
    drop: () => Promise<void>
  },
): Promise<boolean> {
  const key = `${org.orgId}|${o.mark}`
  if (built.has(key) && !o.recheck) return false
  if ((await org.sideGet([o.mark])).has(o.mark)) {
    built.add(key)
    return false
  }
  await o.build()
  await org.putSide([{ sk: o.mark, item: { version: o.version } }])
  await o.drop()
  built.add(key)
  return true
}

/** The last string before `k` that no key under `k` follows (`k` with its last character one lower, then the highest). */
const justBefore = (k: string) =>
  `${k.slice(0, -1)}${String.fromCharCode(k.charCodeAt(k.length - 1) - 1)}\uffff`

/**
 * Deletes the side items under each of `prefixes` except those under one of `keep` (the current
 * version's prefixes or keys): reads only the ranges between the kept ones, not the kept items.
 */
export async function dropAllBut(org: OrgRecords, prefixes: readonly string[], keep: readonly string[]) {
  for (const prefix of prefixes) {
    if (keep.includes(prefix)) continue
    const inside = keep.filter((k) => k.startsWith(prefix) && k !== prefix).sort()
    const ranges: { from: string; to: string }[] = []
    let from = prefix
    for (const k of inside) {
      ranges.push({ from, to: justBefore(k) })
      from = `${k}\uffff`
    }
    ranges.push({ from, to: `${prefix}\uffff` })
    for (const r of ranges) {
      if (r.from > r.to) continue
      let after: string | undefined
      do {
        const out = await org.sideRange({ ...r, after, limit: 500 })
        if (out.items.length) await org.writeSide({ deletes: out.items.map((i) => i.sk) })
        after = out.last
      } while (after)
    }
  }
}
