import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { namesOf, orgPeople } from '../../../functions/api/people.js'
import { cycleSummary } from '../../../functions/api/routes/reviews/views.js'
import { riskRow } from '../../../functions/api/routes/risks/views.js'
import { REVIEW, type ReviewCycle } from '../../../functions/domain/reviews/index.js'
import { listVersion } from '../../../functions/store/list-index.js'
import type { OrgRecords } from '../../../functions/store/records.js'
import { loadRiskSettings, RISK, type RiskData } from '../../../functions/store/risk-register.js'
import { sideItemsUnder } from '../../support/side-items.js'
import { type Client, startTestStack } from '../../support/stack.js'

/**
 * The register's and the review cycles' pages read each row from the list index's entry
 * (`ListEntry.row`, one JSON string) instead of the record: the rows equal the views of the
 * records, and entries without a row (as versions before rows wrote them) answer the same page
 * from the records until the re-index writes them again.
 */
describe('list rows kept in the list index entries (risks, review cycles)', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let iso: Client
  let org: OrgRecords

  const entries = (type: string) => sideItemsUnder(org, `LIX#${type}@${listVersion(type)}#`)

  beforeAll(async () => {
    t = await startTestStack()
    iso = await t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht')
    org = t.stack.deps.records.forOrg('nordlicht')
  })
  afterAll(async () => {
    await t?.close()
  })

  it('answers the rows the records give, with or without the rows in the entries', async () => {
    const risks = await iso.get('/api/risks?limit=200&closed=include')
    const reviews = await iso.get('/api/reviews?limit=200')
    expect(risks.status).toBe(200)
    expect(reviews.status).toBe(200)
    expect(risks.body.items.length).toBeGreaterThan(3)
    expect(reviews.body.items.length).toBeGreaterThan(0)

    // Each row as the view of the whole record gives it.
    const { settings } = await loadRiskSettings(org)
    const names = namesOf(await orgPeople(t.stack.deps, 'nordlicht'))
    const riskRecs = await org.getMany<RiskData>(
      RISK,
      risks.body.items.map((r: { id: string }) => r.id),
    )
    expect(risks.body.items).toEqual(
      risks.body.items.map((r: { id: string }) => {
        const rec = riskRecs.get(r.id)
        if (!rec) throw new Error(`no risk ${r.id}`)
        return riskRow(rec, settings, names)
      }),
    )
    const cycleRecs = await org.getMany<ReviewCycle>(
      REVIEW,
      reviews.body.items.map((c: { id: string }) => c.id),
    )
    const now = t.stack.deps.now()
    expect(reviews.body.items).toEqual(
      reviews.body.items.map((c: { id: string }) => {
        const rec = cycleRecs.get(c.id)
        if (!rec) throw new Error(`no cycle ${c.id}`)
        return cycleSummary(rec, now)
      }),
    )

    // The entries hold the rows; without them (the shape before), the pages answer the same.
    for (const type of [RISK, REVIEW]) {
      const withRows = (await entries(type)).filter((e) => typeof e.row === 'string')
      expect(withRows.length, type).toBeGreaterThan(0)
      await org.putSide(withRows.map(({ sk, row: _row, ...item }) => ({ sk, item: { ...item } })))
      expect((await entries(type)).some((e) => 'row' in e)).toBe(false)
    }
    expect((await iso.get('/api/risks?limit=200&closed=include')).body).toEqual(risks.body)
    expect((await iso.get('/api/reviews?limit=200')).body).toEqual(reviews.body)
  })
})
