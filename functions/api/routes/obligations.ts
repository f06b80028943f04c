import { Hono } from 'hono'
import questionnaireJson from '../../../workflows/forms/obligation-questionnaire.json' with { type: 'json' }
import { type Catalogues, type FormDefinition, parseFormDefinition } from '../../domain/forms/index.js'
import {
  companyProfileSchema,
  evaluateObligations,
  questionnaireCatalogues,
} from '../../domain/obligations/index.js'
import { obligationCatalogue } from '../../forms/catalogues.js'
import { clientIp } from '../auth/client-ip.js'
import type { AppEnv } from '../env.js'
import { jsonBody } from '../validate.js'

export { obligationCatalogue }

let questionnaire: { definition: FormDefinition; catalogues: Catalogues } | undefined
/** The obligation questionnaire definition with the catalogues its activity picks need, checked once. */
export function obligationQuestionnaire() {
  questionnaire ??= {
    definition: parseFormDefinition(questionnaireJson, 'obligation-questionnaire.json'),
    catalogues: questionnaireCatalogues(obligationCatalogue()),
  }
  return questionnaire
}

/** Quick-check rate limit per client IP: a bucket of `capacity` requests refilled at `refillPerMinute`. */
export const QUICK_CHECK_LIMIT = { capacity: 30, refillPerMinute: 30 } as const

/**
 * An in-memory token bucket per key. It lives in one process: locally that is the whole
 * app; on Lambda each warm instance has its own, so API Gateway's stage throttling is the
 * real limit there and this one only blunts bursts. At most `maxKeys` buckets are kept;
 * when full, the bucket idle longest is dropped (it would be nearly full anyway).
 */
export function tokenBucket(options: {
  capacity: number
  refillPerMinute: number
  now: () => number
  maxKeys?: number
}) {
  const { capacity, refillPerMinute, now, maxKeys = 10_000 } = options
  const buckets = new Map<string, { tokens: number; at: number }>()
  return function take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const t = now()
    const b = buckets.get(key) ?? { tokens: capacity, at: t }
    b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 60_000) * refillPerMinute)
    b.at = t
    buckets.delete(key)
    if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!)
    buckets.set(key, b)
    if (b.tokens >= 1) {
      b.tokens -= 1
      return { ok: true }
    }
    return { ok: false, retryAfterSeconds: Math.ceil(((1 - b.tokens) * 60) / refillPerMinute) }
  }
}

/**
 * `/api/obligations`: the public quick check. No sign-in, nothing stored.
 * - `POST /evaluate` with a company profile (`companyProfileSchema`, strict) answers the
 *   decision of `evaluateObligations`; 400 names each bad or unknown field; 429 with
 *   `Retry-After` when the caller's IP has used up its bucket.
 * - `GET /catalogue` answers the activity and facility catalogue (titles, descriptions,
 *   thresholds) for pages that pick activities.
 * - `GET /questionnaire` answers `{ definition, catalogues }`: the questionnaire form and the
 *   catalogues to pass to `evaluateForm`; map its cleaned answers with `answersToProfile`.
 */
export function obligationsRoute(options: { limit?: { capacity: number; refillPerMinute: number } } = {}) {
  const limit = options.limit ?? QUICK_CHECK_LIMIT
  let take: ReturnType<typeof tokenBucket> | undefined
  return new Hono<AppEnv>()
    .get('/catalogue', (c) => {
      c.header('cache-control', 'public, max-age=3600')
      return c.json(obligationCatalogue())
    })
    .get('/questionnaire', (c) => {
      c.header('cache-control', 'public, max-age=3600')
      return c.json(obligationQuestionnaire())
    })
    .post('/evaluate', async (c) => {
      const deps = c.get('deps')
      take ??= tokenBucket({ ...limit, now: () => deps.now().getTime() })
      const verdict = take(clientIp(c))
      if (!verdict.ok)
        return c.json(
          {
            error: {
              code: 'rate_limited',
              message: `Too many quick checks. Try again in ${verdict.retryAfterSeconds} seconds.`,
              requestId: c.get('requestId'),
            },
          },
          429,
          { 'retry-after': String(verdict.retryAfterSeconds) },
        )
      const profile = await jsonBody(c, companyProfileSchema)
      c.header('cache-control', 'no-store')
      return c.json(evaluateObligations(profile, obligationCatalogue()))
    })
}
