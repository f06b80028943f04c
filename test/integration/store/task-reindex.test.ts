import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, NotFoundError } from '../../../functions/domain/errors.js'
import { isOpen, type Task, type TaskRole } from '../../../functions/domain/tasks.js'
import {
  noteExecution,
  noteExecutionStatus,
  OPEN_DETAILS,
  viewersOf,
} from '../../../functions/store/execution-index.js'
import { isTask, taskIndexWrites } from '../../../functions/store/inbox-index.js'
import type { OrgRecords, StoredRecord } from '../../../functions/store/records.js'
import { TASK_SPACE, TASK_STAMP } from '../../../functions/store/task-index-version.js'
import { ensureTaskIndexed } from '../../../functions/store/task-reindex.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { sideItemsUnder } from '../../support/side-items.js'
import { type Client, startTestStack } from '../../support/stack.js'
import { forgetTaskIndex } from '../../support/task-index.js'

/** More tasks than one page of records (200): the build reads several pages and many batches. */
const TASKS = 230
const EXECUTIONS = 23
const ACTOR = { userId: 'demo-iso' }
const ARN = 'arn:aws:states:eu-central-1:000000000000:execution:ismsflow-approval:'

/**
 * The inbox's index and the workflows list's index (`functions/store/task-reindex.ts`) are built
 * while the API keeps writing: tasks are created, claimed, completed and closed with their
 * executions, executions start and finish, between the build's read of a batch and its stamps
 * and beside it, while two builds run at once. Afterwards every entry, every counter of every
 * view and every execution's entry is what a recount from the task and execution records says,
 * once each, and a second build writes nothing.
 */
describe('the inbox and workflows list indexes built beside live writes', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let org: OrgRecords
  const store = () => t.stack.deps.taskStore

  /** The side items under a prefix (every version's). */
  const items = (prefix: string) => sideItemsUnder(org, prefix)

  let created = 0
  /** A task as a workflow step creates it (through the task store, as the engine's step does). */
  const createTask = (execution: number) => {
    const n = created++
    const roleQueue = n % 3 !== 0
    const role: TaskRole = n % 2 ? 'management' : 'member'
    return store().createFromToken(
      {
        orgId: 'nordlicht',
        kind: n % 2 ? 'approval' : 'questionnaire',
        formId: n % 2 ? 'approval' : 'questionnaire',
        title: { en: `Live probe ${n}`, de: `Live-Probe ${n}` },
        priority: n % 4,
        dueAt: new Date(t.stack.clock.nowMs() + (n % 30) * 86_400_000).toISOString(),
        ...(roleQueue ? { candidateRole: role } : { assigneeUserId: 'demo-member' }),
        ...(n % 5 === 0 ? { requestedBy: 'demo-iso' } : {}),
        ...(n % 7 === 0 ? { subject: { type: 'risk', id: `R-${n % 4}` } } : {}),
        excludedUserIds: [],
        delegations: [],
        context: {},
        workflow: { name: 'approval', executionArn: `${ARN}live-${execution}`, stateName: 'Decide' },
      },
      randomBytes(24).toString('hex'),
      ACTOR,
    )
  }

  /** A write that meets another one on the same task (changed meanwhile) is left out. */
  const unlessRaced = async (write: () => Promise<unknown>) => {
    try {
      await write()
      return true
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof ConflictError) return false
      throw err
    }
  }
  const current = async (id: string) => store().get('nordlicht', id)
  const claim = (id: string) =>
    unlessRaced(async () => {
      const rec = await current(id)
      if (rec?.data.status === 'open' && !rec.data.assigneeUserId)
        await store().transition(
          rec,
          { status: 'claimed', claimedBy: 'demo-management' },
          ACTOR,
          'task.claim',
        )
    })
  const complete = (id: string) =>
    unlessRaced(async () => {
      const rec = await current(id)
      if (rec && isOpen(rec.data))
        await store().transition(
          rec,
          {
            status: 'completed',
            result: {
              answers: {},
              completedBy: 'demo-iso',
              completedAt: new Date(t.stack.clock.nowMs()).toISOString(),
              onBehalfOf: rec.data.claimedBy ?? rec.data.assigneeUserId,
            },
          },
          ACTOR,
          'task.complete',
        )
    })
  let started = 0
  /** An execution the app starts: its record, then its note in the workflows list (as `start.ts` does). */
  const start = async () => {
    const n = EXECUTIONS + started++
    const executionArn = `${ARN}live-${n}`
    const startedAt = new Date(t.stack.clock.nowMs()).toISOString()
    const title = { en: `Started ${n}`, de: `Gestartet ${n}` }
    await org.create(
      'execution',
      `approval:live-${n}`,
      { executionArn, workflow: 'approval', title, startedAt, startedBy: 'demo-iso' },
      { actor: ACTOR, action: 'workflow.start' },
    )
    await noteExecution(org, executionArn, startedAt, { workflow: 'approval', title, startedBy: 'demo-iso' })
    return n
  }
  /** An execution that stops: its open tasks closed, its status from the engine's event. */
  const finish = async (execution: number) => {
    const executionArn = `${ARN}live-${execution}`
    await store().closeForExecution('nordlicht', executionArn, 'cancelled', 'stopped', ACTOR)
    const at = new Date(t.stack.clock.nowMs()).toISOString()
    await noteExecutionStatus(org, executionArn, { status: 'ABORTED', at, stoppedAt: at })
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    org = t.stack.deps.records.forOrg('nordlicht')
    for (let n = 0; n < EXECUTIONS; n += 6)
      await Promise.all(
        Array.from({ length: Math.min(6, EXECUTIONS - n) }, (_, i) =>
          i % 2
            ? org.create(
                'execution',
                `approval:live-${n + i}`,
                {
                  executionArn: `${ARN}live-${n + i}`,
                  workflow: 'approval',
                  title: { en: `Old start ${n + i}`, de: `Alter Start ${n + i}` },
                  startedAt: new Date(t.stack.clock.nowMs() - 86_400_000).toISOString(),
                  startedBy: 'demo-iso',
                },
                { actor: ACTOR, action: 'workflow.start' },
              )
            : undefined,
        ),
      )
    for (let n = 0; n < TASKS; n += 10)
      await Promise.all(Array.from({ length: 10 }, (_, i) => createTask((n + i) % EXECUTIONS)))
    for (const rec of (await store().list('nordlicht')).slice(0, 40)) await complete(rec.id)
    // Nordlicht as an installation from before this version: tasks not stamped, no index of this
    // version, and the unversioned items version 4 left.
    await forgetTaskIndex(t.stack.deps, 'nordlicht')
    await org.putSide([
      { sk: 'TIX#ALL#B#9999#x', item: { kind: 'approval', v: 1, doc: '{}' } },
      { sk: 'TCNT#ALL', item: { n: 7 } },
      { sk: `WIX#2020-01-01T00:00:00.000Z#${ARN}live-0`, item: { executionArn: `${ARN}live-0`, openN: 3 } },
      { sk: `WSEEN#${ARN}live-0`, item: { at: '2020-01-01T00:00:00.000Z' } },
      { sk: 'TIXVERSION#marker', item: { version: 4 } },
    ])
  }, 900_000)
  afterAll(async () => t?.close())

  it('leaves every entry, count and execution entry as the records say', async () => {
    // Between the build's read of a batch and its stamps: the batch's tasks are claimed and
    // completed, tasks are created in old and new executions, executions start and stop.
    let raced = 0
    const racing: OrgRecords = {
      ...org,
      stampRecords: async (attr, value, recs, side) => {
        if (raced < 30) {
          const n = raced++
          const [first, second] = recs
          await Promise.all([
            first && claim(first.id),
            second && complete(second.id),
            createTask(n % 3 ? n % EXECUTIONS : await start()),
            n % 5 === 4 ? finish(n % EXECUTIONS) : undefined,
          ])
        }
        return org.stampRecords(attr, value, recs, side)
      },
    }
    // And a writer of its own beside it all, until the builds are done.
    let building = true
    let beside = 0
    const writer = async () => {
      const ids = (await store().list('nordlicht')).map((r) => r.id)
      for (let n = 0; building; n++) {
        const id = ids[(n * 7) % ids.length]
        if (n % 4 === 0) await claim(id)
        else if (n % 4 === 1) await complete(id)
        else if (n % 4 === 2) await createTask(n % (EXECUTIONS + started))
        else if (n % 8 === 3) await finish((n * 3) % EXECUTIONS)
        else await start()
        beside++
      }
    }
    const builds = Promise.all([
      ensureTaskIndexed(racing, { recheck: true }),
      ensureTaskIndexed(org, { recheck: true }),
    ]).finally(() => {
      building = false
    })
    const [built] = await Promise.all([builds, writer()])
    expect(built).toContain(true)
    expect(raced).toBeGreaterThan(5)
    expect(beside).toBeGreaterThan(3)

    // Every task counted at this version; the recount from the records.
    const tasks: StoredRecord<Task>[] = []
    let cursor: string | undefined
    do {
      const page = await org.listStamped<Task>('task', TASK_STAMP.attr, { cursor })
      for (const { rec, stamp } of page.items) {
        expect(stamp, rec.id).toBe(TASK_STAMP.version)
        if (isTask(rec.data)) tasks.push(rec)
      }
      cursor = page.cursor
    } while (cursor)
    expect(tasks.length).toBeGreaterThan(TASKS)
    expect(tasks.some((r) => r.data.status === 'claimed')).toBe(true)
    expect(tasks.some((r) => r.data.status === 'completed')).toBe(true)
    expect(tasks.some((r) => r.data.status === 'cancelled')).toBe(true)
    const entries = new Map<string, unknown>()
    const counters = new Map<string, Record<string, number>>()
    for (const rec of tasks) {
      const w = taskIndexWrites(undefined, rec)
      for (const p of w.puts ?? []) entries.set(p.sk, p.item)
      for (const c of w.counts ?? []) {
        const sum = counters.get(c.sk) ?? {}
        for (const [a, n] of Object.entries(c.add)) sum[a] = (sum[a] ?? 0) + n
        counters.set(c.sk, sum)
      }
    }
    // The inbox's entries: exactly those, each with the task as stored; no other version's left.
    const stored = await items('TIX#')
    expect(stored.every((e) => e.sk.startsWith(`TIX#${TASK_SPACE}`))).toBe(true)
    expect(new Map(stored.map(({ sk, ...item }) => [sk, item] as const))).toEqual(entries)
    // Every counter of every stream (each view's total, by kind and by workflow).
    const nonZero = (c: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(c).filter(([, n]) => typeof n === 'number' && n !== 0))
    const storedCounters = await items('TCNT#')
    expect(storedCounters.every((c) => c.sk.startsWith(`TCNT#${TASK_SPACE}`))).toBe(true)
    expect(
      new Map(
        storedCounters
          .map(({ sk, ...c }) => [sk, nonZero(c)] as const)
          .filter(([, c]) => Object.keys(c).length),
      ),
    ).toEqual(new Map([...counters].map(([sk, c]) => [sk, nonZero(c)] as const)))

    // The workflows list: one entry per execution the records know, its counts from its tasks.
    const starts = await org.all<{ executionArn: string }>('execution')
    const arns = new Set([
      ...starts.map((s) => s.data.executionArn),
      ...tasks.map((r) => r.data.workflow.executionArn),
    ])
    const executionEntries = await items('WIX#')
    expect(executionEntries.every((e) => e.sk.startsWith(`WIX#${TASK_SPACE}`))).toBe(true)
    expect(executionEntries.map((e) => e.executionArn).sort()).toEqual([...arns].sort())
    const seen = await items('WSEEN#')
    expect(seen.every((s) => s.sk.startsWith(`WSEEN#${TASK_SPACE}`))).toBe(true)
    expect(seen).toHaveLength(arns.size)
    for (const e of executionEntries) {
      const mine = tasks.filter((r) => r.data.workflow.executionArn === e.executionArn).map((r) => r.data)
      const open = mine.filter(isOpen)
      const viewers: Record<string, number> = {}
      for (const v of mine.flatMap(viewersOf)) viewers[`v#${v}`] = (viewers[`v#${v}`] ?? 0) + 1
      expect(e.openN, String(e.executionArn)).toBe(open.length)
      expect(nonZero(Object.fromEntries(Object.entries(e).filter(([k]) => k.startsWith('v#'))))).toEqual(
        viewers,
      )
      const details = Object.keys(e).filter((k) => k.startsWith('o#'))
      for (const k of details) expect(open.map((t) => `o#${t.id}`)).toContain(k)
      if (open.length <= OPEN_DETAILS) expect(details.sort()).toEqual(open.map((t) => `o#${t.id}`).sort())
      expect(seen.find((s) => s.sk.endsWith(`#${e.executionArn}`))?.at).toBe(e.at)
    }
    expect((await org.sideGet(['TIXVERSION#marker'])).size).toBe(0)

    // The inbox as people page through it: every task once, the total right.
    const rows: string[] = []
    const totals = new Set<number>()
    let page: string | undefined
    do {
      const res = await iso.get(
        `/api/tasks?view=all&limit=100${page ? `&cursor=${encodeURIComponent(page)}` : ''}`,
      )
      expect(res.status).toBe(200)
      rows.push(...res.body.items.map((r: { id: string }) => r.id))
      totals.add(res.body.total)
      page = res.body.cursor
    } while (page)
    expect([...rows].sort()).toEqual(tasks.map((r) => r.id).sort())
    expect([...totals]).toEqual([tasks.length])
  })

  it('writes nothing the second time', async () => {
    const before = [...(await items('TIX#')), ...(await items('TCNT#')), ...(await items('WIX#'))]
    expect(await ensureTaskIndexed(org, { recheck: true })).toBe(false)
    expect(await store().rebuildIndex('nordlicht')).toBe(false)
    expect([...(await items('TIX#')), ...(await items('TCNT#')), ...(await items('WIX#'))]).toEqual(before)
  })
})
