import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { createApp } from '../../../functions/api/app.js'
import type { TaskStore } from '../../../functions/store/tasks.js'
import { DEMO_PASSWORD, MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { startLocalStack } from '../../../infra/local/stack.js'
import { testDemoPasswordHash } from '../../support/demo-password.js'

/** The app as the benchmarks call it (`app.request`, no server). */
type App = Pick<ReturnType<typeof createApp>, 'request'>

/**
 * What the in-process CPU benchmarks (`bench:inbox-cpu`, `bench:lists-cpu`, `bench:store-writes`)
 * share: the stack on a data folder, the approvals they write, the log line, the profile's time
 * base, the store calls counted, a sign-in through the app and one measured run of a page's requests.
 */

/** The local stack on `dataDir` with the demo's organisations and people (the minimal seed), as `npm start` would run it. */
export const startBenchStack = async (dataDir: string) =>
  startLocalStack({
    dataDir,
    seed: true,
    seedSteps: MINIMAL_SEED,
    demoPasswordHash: await testDemoPasswordHash(),
  })

/**
 * One open approval for management in `orgId` (number `n`), written through the task store as the
 * workflow's step writes it (the index and counters with it). `id` names its execution and its
 * token (`<id>-token-<n>`): a second write of the same token writes nothing.
 */
export function writeBenchApproval(
  taskStore: Pick<TaskStore, 'createFromToken'>,
  orgId: string,
  n: number,
  options: { id: string; token?: string; dueAt: string; details?: string },
) {
  return taskStore.createFromToken(
    {
      orgId,
      kind: 'approval',
      formId: 'approval',
      title: { en: `Approve change ${n}`, de: `Änderung ${n} freigeben` },
      candidateRole: 'management',
      priority: n % 3,
      dueAt: options.dueAt,
      context: {
        details: options.details ?? `Change request ${n}: replace the firewall rule set of site ${n % 7}.`,
      },
      excludedUserIds: [],
      delegations: [],
      requestedBy: 'demo-member',
      workflow: {
        name: 'approval',
        executionArn: `arn:aws:states:eu-central-1:000000000000:execution:ismsflow-approval:${options.id}-${n}`,
        stateName: 'Decide',
      },
    },
    options.token ?? `${options.id}-token-${n}`,
    { userId: 'system:bench' },
  )
}

/** Microseconds of CLOCK_MONOTONIC, the time base of a `--cpu-prof` profile's samples (to cut it into runs). */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)

/** A progress line on stderr with the time of day. */
export const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a)

/** The store calls an SDK client sends (every command), counted from the last `reset`. */
export function countStoreCalls(client: DynamoDBClient) {
  let calls = 0
  const counted = new Map<string, number>()
  client.middlewareStack.add(
    (next, context) => (args) => {
      calls++
      const name = String(context.commandName)
      counted.set(name, (counted.get(name) ?? 0) + 1)
      return next(args)
    },
    { step: 'initialize', name: 'benchCount' },
  )
  return {
    reset() {
      calls = 0
      counted.clear()
    },
    /** Calls per unit of work (`n` units since the reset), all and by command. */
    per(n: number) {
      const by = [...counted].map(([k, v]) => `${k} ${(v / n).toFixed(2)}`).join(', ')
      return { calls: calls / n, by }
    },
  }
}

/** Signs the demo ISO in through the app; the headers of their requests in `orgId`. */
export async function signInIso(app: App, orgId: string) {
  const signIn = await app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'iso@demo.ismsflow.test', password: DEMO_PASSWORD }),
  })
  if (signIn.status !== 200) throw new Error(`sign-in: ${signIn.status} ${await signIn.text()}`)
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]
  return { cookie, 'x-org-id': orgId }
}

/**
 * One measured run of a page: `requests` GETs of `path`, `concurrency` at a time, through the
 * app in this process; CPU ms (all threads) and wall ms per request, store calls per request.
 */
export async function measureRequests(
  app: App,
  path: string,
  headers: Record<string, string>,
  store: ReturnType<typeof countStoreCalls>,
  { requests, concurrency }: { requests: number; concurrency: number },
) {
  global.gc?.()
  store.reset()
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const fromUs = monotonicUs()
  let sent = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < requests) {
        sent++
        const res = await app.request(path, { headers })
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
        await res.arrayBuffer()
      }
    }),
  )
  const used = process.cpuUsage(cpu)
  const wall = performance.now() - t0
  log(`${path}: profile window ${fromUs}-${monotonicUs()}`)
  return {
    cpu: (used.user + used.system) / 1000 / requests,
    wall: wall / requests,
    ...store.per(requests),
  }
}
