import { DEMO_PASSWORD } from '../../infra/local/seed/index.js'
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../infra/local/stack.js'
import { testDemoPasswordHash } from './demo-password.js'
import { settledSnapshot, sharedSnapshot } from './snapshots.js'

/** A signed-in HTTP client against a running local stack. */
export interface Client {
  userId: string
  /** JSON request; returns status and parsed body. */
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>
  get<T = any>(path: string): Promise<{ status: number; body: T }>
  post<T = any>(path: string, body?: unknown): Promise<{ status: number; body: T }>
}

/** Signs in at a running app (local password sign-in) and returns a client with its cookie and CSRF token. */
export async function signInAt(
  appUrl: string,
  email: string,
  password = DEMO_PASSWORD,
  orgId?: string,
): Promise<Client> {
  const res = await fetch(`${appUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: appUrl },
    body: JSON.stringify({ email, password }),
  })
  if (res.status !== 200) throw new Error(`sign-in as ${email}: ${res.status} ${await res.text()}`)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]
  const session = (await res.json()) as { csrfToken: string; principal: { userId: string; orgId: string } }
  const org = orgId ?? session.principal.orgId
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(`${appUrl}${path}`, {
      method,
      headers: {
        cookie,
        origin: appUrl,
        'x-csrf-token': session.csrfToken,
        'x-org-id': org,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await r.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {}
    return { status: r.status, body: parsed as any }
  }
  return {
    userId: session.principal.userId,
    call,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
  }
}

/** `eventually` asks again this soon after a write at the earliest, and this long after its last question at the latest. */
const MIN_RECHECK_MS = 50
const QUIET_RECHECK_MS = 250
/**
 * How long `eventually` waits for the stack to do something: it fails when the condition does
 * not hold and nothing was written for this long (15 s, as the fixed limit was before). While
 * the stack keeps working (on a shared 2-core machine the work after a clock jump, every timer
 * of the demo firing at once, can take minutes) it keeps waiting; the test's own limit ends it.
 */
const EVENTUALLY_QUIET_MS = 15_000
/** A test stack closes after its store was quiet this long, or after the second limit at the latest. */
const QUIET_CLOSE_MS = 250
const QUIET_CLOSE_MAX_MS = 10_000

/** Options a stack may set and still start from the run's seeded demo (they do not change what the seed writes). */
const SNAPSHOT_NEUTRAL = new Set([
  'seed',
  'appPort',
  'dynamoPort',
  'sfnPort',
  's3Port',
  'host',
  'serveWeb',
  'mailDir',
])

/** The demo as a stack seeds it, once per test run (see `snapshots.ts`). */
export const demoStackSnapshot = () =>
  sharedSnapshot('demo-stack', async () => {
    const stack = await startLocalStack({ seed: true, demoPasswordHash: await testDemoPasswordHash() })
    try {
      return await settledSnapshot(() => stack.snapshot())
    } finally {
      await stack.close()
    }
  })

/**
 * The whole local stack (store, engine, API) on free ports, in memory, with the demo seed:
 * restored from the run's seeded demo when the options allow (no own clock, data folder,
 * workflows, table, engine or configuration), seeded here otherwise. A file whose subject is
 * not the demo passes `seedSteps: MINIMAL_SEED` (the demo organisations and their people):
 * no demo workflow runs or waits beside its own, so a clock jump fires only its own timers.
 */
export async function startTestStack(options: LocalStackOptions = {}) {
  const shareable = options.seed !== false && Object.keys(options).every((k) => SNAPSHOT_NEUTRAL.has(k))
  const restore = shareable ? await demoStackSnapshot() : undefined
  const stack = await startLocalStack({
    seed: true,
    demoPasswordHash: await testDemoPasswordHash(),
    ...options,
    ...(restore ? { restore } : {}),
  })
  const signIn = (email: string, password = DEMO_PASSWORD, orgId?: string) =>
    signInAt(stack.appUrl, email, password, orgId)

  /**
   * Asks `fn` until it returns a value: again after the next write to the store (workflow
   * steps, the engine's transitions and the app all write there), at the latest after
   * `QUIET_RECHECK_MS` (mail files, the engine's memory), never more often than every
   * `MIN_RECHECK_MS` (asking may write too, e.g. a session's last use). Fails when the
   * condition does not hold and the stack wrote nothing for `quietMs` besides the asking: a
   * stack that still works is waited for, one that stopped short fails after `quietMs`.
   */
  async function eventually<T>(
    fn: () => Promise<T | undefined | false>,
    quietMs = EVENTUALLY_QUIET_MS,
  ): Promise<T> {
    let lastWork = Date.now()
    let asking = false
    let wake: (() => void) | undefined
    const stopListening = stack.onStoreWrite(() => {
      if (!asking) lastWork = Date.now()
      wake?.()
    })
    try {
      for (;;) {
        const asked = Date.now()
        let written = false
        const write = new Promise<void>((r) => {
          wake = () => {
            written = true
            r()
          }
        })
        asking = true
        const v = await fn().finally(() => {
          asking = false
        })
        if (v) return v
        if (Date.now() - lastWork > quietMs)
          throw new Error(`condition not met; nothing written for ${quietMs} ms`)
        await new Promise((r) => setTimeout(r, MIN_RECHECK_MS))
        if (!written)
          await Promise.race([
            write,
            new Promise((r) => setTimeout(r, QUIET_RECHECK_MS - (Date.now() - asked))),
          ])
      }
    } finally {
      stopListening()
    }
  }

  /**
   * Closes the stack once its store was quiet for `QUIET_CLOSE_MS` (at most `QUIET_CLOSE_MAX_MS`):
   * what a test set going (a workflow's last steps, the close-task rule) writes before the store
   * closes, instead of into a closed database.
   */
  async function close() {
    let last = Date.now()
    const stop = stack.onStoreWrite(() => {
      last = Date.now()
    })
    const end = Date.now() + QUIET_CLOSE_MAX_MS
    try {
      while (Date.now() - last < QUIET_CLOSE_MS && Date.now() < end)
        await new Promise((r) => setTimeout(r, 50))
    } finally {
      stop()
    }
    await stack.close()
  }

  return { stack, signIn, eventually, close } satisfies { stack: LocalStack } & Record<string, unknown>
}
