import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type IncidentData, isOpenIncident } from '../../../functions/domain/incidents/index.js'
import { INCIDENT } from '../../../functions/store/incidents.js'
import { emptyRiskState, RISK } from '../../../functions/store/risk-register.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { storedIncident } from '../../support/incidents.js'
import { type Client, startTestStack } from '../../support/stack.js'

/** More than one page of each register (risks 200, incidents 100). */
const RISKS = 230
const INCIDENTS = 130
const ACTOR = { actor: { userId: 'demo-iso' }, action: 'probe.create' }

/**
 * The register exports read their register a page at a time through its index (as the UI
 * pages) until the last page: every risk and incident the filter keeps, not the first page only
 * and not the organisation's records at once; exactly what filtering every record gives, and
 * never another organisation's.
 */
describe('the register exports read every page through the index', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let hafenstadtIso: Client

  const incident = (orgId: string, n: number): IncidentData => {
    const awareAt = new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString()
    return storedIncident(orgId, awareAt, {
      title: `Export probe ${n}`,
      classification: { significant: n % 4 === 0, personalDataBreach: null, gdprRisk: null },
      ...(n % 3 === 1 ? { closedAt: awareAt, lessonsLearned: 'Probe lessons learned.' } : {}),
    })
  }

  /** The ids in the first column of a CSV export (header and BOM left out). */
  const csvIds = (text: unknown) => {
    if (typeof text !== 'string') throw new Error(`not a CSV: ${JSON.stringify(text).slice(0, 300)}`)
    return text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(',')[0])
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    ;[iso, hafenstadtIso] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
    ])
    for (const [orgId, risks, incidents] of [
      ['nordlicht', RISKS, INCIDENTS],
      ['hafenstadt', 6, 6],
    ] as const) {
      const org = t.stack.deps.records.forOrg(orgId)
      const tag = orgId === 'nordlicht' ? 'N' : 'H'
      for (let n = 0; n < Math.max(risks, incidents); n += 25)
        await Promise.all(
          Array.from({ length: 25 }, async (_, i) => {
            const k = n + i
            if (k < risks)
              await org.create(
                RISK,
                `R-${500 + k}`,
                {
                  title: `${tag} export risk ${k}`,
                  category: 'cyber',
                  status: k % 5 === 0 ? 'closed' : 'identified',
                  ownerId: 'demo-iso',
                  assets: [],
                  threat: 'Phishing',
                  vulnerability: 'Untrained staff',
                  likelihood: 1 + (k % 5),
                  impact: 1 + (k % 4),
                  ...emptyRiskState(),
                },
                ACTOR,
              )
            if (k < incidents)
              await org.create(
                INCIDENT,
                `INC-X${tag}${String(k).padStart(3, '0')}`,
                incident(orgId, k),
                ACTOR,
              )
          }),
        )
    }
  }, 600_000)
  afterAll(async () => t?.close())

  it('exports every risk of the register and of a filter, past the first page', async () => {
    const all = await t.stack.deps.records.forOrg('nordlicht').all<{ status: string }>(RISK)
    const res = await iso.get('/api/risks/export.csv?sort=id&closed=include')
    expect(res.status).toBe(200)
    const ids = csvIds(res.body)
    expect(ids.length).toBeGreaterThan(200)
    expect([...ids].sort()).toEqual(all.map((r) => r.id).sort())
    const open = csvIds((await iso.get('/api/risks/export.csv?sort=id&closed=exclude')).body)
    expect([...open].sort()).toEqual(
      all
        .filter((r) => r.data.status !== 'closed')
        .map((r) => r.id)
        .sort(),
    )
    const xlsx = await iso.get('/api/risks/export.xlsx?sort=id&closed=include')
    expect(xlsx.status).toBe(200)
    expect(String(xlsx.body).length).toBeGreaterThan(1000)
  })

  it('exports every incident of the register and of a filter, past the first page', async () => {
    const all = await t.stack.deps.records.forOrg('nordlicht').all<IncidentData>(INCIDENT)
    const ids = csvIds((await iso.get('/api/incidents/export.csv')).body)
    expect(ids.length).toBeGreaterThan(100)
    expect([...ids].sort()).toEqual(all.map((r) => r.id).sort())
    const open = csvIds((await iso.get('/api/incidents/export.csv?open=true')).body)
    expect([...open].sort()).toEqual(
      all
        .filter((r) => isOpenIncident(r.data))
        .map((r) => r.id)
        .sort(),
    )
  })

  it("never exports another organisation's records", async () => {
    const risks = csvIds((await hafenstadtIso.get('/api/risks/export.csv?sort=id&closed=include')).body)
    const theirs = await t.stack.deps.records.forOrg('hafenstadt').all(RISK)
    expect([...risks].sort()).toEqual(theirs.map((r) => r.id).sort())
    const incidents = csvIds((await hafenstadtIso.get('/api/incidents/export.csv')).body)
    expect(incidents.length).toBeGreaterThanOrEqual(6)
    expect(incidents.every((id) => !id.startsWith('INC-XN'))).toBe(true)
  })
})
