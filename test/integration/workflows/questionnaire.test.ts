import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'
import { wholeTask } from '../../support/tasks.js'

const DAY = 86_400_000

const onboardingAnswers = (name: string) => ({
  orgName: 'Nordlicht Maschinenbau GmbH',
  sector: 'other',
  employees: 12,
  contactName: 'Mia Keller',
  contactEmail: 'mia.keller@nordlicht.example',
  confirmation: { name, at: new Date().toISOString() },
})

describe('the generic questionnaire workflow: answered, escalated on timeout, extended or closed', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let member: Client

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
  })
  afterAll(async () => t?.close())

  const arnOf = (id: string) =>
    `${t.stack.deps.workflows.machineArn('questionnaire').replace(':stateMachine:', ':execution:')}:${id}`
  /** Sessions last 12 hours of the stack's clock: sign in again after jumping days ahead. */
  const signInAgain = async () => {
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
  }
  const taskOf = (client: Client, executionArn: string, kind: string, view = 'mine') =>
    t.eventually(async () => {
      const res = await client.get(`/api/tasks?view=${view}`)
      const row = res.body.items?.find(
        (x: any) =>
          x.workflow.executionArn === executionArn &&
          x.kind === kind &&
          (x.status === 'open' || x.status === 'claimed'),
      )
      return wholeTask(client, row)
    })

  it('escalates an unanswered questionnaire to management after its due date and grace, who give more time; then it is answered', async () => {
    const due = new Date(t.stack.clock.now().getTime() + 3 * DAY).toISOString().slice(0, 10)
    const started = await iso.post('/api/workflows/start', {
      type: 'questionnaire',
      title: { en: 'Tell us about your organisation', de: 'Erzählen Sie uns von Ihrer Organisation' },
      formId: 'sample-onboarding',
      assignee: { userId: member.userId },
      dueDate: due,
    })
    expect(started.status).toBe(201)
    const executionArn = started.body.execution.executionArn
    const first = await taskOf(member, executionArn, 'questionnaire')
    expect(first).toMatchObject({
      formId: 'sample-onboarding',
      assigneeUserId: member.userId,
      requestedBy: iso.userId,
      priority: 1,
    })
    expect(first.dueAt.slice(0, 10)).toBe(due)

    // Three days to the due date and two days' grace: nothing happens before…
    await t.stack.clock.advance(5 * DAY - 60_000)
    await new Promise((r) => setTimeout(r, 300))
    await signInAgain()
    expect((await member.get(`/api/tasks/${first.id}`)).body.task.status).toBe('open')
    // …and management gets the escalation after.
    await t.stack.clock.advance(61_000)
    const escalation = await taskOf(mgmt, executionArn, 'escalation-questionnaire', 'unclaimed')
    expect(escalation).toMatchObject({
      formId: 'questionnaire-escalation',
      candidateRole: 'management',
      priority: 9,
    })
    expect(escalation.title).toEqual({
      en: 'Overdue questionnaire: Tell us about your organisation',
      de: 'Überfälliger Fragebogen: Erzählen Sie uns von Ihrer Organisation',
    })
    expect(escalation.context).toMatchObject({
      escalated: true,
      round: 1,
      assignee: { userId: member.userId },
    })
    // The late answer is refused: the task expired.
    await t.eventually(
      async () => (await member.get(`/api/tasks/${first.id}`)).body.task.status === 'expired',
    )
    const late = await member.post(`/api/tasks/${first.id}/complete`, {
      answers: onboardingAnswers('Mia Keller'),
    })
    expect(late.status).toBe(409)
    expect(late.body.error.message).toMatch(/expired/)

    // Management must say how many days when giving more time.
    const missing = await mgmt.post(`/api/tasks/${escalation.id}/complete`, { answers: { action: 'extend' } })
    expect(missing.status).toBe(400)
    expect(Object.keys(missing.body.error.fields)).toEqual(['answers.extendDays'])
    expect(
      (
        await mgmt.post(`/api/tasks/${escalation.id}/complete`, {
          answers: { action: 'extend', extendDays: 4, comment: 'Busy with the audit.' },
        })
      ).status,
    ).toBe(200)

    const second = await taskOf(member, executionArn, 'questionnaire')
    expect(second.id).not.toBe(first.id)
    expect(second.context.round).toBe(2)
    expect(second.context.escalations[0]).toMatchObject({
      action: 'extend',
      extendDays: 4,
      comment: 'Busy with the audit.',
      byName: 'Martin Brandt',
    })
    expect(Date.parse(second.dueAt) - t.stack.clock.nowMs()).toBeGreaterThan(4 * DAY - 60_000)

    const done = await member.post(`/api/tasks/${second.id}/complete`, {
      answers: onboardingAnswers('Mia Keller'),
    })
    expect(done.status).toBe(200)
    const finished = await t.stack.engine.awaitExecution(executionArn)
    expect(finished.status).toBe('SUCCEEDED')
    const output = JSON.parse(finished.output!)
    expect(output).toMatchObject({
      outcome: 'answered',
      rounds: 2,
      completedByName: 'Mia Keller',
      computed: { sizeClass: 'small' },
    })
    expect(output.answers.orgName).toBe('Nordlicht Maschinenbau GmbH')

    const view = (await iso.get(`/api/workflows/executions/${started.body.execution.id}`)).body
    const words = view.history.map((l: any) => l.text.en)
    expect(words).toContain('A step was not done in time and was escalated.')
    expect(words).toContain(
      'Martin Brandt completed “Overdue questionnaire: Tell us about your organisation”.',
    )
    expect(Object.fromEntries(view.graph.nodes.map((n: any) => [n.id, n.status]))).toMatchObject({
      Escalate: 'done',
      Extend: 'done',
      Answered: 'done',
      Closed: 'pending',
    })
  })

  it('ends unanswered when management closes the escalation', async () => {
    const { executionArn } = await t.stack.deps.workflows.start(
      'questionnaire',
      {
        orgId: 'nordlicht',
        formId: 'supplier-security',
        title: { en: 'Supplier questionnaire: Kessler', de: 'Lieferantenfragebogen: Kessler' },
        assignee: { role: 'member' },
        requestedBy: iso.userId,
        dueInDays: 1,
        escalateAfterSeconds: 3600,
      },
      'test-close-unanswered',
    )
    expect(executionArn).toBe(arnOf('test-close-unanswered'))
    await taskOf(member, executionArn, 'questionnaire', 'unclaimed')
    await t.stack.clock.advance(3_601_000)
    await signInAgain()
    const escalation = await taskOf(mgmt, executionArn, 'escalation-questionnaire', 'unclaimed')
    expect(
      (
        await mgmt.post(`/api/tasks/${escalation.id}/complete`, {
          answers: { action: 'close', comment: 'Supplier contract ends.' },
        })
      ).status,
    ).toBe(200)
    const finished = await t.stack.engine.awaitExecution(executionArn)
    expect(JSON.parse(finished.output!)).toMatchObject({
      outcome: 'closed',
      escalations: [{ action: 'close', comment: 'Supplier contract ends.' }],
    })
  })
})
