import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { excel } from '../../../functions/api/xlsx.js'
import { DEMO_PASSWORD } from '../../../infra/local/seed/index.js'
import { type Client, startTestStack } from '../../support/stack.js'

/** The demo's closed incident (lessons learned recorded) and its open one. */
const CLOSED = 'INC-DEMO-001'
const OPEN = 'INC-DEMO-002'

describe('incidents: the register as Excel, evidence files, a draft risk from the lessons learned', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let auditor: Client
  let member: Client
  let isoHafenstadt: Client
  let memberHafenstadt: Client

  beforeAll(async () => {
    t = await startTestStack()
    ;[iso, auditor, member, isoHafenstadt, memberHafenstadt] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('auditor@demo.ismsflow.test'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
      t.signIn('member@hafenstadt.ismsflow.test'),
    ])
  })
  afterAll(async () => t?.close())

  /** The bytes an address answers to a person signed in with a session cookie in `orgId`. */
  async function bytesOf(email: string, orgId: string, path: string) {
    const base = t.stack.appUrl
    const session = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    })
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const res = await fetch(`${base}${path}`, { headers: { cookie, 'x-org-id': orgId } })
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) }
  }

  /** The rows of the first sheet of a workbook, as text. */
  async function sheetRows(bytes: Uint8Array) {
    const ExcelJS = await excel()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes.slice().buffer)
    const rows: string[][] = []
    wb.worksheets[0]?.eachRow((row) => {
      rows.push((Array.isArray(row.values) ? row.values.slice(1) : []).map((v) => String(v ?? '')))
    })
    return { name: wb.worksheets[0]?.name, rows }
  }

  it('exports the register as an Excel workbook: the CSV’s columns, German headers, only the organisation’s incidents', async () => {
    const en = await bytesOf('iso@demo.ismsflow.test', 'nordlicht', '/api/incidents/export.xlsx?lang=en')
    expect(en.res.status).toBe(200)
    expect(en.res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    expect(en.res.headers.get('content-disposition')).toBe(
      'attachment; filename="incident-register-nordlicht.xlsx"',
    )
    const sheet = await sheetRows(en.bytes)
    expect(sheet.name).toBe('Security incidents')
    expect(sheet.rows[0]).toEqual([
      'ID',
      'Title',
      'Aware at',
      'Status',
      'Significant',
      'Personal data breach',
      'Overdue reports',
      'Next deadline',
      'Closed at',
    ])
    const ids = sheet.rows.slice(1).map((r) => r[0])
    expect(ids).toEqual(expect.arrayContaining([CLOSED, OPEN]))
    const closed = sheet.rows.find((r) => r[0] === CLOSED)
    expect(closed?.[3]).toBe('closed')
    expect(closed?.[4]).toBe('yes')

    // German headers; the filters of the register apply (open only).
    const de = await bytesOf(
      'iso@demo.ismsflow.test',
      'nordlicht',
      '/api/incidents/export.xlsx?lang=de&open=true',
    )
    const deSheet = await sheetRows(de.bytes)
    expect(deSheet.rows[0]?.slice(0, 3)).toEqual(['ID', 'Titel', 'Kenntnis seit'])
    expect(deSheet.rows.slice(1).map((r) => r[0])).not.toContain(CLOSED)

    // Another organisation's register holds none of Nordlicht's; bad input is named.
    const other = await bytesOf('iso@demo.ismsflow.test', 'hafenstadt', '/api/incidents/export.xlsx')
    expect(other.res.status).toBe(200)
    const ids2 = (await sheetRows(other.bytes)).rows.slice(1).map((r) => r[0])
    expect(ids2).not.toContain(CLOSED)
    expect(ids2).not.toContain(OPEN)
    const bad = await iso.get('/api/incidents/export.xlsx?year=abc')
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields.year).toBeDefined()
  })

  it('keeps evidence files with an incident through the evidence store (a member who works on it adds them); others get 404', async () => {
    const bytes = new TextEncoder().encode('2026-12-01T08:12:00Z login from 203.0.113.7 (blocked)\n')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const base = `/api/incidents/${OPEN}/evidence/uploads`
    const announce = { name: 'firewall-log.txt', size: bytes.byteLength, contentType: 'text/plain', sha256 }
    // Not theirs: another organisation's people; auditors only read.
    expect((await isoHafenstadt.post(base, announce)).status).toBe(404)
    expect((await memberHafenstadt.post(base, announce)).status).toBe(404)
    expect((await auditor.post(base, announce)).status).toBe(403)
    const wrong = await member.post(base, {
      ...announce,
      name: 'tool.exe',
      contentType: 'application/x-msdownload',
    })
    expect(wrong.status).toBe(400)
    expect(wrong.body.error.fields).toHaveProperty('file')

    // Mia Keller reported it and works on it.
    const start = await member.post<{ fileId: string; url: string; fields: Record<string, string> }>(
      base,
      announce,
    )
    expect(start.status, JSON.stringify(start.body)).toBe(201)
    const form = new FormData()
    for (const [k, v] of Object.entries(start.body.fields)) form.append(k, v)
    form.append('file', new Blob([bytes]), 'firewall-log.txt')
    expect((await fetch(start.body.url, { method: 'POST', body: form })).status).toBe(204)
    expect((await isoHafenstadt.post(`${base}/${start.body.fileId}`, {})).status).toBe(404)
    // The file belongs to this incident only: the closed one cannot claim it.
    expect(
      (await iso.post(`/api/incidents/${CLOSED}/evidence/uploads/${start.body.fileId}`, {})).status,
    ).toBe(404)
    const done = await member.post(`${base}/${start.body.fileId}`, {})
    expect(done.status, JSON.stringify(done.body)).toBe(201)
    expect(done.body.evidence).toEqual([
      expect.objectContaining({
        fileId: start.body.fileId,
        name: 'firewall-log.txt',
        size: bytes.byteLength,
        sha256,
      }),
    ])
    expect(done.body.timeline.some((e: { what: string }) => e.what === 'evidence')).toBe(true)
    // Confirming again keeps one entry.
    const again = await iso.post(`${base}/${start.body.fileId}`, {})
    expect(again.status).toBe(200)
    expect(again.body.evidence).toHaveLength(1)

    // Auditors read it (the signed link, for bearer sign-in too); others get 404.
    const path = `/api/incidents/${OPEN}/evidence/${start.body.fileId}`
    const link = await auditor.get<{ url: string; expiresInSeconds: number }>(`${path}/link`)
    expect(link.status).toBe(200)
    expect(await (await fetch(link.body.url)).text()).toContain('203.0.113.7')
    expect((await auditor.get(path)).status).toBe(200)
    expect((await isoHafenstadt.get(`${path}/link`)).status).toBe(404)
    expect((await memberHafenstadt.get(`${path}/link`)).status).toBe(404)
    expect((await member.get(`${path}/link`)).status).toBe(200)
    expect((await iso.get(`/api/incidents/${CLOSED}/evidence/${start.body.fileId}/link`)).status).toBe(404)
  })

  it('drafts a risk from a closed incident’s lessons learned, once, linked both ways', async () => {
    // Not before closing; not for members; not another organisation's.
    const early = await iso.post(`/api/incidents/${OPEN}/risk`, { lang: 'en' })
    expect(early.status).toBe(409)
    expect(early.body.error.fields).toHaveProperty('lessonsLearned')
    expect((await member.post(`/api/incidents/${CLOSED}/risk`, {})).status).toBe(403)
    expect((await isoHafenstadt.post(`/api/incidents/${CLOSED}/risk`, {})).status).toBe(404)
    expect(
      (await iso.post(`/api/incidents/${CLOSED}/risk`, { lang: 'fr' })).body.error.fields,
    ).toHaveProperty('lang')

    const before = (await iso.get('/api/risks?closed=include')).body.items.length
    // A double click: one risk.
    const [a, b] = await Promise.all([
      iso.post(`/api/incidents/${CLOSED}/risk`, { lang: 'en' }),
      iso.post(`/api/incidents/${CLOSED}/risk`, { lang: 'en' }),
    ])
    const made = [a, b].find((r) => r.status === 201)
    expect(made, JSON.stringify([a.body, b.body])).toBeDefined()
    expect([a, b].filter((r) => r.status === 201)).toHaveLength(1)
    const riskId: string = made?.body.riskId
    const other = a === made ? b : a
    expect([200, 409]).toContain(other.status)
    expect((await iso.get('/api/risks?closed=include')).body.items.length).toBe(before + 1)

    const risk = await iso.get(`/api/risks/${riskId}`)
    expect(risk.status).toBe(200)
    expect(risk.body.risk).toMatchObject({
      status: 'identified',
      ownerId: iso.userId,
      fromIncident: { id: CLOSED, title: 'Phishing: mailbox of the purchasing department taken over' },
    })
    expect(risk.body.risk.title).toContain(CLOSED)
    expect(risk.body.risk.description).toContain('MFA was missing on shared mailboxes')
    const incident = await auditor.get(`/api/incidents/${CLOSED}`)
    expect(incident.body.lessonsRiskId).toBe(riskId)
    expect(
      incident.body.timeline.some(
        (e: { what: string; text?: string }) => e.what === 'risk-created' && e.text === riskId,
      ),
    ).toBe(true)

    // Asked again: the same risk.
    const repeat = await iso.post(`/api/incidents/${CLOSED}/risk`, { lang: 'en' })
    expect(repeat.status).toBe(200)
    expect(repeat.body.riskId).toBe(riskId)
    expect((await isoHafenstadt.get(`/api/risks/${riskId}`)).status).toBe(404)
  })
})
