import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareTasks, type InboxView, inView, type Task } from '../../../functions/domain/tasks.js'
import { isApproval } from '../../../functions/store/inbox-index.js'
import { type Client, startTestStack } from '../../support/stack.js'
import { forgetTaskIndex } from '../../support/task-index.js'

type Row = { id: string; orgId: string; status: string; kind: string; badge?: string }
type Page = { items: Row[]; total: number; cursor?: string }
const VIEWS: InboxView[] = ['waiting', 'mine', 'unclaimed', 'completed', 'all']

/** Follows the cursors of a view page by page; answers every row and the totals each page gave. */
async function everyPage<R = Row>(client: Client, path: string, limit: number) {
  const rows: R[] = []
  const totals: number[] = []
  let cursor: string | undefined
  for (let i = 0; i < 500; i++) {
    const sep = path.includes('?') ? '&' : '?'
    const res = await client.get(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    expect(res.status).toBe(200)
    expect(res.body.items.length).toBeLessThanOrEqual(limit)
    rows.push(...res.body.items)
    totals.push(res.body.total)
    cursor = res.body.cursor
    if (!cursor) return { rows, totals }
  }
  throw new Error('the cursor never ended')
}

describe('the inbox reads one page through its index', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let hafen: Client

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    hafen = await t.signIn('member@hafenstadt.ismsflow.test')
    await t.eventually(async () => (await mgmt.get('/api/tasks?view=unclaimed')).body.total >= 3)
  })
  afterAll(async () => t?.close())

  it('pages through every view with cursors: each task once, in the order of one big page, the same total', async () => {
    for (const client of [iso, mgmt])
      for (const view of ['waiting', 'mine', 'unclaimed', 'completed', 'all']) {
        const whole = (await client.get(`/api/tasks?view=${view}&limit=200`)).body
        const paged = await everyPage(client, `/api/tasks?view=${view}`, 2)
        const ids = paged.rows.map((r) => r.id)
        expect(new Set(ids).size).toBe(ids.length)
        expect(ids).toEqual(whole.items.map((r: Row) => r.id))
        expect(paged.totals.every((n) => n === whole.total)).toBe(true)
        expect(whole.total).toBe(whole.items.length)
      }
  })

  it('orders management’s pages approvals first, everyone else’s by due date alone, page after page', async () => {
    const order = (a: Task, b: Task) => compareTasks(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
    const isSorted = (rows: Task[], cmp: (a: Task, b: Task) => number) =>
      rows.every((r, i) => i === 0 || cmp(rows[i - 1], r) <= 0)
    const approvalsFirst = (a: Task, b: Task) => Number(isApproval(b)) - Number(isApproval(a)) || order(a, b)
    for (const view of ['all', 'waiting']) {
      const managed = (await everyPage<Task>(mgmt, `/api/tasks?view=${view}`, 2)).rows
      expect(isSorted(managed, approvalsFirst), view).toBe(true)
      const ines = (await everyPage<Task>(iso, `/api/tasks?view=${view}`, 2)).rows
      expect(isSorted(ines, order), view).toBe(true)
    }
    // The demo gives both: approvals and other tasks in one of management's views.
    const all = (await mgmt.get<{ items: Task[] }>('/api/tasks?view=all&limit=200')).body.items
    expect(all.some(isApproval) && !all.every(isApproval)).toBe(true)
  })

  it("answers what the inbox's rules say, read from the task records themselves", async () => {
    const records = await t.stack.deps.taskStore.list('nordlicht')
    const roles: string[] = (await iso.get('/api/session')).body.principal.roles
    expect(roles).toContain('iso')
    for (const view of VIEWS) {
      const expected = records
        .filter((r) => inView(r.data, view, { userId: iso.userId, roles }))
        .map((r) => r.id)
        .sort()
      const got = (await iso.get(`/api/tasks?view=${view}&limit=200`)).body.items.map((r: Row) => r.id).sort()
      expect(got, view).toEqual(expected)
    }
  })

  it('keeps the index and the counts right through claim and hand-back', async () => {
    const before = (await iso.get<Page>('/api/tasks?view=unclaimed&limit=200')).body
    const [task] = before.items
    const mine = (await iso.get('/api/tasks?view=mine&limit=200')).body
    expect((await iso.post(`/api/tasks/${task.id}/claim`)).status).toBe(200)
    const after = (await iso.get('/api/tasks?view=unclaimed&limit=200')).body
    const mineAfter = (await iso.get('/api/tasks?view=mine&limit=200')).body
    expect(after.total).toBe(before.total - 1)
    expect(after.items.some((r: Row) => r.id === task.id)).toBe(false)
    expect(mineAfter.total).toBe(mine.total + 1)
    expect(mineAfter.items.find((r: Row) => r.id === task.id)).toMatchObject({ status: 'claimed' })
    expect((await iso.post(`/api/tasks/${task.id}/unclaim`)).status).toBe(200)
    expect((await iso.get('/api/tasks?view=unclaimed&limit=200')).body.total).toBe(before.total)
    expect((await iso.get('/api/tasks?view=mine&limit=200')).body.total).toBe(mine.total)
  })

  it('filters by kind and due date within the page, with their totals', async () => {
    const all = (await mgmt.get<Page>('/api/tasks?view=all&limit=200')).body.items
    const kind = all[0].kind
    const byKind = await everyPage(mgmt, `/api/tasks?view=all&kind=${kind}`, 1)
    expect(byKind.rows.map((r) => r.id).sort()).toEqual(
      all
        .filter((r) => r.kind === kind)
        .map((r) => r.id)
        .sort(),
    )
    expect(byKind.totals[0]).toBe(byKind.rows.length)
    for (const due of ['overdue', 'due-soon']) {
      const res = (await mgmt.get(`/api/tasks?view=all&due=${due}&limit=200`)).body
      expect(res.items.every((r: { badge?: string }) => r.badge === due)).toBe(true)
      expect(res.total).toBe(res.items.length)
      expect(res.items.length).toBe(all.filter((r) => r.badge === due).length)
    }
  })

  it("never leaks another organisation's tasks through a cursor, and starts over on a cursor it cannot read", async () => {
    const nordlicht = await iso.get('/api/tasks?view=all&limit=1')
    expect(nordlicht.body.cursor).toBeTruthy()
    const own = (await hafen.get<Page>('/api/tasks?view=all&limit=200')).body.items
    const replayed = await hafen.get(`/api/tasks?view=all&limit=200&cursor=${nordlicht.body.cursor}`)
    expect(replayed.status).toBe(200)
    expect(replayed.body.items.every((r: Row) => r.orgId === 'hafenstadt')).toBe(true)
    expect(replayed.body.items.map((r: Row) => r.id)).toEqual(own.map((r) => r.id))
    const garbage = await iso.get('/api/tasks?view=all&limit=1&cursor=not-a-cursor')
    expect(garbage.status).toBe(200)
    expect(garbage.body.items[0].id).toBe(nordlicht.body.items[0].id)
    const tooLong = await iso.get(`/api/tasks?cursor=${'x'.repeat(5000)}`)
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.error.fields).toHaveProperty('cursor')
  })

  it('builds the index once for tasks written before it existed, with the same pages and counts', async () => {
    const view = async () => (await iso.get('/api/tasks?view=all&limit=200')).body
    const before = await view()
    // As an installation from before the index: no entries, no counters, no version mark.
    await forgetTaskIndex(t.stack.deps, 'nordlicht')
    expect((await view()).total).toBe(0)
    expect(await t.stack.deps.taskStore.rebuildIndex('nordlicht')).toBe(true)
    const after = await view()
    expect(after.total).toBe(before.total)
    expect(after.items.map((r: Row) => r.id)).toEqual(before.items.map((r: Row) => r.id))
    expect(await t.stack.deps.taskStore.rebuildIndex('nordlicht')).toBe(false)
  })
})
