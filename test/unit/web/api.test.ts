import { describe, expect, it } from 'vitest'
import { ApiError, createApi } from '../../../web/src/lib/api.js'

type Call = { url: string; init: RequestInit }
function fakeFetch(status: number, body?: unknown) {
  const calls: Call[] = []
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init })
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    })
  }) as unknown as typeof globalThis.fetch
  return { fetch, calls }
}

describe('api client', () => {
  it('sends x-org-id always and x-csrf-token only on state-changing requests', async () => {
    const f = fakeFetch(200, { ok: true })
    const api = createApi({ fetch: f.fetch })
    api.configure({ csrfToken: 'tok', orgId: 'nordlicht' })
    await api.get('/api/orgs/current')
    await api.post('/api/x', { a: 1 })
    const [get, post] = f.calls.map((c) => c.init.headers as Record<string, string>)
    expect(get['x-org-id']).toBe('nordlicht')
    expect(get['x-csrf-token']).toBeUndefined()
    expect(post).toMatchObject({
      'x-org-id': 'nordlicht',
      'x-csrf-token': 'tok',
      'content-type': 'application/json',
    })
    expect(f.calls[1].init.body).toBe('{"a":1}')
  })

  it('turns {error: {code, message, fields}} into a typed ApiError', async () => {
    const api = createApi({
      fetch: fakeFetch(400, {
        error: { code: 'validation_failed', message: 'bad', fields: { email: 'is wrong' }, requestId: 'r1' },
      }).fetch,
    })
    const err = await api.post('/api/session', {}).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'bad',
      fields: { email: 'is wrong' },
      requestId: 'r1',
    })
  })

  it('reports an unreachable server as code network, and a 401 outside sign-in as the session ending', async () => {
    const down = createApi({
      fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch,
    })
    await expect(down.get('/api/x')).rejects.toMatchObject({ status: 0, code: 'network' })
    const api = createApi({
      fetch: fakeFetch(401, { error: { code: 'unauthenticated', message: 'Sign in first.' } }).fetch,
    })
    let ended = 0
    api.onUnauthenticated(() => ended++)
    await api.post('/api/session', {}).catch(() => {})
    expect(ended).toBe(0)
    await api.get('/api/audit').catch(() => {})
    expect(ended).toBe(1)
  })

  it('answers undefined for 204', async () => {
    const api = createApi({ fetch: fakeFetch(204).fetch })
    await expect(api.delete('/api/session')).resolves.toBeUndefined()
  })
})
