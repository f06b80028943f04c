/**
 * CPU time per inbox request (issue 15, goal 1), without a load generator or a network: the
 * local stack (in-process store transport, LevelDB in a temporary or given data folder, the
 * organisations and people of the demo), `INBOX_TASKS` (default 10,000) open approvals for the
 * management role in Nordlicht written through the task store (the index and counters as the
 * workflow step writes them), the demo ISO with the roles `iso` and `management` there (as in
 * `api.bench.ts`), and then `INBOX_ROUNDS` (default 3) rounds of `INBOX_REQUESTS` (default 400)
 * requests of each inbox view in turn through the app in-process (`app.request`),
 * `INBOX_CONCURRENCY` (default 8) at a time. Prints per view the median of the rounds of the
 * process's CPU time per request (all threads: the app, the store, LevelDB) and the store calls
 * per request (DynamoDB commands the app's SDK client sent). `INBOX_DATA` keeps the data folder
 * between runs (the tasks are written once). A `--cpu-prof` of this process profiles the app's
 * request path alone (each round's window is logged in the profile's time base).
 * Run: `npm run bench:inbox-cpu`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../functions/api/app.js'
import {
  countStoreCalls,
  log,
  measureRequests,
  signInIso,
  startBenchStack,
  writeBenchApproval,
} from './support/in-process.js'

const TASKS = Number(process.env.INBOX_TASKS ?? 10_000)
const REQUESTS = Number(process.env.INBOX_REQUESTS ?? 400)
const CONCURRENCY = Number(process.env.INBOX_CONCURRENCY ?? 8)
const ROUNDS = Number(process.env.INBOX_ROUNDS ?? 3)
const ORG = 'nordlicht'
const ISO = 'demo-iso'
const VIEWS = ['/api/tasks', '/api/tasks?limit=10', '/api/tasks?view=all', '/api/tasks?view=all&limit=10']

async function main() {
  const dataDir = process.env.INBOX_DATA ?? mkdtempSync(join(os.tmpdir(), 'ismsflow-inbox-cpu-'))
  const stack = await startBenchStack(dataDir)
  try {
    const { deps } = stack
    const roles = (await deps.identity.userWithMemberships(ISO))?.memberships.find(
      (m) => m.orgId === ORG,
    )?.roles
    if (!roles) throw new Error(`${ISO} is not a member of ${ORG}`)
    if (!roles.includes('management'))
      await deps.identity.setMembershipRoles(ORG, ISO, ['iso', 'management'], [...roles])
    const have = (await deps.taskStore.counts(ORG, deps.now())).open
    log(`${have} open tasks; writing ${Math.max(0, TASKS - have)} more`)
    const due = (n: number) => new Date(stack.clock.nowMs() + (n % 60) * 86_400_000).toISOString()
    let next = have
    const writer = async () => {
      while (next < TASKS) {
        const n = next++
        await writeBenchApproval(deps.taskStore, ORG, n, { id: 'bench', dueAt: due(n) })
        if (n % 1000 === 0) log(`${n} written`)
      }
    }
    await Promise.all(Array.from({ length: 16 }, writer))

    const app = createApp(deps)
    const headers = await signInIso(app, ORG)
    const store = countStoreCalls(stack.clients.dynamo)
    /** One measured run of a view: CPU ms per request, wall ms per request, store calls per request by command. */
    const measure = (path: string) =>
      measureRequests(app, path, headers, store, { requests: REQUESTS, concurrency: CONCURRENCY })

    const probes = new Map<string, { items: unknown[]; total: number }>()
    for (const path of VIEWS) {
      const probe = await app.request(path, { headers })
      if (probe.status !== 200) throw new Error(`${path}: ${probe.status}`)
      probes.set(path, await probe.json())
      // Warm-up.
      for (let i = 0; i < 50; i++) await (await app.request(path, { headers })).arrayBuffer()
    }
    // The views in turn, `ROUNDS` times: a shared machine's load drifts; the median of the rounds is the figure.
    const runs = new Map<string, Awaited<ReturnType<typeof measure>>[]>()
    for (let round = 0; round < ROUNDS; round++)
      for (const path of VIEWS) runs.set(path, [...(runs.get(path) ?? []), await measure(path)])
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    console.log(
      `inbox CPU per request, ${TASKS} tasks, ${ROUNDS} rounds of ${REQUESTS} requests, load ${os.loadavg()[0].toFixed(1)}`,
    )
    for (const path of VIEWS) {
      const r = runs.get(path) ?? []
      const body = probes.get(path)
      const cpu = r.map((x) => x.cpu)
      console.log(
        `${path.padEnd(30)} rows ${String(body?.items.length).padStart(3)} total ${String(body?.total).padStart(6)}  CPU median ${median(cpu).toFixed(2)} ms/req (${cpu.map((x) => x.toFixed(1)).join(' ')})  wall ${median(r.map((x) => x.wall)).toFixed(2)} ms/req  store calls ${r[0]?.calls.toFixed(2)}/req (${r[0]?.by})`,
      )
    }
  } finally {
    await stack.close()
    if (!process.env.INBOX_DATA) rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
