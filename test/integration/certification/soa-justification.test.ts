import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, toIsoDate } from '../../../functions/domain/risk/calendar.js'
import { CERT_TYPES, type SoaRecord } from '../../../functions/store/certification.js'
import {
  flagUnjustifiedInclusions,
  SOA_JUSTIFICATION_MARK,
} from '../../../functions/store/soa-justifications.js'
import { type Client, startTestStack } from '../../support/stack.js'

/**
 * An included control needs a justification too (ISO/IEC 27001 6.1.3 d, issue 17.10): the API
 * refuses an inclusion without one, naming the field; entries decided before the rule are
 * flagged once by the migration (never filled with invented words), the ISO sees them, the
 * owner's work on them goes on, and the ISO's next decision clears the flag. The demo's SoA
 * entries all carry a justification.
 */
describe('justification of included controls', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let member: Client
  let auditor: Client
  let isoHafenstadt: Client

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    member = await t.signIn('member@demo.ismsflow.test')
    auditor = await t.signIn('auditor@demo.ismsflow.test')
    isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
  })
  afterAll(async () => t?.close())

  const org = () => t.stack.deps.records.forOrg('nordlicht')
  const newProject = async (title: string) => {
    const res = await iso.post('/api/certification/projects', {
      standard: 'iso27001',
      title,
      auditDate: addDays(toIsoDate(t.stack.clock.now()), 200),
      startWorkflow: false,
    })
    expect(res.status).toBe(201)
    const id: string = res.body.project.id
    return id
  }
  const included = {
    applicable: true,
    inclusionReasons: ['business'],
    status: 'partial',
    ownerId: 'demo-member',
  }

  it('refuses an included control without a justification, naming the field, and writes nothing', async () => {
    const projectId = await newProject('Justification rule')
    const path = `/api/certification/projects/${projectId}/soa/A.5.15`
    for (const justification of [undefined, '', '   ']) {
      const res = await iso.call('PUT', path, {
        ...included,
        ...(justification === undefined ? {} : { justification }),
      })
      expect(res.status).toBe(400)
      expect(res.body.error.fields).toEqual({
        justification: 'explain why the control is included (risks treated, requirement, or business need)',
      })
    }
    expect(await org().get(CERT_TYPES.soa, `${projectId}#A.5.15`)).toBeUndefined()
    // The flag is never taken from a request.
    const sneaky = await iso.call('PUT', path, { ...included, justificationMissing: true })
    expect(sneaky.status).toBe(400)
    expect(Object.keys(sneaky.body.error.fields)).toContain('justificationMissing')
    const ok = await iso.call('PUT', path, {
      ...included,
      justification: 'Need-to-know access to ERP and CAD.',
    })
    expect(ok.status).toBe(200)
    expect(ok.body.row.justificationMissing).toBe(false)
  })

  it('flags entries decided before the rule once, shows them, lets the owner work, and clears on the next decision', async () => {
    const projectId = await newProject('Justification migration')
    // An older installation: entries written without a justification, the migration not run yet.
    for (const controlId of ['A.5.15', 'A.8.7']) {
      const legacy: SoaRecord = {
        projectId,
        controlId,
        applicable: true,
        justification: '',
        inclusionReasons: ['business'],
        status: 'partial',
        ownerId: 'demo-member',
        riskIds: [],
        evidence: [],
      }
      await org().create(CERT_TYPES.soa, `${projectId}#${controlId}`, legacy, {
        actor: { userId: 'demo-iso', name: 'Ines Sommer' },
      })
    }
    await org().writeSide({ deletes: [SOA_JUSTIFICATION_MARK] })

    // The first read of the SoA runs the migration: flagged, not filled.
    const soa = await iso.get(`/api/certification/projects/${projectId}/soa`)
    expect(soa.status).toBe(200)
    expect(soa.body.counts.justificationMissing).toBe(2)
    const rows = soa.body.themes.flatMap((x: { controls: unknown[] }) => x.controls)
    expect(
      rows
        .filter((r: { justificationMissing: boolean }) => r.justificationMissing)
        .map((r: { controlId: string }) => r.controlId)
        .sort(),
    ).toEqual(['A.5.15', 'A.8.7'])
    const stored = await org().require<SoaRecord>(CERT_TYPES.soa, `${projectId}#A.5.15`)
    expect(stored.data).toMatchObject({ justification: '', justificationMissing: true })
    const history = await org().history(CERT_TYPES.soa, `${projectId}#A.5.15`)
    expect(history.map((h) => h.action)).toContain('cert-soa.justification-flagged')
    // Once per organisation: a second run changes nothing.
    expect(await flagUnjustifiedInclusions(org())).toBe(0)
    expect((await org().require<SoaRecord>(CERT_TYPES.soa, `${projectId}#A.5.15`)).version).toBe(
      stored.version,
    )

    // Auditors see the flag too; the owner keeps working on a flagged control.
    const view = await auditor.get(`/api/certification/projects/${projectId}/soa/A.5.15`)
    expect(view.body.entry).toMatchObject({ justification: '', justificationMissing: true })
    const status = await member.call('PATCH', `/api/certification/projects/${projectId}/soa/A.5.15/status`, {
      status: 'implemented',
    })
    expect(status.status).toBe(200)
    const link = await member.post(`/api/certification/projects/${projectId}/soa/A.5.15/evidence`, {
      title: 'Access control policy',
      date: toIsoDate(new Date()),
      url: 'https://dms.example/access.pdf',
    })
    expect(link.status).toBe(201)
    expect(link.body.entry.justificationMissing).toBe(true)

    // The ISO decides it again: a justification is required, then the flag is gone.
    const path = `/api/certification/projects/${projectId}/soa/A.5.15`
    const again = await iso.call('PUT', path, { ...included, status: 'implemented' })
    expect(Object.keys(again.body.error.fields)).toEqual(['justification'])
    const fixed = await iso.call('PUT', path, {
      ...included,
      status: 'implemented',
      justification: 'Customer drawings must only reach the people who need them.',
    })
    expect(fixed.status).toBe(200)
    expect(fixed.body.entry.justificationMissing).toBeUndefined()
    expect(fixed.body.row.justificationMissing).toBe(false)
    expect(fixed.body.evidence).toHaveLength(1)
    expect(
      (await iso.get(`/api/certification/projects/${projectId}/soa`)).body.counts.justificationMissing,
    ).toBe(1)

    // Another organisation's ISO does not reach these controls.
    expect((await isoHafenstadt.get(path)).status).toBe(404)
    expect((await isoHafenstadt.get(`/api/certification/projects/${projectId}/soa`)).status).toBe(404)
  })

  it('links risks of this organisation only, read by id: unknown or another organisation’s ids are a 400 naming each', async () => {
    const projectId = await newProject('Risk links')
    const path = `/api/certification/projects/${projectId}/soa/A.5.7`
    const [ours] = (await org().list<{ title: string }>('risk', { limit: 1 })).items
    // A Hafenstadt risk whose id Nordlicht does not have.
    const theirs = []
    for (const r of (await t.stack.deps.records.forOrg('hafenstadt').list('risk', { limit: 50 })).items)
      if (!(await org().get('risk', r.id))) theirs.push(r.id)
    expect(ours).toBeTruthy()
    const body = { ...included, justification: 'Threat intelligence feeds the risk assessment.' }
    const bad = await iso.call('PUT', path, {
      ...body,
      riskIds: [ours.id, 'R-does-not-exist', ...theirs.slice(0, 1)],
    })
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(
      ['riskIds.1', 'riskIds.2'].slice(0, 1 + Math.min(1, theirs.length)),
    )
    expect(await org().get(CERT_TYPES.soa, `${projectId}#A.5.7`)).toBeUndefined()
    const ok = await iso.call('PUT', path, { ...body, riskIds: [ours.id] })
    expect(ok.status).toBe(200)
    expect(ok.body.risks).toEqual([{ id: ours.id, title: ours.data.title, treatment: expect.any(String) }])
    const shown = await iso.get(path)
    expect(shown.body.risks.map((r: { title: string }) => r.title)).toEqual([ours.data.title])
  })

  it('gives every demo SoA entry a justification (nothing flagged)', async () => {
    for (const [client, projectId] of [
      [iso, 'cp-nordlicht-iso27001'],
      [isoHafenstadt, 'cp-hafenstadt-tisax'],
    ] as const) {
      const soa = await client.get(`/api/certification/projects/${projectId}/soa`)
      expect(soa.status).toBe(200)
      expect(soa.body.counts.decided).toBeGreaterThan(0)
      expect(soa.body.counts.justificationMissing).toBe(0)
    }
    const entries = await org().all<SoaRecord>(CERT_TYPES.soa, { idPrefix: 'cp-nordlicht-iso27001#' })
    expect(entries.length).toBe(44)
    for (const e of entries) expect(e.data.justification.length, e.data.controlId).toBeGreaterThan(40)
  })
})
