import { SFNClient } from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../../../functions/config.js'
import { addDays } from '../../../functions/domain/risk/calendar.js'
import {
  MIN_TIMEOUT_SECONDS,
  handler as planStep,
  waves,
} from '../../../functions/steps/certification-plan.js'
import { handler as recordStep } from '../../../functions/steps/certification-record.js'
import { createStepDeps, type StepDeps } from '../../../functions/steps/deps.js'
import { type CertProject, certificationTemplate } from '../../../functions/store/certification.js'
import { embeddedStore } from '../../support/store.js'

describe('certification steps (embedded store)', () => {
  let store: Awaited<ReturnType<typeof embeddedStore>>
  let deps: StepDeps
  const plan = (event: unknown) => planStep.invoke(event, deps)
  const record = (event: unknown) => recordStep.invoke(event, deps)
  const at = '2026-03-02T09:00:00.000Z'
  const auditDate = '2026-10-01'
  const base = { orgId: 'nordlicht', projectId: 'cp-steps', at }
  const result = (answers: Record<string, unknown>, taskId = 't-1') => ({
    taskId,
    answers,
    completedBy: 'demo-iso',
    completedByName: 'Ines Sommer',
    completedAt: at,
  })

  beforeAll(async () => {
    store = await embeddedStore()
    deps = createStepDeps(
      { ...readConfig(), tableName: store.tableName },
      {
        now: () => new Date(at),
        clients: {
          doc: store.doc,
          // The certification steps do not reach the engine: a client of an endpoint nothing listens on.
          sfn: new SFNClient({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }),
        },
      },
    )
    const project: CertProject = {
      id: 'cp-steps',
      title: 'Steps',
      standard: 'iso27001',
      templateId: 'iso27001-2022',
      templateVersion: 1,
      auditDate,
      auditDateMoves: [],
      done: {},
      completions: {},
      stage1Threshold: 75,
      audits: {},
      evidenceConfirmations: {},
    }
    await store.records
      .forOrg('nordlicht')
      .create('cert-project', 'cp-steps', project, { actor: { userId: 'test' } })
  })
  afterAll(async () => {
    await store?.close()
  })

  it('plans waves by dependency level with the Stage 1 gate right before Stage 1', async () => {
    const w = waves(certificationTemplate('iso27001'))
    const flat = w.flat()
    expect(flat.indexOf('stage-1-gate')).toBe(flat.indexOf('stage-1') - 1)
    expect(w[0]).toEqual(['scope-context'])
    expect(w.at(-1)).toEqual(['recertification'])
    const out = (await plan({ ...base, action: 'plan' })) as { waves: { milestoneId: string }[][] }
    expect(out.waves.flat().map((x) => x.milestoneId)).toEqual(flat)
  })

  it('answers a milestone with its form, role and due date from the audit date', async () => {
    const scope = (await plan({ ...base, action: 'milestone', milestoneId: 'scope-context' })) as any
    expect(scope).toMatchObject({
      kind: 'form',
      formId: 'certification-scope',
      role: 'iso',
      done: false,
      wait: false,
      dueAt: `${addDays(auditDate, -245)}T16:00:00.000Z`,
    })
    // Already overdue when its task starts: the first deadline is three days away.
    expect(scope.timeoutSeconds).toBe(MIN_TIMEOUT_SECONDS)
    const audit = (await plan({ ...base, action: 'milestone', milestoneId: 'internal-audit' })) as any
    expect(audit.timeoutSeconds).toBe(
      (Date.parse(`${addDays(auditDate, -49)}T16:00:00.000Z`) - Date.parse(at)) / 1000,
    )
    const s1 = (await plan({ ...base, action: 'milestone', milestoneId: 'surveillance-1' })) as any
    expect(s1).toMatchObject({
      kind: 'audit',
      wait: true,
      waitUntil: `${addDays(addDays(auditDate, 365), -42)}T06:00:00.000Z`,
    })
    expect(
      ((await plan({ ...base, action: 'milestone', milestoneId: 'controls-evidence' })) as any).kind,
    ).toBe('evidence')
    expect(
      ((await plan({ ...base, action: 'milestone', milestoneId: 'nonconformities-closed' })) as any).kind,
    ).toBe('findings')
    expect(((await plan({ ...base, action: 'milestone', milestoneId: 'certificate' })) as any).kind).toBe(
      'certificate',
    )
    await expect(plan({ ...base, action: 'milestone', milestoneId: 'nope' })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { milestoneId: expect.any(String) },
    })
    await expect(plan({ ...base, action: 'milestone' })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: { milestoneId: expect.any(String) },
    })
  })

  it('records a milestone once however often the engine invokes the step', async () => {
    const event = {
      ...base,
      action: 'milestone-done',
      milestoneId: 'scope-context',
      result: result({ doneOn: '2026-02-27' }),
    }
    const first = (await record(event)) as any
    const version = (await store.records.forOrg('nordlicht').require('cert-project', 'cp-steps')).version
    const again = (await record({ ...event, result: result({ doneOn: '2026-03-01' }, 't-2') })) as any
    expect(again.done).toEqual(first.done)
    expect(first.done.on).toBe('2026-02-27')
    expect((await store.records.forOrg('nordlicht').require('cert-project', 'cp-steps')).version).toBe(
      version,
    )
  })

  it('records the certificate and its milestone in one write, once', async () => {
    const event = {
      ...base,
      action: 'certificate',
      milestoneId: 'certificate',
      result: result({ number: 'C-1', body: 'CB', issuedOn: '2026-03-01', validUntil: '2029-02-28' }),
    }
    await record(event)
    await record({
      ...event,
      result: result({ number: 'C-2', body: 'CB', issuedOn: '2026-03-01', validUntil: '2029-02-28' }),
    })
    const p = (await store.records.forOrg('nordlicht').require<CertProject>('cert-project', 'cp-steps')).data
    expect(p.certificate?.number).toBe('C-1')
    expect(p.done.certificate.on).toBe('2026-03-01')
  })

  it('refuses an event that names no project of the organisation', async () => {
    await expect(
      record({ ...base, projectId: 'cp-other', action: 'milestone-done', milestoneId: 'soa', result: null }),
    ).rejects.toMatchObject({ code: 'not_found' })
  })
})
