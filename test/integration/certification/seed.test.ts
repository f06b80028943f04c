import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readiness } from '../../../functions/domain/certification/index.js'
import { isOpen } from '../../../functions/domain/tasks.js'
import {
  type CertProject,
  certificationRecords,
  readinessInputs,
} from '../../../functions/store/certification.js'
import { seed } from '../../../infra/local/seed/index.js'
import { certification, DEMO_CERT_PROJECTS } from '../../../infra/local/seed/steps/certification.js'
import { startTestStack } from '../../support/stack.js'

describe('certification demo seed', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  beforeAll(async () => {
    t = await startTestStack()
  })
  afterAll(async () => t?.close())

  it('gives Nordlicht an ISO 27001 project with Stage 2 in about five months, partly done', async () => {
    const recs = certificationRecords(t.stack.deps.records.forOrg('nordlicht'))
    const project = (await recs.project(DEMO_CERT_PROJECTS.nordlicht)).data
    const today = t.stack.clock.now().toISOString().slice(0, 10)
    const days = (Date.parse(project.auditDate) - Date.parse(today)) / 86_400_000
    expect(days).toBeGreaterThan(140)
    expect(days).toBeLessThan(160)
    expect(Object.keys(project.done)).toHaveLength(5)

    const soa = (await recs.soa(project.id)).map((r) => r.data)
    expect(soa.length).toBeGreaterThanOrEqual(40)
    const excluded = soa.filter((e) => !e.applicable)
    expect(excluded.length).toBeGreaterThanOrEqual(2)
    expect(excluded.every((e) => e.justification.length > 20)).toBe(true)
    expect(soa.filter((e) => e.evidence.length > 0).length).toBeGreaterThanOrEqual(15)

    const data = await readinessInputs(recs, project, today)
    const r = readiness(data.input, today)
    expect(r.counts.undecided).toBe(93 - soa.length)
    expect(r.counts.openMinor).toBe(1)
    expect(r.blockers.filter((b) => b.kind === 'evidence-missing').length).toBeGreaterThanOrEqual(3) // stale evidence
    expect(r.score).toBeGreaterThan(20)
    expect(r.score).toBeLessThan(75)

    // Its workflow runs: the next open milestone is a task in the ISO's inbox.
    expect(project.workflow?.executionArn).toContain(`cert-nordlicht-${project.id}`)
    const task = await t.eventually(async () =>
      (await t.stack.deps.taskStore.list('nordlicht'))
        .map((x) => x.data)
        .find((x) => isOpen(x) && x.subject?.id === project.id),
    )
    expect(task.context.milestoneId).toBe('awareness')
  })

  it('gives Hafenstadt a TISAX AL3 project', async () => {
    const recs = certificationRecords(t.stack.deps.records.forOrg('hafenstadt'))
    const p: CertProject = (await recs.project(DEMO_CERT_PROJECTS.hafenstadt)).data
    expect(p).toMatchObject({ standard: 'tisax', assessmentLevel: 'AL3' })
    expect((await recs.soa(p.id)).length).toBeGreaterThan(0)
  })

  it('creates nothing on a second run', async () => {
    expect(await seed(t.stack.deps, { steps: [certification] })).toEqual({ certification: 0 })
  })
})
