import { describe, expect, it } from 'vitest'
import type { Task } from '../../../functions/domain/tasks.js'
import { type IndexOrg, taskIndexWrites, taskPage } from '../../../functions/store/inbox-index.js'
import type { OrgRecords, SideRange } from '../../../functions/store/records.js'

const NOW = new Date('2026-12-07T12:00:00.000Z')

const task = (id: string, over: Partial<Task> = {}): Task => ({
  id,
  orgId: 'nordlicht',
  kind: 'approval',
  title: { en: `Approve ${id}`, de: `${id} freigeben` },
  formId: 'approval',
  status: 'open',
  priority: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  excludedUserIds: [],
  context: {},
  workflow: { name: 'approval', executionArn: `arn:${id}`, stateName: 'Decide' },
  delegations: [],
  candidateRole: 'management',
  dueAt: `2026-12-${String(10 + (Number(id.replace(/\D/g, '')) % 18)).padStart(2, '0')}T16:00:00.000Z`,
  ...over,
})

/**
 * The side items of an organisation's tasks as their writes leave them (entries and counters,
 * `taskIndexWrites`), read by a stand-in of the store's side reads that counts its range reads.
 */
function sideStore(tasks: Task[]) {
  const items = new Map<string, Record<string, unknown>>()
  for (const t of tasks) {
    const writes = taskIndexWrites(undefined, {
      orgId: t.orgId,
      type: 'task',
      id: t.id,
      version: 1,
      createdAt: t.createdAt,
      createdBy: 'test',
      updatedAt: t.createdAt,
      updatedBy: 'test',
      data: t,
    })
    for (const p of writes.puts ?? []) items.set(p.sk, { ...p.item })
    for (const c of writes.counts ?? []) {
      const counter = items.get(c.sk) ?? {}
      for (const [a, n] of Object.entries(c.add)) counter[a] = Number(counter[a] ?? 0) + n
      items.set(c.sk, counter)
    }
  }
  const keys = [...items.keys()].sort()
  const ranges: number[] = []
  const records = {
    async sideGet(sks: readonly string[]) {
      return new Map(sks.flatMap((sk) => (items.has(sk) ? [[sk, items.get(sk) ?? {}] as const] : [])))
    },
    async sideRange(r: SideRange) {
      ranges.push(r.limit)
      const inRange = keys.filter((k) => k >= r.from && k <= r.to && (!r.after || k > r.after))
      const read = inRange.slice(0, r.limit)
      return {
        items: read.map((sk) => ({ sk, ...items.get(sk) })),
        count: read.length,
        last: inRange.length > r.limit ? read[read.length - 1] : undefined,
      }
    },
  } as unknown as OrgRecords
  return { records, ranges }
}

const management = (records: OrgRecords): IndexOrg => ({
  orgId: 'nordlicht',
  records,
  userId: 'demo-iso',
  roles: ['iso', 'management'],
})

const page = (org: IndexOrg, limit = 50) =>
  taskPage([org], { view: 'waiting', approvalsFirst: true, limit, now: NOW })

describe("the inbox page's reads", () => {
  // Ids may hold `#` (the order key ends with the id).
  const approvals = Array.from({ length: 60 }, (_, i) => task(i % 10 === 0 ? `a${i}#x#y` : `a${i}`))
  const reviews = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      task(`r${i}`, { kind: 'review', formId: 'review', candidateRole: 'iso', priority: 2 }),
    )

  it('reads a big queue a page at once when the other streams cannot fill the page (no head read first)', async () => {
    const { records, ranges } = sideStore([...approvals, ...reviews(3)])
    const got = await page(management(records))
    // The iso queue whole (3), management's queue a page and one (51): two range reads.
    expect(ranges.sort((a, b) => a - b)).toEqual([51, 51])
    expect(got.total).toBe(63)
    expect(got.items).toHaveLength(50)
    expect(got.items.every((r) => r.id.startsWith('a'))).toBe(true)
    // Each row's id and due date as its task has them.
    const byId = new Map(approvals.map((t) => [t.id, t]))
    for (const r of got.items) {
      expect(byId.get(r.id)?.dueAt).toBe(r.dueAt)
      expect(JSON.parse(r.json).id).toBe(r.id)
    }
    expect(got.items.some((r) => r.id.includes('#'))).toBe(true)
    expect(got.cursor).toBeDefined()
  })

  it('reads the heads of two big queues first, then a page of the one the page takes from', async () => {
    const { records, ranges } = sideStore([...approvals, ...reviews(60)])
    const got = await page(management(records))
    expect(ranges.sort((a, b) => a - b)).toEqual([1, 1, 51])
    expect(got.total).toBe(120)
    expect(got.items.map((r) => r.id)).toEqual(
      [...approvals]
        .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.id.localeCompare(b.id))
        .slice(0, 50)
        .map((t) => t.id),
    )
  })

  it('gives the same pages either way: every task once, approvals first, through the cursors', async () => {
    // One approval without a due date: last of the approvals, and no due date on its row.
    const undated = task('a-undated', { dueAt: undefined })
    for (const n of [3, 60]) {
      const { records } = sideStore([...approvals, undated, ...reviews(n)])
      const org = management(records)
      const whole = await page(org, 200)
      const seen: string[] = []
      let cursor: string | undefined
      for (let i = 0; i < 50; i++) {
        const p = await taskPage([org], { view: 'waiting', approvalsFirst: true, limit: 7, cursor, now: NOW })
        seen.push(...p.items.map((r) => r.id))
        for (const r of p.items) if (r.id === undated.id) expect(r.dueAt).toBeUndefined()
        cursor = p.cursor
        if (!cursor) break
      }
      expect(seen).toEqual(whole.items.map((r) => r.id))
      expect(seen).toHaveLength(61 + n)
      expect(seen.slice(0, 61).every((id) => id.startsWith('a'))).toBe(true)
      expect(seen[60]).toBe(undated.id)
    }
  })
})
