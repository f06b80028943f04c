import { describe, expect, it } from 'vitest'
import {
  planRegistration,
  type RegistrationData,
  registrationDueAt,
  registrationFacts,
  registrationFingerprint,
  registrationPrefill,
} from '../../../functions/domain/registration/index.js'
import { base, catalogue, evaluate } from '../obligations/helpers.js'

const machinery = base({
  activities: ['manufacturing.machinery'],
  employees: 180,
  annualTurnoverEur: 40e6,
  balanceSheetEur: 28e6,
})
const cloud = base({
  activities: ['digital.cloud'],
  employees: 300,
  annualTurnoverEur: 60e6,
  balanceSheetEur: 50e6,
})
const maybeFacts = (profile: typeof machinery, decidedAt = '2026-03-14T10:00:00.000Z', decisionId = 'd1') =>
  registrationFacts(evaluate(profile), { decisionId, decidedAt }, catalogue)
const factsOf = (profile: typeof machinery, decidedAt?: string, decisionId?: string) => {
  const f = maybeFacts(profile, decidedAt, decisionId)
  if (!f) throw new Error('not covered')
  return f
}
const NOW = new Date('2026-07-01T08:00:00.000Z')

describe('registration facts of a decision', () => {
  it('an important entity registers; sector and type from the catalogue; no § 34 data for machinery', () => {
    const f = factsOf(machinery)
    expect(f.category).toBe('important')
    expect(f.activities[0].sector.de).toBeTruthy()
    expect(f.activities[0].title.en).not.toBe('manufacturing.machinery')
    expect(f.section34).toBe(false)
  })

  it('a cloud provider is an entity type of § 34 (public IP ranges)', () => {
    expect(factsOf(cloud).section34).toBe(true)
  })

  it('an entity not covered has nothing to register', () => {
    expect(maybeFacts(base({ activities: ['manufacturing.machinery'] }))).toBeUndefined()
  })
})

describe('registrationDueAt: three months after first falling under the law', () => {
  it('the same day three months on, or the month’s last day', () => {
    expect(registrationDueAt('2026-03-14T10:00:00.000Z')).toBe('2026-06-14T10:00:00.000Z')
    expect(registrationDueAt('2026-11-30T09:00:00.000Z')).toBe('2027-02-28T09:00:00.000Z')
  })
})

describe('planRegistration', () => {
  const open = () => {
    const plan = planRegistration(undefined, { facts: factsOf(machinery) }, 'nordlicht', NOW)
    if (plan.action !== 'open') throw new Error(plan.action)
    return plan.next
  }
  const registered = (d: RegistrationData): RegistrationData => ({
    ...d,
    status: 'registered',
    submittedFingerprint: registrationFingerprint(d.facts, d.details),
  })

  it('first covered: opens round 1, due three months after the decision, named after the round', () => {
    const d = open()
    expect(d).toMatchObject({
      status: 'open',
      round: 1,
      firstCoveredAt: '2026-03-14T10:00:00.000Z',
      dueAt: '2026-06-14T10:00:00.000Z',
      executionName: 'bsireg-nordlicht-1',
    })
  })

  it('not covered and nothing recorded: nothing to do', () => {
    expect(planRegistration(undefined, { facts: null }, 'nordlicht', NOW).action).toBe('none')
  })

  it('a changed detail while the task waits refreshes it; the same data only saves', () => {
    const d = open()
    expect(planRegistration(d, { details: { contacts: '+49 451 0' } }, 'nordlicht', NOW).action).toBe(
      'refresh',
    )
    expect(
      planRegistration(d, { facts: factsOf(machinery, d.facts.decidedAt, 'd2') }, 'nordlicht', NOW).action,
    ).toBe('save')
  })

  it('registered: changed data opens an update round due in three months; the same data only saves', () => {
    const d = registered(open())
    const plan = planRegistration(d, { details: { address: 'Werftstraße 12, Lübeck' } }, 'nordlicht', NOW)
    expect(plan.action).toBe('update')
    if (plan.action !== 'update') return
    expect(plan.next).toMatchObject({
      status: 'update-due',
      round: 2,
      executionName: 'bsireg-nordlicht-2',
      dueAt: '2026-10-01T08:00:00.000Z',
    })
    expect(plan.next.updateReason?.de).toContain('§ 33 Abs. 1 BSIG')
    expect(
      planRegistration(d, { facts: factsOf(machinery, '2027-03-01T00:00:00.000Z', 'd2') }, 'nordlicht', NOW)
        .action,
    ).toBe('save')
  })

  it('a re-assessment that changes the category updates the registration and says why', () => {
    const d = registered(open())
    const essential = {
      ...factsOf(machinery),
      category: 'essential' as const,
      categoryTerm: { en: 'essential entity', de: 'besonders wichtige Einrichtung' },
    }
    const plan = planRegistration(d, { facts: essential }, 'nordlicht', NOW)
    expect(plan.action).toBe('update')
    if (plan.action === 'update') expect(plan.next.updateReason?.en).toContain('category changed')
  })

  it('a re-assessment that no longer covers the organisation closes it; covered again opens a new round', () => {
    const d = registered(open())
    const closed = planRegistration(d, { facts: null }, 'nordlicht', NOW)
    expect(closed.action).toBe('close')
    if (closed.action !== 'close') return
    expect(closed.next.closedReason?.de).toContain('§ 28 BSIG')
    expect(planRegistration(closed.next, { facts: null }, 'nordlicht', NOW).action).toBe('none')
    const again = planRegistration(
      closed.next,
      { facts: factsOf(machinery, '2027-05-31T12:00:00.000Z') },
      'nordlicht',
      NOW,
    )
    expect(again.action).toBe('open')
    if (again.action === 'open')
      expect(again.next).toMatchObject({
        round: 2,
        dueAt: '2027-08-31T12:00:00.000Z',
        executionName: 'bsireg-nordlicht-2',
      })
  })

  it('the prefill carries the organisation’s name, the category and the § 34 flag', () => {
    const p = registrationPrefill(open(), 'Nordlicht Maschinenbau GmbH')
    expect(p).toMatchObject({ name: 'Nordlicht Maschinenbau GmbH', section34: 'no' })
    expect(String(p.category)).toContain('wichtige Einrichtung')
  })
})
