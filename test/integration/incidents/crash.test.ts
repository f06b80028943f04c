import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { childArgs } from '../../support/child-bundle.js'
import { signInAt } from '../../support/stack.js'

/**
 * The clocks survive a SIGKILL: the stack is killed between two due times and started again on
 * the same data with its clock further on; the waiting timers fire (the 50 % reminder at the
 * start, then, the clock moved on in that process, the escalation when the early warning is
 * due), the report task is still there.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'ismsflow-incident-crash-'))
const children: ChildProcess[] = []
const HOUR = 3_600_000

interface Child {
  proc: ChildProcess
  appUrl: string
  /** Moves the child's clock on by `ms`; resolves once the timers that became due have fired. */
  advance(ms: number): Promise<void>
}

async function spawnStack(offsetMs: number): Promise<Child> {
  const proc = spawn(
    process.execPath,
    [...(await childArgs('test/integration/incidents/crash-child.ts')), dataDir, String(offsetMs)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1', LOG_LEVEL: 'warn' },
    },
  )
  children.push(proc)
  let advanced: (() => void) | undefined
  const appUrl = await new Promise<string>((ok, fail) => {
    proc.once('exit', (code) => fail(new Error(`stack exited early (${code})`)))
    createInterface({ input: proc.stdout }).on('line', (l) => {
      try {
        const msg: unknown = JSON.parse(l)
        if (typeof msg !== 'object' || msg === null) return
        if ('appUrl' in msg && typeof msg.appUrl === 'string' && msg.appUrl) ok(msg.appUrl)
        if ('advanced' in msg && msg.advanced !== undefined) advanced?.()
      } catch {
        // a log line
      }
    })
  })
  const advance = (ms: number) =>
    new Promise<void>((r) => {
      advanced = r
      proc.stdin.write(`${JSON.stringify({ advanceMs: ms })}\n`)
    })
  return { proc, appUrl, advance }
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

describe('incident clocks survive a SIGKILL of the local stack', () => {
  it('killed between two due times, the reminder and then the escalation still come', {
    timeout: 600_000,
  }, async () => {
    const first = await spawnStack(0)
    const member = await signInAt(first.appUrl, 'member@demo.ismsflow.test')
    const iso = await signInAt(first.appUrl, 'iso@demo.ismsflow.test', undefined, 'nordlicht')
    // Aware 11 h ago: the early warning's 50 % mark is in one hour, its due time in 13.
    const reported = await member.post('/api/incidents', {
      title: 'Defaced website',
      awareAt: new Date(Date.now() - 11 * HOUR).toISOString(),
    })
    expect(reported.status).toBe(201)
    const id = String(reported.body.id)
    const triage = await until(async () => {
      const res = await iso.get('/api/tasks?view=all&limit=200')
      return (res.body.items ?? []).find((x: any) => x.subject?.id === id && x.kind === 'incident-triage')
    })
    const answers = {
      severeDisruption: 'yes',
      financialLoss: 'no',
      harmToOthers: 'no',
      malicious: 'yes',
      crossBorder: 'no',
      significant: 'yes',
      personalDataBreach: 'no',
    }
    expect((await iso.post(`/api/tasks/${triage.id}/complete`, { answers })).status).toBe(200)
    const early = await until(async () => {
      const res = await iso.get(`/api/incidents/${id}`)
      return (res.body.openTasks ?? []).find((x: any) => x.kind === 'incident-nis2-early-warning')
    })
    await kill(first.proc)

    // Two hours on: past the 50 % mark, before 90 %.
    const second = await spawnStack(2 * HOUR)
    const iso2 = await signInAt(second.appUrl, 'iso@demo.ismsflow.test', undefined, 'nordlicht')
    const mine = (items: any[]) => items.filter((n) => n.ref?.id.startsWith(`${id}/`))
    const reminders = await until(async () => {
      const got = mine((await iso2.get('/api/notifications')).body.items ?? [])
      return got.some((n) => n.kind === 'reminder') ? got : undefined
    })
    expect(reminders.map((n: any) => n.subject.en)).toContainEqual(
      expect.stringMatching(/^50 % of the time used: Early warning/),
    )
    expect(reminders.some((n: any) => n.kind === 'escalation')).toBe(false)

    // Fourteen hours on (the restarted stack's clock moved on; its timers came from the store):
    // the early warning is due and not sent; management is told.
    await second.advance(12 * HOUR)
    const iso3 = await signInAt(second.appUrl, 'iso@demo.ismsflow.test', undefined, 'nordlicht')
    await until(async () =>
      mine((await iso3.get('/api/notifications')).body.items ?? []).some(
        (n) => n.kind === 'escalation' && n.to.role === 'management',
      ),
    )
    const detail = (await iso3.get(`/api/incidents/${id}`)).body
    expect(detail.deadlines.find((d: any) => d.kind === 'nis2-early-warning').status).toBe('overdue')
    expect(detail.openTasks.map((t: any) => t.id)).toContain(early.id)
    await kill(second.proc)
  })
})
