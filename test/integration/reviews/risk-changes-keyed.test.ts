import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { riskChanges, riskLine } from '../../../functions/domain/reviews/changes.js'
import type { OrgRecords } from '../../../functions/store/records.js'
import { riskCount, risksChangedSince } from '../../../functions/store/risk-list.js'
import { emptyRiskState, RISK, type RiskData } from '../../../functions/store/risk-register.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { countingRecords } from '../../support/read-counter.js'
import { startTestStack } from '../../support/stack.js'

const DAY = 86_400_000
const ACTOR = { actor: { userId: 'demo-iso' }, action: 'probe.write' }

/**
 * A risk review's "what changed since the last review" reads the risks changed since by key
 * (the register's `updated` sort) with the register's size from its counter: the same changes
 * as from the whole register — against a baseline and rebuilt from the audit log — and the
 * same reads whether few or many risks stayed as they were.
 */
describe('the risk review reads the risks changed since by key', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>
  let counting: ReturnType<typeof countingRecords>

  /** A risk as the register's other tests write it. */
  const risk = (n: number) => ({
    title: `Keyed change ${n}`,
    category: 'cyber',
    status: 'assessed',
    ownerId: 'demo-iso',
    assets: [],
    likelihood: 1 + (n % 5),
    impact: 1 + ((n * 3) % 5),
    ...emptyRiskState(),
  })
  async function write(org: OrgRecords, from: number, n: number) {
    for (let i = 0; i < n; i += 25)
      await Promise.all(
        Array.from({ length: Math.min(25, n - i) }, (_, j) =>
          org.create(RISK, `R-${from + i + j}`, risk(from + i + j), ACTOR),
        ),
      )
  }
  const audit = async (org: OrgRecords, since: string) =>
    (await org.auditLog({ limit: 1000 })).items.filter((e) => e.at > since)

  /** The changes from the whole register (the old read) and from the keyed reads. */
  async function both(org: OrgRecords, since: string, baseline?: ReturnType<typeof riskLine>[]) {
    const entries = await audit(org, since)
    const whole = riskChanges({ current: await org.all(RISK), baseline, audit: entries, since })
    const keyed = riskChanges({
      current: await risksChangedSince(org, since),
      registerSize: await riskCount(org),
      baseline,
      audit: entries,
      since,
    })
    return { whole, keyed }
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    counting = countingRecords(t.stack.deps)
  })
  afterAll(async () => t.close())

  it('finds the same changes as the whole register, and reads only what changed', async () => {
    const org = counting.records.forOrg('nordlicht')
    const other = counting.records.forOrg('hafenstadt')
    await write(org, 100, 30)
    const baseline = (await org.all<RiskData>(RISK)).map((r) => riskLine(r.id, r.data))
    await t.stack.clock.advance(DAY)
    const since = new Date(t.stack.clock.nowMs()).toISOString()
    await t.stack.clock.advance(DAY)
    // Changed since: re-scored, closed, a status change; one added; another organisation's too.
    const change = (id: string, over: Partial<RiskData>) =>
      org.mutate<RiskData>(RISK, id, (d) => ({ ...d, ...over }), ACTOR)
    await change('R-101', { likelihood: 5, impact: 5 })
    await change('R-102', { status: 'closed' })
    await change('R-103', { status: 'treated' })
    await org.create(RISK, 'R-900', risk(900), ACTOR)
    await other.create(RISK, 'R-901', risk(901), ACTOR)

    const few = await both(org, since, baseline)
    expect(few.keyed).toEqual(few.whole)
    expect(few.keyed.added.map((r) => r.id)).toEqual(['R-900'])
    expect(few.keyed.rescored.map((r) => r.id)).toEqual(['R-101'])
    expect(few.keyed.closed.map((r) => r.id)).toEqual(['R-102'])
    expect(few.keyed.statusChanged.map((r) => r.id)).toEqual(['R-103'])
    const fromAudit = await both(org, since)
    expect(fromAudit.keyed).toEqual(fromAudit.whole)
    expect(fromAudit.keyed.basis).toBe('audit-log')
    const readFew = await counting.count(() => Promise.all([risksChangedSince(org, since), riskCount(org)]))

    // Many more risks that did not change since (written before it): the same changes, the same reads.
    const earlier = countingRecords({
      config: t.stack.deps.config,
      now: () => new Date(Date.parse(since) - DAY / 2),
    })
    await write(earlier.records.forOrg('nordlicht'), 1000, 240)
    const many = await both(org, since, [
      ...baseline,
      ...Array.from({ length: 240 }, (_, i) => riskLine(`R-${1000 + i}`, risk(1000 + i))),
    ])
    expect(many.keyed).toEqual(many.whole)
    expect(many.keyed).toEqual(few.keyed)
    const readMany = await counting.count(() => Promise.all([risksChangedSince(org, since), riskCount(org)]))
    expect(readMany.value[0].map((r) => r.id)).toEqual(readFew.value[0].map((r) => r.id))
    expect(readMany.value[1]).toBe(readFew.value[1] + 240)
    expect(readMany.reads).toEqual(readFew.reads)
  })

  it('a register where nothing changed since says so, as the whole register does', async () => {
    const since = new Date(t.stack.clock.nowMs()).toISOString()
    await t.stack.clock.advance(DAY)
    const quiet = await both(counting.records.forOrg('nordlicht'), since)
    expect(quiet.keyed).toEqual(quiet.whole)
    expect(quiet.keyed.added).toEqual([])
  })
})
