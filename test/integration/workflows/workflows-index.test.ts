import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { noteExecution } from '../../../functions/store/execution-index.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'
import { forgetTaskIndex } from '../../support/task-index.js'

type Row = {
  id: string
  status: string
  title?: { en: string }
  current: { taskId: string; assignee: string }[]
  openTasks: number
}

describe('the workflows list: status and open tasks kept on the index entry', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let hafenIso: Client

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    hafenIso = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
  })
  afterAll(async () => t?.close())

  /** The index entry of an execution, as stored (not as the list answers it). */
  async function entryOf(orgId: string, id: string) {
    const org = t.stack.deps.records.forOrg(orgId)
    const all = await org.sideRange({ from: 'WIX#', to: 'WIX#\uffff', limit: 1000 })
    return all.items.find((i) => typeof i.executionArn === 'string' && i.executionArn.endsWith(`:${id}`))
  }

  const rowOf = async (client: Client, id: string) =>
    (await client.get<{ items: Row[] }>('/api/workflows?limit=200')).body.items.find((r) => r.id === id)

  it('keeps the open task while it waits and the final status from the engine, read in one page', async () => {
    const due = new Date(t.stack.clock.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10)
    const started = await iso.post('/api/workflows/start', {
      type: 'approval',
      title: { en: 'Approve the index entry' },
      dueDate: due,
    })
    expect(started.status).toBe(201)
    const id: string = started.body.execution.id
    const waiting = await t.eventually(async () => {
      const row = await rowOf(iso, id)
      return row && row.current.length === 1 && row
    })
    expect(waiting).toMatchObject({
      status: 'RUNNING',
      openTasks: 1,
      title: { en: 'Approve the index entry' },
    })
    expect(waiting.current[0].assignee).toBe('role:management')
    const stored = await entryOf('nordlicht', id)
    expect(stored).toMatchObject({ status: 'RUNNING', openN: 1, workflow: 'approval' })

    const done = await mgmt.post(`/api/tasks/${waiting.current[0].taskId}/complete`, {
      answers: { decision: { outcome: 'approve', comment: 'Fine.' } },
    })
    expect(done.status).toBe(200)
    // The task's completion empties the entry's open tasks in its own transaction.
    expect(await entryOf('nordlicht', id)).toMatchObject({ openN: 0 })
    // The engine's status change event (through the close-task rule) keeps SUCCEEDED on the entry.
    const finished = await t.eventually(async () => {
      const e = await entryOf('nordlicht', id)
      return e?.status === 'SUCCEEDED' && e
    })
    expect(finished.stoppedAt).toEqual(expect.any(String))
    expect(await rowOf(iso, id)).toMatchObject({ status: 'SUCCEEDED', current: [], openTasks: 0 })
    const succeeded = (await iso.get<{ items: Row[] }>('/api/workflows?limit=200&status=SUCCEEDED')).body
      .items
    expect(succeeded.map((r) => r.id)).toContain(id)
  })

  it("never shows another organisation's execution or its entry", async () => {
    const due = new Date(t.stack.clock.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10)
    const started = await hafenIso.post('/api/workflows/start', {
      type: 'approval',
      title: { en: 'Hafenstadt only' },
      dueDate: due,
    })
    expect(started.status).toBe(201)
    const id: string = started.body.execution.id
    await t.eventually(async () => (await rowOf(hafenIso, id))?.current.length === 1)
    expect(await rowOf(iso, id)).toBeUndefined()
    expect(await entryOf('nordlicht', id)).toBeUndefined()
    expect((await iso.get(`/api/workflows/executions/${id}`)).status).toBe(404)
  })

  it('an entry rebuilt from the records looks its status up once and keeps it', async () => {
    const org = t.stack.deps.records.forOrg('nordlicht')
    const before = (await iso.get<{ items: Row[] }>('/api/workflows?limit=200')).body.items
    await forgetTaskIndex(t.stack.deps, 'nordlicht')
    await t.stack.deps.taskStore.rebuildIndex('nordlicht')
    const rebuilt = await org.sideRange({ from: 'WIX#', to: 'WIX#\uffff', limit: 1000 })
    expect(rebuilt.items.length).toBe(before.length)
    expect(rebuilt.items.every((i) => i.status === undefined)).toBe(true)
    const after = (await iso.get<{ items: Row[] }>('/api/workflows?limit=200')).body.items
    const strip = (rows: Row[]) =>
      rows
        .map((r) => ({
          id: r.id,
          status: r.status,
          open: r.openTasks,
          current: r.current.map((c) => c.taskId),
        }))
        .sort((a, b) => (a.id < b.id ? -1 : 1))
    expect(strip(after)).toEqual(strip(before))
    const kept = await org.sideRange({ from: 'WIX#', to: 'WIX#\uffff', limit: 1000 })
    expect(kept.items.every((i) => typeof i.status === 'string')).toBe(true)
  })

  it('an execution the engine no longer knows is looked up once, not on every page', async () => {
    const org = t.stack.deps.records.forOrg('nordlicht')
    const arn = `${t.stack.deps.config.stateMachineArnPrefix.replace(':stateMachine:', ':execution:')}approval:gone-1`
    const id = arn.split(':').slice(-2).join(':')
    // Noted as a rebuild notes it (no status), e.g. after the engine dropped its history.
    await noteExecution(
      org,
      arn,
      t.stack.clock.now().toISOString(),
      { workflow: 'approval' },
      { running: false },
    )
    const workflows = t.stack.deps.workflows
    const describe = workflows.describe
    const asked: string[] = []
    workflows.describe = (a) => {
      asked.push(a)
      return describe(a)
    }
    try {
      expect(await rowOf(iso, id)).toMatchObject({ status: 'UNKNOWN' })
      expect(asked).toEqual([arn])
      expect(await entryOf('nordlicht', id)).toMatchObject({ status: 'UNKNOWN' })
      expect(await rowOf(iso, id)).toMatchObject({ status: 'UNKNOWN' })
      expect(await rowOf(iso, id)).toMatchObject({ status: 'UNKNOWN' })
      expect(asked).toEqual([arn])
    } finally {
      workflows.describe = describe
    }
  })
})
