/**
 * CPU time per task written (issue 15, goal 1: the store's write path), without a load generator
 * or a network: the local stack (in-process store transport, LevelDB in a temporary data folder,
 * the organisations and people of the demo), then `WRITES_ROUNDS` (default 5) rounds of
 * `WRITES_TASKS` (default 200) open approvals for the management role in Nordlicht written
 * through the task store (`createFromToken`: the task, its index entries and counters and the
 * execution's entry, as the workflow step writes them), `WRITES_CONCURRENCY` (default 8) at a
 * time. Prints the median of the rounds of the process's CPU time per task written (all threads:
 * the app, the store, LevelDB) and the store calls per task (DynamoDB commands the app's SDK
 * client sent). A `--cpu-prof` of this process profiles the write path (each round's window is
 * logged in the profile's time base).
 * Run: `npm run bench:store-writes`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import {
  countStoreCalls,
  log,
  monotonicUs,
  startBenchStack,
  writeBenchApproval,
} from './support/in-process.js'

const TASKS = Number(process.env.WRITES_TASKS ?? 200)
const ROUNDS = Number(process.env.WRITES_ROUNDS ?? 5)
const CONCURRENCY = Number(process.env.WRITES_CONCURRENCY ?? 8)
const ORG = 'nordlicht'

async function main() {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'ismsflow-store-writes-'))
  const stack = await startBenchStack(dataDir)
  try {
    const { deps } = stack
    let n = 0
    const writeTasks = async (count: number) => {
      let sent = 0
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (sent < count) {
            sent++
            const i = n++
            await writeBenchApproval(deps.taskStore, ORG, i, {
              id: 'writes',
              dueAt: new Date(stack.clock.nowMs() + (i % 60) * 86_400_000).toISOString(),
            })
          }
        }),
      )
    }

    const store = countStoreCalls(stack.clients.dynamo)

    // Warm-up.
    await writeTasks(TASKS)
    const runs: { cpu: number; calls: number; by: string }[] = []
    for (let round = 0; round < ROUNDS; round++) {
      global.gc?.()
      store.reset()
      const fromUs = monotonicUs()
      const cpu = process.cpuUsage()
      await writeTasks(TASKS)
      const used = process.cpuUsage(cpu)
      log(`round ${round + 1}: profile window ${fromUs}-${monotonicUs()}`)
      runs.push({
        cpu: (used.user + used.system) / 1000 / TASKS,
        ...store.per(TASKS),
      })
    }
    const cpu = runs.map((r) => r.cpu)
    const median = [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)]
    console.log(
      `store writes: CPU per task written, ${ROUNDS} rounds of ${TASKS} tasks, ${CONCURRENCY} at a time, load ${os.loadavg()[0].toFixed(1)}`,
    )
    console.log(
      `createFromToken  CPU median ${median.toFixed(2)} ms/task (${cpu.map((x) => x.toFixed(1)).join(' ')})  store calls ${runs[0]?.calls.toFixed(2)}/task (${runs[0]?.by})`,
    )
  } finally {
    await stack.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
