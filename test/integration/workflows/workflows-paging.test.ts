import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, startTestStack } from '../../support/stack.js'
import { forgetTaskIndex } from '../../support/task-index.js'

type Row = { id: string; status: string; startedAt?: string }
type Page = { items: Row[]; cursor?: string }

/** Every page of the workflows list, following the cursors. */
async function everyPage(client: Client, query: string, limit: number) {
  const rows: Row[] = []
  let cursor: string | undefined
  for (let i = 0; i < 200; i++) {
    const res = await client.get(
      `/api/workflows?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    expect(res.status).toBe(200)
    expect(res.body.items.length).toBeLessThanOrEqual(limit)
    rows.push(...res.body.items)
    cursor = res.body.cursor
    if (!cursor) return rows
  }
  throw new Error('the cursor never ended')
}

describe('the workflows list reads one page through its index', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let hafen: Client

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    hafen = await t.signIn('member@hafenstadt.ismsflow.test')
  })
  afterAll(async () => t?.close())

  it('pages with cursors: each execution once, newest first, the same as one big page', async () => {
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
    for (let i = 0; i < 3; i++)
      expect(
        (
          await iso.post('/api/workflows/start', {
            type: 'approval',
            title: { en: `Paging ${i}` },
            dueDate: due,
          })
        ).status,
      ).toBe(201)
    const whole = (await iso.get<Page>('/api/workflows?limit=200')).body.items
    expect(whole.length).toBeGreaterThan(3)
    const paged = await everyPage(iso, '', 2)
    const ids = paged.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(whole.map((r) => r.id))
    // The three just started come first.
    expect(whole.slice(0, 3).every((r) => r.id.includes('approval'))).toBe(true)
    const running = await everyPage(iso, '&status=RUNNING', 2)
    expect(running.map((r) => r.id)).toEqual(whole.filter((r) => r.status === 'RUNNING').map((r) => r.id))
  })

  it("never lists another organisation's executions, not with its cursor either", async () => {
    const nordlicht = await iso.get('/api/workflows?limit=1')
    expect(nordlicht.body.cursor).toBeTruthy()
    const mine = (await hafen.get<Page>('/api/workflows?limit=200')).body.items
    const replayed = await hafen.get<Page>(
      `/api/workflows?limit=200&cursor=${encodeURIComponent(nordlicht.body.cursor)}`,
    )
    expect(replayed.status).toBe(200)
    const all = new Set((await iso.get('/api/workflows?limit=200')).body.items.map((r: Row) => r.id))
    for (const r of [...mine, ...replayed.body.items]) expect(all.has(r.id)).toBe(false)
  })

  it('is built once from the records for an installation from before the index', async () => {
    const before = (await iso.get('/api/workflows?limit=200')).body.items.map((r: Row) => r.id)
    await forgetTaskIndex(t.stack.deps, 'nordlicht')
    expect((await iso.get('/api/workflows')).body.items).toEqual([])
    await t.stack.deps.taskStore.rebuildIndex('nordlicht')
    const after = (await iso.get('/api/workflows?limit=200')).body.items.map((r: Row) => r.id)
    expect([...after].sort()).toEqual([...before].sort())
  })
})
