import { Hono } from 'hono'
import type { AppEnv } from '../env.js'

/** `GET /api/health`: whether the store and the workflow engine answer. 503 when either does not. */
export const health = new Hono<AppEnv>().get('/', async (c) => {
  const { storeProbe, workflows } = c.get('deps')
  const probe = async (fn: () => Promise<unknown>) => {
    const t = performance.now()
    try {
      await fn()
      return { ok: true, ms: Math.round(performance.now() - t) }
    } catch (err) {
      return { ok: false, error: (err as Error).name || 'Error' }
    }
  }
  const [store, engine] = await Promise.all([probe(storeProbe), probe(() => workflows.ping())])
  const ok = store.ok && engine.ok
  return c.json({ status: ok ? 'ok' : 'degraded', store, engine }, ok ? 200 : 503)
})
