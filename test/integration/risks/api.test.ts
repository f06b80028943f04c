import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RISK, type RiskData } from '../../../functions/store/risk-register.js'
import { apiHarness, type SignedIn, scanAll } from '../api/support.js'

const NL = { 'x-org-id': 'nordlicht' }
const HS = { 'x-org-id': 'hafenstadt' }

const newRisk = (over: Record<string, unknown> = {}) => ({
  title: 'Ransomware on the OT network of the press shop',
  description: 'Encryption of HMI and SCADA hosts stops production.',
  category: 'cyber',
  assets: ['Press line 3', 'SCADA server'],
  threat: 'Ransomware brought in over remote maintenance',
  vulnerability: 'Flat network between office IT and OT',
  ownerId: 'demo-management',
  likelihood: 4,
  impact: 5,
  controlIds: ['A.8.22', 'A.8.7'],
  obligationRefs: ['nis2.30.2.a'],
  ...over,
})

const mitigation = (over: Record<string, unknown> = {}) => ({
  option: 'mitigate',
  targetLikelihood: 2,
  targetImpact: 4,
  justification: 'Segmentation limits the spread to one cell.',
  measures: [
    {
      id: 'seg',
      description: 'Segment OT from office IT',
      ownerId: 'demo-member',
      dueDate: '2099-03-31',
      costEur: 48000,
      controlId: 'A.8.22',
    },
  ],
  ...over,
})

describe('risk register API', () => {
  let h: Awaited<ReturnType<typeof apiHarness>>
  let iso: SignedIn
  let management: SignedIn
  let member: SignedIn
  let auditor: SignedIn
  let hafenMember: SignedIn
  let riskId: string

  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any })
  const create = async (body: unknown, auth = iso, headers = NL) =>
    json(await h.request('/api/risks', { method: 'POST', auth, body, headers }))
  const get = async (path: string, auth: SignedIn, headers = NL) =>
    json(await h.request(path, { auth, headers }))

  beforeAll(async () => {
    h = await apiHarness()
    ;[iso, management, member, auditor, hafenMember] = await Promise.all([
      h.signIn('iso@demo.ismsflow.test'),
      h.signIn('management@demo.ismsflow.test'),
      h.signIn('member@demo.ismsflow.test'),
      h.signIn('auditor@demo.ismsflow.test'),
      h.signIn('member@hafenstadt.ismsflow.test'),
    ])
    const res = await create(newRisk())
    expect(res.status).toBe(201)
    riskId = res.body.risk.id
  })
  afterAll(async () => h.close())

  describe('create and read', () => {
    it('creates a risk with an assigned id and scores from the matrix', async () => {
      const res = await get(`/api/risks/${riskId}`, iso)
      expect(res.status).toBe(200)
      expect(riskId).toMatch(/^R-\d{3}$/)
      expect(res.body.risk).toMatchObject({ title: newRisk().title, status: 'identified', version: 1 })
      expect(res.body.row.inherent).toMatchObject({ score: 20, level: 'critical' })
      expect(res.body.row.residual).toMatchObject({ score: 20, level: 'critical' })
      expect(res.body.currentHash).toMatch(/^[0-9a-f]{64}$/)
      expect(res.body.history.map((e: { action: string }) => e.action)).toEqual(['risk.create'])
    })

    it('lets auditors and management read, and members only what they own', async () => {
      expect((await get(`/api/risks/${riskId}`, auditor)).status).toBe(200)
      expect((await get(`/api/risks/${riskId}`, management)).status).toBe(200)
      expect((await get(`/api/risks/${riskId}`, member)).status).toBe(404)
      const list = await get('/api/risks', member)
      expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(riskId)
    })

    it('refuses create to everyone but the ISO', async () => {
      for (const who of [management, member, auditor]) expect((await create(newRisk(), who)).status).toBe(403)
    })
  })

  describe('bad input writes nothing', () => {
    it.each([
      ['likelihood outside the scale', { likelihood: 6 }, 'likelihood'],
      ['impact zero', { impact: 0 }, 'impact'],
      ['unknown field', { colour: 'red' }, 'colour'],
      ['owner from elsewhere', { ownerId: 'demo-hafenstadt-member' }, 'ownerId'],
      ['a workflow status', { status: 'approved' }, 'status'],
      ['an unknown control', { controlIds: ['A.9.1'] }, 'controlIds.0'],
    ])('%s → 400 naming %s', async (_name, over, field) => {
      const before = await scanAll(h)
      const res = await create(newRisk(over))
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(Object.keys(res.body.error.fields)).toContain(field)
      expect(await scanAll(h)).toEqual(before)
    })

    it('names every problem of a plan at once', async () => {
      const before = await scanAll(h)
      const res = await json(
        await h.request(`/api/risks/${riskId}/plan`, {
          method: 'PUT',
          auth: iso,
          headers: NL,
          body: { expectedVersion: 1, ...mitigation({ measures: [], targetLikelihood: 6 }) },
        }),
      )
      expect(res.status).toBe(400)
      expect(res.body.error.fields).toMatchObject({
        measures: 'a mitigation needs at least one measure',
        targetLikelihood: expect.stringContaining('1 to 5'),
      })
      expect(await scanAll(h)).toEqual(before)
    })

    it('refuses a measure owner who is not a member', async () => {
      const res = await json(
        await h.request(`/api/risks/${riskId}/plan`, {
          method: 'PUT',
          auth: iso,
          headers: NL,
          body: {
            expectedVersion: 1,
            ...mitigation({
              measures: [{ id: 'x', description: 'Do it', ownerId: 'someone-else', dueDate: '2099-01-01' }],
            }),
          },
        }),
      )
      expect(res.status).toBe(400)
      expect(res.body.error.fields['measures.0.ownerId']).toBe('is not a member of this organisation')
    })

    it('answers 404 for a risk of another organisation and writes nothing', async () => {
      const before = await scanAll(h)
      // The demo ISO is ISO in both organisations: acting in Hafenstadt, Nordlicht's risk does not exist.
      expect((await get(`/api/risks/${riskId}`, iso, HS)).status).toBe(404)
      for (const [method, path, body] of [
        ['PUT', `/api/risks/${riskId}`, { expectedVersion: 1, ...newRisk({ likelihood: 1 }) }],
        ['PUT', `/api/risks/${riskId}/plan`, { expectedVersion: 1, ...mitigation() }],
        ['POST', `/api/risks/${riskId}/submit`, { expectedVersion: 1 }],
      ] as const) {
        const res = await h.request(path, { method, auth: iso, headers: HS, body })
        expect(res.status).toBe(404)
      }
      expect((await get('/api/risks', iso, HS)).body.items.map((r: { id: string }) => r.id)).not.toContain(
        riskId,
      )
      expect((await get(`/api/risks/${riskId}`, hafenMember, HS)).status).toBe(404)
      expect(await scanAll(h)).toEqual(before)
    })

    it('answers 409 for a stale version and keeps the record', async () => {
      const before = await scanAll(h)
      const res = await json(
        await h.request(`/api/risks/${riskId}`, {
          method: 'PUT',
          auth: iso,
          headers: NL,
          body: { expectedVersion: 7, ...newRisk({ description: 'changed' }) },
        }),
      )
      expect(res.status).toBe(409)
      expect(res.body.error.fields).toEqual({ expectedVersion: 'expected 1' })
      expect(await scanAll(h)).toEqual(before)
    })

    it('does not submit without a plan, or with measures due in the past', async () => {
      const noPlan = await create(newRisk({ title: 'Key person dependency in IT' }))
      const res = await json(
        await h.request(`/api/risks/${noPlan.body.risk.id}/submit`, {
          method: 'POST',
          auth: iso,
          headers: NL,
          body: { expectedVersion: 1 },
        }),
      )
      expect(res.status).toBe(400)
      expect(res.body.error.fields).toEqual({ plan: 'add a treatment plan before submitting it' })
      const put = await json(
        await h.request(`/api/risks/${noPlan.body.risk.id}/plan`, {
          method: 'PUT',
          auth: iso,
          headers: NL,
          body: {
            expectedVersion: 1,
            ...mitigation({
              measures: [
                { id: 'doc', description: 'Document', ownerId: 'demo-member', dueDate: '2020-01-01' },
              ],
            }),
          },
        }),
      )
      expect(put.status).toBe(200)
      const late = await json(
        await h.request(`/api/risks/${noPlan.body.risk.id}/submit`, {
          method: 'POST',
          auth: iso,
          headers: NL,
          body: { expectedVersion: 2 },
        }),
      )
      expect(late.status).toBe(400)
      expect(late.body.error.fields).toEqual({ 'plan.measures.0.dueDate': 'must not be in the past' })
    })
  })

  describe('plan, edits and material change', () => {
    it('stores a plan and moves the risk to treatment planned', async () => {
      const res = await json(
        await h.request(`/api/risks/${riskId}/plan`, {
          method: 'PUT',
          auth: iso,
          headers: NL,
          body: { expectedVersion: 1, ...mitigation() },
        }),
      )
      expect(res.status).toBe(200)
      expect(res.body.risk).toMatchObject({ status: 'treatment-planned', version: 2 })
      expect(res.body.row.target).toMatchObject({ score: 8, level: 'medium' })
      expect(res.body.measures[0]).toMatchObject({ id: 'seg', progress: null })
      // The measure owner now sees the risk.
      expect((await get(`/api/risks/${riskId}`, member)).status).toBe(200)
    })

    it('flags an approval outdated after a material change and offers a new round', async () => {
      const org = h.deps.records.forOrg('nordlicht')
      const rec = await org.require<RiskData>(RISK, riskId)
      // An approval in force (as the workflow's decision step records it).
      await org.update<RiskData>(
        RISK,
        riskId,
        {
          ...rec.data,
          status: 'approved',
          approval: {
            round: 1,
            hash: 'a'.repeat(64),
            option: 'mitigate',
            at: '2026-01-01T00:00:00Z',
            by: 'demo-management',
          },
        },
        { actor: { userId: 'test' }, expectedVersion: rec.version },
      )
      const v = rec.version + 1
      const wording = await json(
        await h.request(`/api/risks/${riskId}`, {
          method: 'PUT',
          auth: iso,
          headers: NL,
          body: {
            expectedVersion: v,
            ...newRisk({ description: 'Only the wording changed.', status: 'approved' }),
          },
        }),
      )
      expect(wording.status).toBe(200)
      expect(wording.body).toMatchObject({
        approvalOutdated: false,
        offerNewRound: false,
        materialChange: { changed: false },
      })
      const material = await json(
        await h.request(`/api/risks/${riskId}`, {
          method: 'PUT',
          auth: iso,
          headers: NL,
          body: {
            expectedVersion: v + 1,
            ...newRisk({ description: 'Only the wording changed.', status: 'approved', likelihood: 5 }),
          },
        }),
      )
      expect(material.status).toBe(200)
      expect(material.body).toMatchObject({
        approvalOutdated: true,
        offerNewRound: true,
        materialChange: { changed: true, fields: ['likelihood'] },
      })
      expect(material.body.approval.outdated).toMatchObject({ by: 'demo-iso', fields: ['likelihood'] })
      const detail = await get(`/api/risks/${riskId}`, auditor)
      expect(detail.body.history.at(-1)).toMatchObject({
        action: 'risk.update',
        fields: ['risk.likelihood'],
        byName: 'Ines Sommer',
      })
      expect(detail.body.row.approvalOutdated).toBe(true)
    })

    it('refuses moving a risk under approval back by hand', async () => {
      const rec = await h.deps.records.forOrg('nordlicht').require<RiskData>(RISK, riskId)
      const res = await json(
        await h.request(`/api/risks/${riskId}`, {
          method: 'PUT',
          auth: iso,
          headers: NL,
          body: { expectedVersion: rec.version, ...newRisk({ status: 'assessed' }) },
        }),
      )
      expect(res.status).toBe(400)
      expect(res.body.error.fields.status).toContain('cannot change to assessed while the risk is approved')
    })
  })

  describe('register views', () => {
    it('filters and sorts the list', async () => {
      const phishing = await create(
        newRisk({
          title: 'Phishing against purchasing',
          category: 'personnel',
          assets: ['Mailboxes'],
          likelihood: 3,
          impact: 2,
        }),
      )
      expect(phishing.status).toBe(201)
      const q = await get('/api/risks?q=purchasing', iso)
      expect(q.body.items.map((r: { id: string }) => r.id)).toEqual([phishing.body.risk.id])
      const medium = await get('/api/risks?view=inherent&level=medium&category=personnel', iso)
      expect(medium.body.items.length).toBeGreaterThan(0)
      expect(medium.body.items.map((r: { id: string }) => r.id)).toContain(phishing.body.risk.id)
      for (const r of medium.body.items)
        expect(r).toMatchObject({ category: 'personnel', inherent: { level: 'medium' } })
      expect((await get('/api/risks?view=inherent&level=low&q=purchasing', iso)).body.items).toEqual([])
      const sorted = await get('/api/risks?sort=inherent', iso)
      const scores = sorted.body.items.map((r: { inherent: { score: number } }) => r.inherent.score)
      expect(scores).toEqual([...scores].sort((a, b) => b - a))
      const bad = await get('/api/risks?sort=colour', iso)
      expect(bad.status).toBe(400)
      expect(Object.keys(bad.body.error.fields)).toEqual(['sort'])
    })

    it('counts risks in the inherent and residual heat maps', async () => {
      const res = await get('/api/risks/heatmap', auditor)
      expect(res.status).toBe(200)
      expect(res.body.inherent.cells).toHaveLength(25)
      const total = (view: 'inherent' | 'residual') =>
        res.body[view].cells.reduce((n: number, c: { count: number }) => n + c.count, 0)
      expect(total('inherent')).toBe(res.body.total)
      expect(total('residual')).toBe(res.body.total)
      const cell = res.body.inherent.cells.find(
        (c: { likelihood: number; impact: number }) => c.likelihood === 5 && c.impact === 5,
      )
      expect(cell.riskIds).toContain(riskId)
    })

    it('exports the register as CSV (German with ;) and XLSX, and logs the export', async () => {
      const en = await h.request('/api/risks/export.csv?sort=id', { auth: auditor, headers: NL })
      expect(en.status).toBe(200)
      expect(en.headers.get('content-type')).toContain('text/csv')
      expect(en.headers.get('content-disposition')).toMatch(
        /attachment; filename="risk-register-nordlicht-\d{4}-\d{2}-\d{2}\.csv"/,
      )
      const bytes = new Uint8Array(await en.arrayBuffer())
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const text = new TextDecoder().decode(bytes)
      expect(text.startsWith('Id,Title,Category,Status,Owner')).toBe(true)
      expect(text).toContain(
        `${riskId},Ransomware on the OT network of the press shop,Cyber attack,Treatment approved,Martin Brandt`,
      )
      const de = await (
        await h.request('/api/risks/export.csv?lang=de', { auth: auditor, headers: NL })
      ).text()
      expect(de.split('\r\n')[0]).toContain('Id;Titel;Kategorie;Status;Risikoeigner')
      const x = await h.request('/api/risks/export.xlsx?sort=id', { auth: auditor, headers: NL })
      expect(x.status).toBe(200)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(Buffer.from(await x.arrayBuffer()) as never)
      const ws = wb.getWorksheet('Risk register')!
      expect(ws.getRow(1).getCell(1).value).toBe('Id')
      const ids: string[] = []
      ws.eachRow((row, n) => n > 1 && ids.push(String(row.getCell(1).value)))
      expect(ids).toContain(riskId)
      const log = await get('/api/audit?limit=5', iso)
      expect(
        log.body.items.filter((e: { action: string }) => e.action === 'risk.export').length,
      ).toBeGreaterThanOrEqual(1)
    })
  })

  describe('matrix and appetite settings', () => {
    it('starts from the defaults and lets the ISO grant the right to accept above appetite', async () => {
      const cur = await get('/api/risks/settings', management)
      expect(cur.body).toMatchObject({
        version: 0,
        appetite: { maxAcceptableLevel: 'medium', acceptanceMonths: 12 },
        acceptAboveAppetite: [],
      })
      expect(cur.body.management.map((m: { userId: string }) => m.userId)).toEqual(['demo-management'])
      const put = (body: unknown, auth = iso) =>
        h.request('/api/risks/settings', { method: 'PUT', auth, headers: NL, body })
      expect(
        (await put({ expectedVersion: 0, matrix: cur.body.matrix, appetite: cur.body.appetite }, management))
          .status,
      ).toBe(403)
      const bad = await json(
        await put({
          expectedVersion: 0,
          matrix: cur.body.matrix,
          appetite: { ...cur.body.appetite, maxAcceptableLevel: 'huge' },
          acceptAboveAppetite: ['demo-member'],
        }),
      )
      expect(bad.status).toBe(400)
      expect(bad.body.error.fields).toMatchObject({
        'appetite.maxAcceptableLevel': 'must be one of low, medium, high, critical',
        'acceptAboveAppetite.0': 'is not a management member of this organisation',
      })
      const three = {
        ...cur.body.matrix,
        likelihood: cur.body.matrix.likelihood.slice(0, 3),
        levels: cur.body.matrix.levels.map((l: object, i: number) => ({
          ...l,
          minScore: [1, 5, 10, 13][i],
          maxScore: [4, 9, 12, 15][i],
        })),
      }
      const shrink = await json(await put({ expectedVersion: 0, matrix: three, appetite: cur.body.appetite }))
      expect(shrink.status).toBe(400)
      expect(shrink.body.error.fields['matrix.likelihood']).toMatch(
        /^R-\d{3}(, R-\d{3})*( and \d+ more)? use a likelihood above 3; re-assess them first$/,
      )
      const ok = await json(
        await put({
          expectedVersion: 0,
          matrix: cur.body.matrix,
          appetite: cur.body.appetite,
          acceptAboveAppetite: ['demo-management'],
        }),
      )
      expect(ok.status).toBe(200)
      expect(ok.body).toMatchObject({ version: 1, acceptAboveAppetite: ['demo-management'] })
      expect(
        (await put({ expectedVersion: 0, matrix: cur.body.matrix, appetite: cur.body.appetite })).status,
      ).toBe(409)
    })
  })

  it('describes the risk routes in the OpenAPI document', async () => {
    const doc = (await (await h.request('/api/openapi.json')).json()) as { paths: Record<string, object> }
    for (const path of [
      '/api/risks',
      '/api/risks/{id}',
      '/api/risks/{id}/plan',
      '/api/risks/{id}/submit',
      '/api/risks/{id}/decision',
      '/api/risks/heatmap',
      '/api/risks/export.csv',
      '/api/risks/settings',
    ])
      expect(doc.paths[path], path).toBeDefined()
  })
})
