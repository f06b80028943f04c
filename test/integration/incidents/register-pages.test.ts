import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type IncidentData, isOpenIncident } from '../../../functions/domain/incidents/index.js'
import { loadManagementPackage } from '../../../functions/domain/reviews/package.js'
import { INCIDENT } from '../../../functions/store/incidents.js'
import { ensureListIndexed } from '../../../functions/store/list-index.js'
import { packageSource } from '../../../functions/store/package-source.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { storedIncident } from '../../support/incidents.js'
import { forgetLists } from '../../support/list-index.js'
import { type Client, startTestStack } from '../../support/stack.js'

type Row = { id: string }

/**
 * The incident register reads its filters as streams of the list index: every page but the
 * last is full (100 rows), the pages together are exactly what filtering every incident would
 * give, in the register's order, for the overseers and for a member (what they reported or are
 * assigned to), and never another organisation's incidents.
 */
describe('the incident register pages through its index: full pages under every filter', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let member: Client
  let memberHafenstadt: Client
  const all = new Map<string, Map<string, IncidentData>>()

  /** An incident as stored, shaped by its number (closed, significant, personal data, year, people). */
  function probe(orgId: string, n: number): IncidentData {
    const year = n % 2 ? 2025 : 2026
    const awareAt = new Date(Date.UTC(year, 0, 1) + n * 3_600_000).toISOString()
    return storedIncident(orgId, awareAt, {
      title: `Probe incident ${n}`,
      reportedBy: n % 3 === 0 ? 'demo-member' : 'demo-iso',
      classification: {
        significant: n % 4 === 0 ? true : n % 4 === 1 ? false : null,
        personalDataBreach: n % 5 === 0 ? true : null,
        gdprRisk: null,
      },
      assignees: n % 7 === 0 ? ['demo-member', 'demo-management'] : [],
      ...(n % 3 === 1 ? { closedAt: awareAt, lessonsLearned: 'Probe lessons learned.' } : {}),
    })
  }

  /** Every page of the register for a query, following the cursor; checks each page is full but the last. */
  async function everyPage(client: Client, query: string) {
    const rows: string[] = []
    let cursor: string | undefined
    for (let i = 0; i < 50; i++) {
      const res = await client.get(
        `/api/incidents?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
      expect(res.status).toBe(200)
      rows.push(...res.body.items.map((r: Row) => r.id))
      cursor = res.body.cursor
      if (!cursor) return rows
      expect(res.body.items).toHaveLength(100)
    }
    throw new Error('the cursor never ended')
  }

  /** What filtering every incident of the organisation gives, newest awareness first. */
  function expected(orgId: string, query: string, who?: string) {
    const q = new URLSearchParams(query)
    const want = (k: string) => (q.has(k) ? q.get(k) === 'true' : undefined)
    return [...(all.get(orgId) ?? new Map<string, IncidentData>())]
      .filter(([, d]) => !who || d.reportedBy === who || d.assignees.includes(who))
      .filter(([, d]) => want('open') === undefined || isOpenIncident(d) === want('open'))
      .filter(
        ([, d]) =>
          want('significant') === undefined ||
          (d.classification.significant === true) === want('significant'),
      )
      .filter(
        ([, d]) =>
          want('personalData') === undefined ||
          (d.classification.personalDataBreach === true) === want('personalData'),
      )
      .filter(([, d]) => !q.has('year') || d.awareAt.startsWith(String(q.get('year'))))
      .sort(([a, x], [b, y]) => (`${x.awareAt}#${a}` < `${y.awareAt}#${b}` ? 1 : -1))
      .map(([id]) => id)
  }

  const QUERIES = [
    '',
    'open=true',
    'open=false&significant=true',
    'significant=false&personalData=false',
    'year=2025',
    'year=2026&open=true&personalData=false',
  ]

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    ;[iso, member, memberHafenstadt] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('member@demo.ismsflow.test'),
      t.signIn('member@hafenstadt.ismsflow.test'),
    ])
    for (const [orgId, count] of [
      ['nordlicht', 260],
      ['hafenstadt', 40],
    ] as const) {
      const org = t.stack.deps.records.forOrg(orgId)
      for (let n = 0; n < count; n += 20)
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => {
            const id = `INC-PROBE-${orgId === 'nordlicht' ? 'N' : 'H'}${String(n + i).padStart(3, '0')}`
            const d = probe(orgId, n + i)
            return org.create<IncidentData>(INCIDENT, id, d, {
              actor: { userId: 'demo-iso' },
              action: 'incident.report',
            })
          }),
        )
      const map = new Map<string, IncidentData>()
      for (const r of await org.all<IncidentData>(INCIDENT)) map.set(r.id, r.data)
      all.set(orgId, map)
    }
  })
  afterAll(async () => t?.close())

  it('the ISO: every filter reads full pages, exactly the matching incidents, newest first', async () => {
    for (const query of QUERIES) {
      const rows = await everyPage(iso, query)
      expect(rows, query).toEqual(expected('nordlicht', query))
      expect(rows.some((id) => id.startsWith('INC-PROBE-H'))).toBe(false)
    }
    // More than one page without a filter.
    expect(expected('nordlicht', '').length).toBeGreaterThan(200)
  })

  it('a member: what they reported or are assigned to, full pages, no other organisation’s', async () => {
    for (const query of QUERIES) {
      const rows = await everyPage(member, query)
      expect(rows, query).toEqual(expected('nordlicht', query, 'demo-member'))
    }
    expect(expected('nordlicht', '', 'demo-member').length).toBeGreaterThan(100)
    // Hafenstadt's member reported none of Hafenstadt's probes (their ids are not demo-member).
    const theirs = await everyPage(memberHafenstadt, '')
    expect(theirs.filter((id) => id.startsWith('INC-PROBE'))).toEqual([])
  })

  it('another organisation’s ISO pages through their own incidents only; a foreign cursor starts nothing strange', async () => {
    const isoHafenstadt = await t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt')
    const rows = await everyPage(isoHafenstadt, 'open=true')
    expect(rows).toEqual(expected('hafenstadt', 'open=true'))
    const first = await iso.get('/api/incidents')
    const replayed = await isoHafenstadt.get(`/api/incidents?cursor=${encodeURIComponent(first.body.cursor)}`)
    expect(replayed.status).toBe(200)
    expect(replayed.body.items.every((r: Row) => all.get('hafenstadt')?.has(r.id))).toBe(true)
  })

  it('the management review package reads the incidents of its periods by key: the same package as from every incident', async () => {
    const org = t.stack.deps.records.forOrg('nordlicht')
    const now = t.stack.deps.now()
    const keyed = await loadManagementPackage(org, packageSource(t.stack.deps.taskStore, org), now)
    const everyIncident = await loadManagementPackage(
      org,
      { ...packageSource(t.stack.deps.taskStore, org), incidentsSince: () => org.all(INCIDENT) },
      now,
    )
    expect(keyed).toEqual(everyIncident)
    const section = (id: string) => keyed.sections.find((s) => s.id === id)
    expect(section('incidents')?.counts?.total).toBeGreaterThan(0)
    expect(section('incidents')?.lines.some((l) => l.en.includes('INC-PROBE-H'))).toBe(false)
    const res = await iso.get('/api/reviews/management-package')
    expect(res.status).toBe(200)
    expect(res.body.package.sections.find((s: { id: string }) => s.id === 'incidents').counts).toEqual(
      section('incidents')?.counts,
    )
  })

  it('an organisation whose incidents were written before the register had a list is indexed once, with the same pages', async () => {
    const before = await everyPage(iso, 'open=false')
    const org = t.stack.deps.records.forOrg('nordlicht')
    await forgetLists(t.stack.deps, 'nordlicht', [INCIDENT])
    expect(await ensureListIndexed(org, INCIDENT, { recheck: true })).toBe(true)
    expect(await everyPage(iso, 'open=false')).toEqual(before)
    expect(await ensureListIndexed(org, INCIDENT, { recheck: true })).toBe(false)
  })
})
