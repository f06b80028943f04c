import { Hono } from 'hono'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { router } from '../../web/src/lib/router.svelte.js'
import { ContextEditor } from '../../web/src/pages/context/context-editor.svelte.js'
import { serveApp, type TestServer } from './support/server.js'

/**
 * Saving and removing a context record (web/src/pages/context/context-editor.svelte.ts)
 * against a small API that answers as `/api/context/issues` does.
 */
type Json = Record<string, unknown>
const IDS = { title: 'issue-title', kind: 'issue-kind-external' }
let writes: { method: string; path: string; body?: Json }[] = []
let refuse: { status: 400 | 409 | 500; body: Json } | undefined

const app = new Hono().all('/api/context/issues/*', async (c) => {
  const body = c.req.method === 'DELETE' ? undefined : await c.req.json<Json>()
  writes.push({ method: c.req.method, path: c.req.path, ...(body ? { body } : {}) })
  const refused = refuse
  refuse = undefined
  if (refused) return c.json(refused.body, refused.status)
  return c.req.method === 'DELETE' ? c.body(null, 204) : c.json({ id: 'i-1', version: 1 })
})
app.post('/api/context/issues', async (c) => {
  writes.push({ method: 'POST', path: c.req.path, body: await c.req.json<Json>() })
  return c.json({ id: 'i-2', version: 1 }, 201)
})

let server: TestServer
beforeAll(async () => {
  server = await serveApp(app, '/context/issues/new')
})
afterAll(() => server.close())
beforeEach(() => {
  writes = []
  refuse = undefined
  history.replaceState(null, '', '/context/issues/i-1')
})

const body = { kind: 'external', title: 'Energy prices', effect: 'Budget for the backup site.' }

describe('ContextEditor', () => {
  it('a problem found on the page is shown, linked to its field; nothing is sent', async () => {
    const editor = new ContextEditor('issues', IDS)
    await editor.save(undefined, { title: 'context.error.title', form: 'common.error.generic' }, body)
    expect(writes).toEqual([])
    expect(editor.problems).toEqual([
      { key: 'context.error.title', field: 'issue-title' },
      { key: 'common.error.generic' },
    ])
    expect(editor.busy).toBe(false)
    expect(location.pathname).toBe('/context/issues/i-1')
  })

  it('a new record is posted, then the context page opens', async () => {
    const editor = new ContextEditor('issues', IDS)
    await editor.save(undefined, {}, body)
    expect(writes).toEqual([{ method: 'POST', path: '/api/context/issues', body }])
    expect(editor.errors).toEqual({})
    expect(location.pathname).toBe('/context')
    expect(router.path).toBe('/context')
  })

  it('a change is put with the version read', async () => {
    const editor = new ContextEditor('issues', IDS)
    await editor.save({ id: 'i-1', version: 4 }, {}, body)
    expect(writes).toEqual([
      { method: 'PUT', path: '/api/context/issues/i-1', body: { ...body, version: 4 } },
    ])
    expect(location.pathname).toBe('/context')
  })

  it("the server's refusals: a stale version, a taken title, named fields, anything else", async () => {
    const editor = new ContextEditor('issues', IDS)
    refuse = { status: 409, body: { error: { code: 'conflict', message: 'Changed meanwhile.' } } }
    await editor.save({ id: 'i-1', version: 3 }, {}, body)
    expect(editor.errors).toEqual({ form: 'context.error.stale' })
    expect(location.pathname).toBe('/context/issues/i-1')

    refuse = {
      status: 400,
      body: {
        error: {
          code: 'validation_failed',
          message: 'Invalid.',
          fields: { title: 'is already recorded', kind: 'is required' },
        },
      },
    }
    await editor.save({ id: 'i-1', version: 3 }, {}, body)
    expect(editor.errors).toEqual({ title: 'context.error.titleTaken', kind: 'context.error.kind' })
    expect(editor.problems.map((p) => p.field)).toEqual(['issue-title', 'issue-kind-external'])

    refuse = { status: 500, body: { error: { code: 'internal', message: 'Broken.' } } }
    await editor.save({ id: 'i-1', version: 3 }, {}, body)
    expect(editor.errors).toEqual({ form: 'common.error.generic' })
    expect(editor.busy).toBe(false)
  })

  it('removes a record, then the context page opens; a failure is shown', async () => {
    const editor = new ContextEditor('issues', IDS)
    refuse = { status: 409, body: { error: { code: 'conflict', message: 'Changed meanwhile.' } } }
    await editor.remove({ id: 'i-1', version: 3 })
    expect(editor.errors).toEqual({ form: 'context.error.stale' })
    expect(location.pathname).toBe('/context/issues/i-1')

    await editor.remove({ id: 'i-1', version: 3 })
    expect(writes.at(-1)).toEqual({ method: 'DELETE', path: '/api/context/issues/i-1' })
    expect(location.pathname).toBe('/context')

    // A new record has nothing to remove.
    await editor.remove(undefined)
    expect(writes).toHaveLength(2)
  })
})
