/**
 * CPU time per request of the register lists (issue 15, goal 1: a page costs the same at 10 or
 * 10,000 records), without a load generator or a network, as `inbox-cpu.bench.ts` measures the
 * inbox: the local stack (in-process store transport, LevelDB in a temporary or given data
 * folder, the organisations and people of the demo), then in Nordlicht `LISTS_RECORDS` (default
 * 1,000) risks and as many review cycles written through the record store, and
 * `LISTS_EXECUTIONS` (default the same) workflow executions, each with one open task written
 * through the task store (the workflows index as the workflow step writes it); every write
 * appends to the audit log. Then `LISTS_ROUNDS` (default 3) rounds of `LISTS_REQUESTS` (default
 * 200) requests of each list's first page at 10 and at 50 rows, as the ISO, through the app
 * in-process (`app.request`), `LISTS_CONCURRENCY` (default 8) at a time. Prints per page the
 * median of the rounds of the process's CPU time per request (all threads: the app, the store,
 * LevelDB), the store calls per request, and per list what each of the 40 more rows costs.
 * `LISTS_DATA` keeps the data folder between runs (the records are written once). A
 * `--cpu-prof` of this process profiles the app's request path (each page's window is logged in
 * the profile's time base). Run: `npm run bench:lists-cpu`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { createApp } from '../../functions/api/app.js'
import { REVIEW, type ReviewCycle, reviewId } from '../../functions/domain/reviews/index.js'
import { emptyRiskState, RISK, type RiskData } from '../../functions/store/risk-register.js'
import { DEMO_RISKS } from '../../infra/local/seed/steps/risks.js'
import {
  countStoreCalls,
  log,
  measureRequests,
  signInIso,
  startBenchStack,
  writeBenchApproval,
} from './support/in-process.js'

const RECORDS = Number(process.env.LISTS_RECORDS ?? 1000)
const EXECUTIONS = Number(process.env.LISTS_EXECUTIONS ?? RECORDS)
const REQUESTS = Number(process.env.LISTS_REQUESTS ?? 200)
const CONCURRENCY = Number(process.env.LISTS_CONCURRENCY ?? 8)
const ROUNDS = Number(process.env.LISTS_ROUNDS ?? 3)
const ORG = 'nordlicht'
const ENTRY = 'bench-entry'
const DAY = 86_400_000
const LISTS = [
  ['risks', '/api/risks'],
  ['review cycles', '/api/reviews'],
  ['workflows', '/api/workflows'],
  ['audit log', '/api/audit'],
] as const
const SIZES = [10, 50] as const

/** Runs `fn` for 0 … n-1, `width` at a time. */
async function each(n: number, width: number, fn: (i: number) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++)
    }),
  )
}

async function main() {
  const dataDir = process.env.LISTS_DATA ?? mkdtempSync(join(os.tmpdir(), 'ismsflow-lists-cpu-'))
  const stack = await startBenchStack(dataDir)
  try {
    const { deps } = stack
    const org = deps.records.forOrg(ORG)
    const actor = { userId: 'system:bench', name: 'Bench' }
    const start = stack.clock.nowMs()
    const templates = DEMO_RISKS.filter((d) => d.orgId === ORG)

    // Risks R-000001 …, each a demo risk's fields, with its plan (measure due dates from now).
    await each(RECORDS, 8, async (n) => {
      const id = `R-${String(n + 1).padStart(6, '0')}`
      if (await org.get(RISK, id)) return
      const d = templates[n % templates.length]
      const plan = d.plan && {
        ...d.plan,
        measures: d.plan.measures.map(({ dueInDays, ...m }) => ({
          ...m,
          dueDate: new Date(start + dueInDays * DAY).toISOString().slice(0, 10),
        })),
      }
      const data: RiskData = {
        ...d.risk,
        title: `${d.risk.title} (${n})`,
        ...emptyRiskState(),
        ...(plan ? { plan } : {}),
      }
      await org.create<RiskData>(RISK, id, data, { actor, action: 'risk.create' })
      if (n % 500 === 0) log(`risk ${n}`)
    })

    // Review cycles of one programme entry, one a day back from now, completed ones and open ones.
    await each(RECORDS, 8, async (n) => {
      const at = new Date(start - (n + 1) * DAY).toISOString()
      const id = reviewId(ENTRY, at)
      if (await org.get(REVIEW, id)) return
      const open = n < 20
      const cycle: ReviewCycle = {
        entryId: ENTRY,
        kind: 'supplier-review',
        title: { en: `Supplier review ${n}`, de: `Lieferantenbewertung ${n}` },
        formId: 'supplier-review',
        occurrenceId: `${ORG}_${id}`,
        trigger: 'schedule',
        scheduledAt: at,
        dueAt: new Date(Date.parse(at) + 14 * DAY).toISOString(),
        period: { from: new Date(Date.parse(at) - DAY).toISOString(), to: at },
        status: open ? 'open' : 'completed',
        performer: { role: 'iso' },
        rounds: 1,
        taskId: `bench-task-${n}`,
        answers: open ? {} : { summary: `Supplier ${n} reviewed; no findings.`, actions: 'Renew the NDA' },
        ...(open ? {} : { performedBy: 'demo-iso', performedByName: 'Ines Sommer', performedAt: at }),
        signOff: open
          ? { required: true, history: [] }
          : {
              required: true,
              outcome: 'approve',
              by: 'demo-management',
              byName: 'Martin Brandt',
              at,
              history: [{ outcome: 'approve', by: 'demo-management', byName: 'Martin Brandt', at }],
            },
        actions: [
          {
            id: `${id}-a1`,
            title: 'Renew the NDA',
            assignee: { role: 'iso' },
            dueAt: new Date(Date.parse(at) + 30 * DAY).toISOString(),
            status: open ? 'open' : 'done',
          },
        ],
        ...(open ? {} : { completedAt: at }),
      }
      await org.create(REVIEW, id, cycle, { actor, action: 'review.completed' })
      if (n % 500 === 0) log(`review cycle ${n}`)
    })

    // Executions, each with one open approval (the workflows index's entry as the step writes it).
    await each(EXECUTIONS, 16, async (n) => {
      // A task of the same token is written once (a second run of the same data folder writes nothing).
      await writeBenchApproval(deps.taskStore, ORG, n, {
        id: 'bench',
        token: `bench-list-token-${n}`,
        dueAt: new Date(start + (n % 60) * DAY).toISOString(),
        details: `Change request ${n}.`,
      })
      if (n % 500 === 0) log(`execution ${n}`)
    })

    const app = createApp(deps)
    const headers = await signInIso(app, ORG)
    const store = countStoreCalls(stack.clients.dynamo)
    /** One measured run of a page: CPU ms per request, store calls per request by command. */
    const measure = (path: string) =>
      measureRequests(app, path, headers, store, { requests: REQUESTS, concurrency: CONCURRENCY })

    const pages = LISTS.flatMap(([name, path]) =>
      SIZES.map((limit) => ({ name, limit, path: `${path}?limit=${limit}` })),
    )
    const rows = new Map<string, number>()
    for (const { path } of pages) {
      const probe = await app.request(path, { headers })
      if (probe.status !== 200) throw new Error(`${path}: ${probe.status} ${await probe.text()}`)
      const body: { items: unknown[] } = await probe.json()
      rows.set(path, body.items.length)
      for (let i = 0; i < 30; i++) await (await app.request(path, { headers })).arrayBuffer()
    }
    // The pages in turn, `ROUNDS` times: a shared machine's load drifts; the median of the rounds is the figure.
    const runs = new Map<string, Awaited<ReturnType<typeof measure>>[]>()
    for (let round = 0; round < ROUNDS; round++)
      for (const { path } of pages) runs.set(path, [...(runs.get(path) ?? []), await measure(path)])
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    console.log(
      `lists CPU per request, ${RECORDS} risks and review cycles, ${EXECUTIONS} executions, ${ROUNDS} rounds of ${REQUESTS} requests, load ${os.loadavg()[0].toFixed(1)}`,
    )
    const cpuOf = new Map<string, number>()
    for (const { path } of pages) {
      const r = runs.get(path) ?? []
      const cpu = r.map((x) => x.cpu)
      cpuOf.set(path, median(cpu))
      console.log(
        `${path.padEnd(24)} rows ${String(rows.get(path)).padStart(3)}  CPU median ${median(cpu).toFixed(2)} ms/req (${cpu.map((x) => x.toFixed(1)).join(' ')})  store calls ${r[0]?.calls.toFixed(2)}/req (${r[0]?.by})`,
      )
    }
    for (const [name, path] of LISTS) {
      const [small, large] = SIZES.map((n) => `${path}?limit=${n}`)
      const extra = (rows.get(large) ?? 0) - (rows.get(small) ?? 0)
      const per = extra > 0 ? ((cpuOf.get(large) ?? 0) - (cpuOf.get(small) ?? 0)) / extra : Number.NaN
      console.log(`${name.padEnd(14)} per row beyond 10: ${per.toFixed(3)} ms CPU`)
    }
  } finally {
    await stack.close()
    if (!process.env.LISTS_DATA) rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
