import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Client, startTestStack } from '../../support/stack.js'

const inDays = (now: Date, days: number) =>
  new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10)

describe('workflows API: list, start, one execution with graph and plain history', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let isoHafenstadt: Client
  let mgmt: Client
  let member: Client
  let auditor: Client
  let otherOrg: Client

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
    auditor = await t.signIn('auditor@demo.ismsflow.test')
    otherOrg = await t.signIn('member@hafenstadt.ismsflow.test')
  })
  afterAll(async () => t?.close())

  const dueDate = (days = 7) => inDays(t.stack.clock.now(), days)

  it('lists the seeded executions of the organisation only, with status and the step they wait for', async () => {
    const list = await t.eventually(async () => {
      const res = await iso.get('/api/workflows')
      const policy = res.body.items?.find(
        (x: any) => x.title?.en === 'Approve the information security policy v2',
      )
      return policy?.current.length > 0 && res.body
    })
    const policy = list.items.find((x: any) => x.title.en === 'Approve the information security policy v2')
    expect(policy).toMatchObject({ workflow: 'approval', status: 'RUNNING', startedByName: 'Ines Sommer' })
    expect(policy.current[0].assignee).toBe('role:management')
    // Hafenstadt's demo workflow is not in Nordlicht's list, and the other way round.
    expect(
      list.items.some((x: any) => x.title?.en === 'Review the security of the yard management cloud'),
    ).toBe(false)
    const theirs = (await isoHafenstadt.get('/api/workflows')).body.items
    const theirTitles = theirs.map((x: any) => x.title?.en)
    expect(theirTitles).toContain('Review the security of the yard management cloud')
    expect(theirTitles).not.toContain('Approve the information security policy v2')
    // Members see only the workflows they have a task in (the seeded supplier questionnaire); management and auditors all.
    const theirsOnly = (await member.get('/api/workflows')).body.items.map((x: any) => x.title?.en)
    expect(theirsOnly).toContain('Complete the supplier security questionnaire')
    expect(theirsOnly).toContain('Update the organisation profile')
    expect(theirsOnly).not.toContain('Approve the information security policy v2')
    expect((await mgmt.get('/api/workflows')).status).toBe(200)
    expect((await auditor.get('/api/workflows?status=RUNNING')).status).toBe(200)
    expect((await iso.get('/api/workflows?status=sleeping')).body.error.fields).toHaveProperty('status')
  })

  it('starts an approval for the ISO and shows its graph, tasks and history in plain words until it ends', async () => {
    const started = await iso.post('/api/workflows/start', {
      type: 'approval',
      title: { en: 'Approve the backup concept' },
      dueDate: dueDate(7),
      reference: 'ISMS-KON-03',
      details: 'Daily backups, one copy offline.',
    })
    expect(started.status).toBe(201)
    const id: string = started.body.execution.id
    expect(id).toMatch(/^ismsflow-approval:approval-/)

    const view = await t.eventually(async () => {
      const res = await iso.get(`/api/workflows/executions/${id}`)
      return res.body.tasks?.length > 0 && res.body
    })
    expect(view.execution).toMatchObject({
      workflow: 'approval',
      status: 'RUNNING',
      title: { en: 'Approve the backup concept', de: 'Approve the backup concept' },
    })
    const status = Object.fromEntries(view.graph.nodes.map((n: any) => [n.id, n.status]))
    expect(status).toMatchObject({
      Init: 'done',
      Approve: 'current',
      Escalate: 'pending',
      Approved: 'pending',
    })
    // A timeout closes the task (close-task), then escalates.
    expect(view.graph.edges).toContainEqual({
      from: 'Approve',
      to: 'CloseApproveTask',
      label: 'States.Timeout',
    })
    expect(view.graph.edges).toContainEqual(
      expect.objectContaining({ from: 'CloseApproveTask', to: 'Escalate' }),
    )
    expect(view.startAt).toBe('Init')
    expect(view.history[0].text.en).toBe('Ines Sommer started the workflow “Approve the backup concept”.')
    expect(view.tasks[0]).toMatchObject({
      kind: 'approval',
      status: 'open',
      assignee: 'role:management',
      stateName: 'Approve',
      mayOpen: true,
    })

    const task = (await mgmt.get(`/api/tasks/${view.tasks[0].id}`)).body.task
    expect(task.context).toMatchObject({
      reference: 'ISMS-KON-03',
      details: 'Daily backups, one copy offline.',
      requestedByName: 'Ines Sommer',
    })
    expect(task.requestedBy).toBe(iso.userId)
    const done = await mgmt.post(`/api/tasks/${task.id}/complete`, {
      answers: { decision: { outcome: 'approve', comment: 'Agreed.' } },
    })
    expect(done.status).toBe(200)

    const after = await t.eventually(async () => {
      const res = await mgmt.get(`/api/workflows/executions/${id}`)
      return res.body.execution.status === 'SUCCEEDED' && res.body
    })
    const statusAfter = Object.fromEntries(after.graph.nodes.map((n: any) => [n.id, n.status]))
    expect(statusAfter).toMatchObject({
      Approve: 'done',
      Decide: 'done',
      Approved: 'done',
      Rejected: 'pending',
      Escalate: 'pending',
    })
    const words = after.history.map((l: any) => l.text.en)
    expect(words).toContain('Martin Brandt completed “Approve the backup concept”.')
    expect(words.at(-1)).toBe('The workflow finished.')
    expect(after.history.every((l: any) => l.text.de.length > 0)).toBe(true)
  })

  it('answers 404 for another organisation’s execution, a malformed id and an unknown one', async () => {
    const started = await iso.post('/api/workflows/start', {
      type: 'approval',
      title: { en: 'Approve the clean desk rule' },
      dueDate: dueDate(3),
    })
    const id = started.body.execution.id
    expect((await iso.get(`/api/workflows/executions/${id}`)).status).toBe(200)
    // Same ISO acting in Hafenstadt, and a Hafenstadt member: not found, nothing said about it.
    const other = await isoHafenstadt.get(`/api/workflows/executions/${id}`)
    expect(other.status).toBe(404)
    expect(JSON.stringify(other.body)).not.toContain('clean desk')
    expect((await otherOrg.get(`/api/workflows/executions/${id}`)).status).toBe(404)
    expect((await iso.get('/api/workflows/executions/not-an-id')).status).toBe(404)
    expect((await iso.get('/api/workflows/executions/ismsflow-approval:does-not-exist')).status).toBe(404)
    expect((await iso.get('/api/workflows/executions/ismsflow-nothing:x')).status).toBe(404)
    // A seeded Hafenstadt execution is invisible from Nordlicht, even to its own ISO.
    expect(
      (await iso.get('/api/workflows/executions/ismsflow-questionnaire:seed-hafenstadt-supplier-portlog'))
        .status,
    ).toBe(404)
    expect(
      (
        await isoHafenstadt.get(
          '/api/workflows/executions/ismsflow-questionnaire:seed-hafenstadt-supplier-portlog',
        )
      ).status,
    ).toBe(200)
  })

  it('lets a member see only the workflows they have a task in', async () => {
    const q = await iso.post('/api/workflows/start', {
      type: 'questionnaire',
      title: { en: 'Tell us about the test bench', de: 'Erzählen Sie uns vom Prüfstand' },
      formId: 'sample-onboarding',
      assignee: { userId: member.userId },
      dueDate: dueDate(5),
    })
    expect(q.status).toBe(201)
    const a = await iso.post('/api/workflows/start', {
      type: 'approval',
      title: { en: 'Approve the visitor rule' },
      dueDate: dueDate(5),
    })
    await t.eventually(
      async () => (await member.get(`/api/workflows/executions/${q.body.execution.id}`)).status === 200,
    )
    const mine = await member.get(`/api/workflows/executions/${q.body.execution.id}`)
    expect(mine.body.tasks[0]).toMatchObject({ kind: 'questionnaire', assignee: 'Mia Keller', mayOpen: true })
    expect((await member.get(`/api/workflows/executions/${a.body.execution.id}`)).status).toBe(404)
  })

  it('checks a start and names every field; only the ISO may start', async () => {
    const bad = await iso.post('/api/workflows/start', {
      type: 'questionnaire',
      title: { en: 'x' },
      dueDate: inDays(t.stack.clock.now(), -1),
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields).toMatchObject({
      formId: expect.any(String),
      assignee: expect.any(String),
      dueDate: 'must be after today',
    })
    const unknownForm = await iso.post('/api/workflows/start', {
      type: 'questionnaire',
      title: { en: 'x' },
      formId: 'no-such-form',
      assignee: { userId: 'demo-hafenstadt-member' },
      dueDate: dueDate(),
    })
    expect(unknownForm.body.error.fields).toEqual({
      formId: 'is not a known form',
      'assignee.userId': 'is not a member of this organisation',
    })
    const decision = await iso.post('/api/workflows/start', {
      type: 'questionnaire',
      title: { en: 'x' },
      formId: 'approval',
      assignee: { role: 'member' },
      dueDate: dueDate(),
    })
    expect(decision.body.error.fields.formId).toMatch(/decision form/)
    const extra = await iso.post('/api/workflows/start', {
      type: 'approval',
      title: { en: 'x' },
      dueDate: '2031-02-30',
      sneaky: true,
    })
    expect(Object.keys(extra.body.error.fields)).toContain('sneaky')
    const badDate = await iso.post('/api/workflows/start', {
      type: 'approval',
      title: { en: 'x' },
      dueDate: '2031-02-30',
    })
    expect(badDate.body.error.fields).toEqual({ dueDate: 'must be a real date' })
    const auditorRole = await iso.post('/api/workflows/start', {
      type: 'questionnaire',
      title: { en: 'x' },
      formId: 'sample-onboarding',
      assignee: { role: 'auditor' },
      dueDate: dueDate(),
    })
    expect(Object.keys(auditorRole.body.error.fields)).toEqual(['assignee.role'])
    const both = await iso.post('/api/workflows/start', {
      type: 'questionnaire',
      title: { en: 'x' },
      formId: 'sample-onboarding',
      assignee: { role: 'member', userId: member.userId },
      dueDate: dueDate(),
    })
    expect(both.body.error.fields).toEqual({ assignee: 'must name either a person (userId) or a role' })
    expect(
      (await mgmt.post('/api/workflows/start', { type: 'approval', title: { en: 'x' }, dueDate: dueDate() }))
        .status,
    ).toBe(403)
    expect(
      (
        await member.post('/api/workflows/start', {
          type: 'approval',
          title: { en: 'x' },
          dueDate: dueDate(),
        })
      ).status,
    ).toBe(403)
  })

  it('offers the start form its forms (no decision forms) and people; the outbox is for the ISO', async () => {
    const forms = (await iso.get('/api/workflows/forms')).body.items.map((f: any) => f.id)
    expect(forms).toContain('sample-onboarding')
    expect(forms).toContain('supplier-security')
    expect(forms).not.toContain('approval')
    expect((await member.get('/api/workflows/forms')).status).toBe(403)
    const people = (await member.get('/api/workflows/people')).body.items
    // Nordlicht's people who may take a task (not the read-only auditor) and the seven staff of
    // its awareness campaigns, by name.
    expect(people.map((x: any) => x.name)).toEqual([
      'Anton Richter',
      'Emre Yılmaz',
      'Ines Sommer',
      'Jonas Weber',
      'Katrin Koch',
      'Laura Becker',
      'Lukas Hoffmann',
      'Martin Brandt',
      'Mia Keller',
      'Piotr Nowak',
      'Sabine Schulz',
    ])
    expect((await otherOrg.get('/api/workflows/people')).body.items.map((x: any) => x.name)).toEqual([
      'Hanna Petersen',
      'Ines Sommer',
    ])
    expect((await iso.get('/api/notifications')).status).toBe(200)
    expect((await member.get('/api/notifications')).status).toBe(403)
  })
})
