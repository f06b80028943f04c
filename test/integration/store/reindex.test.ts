import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError } from '../../../functions/domain/errors.js'
import { RISK_STATUSES } from '../../../functions/domain/risk/risk.js'
import { reindexAll } from '../../../functions/steps/reindex.js'
import {
  ensureListIndexed,
  LIST_STAMP,
  listChanges,
  listCountsByPrefix,
  listVersion,
} from '../../../functions/store/list-index.js'
import type { OrgRecords } from '../../../functions/store/records.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { forgetLists } from '../../support/list-index.js'
import { sideItemsUnder } from '../../support/side-items.js'
import { type Client, startTestStack } from '../../support/stack.js'
import { forgetTaskIndex, TASK_INDEX_PREFIXES } from '../../support/task-index.js'

/** More risks than one read of a stream (200) and one page of records (200). */
const RISKS = 230
const TASKS = 12
const ACTOR = { actor: { userId: 'demo-iso' }, action: 'probe.create' }
/** Every prefix an index keeps in an organisation's partition (entries, counters, version marks). */
const INDEX_PREFIXES = ['LIX#', 'LCNT#', 'LISTINDEXED#', ...TASK_INDEX_PREFIXES]

type Row = { id: string }

/**
 * The re-index (functions/steps/reindex.ts), which AWS runs on deploy and the local stack at
 * start: an organisation whose records were written before their indexes (records, no entries,
 * no counters, no version marks) gets them, a page of organisations per step, so its lists
 * show every record; a second run changes nothing; another organisation is left as it was.
 */
describe('the re-index builds what an older version left unindexed', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client

  const sideItems = async (org: OrgRecords) => {
    const out: Record<string, unknown>[] = []
    for (const prefix of INDEX_PREFIXES) out.push(...(await sideItemsUnder(org, prefix)))
    return out
  }

  /** Every page of a list, following its cursor; the totals each page gave. */
  async function everyPage(path: string) {
    const rows: string[] = []
    const totals = new Set<number>()
    let cursor: string | undefined
    for (let i = 0; i < 100; i++) {
      const res = await iso.get(`${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      expect(res.status).toBe(200)
      rows.push(...res.body.items.map((r: Row) => r.id))
      totals.add(res.body.total)
      cursor = res.body.cursor
      if (!cursor) return { rows, totals: [...totals] }
    }
    throw new Error('the cursor never ended')
  }

  /** A risk as the register keeps it (the fields its lists read). */
  const riskData = (n: number, now: number) => ({
    title: `Old risk ${n}`,
    category: 'technical',
    assets: [],
    plan: null,
    measureProgress: {},
    rounds: [],
    decisions: [],
    status: 'accepted',
    ownerId: 'demo-iso',
    likelihood: 1 + (n % 5),
    impact: 2,
    acceptance: {
      status: 'active',
      expiresOn: new Date(now + n * 86_400_000).toISOString().slice(0, 10),
    },
  })

  /** A task as the inbox index reads it (`isTask`). */
  const task = (n: number, now: number) => ({
    id: `probe-task-${n}`,
    kind: 'approval',
    formId: 'approval',
    title: { en: `Old task ${n}`, de: `Alte Aufgabe ${n}` },
    status: 'open',
    candidateRole: 'iso',
    priority: 1,
    createdAt: new Date(now - n * 60_000).toISOString(),
    dueAt: new Date(now + n * 86_400_000).toISOString(),
    workflow: {
      name: 'approval',
      executionArn: `arn:aws:states:eu-central-1:000000000000:execution:ismsflow-approval:probe-${n}`,
      stateName: 'Approve',
    },
  })

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    // The organisations as this version leaves them (the seed wrote after the start's run).
    await reindexAll(t.stack.deps)
    const now = t.stack.clock.nowMs()
    for (const orgId of ['nordlicht', 'hafenstadt']) {
      const org = t.stack.deps.records.forOrg(orgId)
      const count = orgId === 'nordlicht' ? RISKS : 5
      for (let n = 0; n < count; n += 25)
        await Promise.all(
          Array.from({ length: Math.min(25, count - n) }, (_, i) =>
            org.create('risk', `R-${700 + n + i}`, riskData(n + i, now), ACTOR),
          ),
        )
    }
    // Tasks as an older version stored them: the record only (the inbox's entries came later).
    const nordlicht = t.stack.deps.records.forOrg('nordlicht')
    for (let n = 1; n <= TASKS; n++) await nordlicht.create('task', `probe-task-${n}`, task(n, now), ACTOR)
    // Nordlicht as an installation from before the indexes: its records, nothing beside them.
    await nordlicht.writeSide({ deletes: (await sideItems(nordlicht)).map((i) => String(i.sk)) })
    await forgetLists(t.stack.deps, 'nordlicht')
    await forgetTaskIndex(t.stack.deps, 'nordlicht')
    expect(await sideItems(nordlicht)).toEqual([])
  }, 600_000)
  afterAll(async () => t?.close())

  it('builds the indexes per organisation, page by page; the lists show every record', async () => {
    const hafenstadt = t.stack.deps.records.forOrg('hafenstadt')
    const theirsBefore = await sideItems(hafenstadt)
    expect(theirsBefore.length).toBeGreaterThan(0)
    // One organisation per step: the run goes on from each step's cursor.
    const run = await reindexAll(t.stack.deps, { limit: 1 })
    expect(run.orgs).toBeGreaterThanOrEqual(2)
    expect(run.rebuilt).toEqual(
      expect.arrayContaining(['nordlicht:tasks', 'nordlicht:list:risk', 'nordlicht:list:review']),
    )
    expect(run.rebuilt.filter((r) => !r.startsWith('nordlicht:'))).toEqual([])
    // Another organisation's index is as it was.
    expect(await sideItems(hafenstadt)).toEqual(theirsBefore)

    const ids = (await t.stack.deps.records.forOrg('nordlicht').all('risk')).map((r) => r.id).sort()
    expect(ids.length).toBeGreaterThanOrEqual(RISKS)
    const risks = await everyPage('/api/risks?sort=id&limit=100')
    expect([...risks.rows].sort()).toEqual(ids)
    expect(risks.totals).toEqual([ids.length])
    const tasks = await everyPage('/api/tasks?view=all&limit=5')
    expect(tasks.rows.filter((id) => id.startsWith('probe-task-')).sort()).toEqual(
      Array.from({ length: TASKS }, (_, i) => `probe-task-${i + 1}`).sort(),
    )
    expect(tasks.totals).toEqual([tasks.rows.length])
    const today = new Date(t.stack.clock.nowMs()).toISOString().slice(0, 10)
    const calendar = await iso.get(`/api/calendar?from=${today}&to=${today.slice(0, 4)}-12-31`)
    expect(calendar.body.items.some((i: { kind: string }) => i.kind === 'acceptance-expiry')).toBe(true)
  })

  it('does nothing the second time: the same entries, no duplicates, the same totals', async () => {
    const nordlicht = t.stack.deps.records.forOrg('nordlicht')
    const before = await sideItems(nordlicht)
    const again = await reindexAll(t.stack.deps)
    expect(again.rebuilt).toEqual([])
    expect(await sideItems(nordlicht)).toEqual(before)
    const risks = await everyPage('/api/risks?sort=id&limit=100')
    expect(new Set(risks.rows).size).toBe(risks.rows.length)
    expect(risks.totals).toEqual([risks.rows.length])
  })

  /**
   * The re-index on AWS runs while the API is live: records are created, changed and removed
   * while their lists are built. Here every kind of write lands between the rebuild's read of a
   * page and its stamps (the rebuild's own store object writes first, then stamps), while a
   * writer runs beside two rebuilds at once; afterwards every entry and every count is what the
   * records say, once each.
   */
  it('writes while it builds leave every entry and count as the records say', async () => {
    const nordlicht = t.stack.deps.records.forOrg('nordlicht')
    const version = listVersion('risk')
    await forgetLists(t.stack.deps, 'nordlicht', ['risk'])
    const now = t.stack.clock.nowMs()
    let created = 0
    const create = () => {
      const n = created++
      return nordlicht.create('risk', `R-9${String(n).padStart(3, '0')}`, riskData(n, now), ACTOR)
    }
    /** A write that meets another one on the same record (changed or gone meanwhile) is left out. */
    const unlessRaced = async (write: () => Promise<unknown>) => {
      try {
        await write()
        return true
      } catch (err) {
        if (err instanceof NotFoundError || err instanceof ConflictError) return false
        throw err
      }
    }
    const change = (id: string, n: number) =>
      unlessRaced(() =>
        nordlicht.mutate<Record<string, unknown>>(
          'risk',
          id,
          (d) => ({
            ...d,
            status: RISK_STATUSES[n % RISK_STATUSES.length],
            likelihood: 1 + (n % 5),
            title: `Changed ${n}`,
            measureProgress: { m1: { status: n % 2 ? 'done' : 'open' } },
          }),
          ACTOR,
        ),
      )
    const removed = new Set<string>()
    const remove = async (id: string) => {
      if (await unlessRaced(() => nordlicht.remove('risk', id, ACTOR))) removed.add(id)
    }
    // Between the rebuild's read and its stamps: the batch's records change and go, others come.
    let raced = 0
    const racing: OrgRecords = {
      ...nordlicht,
      stampRecords: async (attr, value, recs, side) => {
        if (raced < 30) {
          const n = raced++
          const [first, second] = recs
          await Promise.all([
            first && change(first.id, n),
            second && n % 3 === 0 ? remove(second.id) : undefined,
            create(),
          ])
        }
        return nordlicht.stampRecords(attr, value, recs, side)
      },
    }
    // And a writer of its own beside it all, until the rebuilds are done.
    let building = true
    let beside = 0
    const writer = async () => {
      const ids = (await nordlicht.all('risk')).map((r) => r.id).filter((id) => id.startsWith('R-7'))
      for (let n = 0; building; n++) {
        const id = ids[(n * 7) % ids.length]
        if (n % 4 === 3) await remove(id)
        else if (n % 4 === 2) await create()
        else await change(id, n + 1)
        beside++
      }
    }
    const rebuilds = Promise.all([
      ensureListIndexed(racing, 'risk', { recheck: true }),
      ensureListIndexed(nordlicht, 'risk', { recheck: true }),
    ]).finally(() => {
      building = false
    })
    const [built] = await Promise.all([rebuilds, writer()])
    expect(built).toContain(true)
    expect(raced).toBeGreaterThan(10)
    expect(beside).toBeGreaterThan(3)
    expect(removed.size).toBeGreaterThan(3)

    // Every record counted at this version, and the index exactly what the records say.
    const records: {
      id: string
      data: unknown
      meta: { version: number; createdAt: string; updatedAt: string }
    }[] = []
    let cursor: string | undefined
    do {
      const page = await nordlicht.listStamped('risk', LIST_STAMP, { cursor })
      for (const { rec, stamp } of page.items) {
        expect(stamp, rec.id).toBe(version)
        records.push({ id: rec.id, data: rec.data, meta: rec })
      }
      cursor = page.cursor
    } while (cursor)
    for (const id of removed) expect(records.some((r) => r.id === id)).toBe(false)
    const entries = new Map<string, Record<string, unknown>>()
    const counts = new Map<string, number>()
    for (const r of records) {
      const c = listChanges('risk', r.id, undefined, { data: r.data, meta: r.meta })
      for (const p of c.puts) entries.set(p.sk, p.item)
      for (const [k, n] of Object.entries(c.counts[0]?.add ?? {})) counts.set(k, (counts.get(k) ?? 0) + n)
    }
    const stored = new Map<string, Record<string, unknown>>()
    for (const { sk, ...item } of await sideItemsUnder(nordlicht, 'LIX#risk'))
      if (sk.startsWith('LIX#risk#') || sk.startsWith('LIX#risk@')) stored.set(sk, item)
    expect(stored.size).toBe(entries.size)
    expect(new Map([...stored].sort())).toEqual(new Map([...entries].sort()))
    const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, n]) => n !== 0).sort())
    expect(nonZero(await listCountsByPrefix(nordlicht, 'risk', ''))).toEqual(nonZero(counts))

    // The register as people page through it (closed ones too): every risk once, the total right.
    const risks = await everyPage('/api/risks?sort=id&limit=100&closed=include')
    expect([...risks.rows].sort()).toEqual(records.map((r) => r.id).sort())
    expect(risks.totals).toEqual([records.length])
  })
})
