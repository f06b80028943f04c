/**
 * Benchmark of the API as people use it (issue 15, goals 1 and 2), in one run:
 * - starts the real local stack as `npm start` does (the server bundle with plain node and the
 *   start script's options; its own process, free ports, the demo, a temporary data directory)
 *   and signs in through the API;
 * - in an organisation of its own (the demo ISO adds it and takes the management role there),
 *   starts approvals through `POST /api/workflows/start` until 10 wait in the inbox, measures
 *   the inbox's first page (default view and `view=all`) and the other lists' first pages;
 *   then starts more until `BENCH_TASKS` (default 10,000) wait (`BENCH_SEED_CONCURRENCY`
 *   executions at once through the engine's StartExecution), adds `BENCH_RECORDS` (default: as
 *   many) risks through `POST /api/risks` and review cycles (the periodic-review workflow
 *   started through StartExecution for one programme entry made through the API), and
 *   measures every list's first page again (and three lists at 10 rows, the page size of the
 *   small organisation, so that a page growing from 10 rows to 50 does not hide the index's cost); before each round of measurements it waits until the
 *   app has settled (less than 10 % of a CPU for 3 s: the engine and the steps have opened the
 *   tasks of the executions just started, so the lists are measured and not the seeding's tail);
 * - requests/s and p50/p99 with `BENCH_CONCURRENCY` clients (default 8), and p99 with 50
 *   signed-in clients at once; the app's CPU time per request, of its main thread and of its
 *   other threads (LevelDB's compaction, libuv's pool, V8's helpers), which a loaded machine
 *   does not blur as it blurs requests/s; each measurement's window in the log, in the time base
 *   of a `--cpu-prof` profile's samples, to cut a profile into the measurements;
 * - the app process's RSS at rest with the demo and after the load, and what it is made of
 *   (`memoryBreakdown`: the V8 heap, buffers, malloc's arenas, mapped code and files).
 * Prints a table. `BENCH_NODE_OPTIONS` adds Node.js options to the app's process (e.g.
 * `--cpu-prof`, `--trace-gc`), `BENCH_APP_LOG` names a file for the app's output (request log,
 * `--trace-gc`). `BENCH_SECONDS` (default 5) per measurement; `BENCH_SNAPSHOT=1` writes heap
 * snapshots of the app at rest and after the load (`--heapsnapshot-signal`) into the working directory.
 * Run: `npm run bench:api`.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn'
import { executionInput } from '../../functions/api/routes/workflows/start.js'
import { REVIEW_WORKFLOW, reviewStartInput } from '../../functions/domain/reviews/index.js'
import { buildServer } from '../../infra/local/bundle.js'
import { installationCredentials } from '../../infra/local/credentials.js'
import { startEnv, startNodeOptions } from '../support/server-command.js'
import { type Client, signInAt } from '../support/stack.js'

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000)
/** Risks and review cycles the lists hold at the second measurement (default: as many as tasks). */
const RECORDS = Number(process.env.BENCH_RECORDS ?? TASKS)
/** Executions started at once by the bulk seeding (the engine's group commit gathers their writes). */
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 32)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
/** Started approvals whose task is not open yet that the bulk seeding lets wait before it starts more. */
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 300)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)
const CROWD = 50
const SNAPSHOT = process.env.BENCH_SNAPSHOT === '1'
/** Seconds the app rests after its start before its RSS is read, and again after the load. */
const REST_SECONDS = Number(process.env.BENCH_REST_SECONDS ?? 60)
const ISO = 'iso@demo.ismsflow.test'
/** `api`: every approval through `POST /api/workflows/start`; `engine` (default): beyond the first 10, StartExecution in bulk. */
const SEED = process.env.BENCH_SEED === 'api' ? 'api' : 'engine'

/** Loaded into the app's process: its memory as Node.js and V8 see it (memory-probe.mjs). */
const MEMORY_PROBE = fileURLToPath(new URL('./memory-probe.mjs', import.meta.url))
let memoryFile = ''

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')
const log = (...a: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a)

/**
 * Builds the server bundle and starts it as `npm start` does (plain node with the start script's
 * options) in its own process; answers it and its app URL once it serves.
 */
async function startApp(dataDir: string): Promise<{ proc: ChildProcess; appUrl: string; sfnUrl: string }> {
  const entry = await buildServer()
  const proc = spawn(
    process.execPath,
    [
      ...(SNAPSHOT ? ['--heapsnapshot-signal=SIGUSR2'] : []),
      ...startNodeOptions(),
      // The app's memory as Node.js and V8 see it, once a second into BENCH_MEMORY_FILE (memoryBreakdown).
      '--import',
      MEMORY_PROBE,
      // More options for the app's process only, e.g. `--cpu-prof` (NODE_OPTIONS refuses it).
      ...(process.env.BENCH_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean),
      entry,
    ],
    {
      env: {
        // The start script's variables (MALLOC_ARENA_MAX) (an experiment may override them from the environment).
        ...startEnv(),
        ...process.env,
        BENCH_MEMORY_FILE: memoryFile,
        DATA_DIR: dataDir,
        PORT: '0',
        DYNAMODB_PORT: '0',
        SFN_PORT: '0',
        S3_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  let started = false
  // BENCH_APP_LOG: the app's output (its request log, --trace-gc) into that file.
  const appLog = process.env.BENCH_APP_LOG ? createWriteStream(process.env.BENCH_APP_LOG) : undefined
  proc.stderr?.on('data', (d) => {
    if (process.env.BENCH_VERBOSE) process.stderr.write(d)
    appLog?.write(d)
  })
  return new Promise((resolve, reject) => {
    proc.on('exit', (code) => reject(new Error(`the app exited (${code}): ${out}`)))
    proc.stdout?.on('data', (d) => {
      appLog?.write(d)
      // Read until it serves (its request log after that would only grow this string).
      if (started) return
      out += d
      const m = out.match(/App\s+(http:\/\/\S+)/)
      const sfn = out.match(/Step Functions\s+(http:\/\/\S+)/)
      if (m && sfn && out.includes('Demo sign-ins')) {
        started = true
        resolve({ proc, appUrl: m[1].replace('localhost', '127.0.0.1'), sfnUrl: sfn[1] })
      }
    })
  })
}

/** Resident set size of a process in MB (Linux). */
function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN
}

/**
 * What the app's RSS is made of (MB), from its mappings (/proc/PID/smaps) and what Node.js and
 * V8 say of themselves (memory-probe.mjs, at most a second old): the V8 heap (committed, used),
 * buffers outside it (external, of which ArrayBuffers), malloc's arenas (the main thread's brk
 * heap and the other threads' 64 MB arenas: LevelDB, libuv's pool, V8's helpers), the rest of
 * the anonymous memory (V8's pages, large malloc chunks), the mapped code and files.
 */
function memoryBreakdown(pid: number | undefined): Record<string, number> {
  if (pid === undefined) return {}
  const mb = (kb: number) => Math.round(kb / 1024)
  const parts = { rss: 0, brkHeap: 0, arenas: 0, anonOther: 0, files: 0, stacks: 0 }
  let map: { start: number; end: number; perm: string; name: string } | undefined
  const lines = readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')
  const maps: { start: number; end: number; perm: string; name: string; rss: number }[] = []
  for (const line of lines) {
    const m = line.match(/^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/)
    if (m) {
      map = { start: Number.parseInt(m[1], 16), end: Number.parseInt(m[2], 16), perm: m[3], name: m[4] }
      maps.push({ ...map, rss: 0 })
      continue
    }
    const r = line.match(/^Rss:\s+(\d+)/)
    if (r && maps.length) maps[maps.length - 1].rss = Number(r[1])
  }
  const ARENA = 64 * 1024 * 1024
  for (const [i, m] of maps.entries()) {
    parts.rss += m.rss
    if (m.name === '[heap]') parts.brkHeap += m.rss
    else if (m.name.startsWith('[stack')) parts.stacks += m.rss
    else if (m.name) parts.files += m.rss
    // glibc's arena of a thread: 64 MB aligned, its used part rw-p and the rest ---p.
    else if (
      m.start % ARENA === 0 &&
      m.perm === 'rw-p' &&
      (maps[i + 1]?.perm === '---p' || m.end - m.start === ARENA)
    )
      parts.arenas += m.rss
    else parts.anonOther += m.rss
  }
  const out: Record<string, number> = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, mb(v)]))
  try {
    const probe: {
      usage: NodeJS.MemoryUsage
      heap: { total_physical_size: number; malloced_memory: number }
      spaces: Record<string, { physical: number }>
    } = JSON.parse(readFileSync(memoryFile, 'utf8'))
    const b = (n: number) => Math.round(n / 1024 / 1024)
    out.heapCommitted = b(probe.heap.total_physical_size)
    out.heapUsed = b(probe.usage.heapUsed)
    out.external = b(probe.usage.external)
    out.arrayBuffers = b(probe.usage.arrayBuffers)
    out.v8Malloced = b(probe.heap.malloced_memory)
    for (const [name, space] of Object.entries(probe.spaces))
      if (space.physical > 4 * 1024 * 1024) out[name] = b(space.physical)
  } catch {
    // No probe's file yet.
  }
  return out
}

/** One line of {@link memoryBreakdown}. */
const memoryLine = (m: Record<string, number>) =>
  `RSS ${m.rss} MB: V8 heap ${m.heapCommitted} committed (${m.heapUsed} used), external ${m.external} (ArrayBuffers ${m.arrayBuffers}), malloc brk heap ${m.brkHeap} + thread arenas ${m.arenas}, other anonymous ${m.anonOther}, files ${m.files}`

/**
 * Writes a heap snapshot of the app (`--heapsnapshot-signal`, into its working directory) and
 * waits until it is complete (the RSS is measured before: writing one costs memory).
 */
async function heapSnapshot(proc: ChildProcess): Promise<void> {
  const before = new Set(readdirSync('.').filter((f) => f.endsWith('.heapsnapshot')))
  proc.kill('SIGUSR2')
  let last = -1
  for (;;) {
    await new Promise((r) => setTimeout(r, 2000))
    const file = readdirSync('.').find((f) => f.endsWith('.heapsnapshot') && !before.has(f))
    const size = file ? statSync(file).size : 0
    if (file && size > 0 && size === last) return log(`heap snapshot ${file} (${Math.round(size / 1e6)} MB)`)
    last = size
  }
}

/** CPU seconds (user + system) a process, or one of its threads, has used so far (Linux). */
function cpuSeconds(pid: number, tid?: string): number {
  // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses, in clock ticks.
  const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/**
 * Waits until the app has finished the work it was given (the engine and the steps opening the
 * tasks of the executions just started), so a measurement measures the lists and not the tail
 * of the seeding: until the app used less than 10 % of a CPU for 3 s (at most `maxSeconds`).
 * Answers the seconds waited.
 */
async function settle(pid: number | undefined, maxSeconds = 300): Promise<number> {
  if (pid === undefined) return 0
  const t0 = performance.now()
  let quiet = 0
  while (quiet < 3 && performance.now() - t0 < maxSeconds * 1000) {
    const before = cpuSeconds(pid)
    await new Promise((r) => setTimeout(r, 1000))
    quiet = cpuSeconds(pid) - before < 0.1 ? quiet + 1 : 0
  }
  return (performance.now() - t0) / 1000
}

/** Microseconds of CLOCK_MONOTONIC, the clock a CPU profile's sample times count on (to cut a profile into the measurements). */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n)

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]

interface Measure {
  rps: number
  p50: number
  p99: number
  n: number
  errors: number
  /** The app's CPU time per request (ms): its main thread, and its other threads together (see `threadCpu`). */
  cpuMs: { main: number; other: number }
  /** When it ran, in CLOCK_MONOTONIC microseconds (the time base of a `--cpu-prof` profile's samples). */
  window: [number, number]
}

/** The app's process, whose threads' CPU time each measurement reads. */
let appPid: number | undefined

/**
 * CPU seconds the app's threads have used so far (Linux): its main thread (JavaScript, where the
 * requests are served) and all others together (LevelDB's compaction thread, libuv's thread
 * pool that runs LevelDB's reads and writes, V8's garbage-collection helpers).
 */
function threadCpu(pid: number | undefined): { main: number; other: number } {
  const out = { main: 0, other: 0 }
  if (pid === undefined) return out
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const seconds = cpuSeconds(pid, tid)
      if (Number(tid) === pid) out.main += seconds
      else out.other += seconds
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out
}

/** `clients` loops GET `path` for `SECONDS`; requests/s and latency percentiles (ms). */
async function measure(clients: Client[], path: string, seconds = SECONDS): Promise<Measure> {
  // Warm up (connections, caches) before the clock runs.
  await Promise.all(clients.slice(0, 4).map((c) => c.get(path)))
  const until = performance.now() + seconds * 1000
  const times: number[] = []
  let errors = 0
  const started = performance.now()
  const from = monotonicUs()
  const cpuBefore = threadCpu(appPid)
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < until) {
        const t0 = performance.now()
        const res = await c.get(path)
        times.push(performance.now() - t0)
        if (res.status !== 200) errors++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  times.sort((a, b) => a - b)
  const window: [number, number] = [from, monotonicUs()]
  const cpuAfter = threadCpu(appPid)
  return {
    rps: times.length / elapsed,
    p50: pct(times, 0.5),
    p99: pct(times, 0.99),
    n: times.length,
    errors,
    window,
    cpuMs: {
      main: ((cpuAfter.main - cpuBefore.main) * 1000) / times.length,
      other: ((cpuAfter.other - cpuBefore.other) * 1000) / times.length,
    },
  }
}

/** Starts approvals through the API until the organisation has `target` open ones; answers the seconds it took. */
async function startApprovals(iso: Client, target: number): Promise<number> {
  const t0 = performance.now()
  const have = (await iso.get<{ total: number }>('/api/tasks?view=all&limit=1')).body.total
  let next = have
  const due = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10)
  let lastLog = performance.now()
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < target) {
        const i = next++
        const res = await iso.post('/api/workflows/start', {
          type: 'approval',
          title: { en: `Bench approval ${i}`, de: `Bench-Freigabe ${i}` },
          dueDate: due,
          details: 'Started by npm run bench:api.',
        })
        if (res.status !== 201 && res.status !== 200)
          throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`)
        if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now()
          log(`started ${i + 1} of ${target} approvals (load ${load()})`)
        }
      }
    }),
  )
  // The engine opens each task a moment after its start.
  for (;;) {
    const total = (await iso.get<{ total: number }>('/api/tasks?view=all&limit=1')).body.total
    if (total >= target) break
    await new Promise((r) => setTimeout(r, 500))
  }
  return (performance.now() - t0) / 1000
}

/**
 * Starts approvals with the engine's StartExecution (signed with the installation's key pair),
 * 16 at a time, with the input `POST /api/workflows/start` gives, until the organisation has
 * `target` open ones; answers the seconds it took.
 */
async function startApprovalsInBulk(
  iso: Client,
  sfn: SFNClient,
  orgId: string,
  target: number,
): Promise<number> {
  const t0 = performance.now()
  const machines = await sfn.send(new ListStateMachinesCommand({}))
  const machine = machines.stateMachines?.find((m) => m.name?.endsWith('approval'))?.stateMachineArn
  if (!machine) throw new Error('no approval state machine')
  let next = (await iso.get<{ total: number }>('/api/tasks?view=all&limit=1')).body.total
  let lastLog = performance.now()
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < target) {
        const i = next++
        const input = executionInput(orgId, {
          type: 'approval',
          title: { en: `Bench approval ${i}`, de: `Bench-Freigabe ${i}` },
          requestedBy: 'bench',
          dueInDays: 200,
          context: { requestedByName: 'npm run bench:api' },
        })
        await sfn.send(
          new StartExecutionCommand({
            stateMachineArn: machine,
            name: `approval-bench-${i}`,
            input: JSON.stringify(input),
          }),
        )
        // No more than BACKLOG started executions without their task yet: a backlog of thousands
        // kept the app from answering a read for 5 minutes (10,000 started at 32 at once).
        if (i % 100 === 0)
          while (i - (await iso.get<{ total: number }>('/api/tasks?view=all&limit=1')).body.total > BACKLOG)
            await new Promise((r) => setTimeout(r, 1000))
        if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now()
          log(`started ${i + 1} of ${target} approvals (load ${load()})`)
        }
      }
    }),
  )
  for (;;) {
    const total = (await iso.get<{ total: number }>('/api/tasks?view=all&limit=1')).body.total
    if (total >= target) break
    await new Promise((r) => setTimeout(r, 1000))
  }
  return (performance.now() - t0) / 1000
}

/**
 * Writes `RECORDS` more risks through the API, one at a time (a new risk takes the next register
 * id, so concurrent creates would collide); answers the seconds it took.
 */
async function createRisks(iso: Client, count: number): Promise<number> {
  const t0 = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: 1 }, async () => {
      while (next < count) {
        const i = next++
        const res = await iso.post('/api/risks', {
          title: `Bench risk ${i}`,
          description: 'Written by npm run bench:api.',
          category: 'cyber',
          assets: [`Asset ${i % 50}`],
          threat: 'Ransomware',
          vulnerability: 'Flat network',
          ownerId: iso.userId,
          likelihood: 1 + (i % 5),
          impact: 1 + ((i * 7) % 5),
          controlIds: [],
          obligationRefs: [],
        })
        if (res.status !== 201) throw new Error(`risk: ${res.status} ${JSON.stringify(res.body)}`)
      }
    }),
  )
  return (performance.now() - t0) / 1000
}

/**
 * Runs `count` review cycles of one programme entry (made through the API) by starting the
 * periodic-review workflow through the engine's StartExecution, one occurrence a minute (each its
 * own cycle), `SEED_CONCURRENCY` at a time, until the list counts them all.
 */
async function runReviewCycles(iso: Client, sfn: SFNClient, orgId: string, count: number): Promise<number> {
  const t0 = performance.now()
  const entry = await iso.post('/api/reviews/programme', { kind: 'supplier-review', cadence: 'yearly' })
  if (entry.status !== 201) throw new Error(`review entry: ${entry.status} ${JSON.stringify(entry.body)}`)
  const entryId: string = entry.body.entry.id
  const machines = await sfn.send(new ListStateMachinesCommand({}))
  const machine = machines.stateMachines?.find((m) => m.name?.endsWith(REVIEW_WORKFLOW))?.stateMachineArn
  if (!machine) throw new Error('no periodic-review state machine')
  const before = (await iso.get<{ total: number }>('/api/reviews?limit=1')).body.total
  let next = 0
  let lastLog = performance.now()
  // One occurrence a minute from now on (a cycle's id is its entry and minute); due weeks later.
  const from = Math.ceil(Date.now() / 60_000) * 60_000
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++
        const { name, input } = reviewStartInput({
          orgId,
          entryId,
          scheduledAt: new Date(from + i * 60_000),
          trigger: 'manual',
          requestedBy: iso.userId,
        })
        await sfn.send(
          new StartExecutionCommand({ stateMachineArn: machine, name, input: JSON.stringify(input) }),
        )
        if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now()
          log(`started ${i + 1} of ${count} review cycles (load ${load()})`)
        }
      }
    }),
  )
  for (;;) {
    const total = (await iso.get<{ total: number }>('/api/reviews?limit=1')).body.total
    if (total >= before + count) break
    await new Promise((r) => setTimeout(r, 1000))
  }
  return (performance.now() - t0) / 1000
}

const LISTS: [string, string][] = [
  ['inbox, default view (waiting)', '/api/tasks'],
  ['inbox, view=all', '/api/tasks?view=all'],
  ['workflows', '/api/workflows'],
  ['risks', '/api/risks'],
  ['incidents', '/api/incidents'],
  ['review cycles', '/api/reviews'],
  ['review programme', '/api/reviews/programme'],
  ['notifications', '/api/notifications'],
  ['audit log', '/api/audit'],
  // The same page size (10 rows) at both sizes: the cost of the index alone, not of a page that
  // grows from 10 rows to 50.
  ['inbox, view=all, 10 rows', '/api/tasks?view=all&limit=10'],
  ['workflows, 10 rows', '/api/workflows?limit=10'],
  ['risks, 10 rows', '/api/risks?limit=10'],
  ['review cycles, 10 rows', '/api/reviews?limit=10'],
  ['audit log, 10 rows', '/api/audit?limit=10'],
]

/**
 * The certification project's lists (added once the benchmark's project exists): the Statement
 * of Applicability (the catalogue's controls with the project's decisions; bounded by the
 * catalogue, not by the organisation's size) and the evidence index.
 */
const projectLists = (projectId: string): [string, string][] => [
  ['Statement of Applicability (ISO 27001, 93 controls)', `/api/certification/projects/${projectId}/soa`],
  ['evidence index', `/api/certification/projects/${projectId}/evidence-index`],
]

async function main() {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'ismsflow-bench-'))
  memoryFile = join(dataDir, 'memory.json')
  log(`data in ${dataDir}; load ${load()}`)
  const t0 = performance.now()
  const { proc, appUrl, sfnUrl } = await startApp(dataDir)
  appPid = proc.pid
  const sfn = new SFNClient({
    region: 'eu-central-1',
    endpoint: sfnUrl,
    credentials: installationCredentials(dataDir),
  })
  log(`app at ${appUrl} after ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  const rows: string[][] = []
  try {
    const demoIso = await signInAt(appUrl, ISO, undefined, 'nordlicht')
    // Let the demo's workflows settle, then the RSS at rest (a minute after the start by default).
    await new Promise((r) => setTimeout(r, REST_SECONDS * 1000))
    const rest = rssMb(proc.pid)
    const restParts = memoryBreakdown(proc.pid)
    log(`at rest: ${memoryLine(restParts)}`, restParts)
    if (SNAPSHOT) await heapSnapshot(proc)

    // An organisation of the benchmark's own; the ISO decides there too (management), so the
    // approvals wait in their inbox.
    const created = await demoIso.post('/api/orgs', { name: 'Bench GmbH' })
    if (created.status !== 201)
      throw new Error(`create org: ${created.status} ${JSON.stringify(created.body)}`)
    const orgId = created.body.id ?? created.body.orgId ?? created.body.organisation?.id
    const iso = await signInAt(appUrl, ISO, undefined, orgId)
    const roles = await iso.call('PUT', `/api/orgs/current/members/${encodeURIComponent(iso.userId)}/roles`, {
      roles: ['iso', 'management'],
    })
    if (roles.status !== 200) throw new Error(`roles: ${roles.status} ${JSON.stringify(roles.body)}`)
    const clients = [
      iso,
      ...(await Promise.all(
        Array.from({ length: CROWD - 1 }, () => signInAt(appUrl, ISO, undefined, orgId)),
      )),
    ]
    const few = clients.slice(0, CONCURRENCY)
    // An ISO 27001 project, so that the Statement of Applicability and the evidence index are measured too.
    const project = await iso.post('/api/certification/projects', {
      standard: 'iso27001',
      auditDate: new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10),
      startWorkflow: false,
    })
    if (project.status !== 201) throw new Error(`project: ${project.status} ${JSON.stringify(project.body)}`)
    LISTS.push(...projectLists(project.body.project.id))

    const seededSmall = await startApprovals(iso, 10)
    log(
      `10 approvals open after ${seededSmall.toFixed(1)} s; the app settled after ${(await settle(proc.pid)).toFixed(0)} s`,
    )
    const small = new Map<string, Measure>()
    for (const [name, path] of LISTS) {
      small.set(name, await measure(few, path))
      log(name, 'at 10', small.get(name))
    }
    const loadSmall = load()

    const seeded =
      SEED === 'api' ? await startApprovals(iso, TASKS) : await startApprovalsInBulk(iso, sfn, orgId, TASKS)
    log(`${TASKS} approvals open after ${seeded.toFixed(0)} s`)
    const risksTook = await createRisks(iso, RECORDS)
    log(`${RECORDS} risks written after ${risksTook.toFixed(0)} s`)
    const cyclesTook = await runReviewCycles(iso, sfn, orgId, RECORDS)
    log(`${RECORDS} review cycles after ${cyclesTook.toFixed(0)} s`)
    const settledAfter = await settle(proc.pid)
    log(`the app settled after ${settledAfter.toFixed(0)} s more (load ${load()})`)
    const big = new Map<string, Measure>()
    for (const [name, path] of LISTS) {
      big.set(name, await measure(few, path))
      log(name, `at ${TASKS}`, big.get(name))
    }
    const crowd = await measure(clients, '/api/tasks')
    const crowdAll = await measure(clients, '/api/tasks?view=all')
    const loadBig = load()
    await new Promise((r) => setTimeout(r, 2000))
    const after = rssMb(proc.pid)
    const afterParts = memoryBreakdown(proc.pid)
    log(`after the load: ${memoryLine(afterParts)}`, afterParts)
    await new Promise((r) => setTimeout(r, REST_SECONDS * 1000))
    const afterRest = rssMb(proc.pid)
    const afterRestParts = memoryBreakdown(proc.pid)
    log(`${REST_SECONDS} s after the load: ${memoryLine(afterRestParts)}`, afterRestParts)
    if (SNAPSHOT) await heapSnapshot(proc)

    const ms = (n: number) => `${n.toFixed(1)} ms`
    for (const [name] of LISTS) {
      const a = small.get(name)
      const b = big.get(name)
      if (!a || !b) continue
      rows.push([
        `${name}, first page: req/s at 10 → ${TASKS} open tasks, ${RECORDS} risks and cycles (${CONCURRENCY} clients)`,
        `${a.rps.toFixed(0)} → ${b.rps.toFixed(0)} (ratio ${(b.rps / a.rps).toFixed(2)})${a.errors + b.errors ? `, ${a.errors + b.errors} errors` : ''}`,
        name.startsWith('inbox') ? '≥ 0.7' : '',
      ])
      rows.push([
        `  p50 / p99 at 10 → ${TASKS}`,
        `${ms(a.p50)} / ${ms(a.p99)} → ${ms(b.p50)} / ${ms(b.p99)}`,
        '',
      ])
      rows.push([
        `  app CPU per request at 10 → ${TASKS}: main thread (other threads)`,
        `${ms(a.cpuMs.main)} (${ms(a.cpuMs.other)}) → ${ms(b.cpuMs.main)} (${ms(b.cpuMs.other)})`,
        '',
      ])
    }
    rows.push([
      `inbox default view, ${CROWD} signed-in clients at ${TASKS}: req/s, p50 / p99`,
      `${crowd.rps.toFixed(0)}, ${ms(crowd.p50)} / ${ms(crowd.p99)}; app CPU ${ms(crowd.cpuMs.main)} (${ms(crowd.cpuMs.other)}) per request`,
      'p99 < 100 ms',
    ])
    rows.push([
      `inbox view=all, ${CROWD} signed-in clients at ${TASKS}: req/s, p50 / p99`,
      `${crowdAll.rps.toFixed(0)}, ${ms(crowdAll.p50)} / ${ms(crowdAll.p99)}; app CPU ${ms(crowdAll.cpuMs.main)} (${ms(crowdAll.cpuMs.other)}) per request`,
      'p99 < 100 ms',
    ])
    rows.push([
      SEED === 'api'
        ? `seeding ${TASKS} approvals through POST /api/workflows/start (8 at a time)`
        : `seeding ${TASKS - 10} approvals through the engine's StartExecution (${SEED_CONCURRENCY} at a time)`,
      `${seeded.toFixed(0)} s (${((TASKS - 10) / seeded).toFixed(1)} tasks/s)`,
      '',
    ])
    rows.push([
      'the app busy with the seeding after the review cycles were counted (waited before measuring)',
      `${settledAfter.toFixed(0)} s`,
      '',
    ])
    rows.push([`${RECORDS} risks through POST /api/risks (one at a time)`, `${risksTook.toFixed(0)} s`, ''])
    rows.push([
      `${RECORDS} review cycles through the engine's StartExecution (${SEED_CONCURRENCY} at a time)`,
      `${cyclesTook.toFixed(0)} s`,
      '',
    ])
    rows.push([`app RSS at rest with the demo (${REST_SECONDS} s after the start)`, `${rest} MB`, '< 200 MB'])
    rows.push([
      `app RSS after the load (${TASKS} open approvals) / ${REST_SECONDS} s later`,
      `${after} MB / ${afterRest} MB`,
      '< 300 MB',
    ])
    rows.push(['  after the load, what it is (MB)', memoryLine(afterParts), ''])
    rows.push([`  ${REST_SECONDS} s after the load (MB)`, memoryLine(afterRestParts), ''])
    rows.push(['load average (1/5/15 min) at 10 → at the end', `${loadSmall} → ${loadBig}`, ''])
  } finally {
    proc.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 1000))
    if (SNAPSHOT) {
      const snaps = readdirSync('.').filter((f) => f.endsWith('.heapsnapshot'))
      log(`heap snapshots: ${snaps.join(', ')}`)
    }
    if (!process.env.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true })
  }
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => r[i].length), ['what', 'measured', 'goal'][i].length),
  )
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  console.log(
    `\n${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${new Date().toISOString().slice(0, 10)}\n`,
  )
  console.log(line(['what', 'measured', 'goal']))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const r of rows) console.log(line(r))
}

await main()
