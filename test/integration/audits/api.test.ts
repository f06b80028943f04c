import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, toIsoDate } from '../../../functions/domain/risk/calendar.js'
import { type Client, startTestStack } from '../../support/stack.js'

interface ActionLine {
  auditId: string
  findingId: string
  ownerId: string
  status: string
  dueOn: string
}

/**
 * The internal audit programme through the API with the demo seed: the seeded cycle covers
 * every area, last year's audit has two findings (one closed, one open); planning checks the
 * cycle and the auditor's independence; a nonconformity gets a corrective action that its
 * owner implements and the ISO (only) checks; tenants and roles hold.
 */
describe('internal audit programme API', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let mgmt: Client
  let member: Client
  let auditor: Client
  let isoHafenstadt: Client
  let hafenstadtMember: Client

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    mgmt = await t.signIn('management@demo.ismsflow.test')
    member = await t.signIn('member@demo.ismsflow.test')
    auditor = await t.signIn('auditor@demo.ismsflow.test')
    isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
    hafenstadtMember = await t.signIn('member@hafenstadt.ismsflow.test')
  })
  afterAll(async () => t?.close())

  const today = () => toIsoDate(t.stack.clock.now())
  const year = () => Number(today().slice(0, 4))
  const fieldsOf = (res: { body: { error?: { fields?: Record<string, string> } } }) =>
    Object.keys(res.body.error?.fields ?? {}).sort()

  it('shows the seeded programme: every area covered, last year’s audit with one closed and one open corrective action', async () => {
    const res = await auditor.get('/api/audits/programme')
    expect(res.status).toBe(200)
    expect(res.body.programme).toMatchObject({ cycleStart: year() - 1, years: 3 })
    expect(res.body.coverage.uncovered).toEqual([])
    const last = res.body.audits.find((a: { id: string }) => a.id === `IA-${year() - 1}-01`)
    expect(last).toMatchObject({
      status: 'completed',
      findings: { total: 2, nonconformities: 2, openActions: 1 },
    })
    const detail = await mgmt.get(`/api/audits/${last.id}`)
    const statuses = detail.body.findings.map(
      (f: { correctiveAction: { status: string } }) => f.correctiveAction.status,
    )
    expect(statuses).toEqual(['closed', 'open'])
    // The checklist: clauses with their sub-clauses, Annex A themes with the SoA's controls.
    const sections = detail.body.checklist.map((s: { area: string }) => s.area)
    expect(sections).toEqual(['4', '5', '6', '7', '8', '9', '10', 'A.5', 'A.6', 'A.7', 'A.8'])
    const a8 = detail.body.checklist.find((s: { area: string }) => s.area === 'A.8')
    expect(a8.items).toHaveLength(34)
  })

  it('plans audits inside the cycle only, with an independent auditor, naming each field; twice is once', async () => {
    const plannedOn = addDays(today(), 30)
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'x', plannedOn: `${year() + 5}-01-10`, areas: ['A.8'], auditorName: 'Ext' }, 'plannedOn'],
      [{ title: 'x', plannedOn, areas: [], auditorName: 'Ext' }, 'areas'],
      [{ title: 'x', plannedOn, areas: ['A.9'], auditorName: 'Ext' }, 'areas.0'],
      [{ title: 'x', plannedOn, areas: ['A.8'] }, 'auditorId'],
      // The member owns A.8: they may not audit it.
      [{ title: 'x', plannedOn, areas: ['A.8', '9'], auditorId: member.userId }, 'auditorId'],
      [{ title: 'x', plannedOn, areas: ['A.8'], auditorId: 'demo-hafenstadt-member' }, 'auditorId'],
      [{ title: 'x', plannedOn, areas: ['A.8'], auditorId: 'demo-auditor' }, 'auditorId'],
      [{ title: 'x', plannedOn, areas: ['A.8'], auditorName: 'Ext', colour: 'red' }, 'colour'],
    ]
    for (const [body, field] of cases) {
      const res = await iso.post('/api/audits', body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(fieldsOf(res), JSON.stringify(body)).toContain(field)
    }
    const body = { title: 'Follow-up audit of A.8', plannedOn, areas: ['A.8', '9'], auditorId: mgmt.userId }
    const first = await iso.post('/api/audits', body)
    expect(first.status).toBe(201)
    const again = await iso.post('/api/audits', body)
    expect(again.status).toBe(200)
    expect(again.body.id).toBe(first.body.id)
    // Only the ISO plans; members read neither the programme nor an audit.
    for (const c of [mgmt, member, auditor]) expect((await c.post('/api/audits', body)).status).toBe(403)
    expect((await member.get('/api/audits/programme')).status).toBe(403)
    expect((await member.get(`/api/audits/${first.body.id}`)).status).toBe(403)
  })

  it('finding → corrective action → implemented by its owner → effectiveness checked by the ISO only', async () => {
    const planned = await iso.post('/api/audits', {
      title: 'Technological controls, spot check',
      plannedOn: today(),
      areas: ['A.8'],
      auditorId: mgmt.userId,
    })
    const id = planned.body.id
    // A nonconformity needs a severity and a corrective action; an observation has neither.
    const bad = await iso.post(`/api/audits/${id}/findings`, {
      type: 'nonconformity',
      area: 'A.7',
      reference: 'A.8.8',
      description: 'Patches late',
    })
    expect(fieldsOf(bad)).toEqual(['area', 'correctiveAction', 'reference', 'severity'])
    const obs = await iso.post(`/api/audits/${id}/findings`, {
      type: 'observation',
      severity: 'minor',
      area: 'A.8',
      description: 'Scanner licence ends soon',
      correctiveAction: { description: 'x', ownerId: member.userId, dueOn: today() },
    })
    expect(fieldsOf(obs)).toEqual(['correctiveAction', 'severity'])
    const badCa = await iso.post(`/api/audits/${id}/findings`, {
      type: 'nonconformity',
      severity: 'major',
      area: 'A.8',
      description: 'Patches late',
      correctiveAction: {
        description: 'Patch',
        ownerId: 'demo-hafenstadt-member',
        dueOn: addDays(today(), -1),
      },
    })
    expect(fieldsOf(badCa)).toEqual(['correctiveAction.dueOn', 'correctiveAction.ownerId'])
    const nc = {
      type: 'nonconformity',
      severity: 'major',
      area: 'A.8',
      reference: 'A.8.8',
      description: 'Critical patches on the file server were 60 days late.',
      correctiveAction: {
        description: 'Monthly patch window with a report to the ISO',
        ownerId: member.userId,
        dueOn: addDays(today(), 30),
      },
    }
    const created = await iso.post(`/api/audits/${id}/findings`, nc)
    expect(created.status).toBe(201)
    const fid = created.body.finding.id
    expect((await iso.post(`/api/audits/${id}/findings`, nc)).body.finding.id).toBe(fid)
    expect((await member.post(`/api/audits/${id}/findings`, nc)).status).toBe(403)

    // The member sees only the corrective actions they own.
    const mine: ActionLine[] = (await member.get('/api/audits/actions')).body.items
    expect(mine.every((x) => x.ownerId === member.userId)).toBe(true)
    expect(mine.find((x) => x.auditId === id)).toMatchObject({ status: 'open', findingId: fid })
    const all: ActionLine[] = (await mgmt.get('/api/audits/actions')).body.items
    expect(all.length).toBeGreaterThanOrEqual(mine.length)

    // Effectiveness before implementation: refused, naming status.
    const early = await iso.post(`/api/audits/${id}/findings/${fid}/effectiveness`, {
      effective: true,
      note: 'ok',
    })
    expect(fieldsOf(early)).toEqual(['status'])
    // Management (not the owner) may not record the implementation; the owner names the root cause.
    const impl = {
      rootCause: 'No patch window agreed with production.',
      actionTaken: 'Window every 2nd Tuesday.',
    }
    const path = `/api/audits/${id}/findings/${fid}`
    expect((await mgmt.post(`${path}/implementation`, impl)).status).toBe(404)
    expect(fieldsOf(await member.post(`${path}/implementation`, { actionTaken: 'x' }))).toEqual(['rootCause'])
    expect((await member.post(`${path}/implementation`, impl)).status).toBe(200)
    // The same request twice does no harm.
    expect((await member.post(`${path}/implementation`, impl)).status).toBe(200)
    // The member may not check their own action; not effective needs a new due date.
    expect((await member.post(`${path}/effectiveness`, { effective: true, note: 'fine' })).status).toBe(403)
    const noDate = await iso.post(`${path}/effectiveness`, {
      effective: false,
      note: 'Two servers still late',
    })
    expect(fieldsOf(noDate)).toEqual(['dueOn'])
    const reopened = await iso.post(`${path}/effectiveness`, {
      effective: false,
      note: 'Two servers still late',
      dueOn: addDays(today(), 14),
    })
    expect(reopened.body.finding.correctiveAction).toMatchObject({
      status: 'open',
      dueOn: addDays(today(), 14),
    })
    await member.post(`${path}/implementation`, {
      ...impl,
      actionTaken: 'Window every 2nd Tuesday, now including the two servers.',
    })
    const closed = await iso.post(`${path}/effectiveness`, {
      effective: true,
      note: 'Sampled two months: all within the window.',
    })
    expect(closed.body.finding.correctiveAction).toMatchObject({ status: 'closed', closedOn: today() })
    expect(closed.body.finding.correctiveAction.checks).toHaveLength(2)

    // Recording the audit as held needs a date not in the future and a summary; the version must match.
    const v = (await iso.get(`/api/audits/${id}`)).body.audit.version
    const early2 = await iso.call('PATCH', `/api/audits/${id}`, {
      version: v,
      status: 'completed',
      heldOn: addDays(today(), 1),
    })
    expect(fieldsOf(early2)).toEqual(['heldOn', 'summary'])
    const stale = await iso.call('PATCH', `/api/audits/${id}`, {
      version: v - 1,
      status: 'completed',
      heldOn: today(),
      summary: 'x',
    })
    expect(stale.status).toBe(409)
    const done = await iso.call('PATCH', `/api/audits/${id}`, {
      version: v,
      status: 'completed',
      heldOn: today(),
      summary: 'Patch management sampled.',
    })
    expect(done.body.status).toBe('completed')
    const cancel = await iso.call('PATCH', `/api/audits/${id}`, { version: v + 1, status: 'cancelled' })
    expect(fieldsOf(cancel)).toEqual(['status'])
  })

  it('never shows or changes another organisation’s programme, audits or actions (404)', async () => {
    const own = `IA-${year() - 1}-01`
    expect((await isoHafenstadt.get(`/api/audits/${own}`)).status).toBe(404)
    const finding = { type: 'observation', area: 'A.8', description: 'x' }
    expect((await isoHafenstadt.post(`/api/audits/${own}/findings`, finding)).status).toBe(404)
    const check = { effective: true, note: 'x' }
    expect((await isoHafenstadt.post(`/api/audits/${own}/findings/F2/effectiveness`, check)).status).toBe(404)
    const impl = { rootCause: 'x', actionTaken: 'y' }
    expect((await hafenstadtMember.post(`/api/audits/${own}/findings/F2/implementation`, impl)).status).toBe(
      404,
    )
    const cancel = { version: 1, status: 'cancelled' }
    expect((await isoHafenstadt.call('PATCH', `/api/audits/${own}`, cancel)).status).toBe(404)
    expect((await hafenstadtMember.get('/api/audits/actions')).body.items).toEqual([])
    expect((await isoHafenstadt.get('/api/audits/programme')).body).toMatchObject({
      programme: null,
      audits: [],
    })
    // Hafenstadt has no programme yet: planning says so by field.
    const noProgramme = await isoHafenstadt.post('/api/audits', {
      title: 'x',
      plannedOn: today(),
      areas: ['A.8'],
      auditorName: 'Ext',
    })
    expect(fieldsOf(noProgramme)).toEqual(['programme'])
    // Owners must be the organisation's own people.
    const foreignOwner = await isoHafenstadt.call('PUT', '/api/audits/programme', {
      cycleStart: year(),
      owners: { 'A.8': member.userId },
    })
    expect(fieldsOf(foreignOwner)).toEqual(['owners.A.8'])
    const created = await isoHafenstadt.call('PUT', '/api/audits/programme', { cycleStart: year() })
    expect(created.status).toBe(201)
    expect((await iso.get('/api/audits/programme')).body.programme.cycleStart).toBe(year() - 1)
  })
})
