import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiHarness } from './support.js'

describe('GET /api/health', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  beforeAll(async () => {
    // The harness's engine endpoint is a closed port: the store answers, the engine does not.
    h = await apiHarness({ seed: false })
  })
  afterAll(async () => h.close())

  it('probes the store and the engine through their ports and answers 503 when one does not answer', async () => {
    const res = await h.app.request('/api/health')
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ status: 'degraded', store: { ok: true }, engine: { ok: false } })
  })
})
