import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DECISION_RECORD, type DecisionRecord } from '../../../functions/domain/assessments/index.js'
import {
  decisionInForce,
  decisionPage,
  decisionsChangedSince,
  lastSequence,
} from '../../../functions/store/obligation-decisions.js'
import type { OrgRecords, StoredRecord } from '../../../functions/store/records.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { obligations } from '../../../infra/local/seed/steps/obligations.js'
import { countingRecords } from '../../support/read-counter.js'
import { type Client, startTestStack } from '../../support/stack.js'

const DAY = 86_400_000
/** Decisions added: several pages of the history (40 each). */
const MANY = 90
const ACTOR = { actor: { userId: 'system:workflow' }, action: 'probe.create' }

/**
 * The recorded obligation decisions are read by key (the list index's streams by sequence, in
 * force, by change): the history's pages, the decision in force, the next sequence, the decisions
 * changed since a date and the one changed last are what a look through every decision answers,
 * past one read's page, and the reads for one decision stay the same however long the history.
 */
describe('obligation decisions read by key', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let counting: ReturnType<typeof countingRecords>
  let isoN: Client
  let isoH: Client
  let memberH: Client
  let template: DecisionRecord
  let start: number

  /** What the old code read: every decision of the organisation. */
  const every = (org: OrgRecords) => org.all<DecisionRecord>(DECISION_RECORD)
  const newestFirst = (recs: StoredRecord<DecisionRecord>[]) =>
    [...recs].sort(
      (a, b) => b.data.sequence - a.data.sequence || b.data.decidedAt.localeCompare(a.data.decidedAt),
    )

  /** `n` decisions after the seeded one(s), each superseding the one before, as the workflow records them. */
  async function history(orgId: string, n: number) {
    const org = t.stack.deps.records.forOrg(orgId)
    const first = (await lastSequence(org)) + 1
    const prev = (await decisionInForce(org))?.id
    const ids = Array.from({ length: n }, (_, k) => `probe-${orgId}-${first + k}`)
    const before = [prev, ...ids]
    for (let k = 0; k < n; k += 20)
      await Promise.all(
        ids.slice(k, k + 20).map((id, j) =>
          org.create<DecisionRecord>(
            DECISION_RECORD,
            id,
            {
              ...template,
              sequence: first + k + j,
              title: `Decision ${first + k + j}`,
              decidedAt: new Date(start + (first + k + j) * DAY).toISOString(),
              previousDecisionId: before[k + j] ?? null,
            },
            ACTOR,
          ),
        ),
      )
    // Each superseded by the next, as the workflow marks them.
    for (let k = 0; k < n; k += 20)
      await Promise.all(
        before
          .slice(k, k + 20)
          .map((id, j) =>
            id
              ? org.mutate<DecisionRecord>(
                  DECISION_RECORD,
                  id,
                  (d) => ({ ...d, supersededBy: ids[k + j] }),
                  ACTOR,
                )
              : undefined,
          ),
      )
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: [...MINIMAL_SEED, obligations] })
    counting = countingRecords(t.stack.deps)
    start = t.stack.clock.nowMs()
    const seeded = await every(t.stack.deps.records.forOrg('nordlicht'))
    expect(seeded.length).toBeGreaterThan(0)
    const { supersededBy: _s, ...data } = seeded[0].data
    // Lighter than a real one where the reads do not look (fewer items to write).
    template = { ...data, inputs: { ...data.inputs, answers: {} }, followUps: [], changes: null }
    ;[isoN, isoH] = await Promise.all([
      t.signIn('iso@demo.ismsflow.test', undefined, 'nordlicht'),
      t.signIn('iso@demo.ismsflow.test', undefined, 'hafenstadt'),
    ])
    memberH = await t.signIn('member@hafenstadt.ismsflow.test', undefined, 'hafenstadt')
  })
  afterAll(async () => t.close())

  /** Each keyed read against the same answer from every decision. */
  async function compare(orgId: string) {
    const org = counting.records.forOrg(orgId)
    const all = await every(org)
    const ordered = newestFirst(all)
    const paged: string[] = []
    let cursor: string | undefined
    let total = -1
    do {
      const page = await decisionPage(org, { limit: 40, cursor })
      paged.push(...page.items.map((r) => r.id))
      total = page.total
      cursor = page.cursor
    } while (cursor)
    expect(paged).toEqual(ordered.map((r) => r.id))
    expect(total).toBe(all.length)
    expect((await decisionInForce(org))?.id).toBe(ordered.find((r) => !r.data.supersededBy)?.id)
    expect(await lastSequence(org)).toBe(all.reduce((m, r) => Math.max(m, r.data.sequence ?? 0), 0))
    const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0)
    const byChange = [...all].sort((a, b) => desc(a.updatedAt, b.updatedAt) || desc(a.id, b.id))
    for (const since of [
      new Date(start - DAY).toISOString(),
      byChange[Math.min(10, byChange.length - 1)]?.updatedAt,
    ])
      if (since)
        expect((await decisionsChangedSince(org, since)).map((r) => r.id)).toEqual(
          all.filter((r) => r.updatedAt > since).map((r) => r.id),
        )
  }

  it('answers what every decision answers, and reads as much for one decision with a long history', async () => {
    const org = counting.records.forOrg('nordlicht')
    await compare('nordlicht')
    const few = await counting.count(async () => [await decisionInForce(org), await lastSequence(org)])
    await history('nordlicht', MANY)
    // Hafenstadt's first decisions: its own, never Nordlicht's.
    await history('hafenstadt', 3)
    await compare('nordlicht')
    await compare('hafenstadt')
    const many = await counting.count(async () => [await decisionInForce(org), await lastSequence(org)])
    expect(many.value[0]).not.toEqual(few.value[0])
    expect(many.reads.items).toBeLessThanOrEqual(few.reads.items)
    expect(many.reads.calls).toBeLessThanOrEqual(few.reads.calls)
    const page = await counting.count(() => decisionPage(org, { limit: 10 }))
    expect(page.value.items).toHaveLength(10)
    // The page's entries (and one past it), its records and the counter: not the history.
    expect(page.reads.items).toBeLessThanOrEqual(10 + 1 + 10 + 1)
  })

  it('GET /api/assessments pages the history with its total; each organisation sees its own', async () => {
    const first = await isoN.get('/api/assessments?limit=25')
    expect(first.status).toBe(200)
    const all = newestFirst(await every(t.stack.deps.records.forOrg('nordlicht')))
    expect(first.body.total).toBe(all.length)
    expect(first.body.items.map((r: { id: string }) => r.id)).toEqual(all.slice(0, 25).map((r) => r.id))
    expect(first.body.items.filter((r: { current: boolean }) => r.current)).toHaveLength(1)
    expect(first.body.items[0].current).toBe(true)
    const second = await isoN.get(`/api/assessments?limit=25&cursor=${encodeURIComponent(first.body.cursor)}`)
    expect(second.body.items.map((r: { id: string }) => r.id)).toEqual(all.slice(25, 50).map((r) => r.id))
    const bad = await isoN.get('/api/assessments?limit=0')
    expect(bad.status).toBe(400)
    expect(bad.body.error.fields).toHaveProperty('limit')
    const theirs = await isoH.get('/api/assessments')
    expect(theirs.body.total).toBe(3)
    expect(theirs.body.items.every((r: { id: string }) => r.id.startsWith('probe-hafenstadt-'))).toBe(true)
    expect(theirs.body.cursor).toBeUndefined()
    // Another organisation's member: Nordlicht's decision is not there.
    expect((await memberH.get(`/api/assessments/${all[0].id}`)).status).toBe(404)
    expect((await memberH.get('/api/assessments')).body.total).toBe(3)
  })
})
