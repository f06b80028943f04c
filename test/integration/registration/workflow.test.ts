import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  REGISTRATION_ID,
  REGISTRATION_RECORD,
  type RegistrationData,
  type RegistrationFacts,
} from '../../../functions/domain/registration/index.js'
import { isOpen } from '../../../functions/domain/tasks.js'
import { registrationExecutionArn, syncRegistration } from '../../../functions/steps/bsi-registration-sync.js'
import { type Client, startTestStack } from '../../support/stack.js'

const DAY = 86_400_000

describe('registration with the BSI (§ 33 BSIG) on the local engine (injected clock)', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let management: Client
  let member: Client
  let auditor: Client
  let isoHafenstadt: Client
  let memberHafenstadt: Client

  const org = () => t.stack.deps.records.forOrg('nordlicht')
  const stored = async () =>
    (await org().require<RegistrationData>(REGISTRATION_RECORD, REGISTRATION_ID)).data
  const openTask = () =>
    t.eventually(async () =>
      (await t.stack.deps.taskStore.list('nordlicht')).find(
        (x) => x.data.subject?.type === REGISTRATION_RECORD && isOpen(x.data),
      ),
    )
  const status = (name: string) =>
    t.eventually(async () => {
      const d = await t.stack.deps.workflows.describe(registrationExecutionArn(t.stack.deps.workflows, name))
      return d.status !== 'RUNNING' ? d.status : undefined
    })
  const sync = (change: Parameters<typeof syncRegistration>[2]) =>
    syncRegistration(
      {
        records: t.stack.deps.records,
        taskStore: t.stack.deps.taskStore,
        workflows: t.stack.deps.workflows,
        now: t.stack.deps.now,
      },
      'nordlicht',
      change,
    )
  const SUBMISSION = {
    submittedOn: '2026-01-01',
    channel: 'bsi-portal',
    reference: 'BSI-REG-UPDATE-1',
    evidence: [{ kind: 'link', url: 'https://isms.nordlicht.example/bsi-update.pdf' }],
  }
  const signInAll = async () => {
    ;[iso, management, member, auditor, isoHafenstadt, memberHafenstadt] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('management@demo.ismsflow.test'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('auditor@demo.ismsflow.test'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
      t.signIn('member@hafenstadt.ismsflow.test'),
    ])
  }

  beforeAll(async () => {
    t = await startTestStack()
    await signInAll()
  })
  beforeEach(async () => signInAll())
  afterAll(async () => t?.close())

  it('the adopted decision (wichtige Einrichtung) opened the registration; the demo registered it with evidence', async () => {
    const d = await t.eventually(async () => {
      const r = await org().get<RegistrationData>(REGISTRATION_RECORD, REGISTRATION_ID)
      return r?.data.status === 'registered' ? r.data : undefined
    })
    expect(d.facts.category).toBe('important')
    expect(Date.parse(d.dueAt) - Date.parse(d.firstCoveredAt)).toBeGreaterThan(88 * DAY)
    expect(d.submissions).toHaveLength(1)
    expect(d.submissions[0]).toMatchObject({
      kind: 'registration',
      reference: 'BSI-REG-2025-048213',
      round: 1,
    })
    expect(await status(d.executionName)).toBe('SUCCEEDED')
  })

  it('ISO, management and auditors read it; members do not; another organisation sees only its own', async () => {
    for (const who of [iso, management, auditor]) {
      const res = await who.get('/api/bsi-registration')
      expect(res.status).toBe(200)
      expect(res.body.registration).toMatchObject({ status: 'registered', category: 'important' })
      expect(res.body.registration.statusText.de).toContain('§ 33 BSIG')
    }
    expect((await member.get('/api/bsi-registration')).status).toBe(403)
    expect((await memberHafenstadt.get('/api/bsi-registration')).status).toBe(403)
    const other = await isoHafenstadt.get('/api/bsi-registration')
    expect(other.status).toBe(200)
    expect(other.body.registration).toBeNull()
    // Hafenstadt has no registration due: its ISO cannot write Nordlicht's, nor one of its own.
    const put = await isoHafenstadt.call('PUT', '/api/bsi-registration/details', { contacts: 'x' })
    expect(put.status).toBe(409)
  })

  it('only the ISO edits the details; bad input is named', async () => {
    expect((await auditor.call('PUT', '/api/bsi-registration/details', { contacts: 'x' })).status).toBe(403)
    expect((await management.call('PUT', '/api/bsi-registration/details', { contacts: 'x' })).status).toBe(
      403,
    )
    const bad = await iso.call('PUT', '/api/bsi-registration/details', {
      contacts: 'x'.repeat(2001),
      phone: '1',
    })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['contacts', 'phone'])
  })

  it('a later change of the data opens an update task, due in three months, pre-filled; recording it registers again', async () => {
    const res = await iso.call('PUT', '/api/bsi-registration/details', {
      contacts: 'ISMS-Bereitschaft (24/7): +49 451 555 0100',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.action).toBe('update')
    expect(res.body.registration).toMatchObject({ status: 'update-due', round: 2 })
    // Repeated: nothing more.
    const again = await iso.call('PUT', '/api/bsi-registration/details', {
      contacts: 'ISMS-Bereitschaft (24/7): +49 451 555 0100',
    })
    expect(again.body.action).toBe('save')
    const task = await openTask()
    expect(task.data.kind).toBe('bsi-registration-update')
    expect(task.data.title.de).toContain('§ 33 BSIG')
    expect(Date.parse(task.data.dueAt ?? '') - t.stack.clock.nowMs()).toBeGreaterThan(88 * DAY)
    expect(task.data.prefill).toMatchObject({
      contacts: 'ISMS-Bereitschaft (24/7): +49 451 555 0100',
      legalForm: 'GmbH, HRB 14321 HL (Amtsgericht Lübeck)',
      section34: 'no',
    })
    expect((await iso.get('/api/bsi-registration')).body.registration.taskId).toBe(task.id)
    // The auditor cannot complete it; the ISO records the submission.
    expect((await auditor.post(`/api/tasks/${task.id}/complete`, { answers: SUBMISSION })).status).not.toBe(
      200,
    )
    const done = await iso.post(`/api/tasks/${task.id}/complete`, {
      answers: { ...task.data.prefill, ...SUBMISSION },
    })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    const d = await t.eventually(async () =>
      (await stored()).status === 'registered' ? stored() : undefined,
    )
    expect(d.submissions.map((s) => [s.kind, s.reference])).toEqual([
      ['registration', 'BSI-REG-2025-048213'],
      ['update', 'BSI-REG-UPDATE-1'],
    ])
    expect(await status('bsireg-nordlicht-2')).toBe('SUCCEEDED')
  })

  it('a re-assessment that changes the category updates; a change while the task waits opens it again with the new data', async () => {
    const current = await stored()
    const essential: RegistrationFacts = {
      ...current.facts,
      category: 'essential',
      categoryTerm: { en: 'essential entity', de: 'besonders wichtige Einrichtung' },
      decisionId: 'reassessed-1',
    }
    expect((await sync({ facts: essential })).action).toBe('update')
    const first = await openTask()
    expect(String(first.data.prefill?.category)).toContain('besonders wichtige Einrichtung')
    expect(first.data.context.updateReason).toMatchObject({ en: expect.stringContaining('category changed') })
    // The ISO changes the 24/7 contact while the task waits: the task opens again with it.
    await iso.call('PUT', '/api/bsi-registration/details', {
      contacts: 'Neue Bereitschaft: +49 451 555 0111',
    })
    const second = await t.eventually(async () => {
      const x = await openTask()
      return x.id !== first.id ? x : undefined
    })
    expect(second.data.prefill?.contacts).toBe('Neue Bereitschaft: +49 451 555 0111')
    expect((await t.stack.deps.taskStore.get('nordlicht', first.id))?.data.status).toBe('cancelled')
    // Completing the stale task is refused.
    expect((await iso.post(`/api/tasks/${first.id}/complete`, { answers: SUBMISSION })).status).toBe(409)
  })

  it('a re-assessment that no longer covers the organisation closes it; covered again opens a new round from that decision', async () => {
    const waiting = await openTask()
    const round = (await stored()).round
    expect((await sync({ facts: null })).action).toBe('close')
    expect(await status(`bsireg-nordlicht-${round}`)).toBe('SUCCEEDED')
    const closed = await stored()
    expect(closed.status).toBe('closed')
    expect(closed.closedReason?.en).toContain('§ 28 BSIG')
    expect((await t.stack.deps.taskStore.get('nordlicht', waiting.id))?.data.status).toBe('cancelled')
    const decidedAt = new Date(t.stack.clock.nowMs()).toISOString()
    expect((await sync({ facts: { ...closed.facts, decidedAt, decisionId: 'reassessed-2' } })).action).toBe(
      'open',
    )
    const reopened = await stored()
    expect(reopened).toMatchObject({ status: 'open', round: round + 1, firstCoveredAt: decidedAt })
    const task = await openTask()
    expect(task.data.kind).toBe('bsi-registration')
    expect(task.data.dueAt).toBe(reopened.dueAt)
    // § 34 entity types must give their public IP ranges: the form names the field.
    await sync({
      facts: {
        ...reopened.facts,
        activities: [
          ...reopened.facts.activities,
          {
            id: 'digital.cloud',
            sector: { en: 'Digital infrastructure', de: 'Digitale Infrastruktur' },
            title: { en: 'Cloud computing service', de: 'Cloud-Computing-Dienst' },
          },
        ],
        section34: true,
      },
    })
    const s34 = await t.eventually(async () => {
      const x = await openTask()
      return x.id !== task.id ? x : undefined
    })
    expect(s34.data.prefill?.section34).toBe('yes')
    const missing = await iso.post(`/api/tasks/${s34.id}/complete`, {
      answers: { ...s34.data.prefill, ...SUBMISSION },
    })
    expect(missing.status).toBe(400)
    expect(missing.body.error.fields, JSON.stringify(missing.body)).toHaveProperty(['answers.ipRanges'])
  })
})
