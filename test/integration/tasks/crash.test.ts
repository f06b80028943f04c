import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { childArgs } from '../../support/child-bundle.js'
import { type Client, signInAt } from '../../support/stack.js'

/**
 * SIGKILL during 20 concurrent task completions, then a new process on the same data: every
 * task ends completed or open (none stuck in `completing`), every completion acknowledged
 * with 200 before the kill is kept, and the reopened ones can be completed.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'ismsflow-task-crash-'))
const children: ChildProcess[] = []
const TASKS = 20

async function spawnStack(): Promise<{ proc: ChildProcess; appUrl: string }> {
  const proc = spawn(
    process.execPath,
    [...(await childArgs('test/integration/tasks/crash-child.ts')), dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    },
  )
  children.push(proc)
  const appUrl = await new Promise<string>((ok, fail) => {
    proc.once('exit', (code) => fail(new Error(`stack exited early (${code})`)))
    createInterface({ input: proc.stdout! }).on('line', (l) => {
      try {
        const msg = JSON.parse(l) as { appUrl?: string }
        if (msg.appUrl) ok(msg.appUrl)
      } catch {
        // a log line
      }
    })
  })
  return { proc, appUrl }
}

const kill = (proc: ChildProcess) =>
  new Promise<void>((r) => {
    proc.once('exit', () => r())
    proc.kill('SIGKILL')
  })

afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 100))
  }
}

const approve = { answers: { decision: { outcome: 'approve' } } }

describe('task completion survives a crash', () => {
  it('kill during 20 concurrent completions: each task ends completed or open, acknowledged ones completed', {
    timeout: 600_000,
  }, async () => {
    const first = await spawnStack()
    const iso = await signInAt(first.appUrl, 'iso@demo.ismsflow.test', undefined, 'nordlicht')
    const mgmt = await signInAt(first.appUrl, 'management@demo.ismsflow.test', undefined, 'nordlicht')
    const arns: string[] = []
    for (let i = 0; i < TASKS; i++) {
      const res = await iso.post('/api/workflows/start', {
        type: 'approval',
        title: { en: `Crash test approval ${i + 1}` },
        dueDate: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      arns.push(res.body.execution.executionArn)
    }
    const tasks = await until(async () => {
      const res = await mgmt.get('/api/tasks?view=unclaimed&limit=200')
      const mine = (res.body.items ?? []).filter((x: any) => arns.includes(x.workflow.executionArn))
      return mine.length === TASKS ? (mine as { id: string }[]) : undefined
    })

    // The burst: 20 completions at once; the process dies after the first answers arrive.
    const acknowledged = new Set<string>()
    const burst = tasks.map((task) =>
      mgmt
        .post(`/api/tasks/${task.id}/complete`, approve)
        .then((r) => {
          if (r.status === 200) acknowledged.add(task.id)
        })
        .catch(() => {}),
    )
    await until(async () => acknowledged.size >= 1, 60_000)
    await kill(first.proc)
    await Promise.all(burst)

    const second = await spawnStack()
    const mgmt2: Client = await signInAt(
      second.appUrl,
      'management@demo.ismsflow.test',
      undefined,
      'nordlicht',
    )
    const statuses: Record<string, string> = {}
    for (const task of tasks) {
      const res = await mgmt2.get(`/api/tasks/${task.id}`)
      expect(res.status).toBe(200)
      statuses[task.id] = res.body.task.status
    }
    for (const [id, status] of Object.entries(statuses)) {
      expect(['completed', 'open', 'claimed'], `task ${id}`).toContain(status)
      if (acknowledged.has(id)) expect(status, `acknowledged task ${id}`).toBe('completed')
    }
    // What was reopened can be completed now, and every approval's execution finishes.
    for (const [id, status] of Object.entries(statuses))
      if (status !== 'completed')
        expect((await mgmt2.post(`/api/tasks/${id}/complete`, approve)).status).toBe(200)
    await until(async () => {
      const res = await mgmt2.get('/api/tasks?view=completed&limit=200')
      const done = (res.body.items ?? []).filter((x: any) => arns.includes(x.workflow.executionArn))
      return done.length === TASKS
    })
    await kill(second.proc)
  })
})
