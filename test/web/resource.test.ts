import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ApiError, api } from '../../web/src/lib/api.js'
import { Paged, Resource } from '../../web/src/lib/resource.svelte.js'
import { openPage, pause, serveApp, type TestServer } from './support/server.js'

/**
 * `Resource` and `Paged` (web/src/lib/resource.svelte.ts), compiled with their runes, loading
 * through the app's API client from a real server.
 */
let server: TestServer
let failing = false
let reads = 0
const slow = new Map<string, number>()

const app = new Hono()
  .get('/api/thing', async (c) => {
    reads++
    const n = reads
    const wait = slow.get(c.req.query('tag') ?? '')
    if (wait) await pause(wait)
    if (failing) return c.json({ error: { code: 'internal', message: 'Broken.', requestId: 'req-1' } }, 500)
    return c.json({ n, tag: c.req.query('tag') ?? null })
  })
  .get('/api/missing', (c) => c.json({ error: { code: 'not_found', message: 'No such thing.' } }, 404))
  .get('/api/items', (c) => {
    const from = Number(c.req.query('cursor') ?? 0)
    if (c.req.query('cursor') === 'broken')
      return c.json({ error: { code: 'internal', message: 'Broken.' } }, 500)
    const items = [from + 1, from + 2]
    return c.json({ items, ...(from < 4 ? { cursor: String(from + 2) } : {}) })
  })
  .get('/api/counted', (c) => {
    const from = Number(c.req.query('cursor') ?? 0)
    // Five in all: pages of two, the last of one.
    const items = [from + 1, from + 2].filter((n) => n <= 5)
    return c.json({ items, total: 5, ...(from + 2 < 5 ? { cursor: String(from + 2) } : {}) })
  })

beforeAll(async () => {
  server = await serveApp(app)
})
afterAll(() => server.close())

type Thing = { n: number; tag: string | null }
const thing =
  (tag: () => string = () => '') =>
  (signal: AbortSignal) =>
    api.get<Thing>(`/api/thing${tag() ? `?tag=${tag()}` : ''}`, { signal })

describe('Resource', () => {
  it('loads on creation: loading, then ready with the value', async () => {
    const r = new Resource(thing())
    expect(r.status).toBe('loading')
    expect(r.value).toBeUndefined()
    await vi.waitFor(() => expect(r.status).toBe('ready'))
    expect(r.value?.n).toBeGreaterThan(0)
    expect(r.error).toBeUndefined()
  })

  it('a lazy resource asks nothing until load()', async () => {
    const before = reads
    const r = new Resource(thing(), { lazy: true })
    await pause(50)
    expect(reads).toBe(before)
    expect(r.status).toBe('loading')
    await r.load()
    expect(r.status).toBe('ready')
    expect(reads).toBe(before + 1)
  })

  it("a failed request is kept as the API's error; load() again recovers and forgets it", async () => {
    failing = true
    const r = new Resource(thing(), { lazy: true })
    await r.load()
    expect(r.status).toBe('failed')
    expect(r.error).toBeInstanceOf(ApiError)
    expect(r.error).toMatchObject({ status: 500, code: 'internal', requestId: 'req-1' })
    expect(r.value).toBeUndefined()

    failing = false
    const again = r.load()
    expect(r.status).toBe('loading')
    await again
    expect(r.status).toBe('ready')
    expect(r.error).toBeUndefined()
  })

  it('a 404 fails with its status (Loadable says "not found" instead of offering a retry)', async () => {
    const r = new Resource((signal) => api.get('/api/missing', { signal }), { lazy: true })
    await r.load()
    expect(r.status).toBe('failed')
    expect(r.error).toMatchObject({ status: 404, code: 'not_found', message: 'No such thing.' })
  })

  it('a quiet reload keeps the value shown; a plain one shows loading', async () => {
    const r = new Resource(thing(), { lazy: true })
    await r.load()
    const first = r.value?.n

    const quiet = r.load({ quiet: true })
    expect(r.status).toBe('ready')
    expect(r.value?.n).toBe(first)
    await quiet
    expect(r.value?.n).toBeGreaterThan(first ?? 0)

    const plain = r.load()
    expect(r.status).toBe('loading')
    await plain
    expect(r.status).toBe('ready')
  })

  it('a failed quiet reload shows the failure (and keeps the last value)', async () => {
    const r = new Resource(thing(), { lazy: true })
    await r.load()
    const kept = r.value
    failing = true
    try {
      await r.load({ quiet: true })
    } finally {
      failing = false
    }
    expect(r.status).toBe('failed')
    expect(r.value).toEqual(kept)
  })

  it('the newest load wins: an older answer arriving later is dropped', async () => {
    slow.set('old', 300)
    let tag = 'old'
    const r = new Resource(
      thing(() => tag),
      { lazy: true },
    )
    const older = r.load()
    // Asked again while the first answer is on its way (a retry, a refresh after a change).
    await pause(20)
    tag = 'new'
    const newer = r.load()
    await Promise.all([older, newer])
    expect(r.status).toBe('ready')
    expect(r.value?.tag).toBe('new')
    await pause(350)
    expect(r.value?.tag).toBe('new')
    expect(r.error).toBeUndefined()
  })

  it('an unreachable server fails with code network', async () => {
    const gone = await serveApp(new Hono())
    await gone.close()
    const r = new Resource(thing(), { lazy: true })
    try {
      await r.load()
    } finally {
      openPage(server.origin)
    }
    expect(r.status).toBe('failed')
    expect(r.error).toMatchObject({ status: 0, code: 'network' })
  })
})

describe('Paged', () => {
  const pages = () =>
    new Paged<number>((cursor, signal) =>
      api.get<{ items: number[]; cursor?: string }>(`/api/items${cursor ? `?cursor=${cursor}` : ''}`, {
        signal,
      }),
    )

  it('loads the first page; more() appends the next until the API gives no cursor', async () => {
    const list = pages()
    expect(list.value).toBeUndefined()
    await vi.waitFor(() => expect(list.status).toBe('ready'))
    expect(list.value).toEqual([1, 2])
    expect(list.hasMore).toBe(true)

    await list.more()
    expect(list.items).toEqual([1, 2, 3, 4])
    await list.more()
    expect(list.items).toEqual([1, 2, 3, 4, 5, 6])
    expect(list.hasMore).toBe(false)
    expect(list.loadingMore).toBe(false)

    // Nothing more to ask for.
    await list.more()
    expect(list.items).toHaveLength(6)
  })

  it('a failed "Show more" keeps the list and its error apart; the next try goes on', async () => {
    const list = pages()
    await vi.waitFor(() => expect(list.status).toBe('ready'))
    list.cursor = 'broken'
    await list.more()
    expect(list.status).toBe('ready')
    expect(list.items).toEqual([1, 2])
    expect(list.moreError).toMatchObject({ status: 500 })
    expect(list.loadingMore).toBe(false)

    list.cursor = '2'
    await list.more()
    expect(list.moreError).toBeUndefined()
    expect(list.items).toEqual([1, 2, 3, 4])
  })

  it('keeps the API\'s total and how many the last "Show more" added; a reload forgets what was added', async () => {
    const list = new Paged<number>((cursor, signal) =>
      api.get<{ items: number[]; cursor?: string; total: number }>(
        `/api/counted${cursor ? `?cursor=${cursor}` : ''}`,
        { signal },
      ),
    )
    await vi.waitFor(() => expect(list.status).toBe('ready'))
    expect([list.shown, list.total, list.added]).toEqual([2, 5, 0])
    await list.more()
    expect([list.shown, list.total, list.added]).toEqual([4, 5, 2])
    await list.more()
    expect([list.shown, list.total, list.added, list.hasMore]).toEqual([5, 5, 1, false])
    await list.load({ quiet: true })
    expect([list.shown, list.total, list.added]).toEqual([2, 5, 0])
    // A list whose API does not count has no total.
    const uncounted = pages()
    await vi.waitFor(() => expect(uncounted.status).toBe('ready'))
    expect(uncounted.total).toBeUndefined()
  })

  it('load() starts again from the first page; quiet keeps the list meanwhile', async () => {
    const list = pages()
    await vi.waitFor(() => expect(list.status).toBe('ready'))
    await list.more()
    const reload = list.load({ quiet: true })
    expect(list.status).toBe('ready')
    expect(list.items).toEqual([1, 2, 3, 4])
    await reload
    expect(list.items).toEqual([1, 2])
    expect(list.hasMore).toBe(true)
  })
})
