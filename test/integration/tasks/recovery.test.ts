import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recoverCompletingTasks } from '../../../functions/api/task-completion.js'
import type { Task } from '../../../functions/domain/tasks.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

/**
 * A task left `completing` (the process died between "completing" and "completed") is
 * recovered: completed when the engine took the answer, reopened when it did not, untouched
 * while its lease runs.
 */
describe('tasks never stuck in completing', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
  })
  afterAll(async () => t?.close())

  /** Starts an approval and returns its open task record. */
  async function openApproval(label: string) {
    const { executionArn } = await t.stack.deps.workflows.start('approval', {
      orgId: 'nordlicht',
      title: { en: `Approve ${label}`, de: `${label} freigeben` },
      requestedBy: iso.userId,
      dueInDays: 7,
      context: {},
    })
    const task = await t.eventually(async () => {
      const res = await mgmt.get('/api/tasks?view=unclaimed')
      return res.body.items?.find((x: Task) => x.workflow.executionArn === executionArn)
    })
    return { executionArn, rec: await t.stack.deps.taskStore.require('nordlicht', task.id) }
  }

  /** What a crash leaves behind: the task moved to `completing` with its pending result. */
  async function leaveCompleting(rec: Awaited<ReturnType<typeof openApproval>>['rec']) {
    const result = {
      answers: { decision: { outcome: 'approve' } },
      formVersion: 1,
      completedBy: mgmt.userId,
      completedByName: 'Martin Brandt',
      completedAt: t.stack.deps.now().toISOString(),
    }
    const completing = await t.stack.deps.taskStore.transition(
      rec,
      { status: 'completing', pending: { result, reopenAs: 'open' } },
      { userId: mgmt.userId },
      'task.completing',
    )
    return { completing, result }
  }

  it('while completing, a retry answers 409; a crash before the answer reached the engine reopens the task', async () => {
    const { rec, executionArn } = await openApproval('policy A')
    await leaveCompleting(rec)
    const busy = await mgmt.post(`/api/tasks/${rec.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(busy.status).toBe(409)
    expect(busy.body.error.message).toMatch(/being completed right now/)

    // Within the lease nothing happens.
    const early = await recoverCompletingTasks(t.stack.deps, ['nordlicht'], { leaseMs: 60_000 })
    expect(early.reopened).not.toContain(rec.id)
    expect((await t.stack.deps.taskStore.require('nordlicht', rec.id)).data.status).toBe('completing')

    const report = await recoverCompletingTasks(t.stack.deps, ['nordlicht'], { leaseMs: 0 })
    expect(report).toMatchObject({ reopened: [rec.id], completed: [], expired: [] })
    const reopened = await t.stack.deps.taskStore.require('nordlicht', rec.id)
    expect(reopened.data).toMatchObject({ status: 'open' })
    expect(reopened.data.pending).toBeUndefined()

    // The person submits again and the workflow goes on.
    const done = await mgmt.post(`/api/tasks/${rec.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(done.status).toBe(200)
    expect((await t.stack.engine.awaitExecution(executionArn)).status).toBe('SUCCEEDED')
  })

  it('a crash after the engine took the answer completes the task with the pending result', async () => {
    const { rec, executionArn } = await openApproval('policy B')
    const { result } = await leaveCompleting(rec)
    // The answer reached the engine before the process died.
    const token = await t.stack.deps.taskStore.token('nordlicht', rec.id)
    await t.stack.deps.workflows.succeed(token, { taskId: rec.id, ...result })
    expect((await t.stack.engine.awaitExecution(executionArn)).status).toBe('SUCCEEDED')

    const report = await recoverCompletingTasks(t.stack.deps, ['nordlicht'], { leaseMs: 0 })
    expect(report.completed).toEqual([rec.id])
    const done = await t.stack.deps.taskStore.require('nordlicht', rec.id)
    expect(done.data).toMatchObject({ status: 'completed', result: { completedBy: mgmt.userId } })
    // Running the sweep again changes nothing.
    expect(await recoverCompletingTasks(t.stack.deps, ['nordlicht'], { leaseMs: 0 })).toEqual({
      completed: [],
      reopened: [],
      expired: [],
    })
    const audit = await iso.get(`/api/tasks/${rec.id}`)
    expect(audit.body.task.status).toBe('completed')
  })

  it('a task left completing longer than the lease is recovered when someone opens it or submits it again', async () => {
    const opened = await openApproval('policy D')
    const submitted = await openApproval('policy E')
    await leaveCompleting(opened.rec)
    await leaveCompleting(submitted.rec)
    // Within the lease the task page shows it being completed, with nothing to do.
    const busy = await mgmt.get(`/api/tasks/${opened.rec.id}`)
    expect(busy.status).toBe(200)
    expect(busy.body).toMatchObject({ task: { status: 'completing' }, mayWork: false })

    await t.stack.clock.advance(61_000)
    // No sweep ran (the hourly one is an hour after the start): what follows is the routes' own doing.
    for (const { rec } of [opened, submitted])
      expect((await t.stack.deps.taskStore.require('nordlicht', rec.id)).data.status).toBe('completing')

    // Opening the task recovers it: open again for another try.
    const reopened = await mgmt.get(`/api/tasks/${opened.rec.id}`)
    expect(reopened.status).toBe(200)
    expect(reopened.body).toMatchObject({ task: { status: 'open' }, mayWork: true })
    expect(reopened.body.task.pending).toBeUndefined()
    // Submitting again recovers it and completes it in one go; the workflow goes on.
    const done = await mgmt.post(`/api/tasks/${submitted.rec.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(done.status).toBe(200)
    expect(done.body.task.status).toBe('completed')
    expect((await t.stack.engine.awaitExecution(submitted.executionArn)).status).toBe('SUCCEEDED')
    // The one opened goes on as well.
    const second = await mgmt.post(`/api/tasks/${opened.rec.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(second.status).toBe(200)
    expect((await t.stack.engine.awaitExecution(opened.executionArn)).status).toBe('SUCCEEDED')
  })

  it("another organisation's task left completing is neither shown nor recovered", async () => {
    const { rec } = await openApproval('policy F')
    await leaveCompleting(rec)
    await t.stack.clock.advance(61_000)
    const other = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
    const res = await other.get(`/api/tasks/${rec.id}`)
    expect(res.status).toBe(404)
    const post = await other.post(`/api/tasks/${rec.id}/complete`, {
      answers: { decision: { outcome: 'approve' } },
    })
    expect(post.status).toBe(404)
    expect((await t.stack.deps.taskStore.require('nordlicht', rec.id)).data.status).toBe('completing')
  })

  it('an execution that ended without the answer expires the task', async () => {
    const { rec, executionArn } = await openApproval('policy C')
    await leaveCompleting(rec)
    await t.stack.deps.workflows.stop(executionArn, 'withdrawn')
    const report = await recoverCompletingTasks(t.stack.deps, ['nordlicht'], { leaseMs: 0 })
    expect(report.expired).toEqual([rec.id])
    expect((await t.stack.deps.taskStore.require('nordlicht', rec.id)).data.status).toBe('expired')
  })
})
