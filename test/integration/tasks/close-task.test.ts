import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecutionStatusChangeEvent } from '../../../infra/local/engine/engine.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

const title = { en: 'Approve the access control policy', de: 'Zugriffsrichtlinie freigeben' }

/**
 * One code path for tokens that end unanswered: the close-task step, invoked by a Catch in the
 * definition (a human task's timeout) and by the EventBridge rule on execution status changes
 * (stop, failure), which the local engine emits in the shape AWS documents.
 */
describe('close-task: inbox tasks of tokens that ended unanswered', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let otherOrg: Client
  const changes: ExecutionStatusChangeEvent[] = []

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    otherOrg = await t.signIn('member@hafenstadt.ismsflow.test')
    t.stack.engine.events.on('statusChange', (e: ExecutionStatusChangeEvent) => changes.push(e))
  })
  afterAll(async () => t?.close())

  const start = (input: Record<string, unknown> = {}) =>
    t.stack.deps.workflows.start('approval', {
      orgId: 'nordlicht',
      title,
      context: { policy: 'ISMS-POL-05', version: 1 },
      requestedBy: iso.userId,
      ...input,
    })

  const openTaskOf = (executionArn: string) =>
    t.eventually(async () => {
      const res = await mgmt.get('/api/tasks?view=unclaimed')
      return res.body.items?.find((x: any) => x.workflow.executionArn === executionArn && x.status === 'open')
    })

  it('a stopped execution emits the EventBridge event and its open task is cancelled by the handler', async () => {
    const { executionArn } = await start()
    const task = await openTaskOf(executionArn)
    await t.stack.deps.workflows.stop(executionArn, 'withdrawn')
    const closed = await t.eventually(async () => {
      const r = await mgmt.get(`/api/tasks/${task.id}`)
      return r.body.task.status === 'cancelled' && r.body.task
    })
    expect(closed.closedReason).toBe('ABORTED')
    const event = changes.find((e) => e.detail.executionArn === executionArn)
    expect(event).toMatchObject({
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      resources: [executionArn],
      detail: {
        executionArn,
        status: 'ABORTED',
        stateMachineArn: expect.stringMatching(/:stateMachine:ismsflow-approval$/),
      },
    })
    expect(JSON.parse(event!.detail.input!)).toMatchObject({ orgId: 'nordlicht' })
    // Another organisation still sees nothing of it.
    expect((await otherOrg.get(`/api/tasks/${task.id}`)).status).toBe(404)
  })

  it('a timed-out human task expires through the Catch of its definition, while the workflow goes on', async () => {
    const { executionArn } = await start({ escalateAfterSeconds: 600 })
    const task = await openTaskOf(executionArn)
    await t.stack.clock.advance(601_000)
    const expired = await t.eventually(async () => {
      const r = await mgmt.get(`/api/tasks/${task.id}`)
      return r.body.task.status === 'expired' && r.body.task
    })
    expect(expired.closedReason).toBe('TIMED_OUT')
    const history = await t.stack.deps.workflows.history(executionArn)
    expect(
      history.some(
        (e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === 'CloseApproveTask',
      ),
    ).toBe(true)
    expect((await t.stack.deps.workflows.describe(executionArn)).status).toBe('RUNNING')
  })

  it('refuses an event that is neither (a validation error naming the step)', async () => {
    const { handler } = await import('../../../functions/steps/close-task.js')
    await expect(handler({})).rejects.toMatchObject({ name: 'Step.InvalidInput', step: 'close-task' })
  })
})
