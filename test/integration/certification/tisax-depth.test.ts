import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, toIsoDate } from '../../../functions/domain/risk/calendar.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

/**
 * TISAX depth (issue 17.10) through the API: prototype labels scope chapter 8; per control a
 * maturity 0–5 (target 3) and the additional requirements the level asks for (high from AL2,
 * very high at AL3); the organisation's own control title, in the export auditors read; only
 * TISAX projects take them; other organisations get 404.
 */
describe('TISAX depth on the SoA', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let auditor: Client
  let isoHafenstadt: Client

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    auditor = await t.signIn('auditor@demo.ismsflow.test')
    isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
  })
  afterAll(async () => t?.close())

  const auditDate = () => addDays(toIsoDate(t.stack.clock.now()), 200)
  const fields = (res: { body: { error?: { fields?: Record<string, string> } } }) =>
    Object.keys(res.body.error?.fields ?? {}).sort()
  const create = (client: Client, body: Record<string, unknown>) =>
    client.post('/api/certification/projects', { auditDate: auditDate(), startWorkflow: false, ...body })
  const controlIds = async (id: string) => {
    const soa: { themes: { controls: { controlId: string }[] }[] } = (
      await iso.get(`/api/certification/projects/${id}/soa`)
    ).body
    return soa.themes.flatMap((x) => x.controls.map((c) => c.controlId))
  }

  it('prototype labels scope chapter 8 and apply only with the prototype-protection module', async () => {
    const bad = await create(iso, {
      standard: 'tisax',
      assessmentLevel: 'AL3',
      tisaxModules: ['information-security'],
      prototypeLabels: ['events'],
    })
    expect(fields(bad)).toEqual(['prototypeLabels'])
    expect(fields(await create(iso, { standard: 'iso27001', prototypeLabels: ['parts'] }))).toEqual([
      'prototypeLabels',
    ])
    expect(
      fields(
        await create(iso, {
          standard: 'tisax',
          assessmentLevel: 'AL3',
          tisaxModules: ['information-security', 'prototype-protection'],
          prototypeLabels: ['boats'],
        }),
      ),
    ).toEqual(['prototypeLabels.0'])
    const ok = await create(iso, {
      standard: 'tisax',
      title: 'TISAX test vehicles',
      assessmentLevel: 'AL3',
      tisaxModules: ['information-security', 'prototype-protection'],
      prototypeLabels: ['test-vehicles'],
    })
    expect(ok.status).toBe(201)
    const ids = await controlIds(ok.body.project.id)
    const sections = [...new Set(ids.filter((x) => x.startsWith('8.')).map((x) => x.slice(0, 3)))].sort()
    expect(sections).toEqual(['8.2', '8.3', '8.4'])
  })

  it('maturity 0–5 with target 3, additional requirements by level, the own title in the auditors’ export', async () => {
    const al2 = await create(iso, { standard: 'tisax', title: 'TISAX AL2', assessmentLevel: 'AL2' })
    const al3 = await create(iso, { standard: 'tisax', title: 'TISAX AL3', assessmentLevel: 'AL3' })
    const put = (projectId: string, body: Record<string, unknown>) =>
      iso.call('PUT', `/api/certification/projects/${projectId}/soa/1.1.1`, {
        applicable: true,
        justification: 'Our OEM customers require the TISAX label.',
        inclusionReasons: ['contractual'],
        status: 'implemented',
        ownerId: iso.userId,
        ...body,
      })
    expect(fields(await put(al2.body.project.id, { maturity: 2 }))).toEqual(['maturity'])
    expect(fields(await put(al2.body.project.id, { maturity: 7 }))).toEqual(['maturity'])
    expect(
      fields(await put(al2.body.project.id, { maturity: 3, additionalRequirements: { 'very-high': 'met' } })),
    ).toEqual(['additionalRequirements.very-high'])
    const saved = await put(al3.body.project.id, {
      maturity: 4,
      additionalRequirements: { high: 'met', 'very-high': 'partly' },
      officialTitle: 'Information security policies (our wording)',
    })
    expect(saved.status).toBe(200)
    // The control view tells the form what the level asks for.
    expect(saved.body.tisax).toEqual({ needs: ['high', 'very-high'], targetMaturity: 3 })
    expect((await put(al2.body.project.id, { maturity: 3 })).body.tisax).toEqual({
      needs: ['high'],
      targetMaturity: 3,
    })
    // Evidence and status on a TISAX control keep its maturity (the TISAX rules, not ISO 27001's).
    const evidence = await iso.post(`/api/certification/projects/${al3.body.project.id}/soa/1.1.1/evidence`, {
      title: 'Information security policy (signed)',
      date: toIsoDate(new Date()),
      url: 'https://dms.example/policy.pdf',
    })
    expect(evidence.status).toBe(201)
    expect(evidence.body.entry).toMatchObject({ maturity: 4 })
    const csv = await auditor.get(`/api/certification/projects/${al3.body.project.id}/exports/soa.csv`)
    expect(csv.status).toBe(200)
    expect(String(csv.body)).toContain('Information security policies (our wording)')
    // ISO/IEC 27001 controls have no maturity; another organisation cannot write here.
    const isoProject = await create(iso, { standard: 'iso27001', title: 'ISO maturity check' })
    const isoPut = await iso.call(
      'PUT',
      `/api/certification/projects/${isoProject.body.project.id}/soa/A.5.1`,
      {
        applicable: true,
        justification: 'Policies set the direction.',
        inclusionReasons: ['business'],
        status: 'partial',
        ownerId: iso.userId,
        maturity: 3,
      },
    )
    expect(fields(isoPut)).toEqual(['maturity'])
    const cross = await isoHafenstadt.call(
      'PUT',
      `/api/certification/projects/${al3.body.project.id}/soa/1.1.1`,
      {
        applicable: true,
        inclusionReasons: ['contractual'],
        status: 'implemented',
        maturity: 3,
      },
    )
    expect(cross.status).toBe(404)
  })
})
