import { describe, expect, it } from 'vitest'
import {
  annexAControlIds,
  type PlannedMilestone,
  readiness,
  type SoaEntry,
} from '../../../functions/domain/certification/index.js'
import type { AppError } from '../../../functions/domain/errors.js'

const today = '2026-06-01'
const fresh = [{ id: 'e', title: 'Proof', date: '2026-03-01', fileRef: 'f', freshnessMonths: 12 }]
const stale = [{ id: 'e', title: 'Proof', date: '2024-03-01', fileRef: 'f', freshnessMonths: 12 }]

function entry(controlId: string, over: Partial<SoaEntry> = {}): SoaEntry {
  return {
    controlId,
    applicable: true,
    justification: '',
    inclusionReasons: ['business'],
    status: 'implemented',
    ownerId: 'u',
    riskIds: [],
    evidence: fresh,
    ...over,
  }
}

/** All 93 decided: 90 applicable (implemented, fresh), 3 excluded. */
function fullSoa(): SoaEntry[] {
  return annexAControlIds().map((id) =>
    ['A.7.10', 'A.7.11', 'A.7.12'].includes(id)
      ? {
          controlId: id,
          applicable: false,
          justification: 'remote',
          inclusionReasons: [],
          status: 'not-applicable',
          riskIds: [],
          evidence: [],
        }
      : entry(id),
  )
}

function milestone(id: string, over: Partial<PlannedMilestone> = {}): PlannedMilestone {
  return {
    id,
    title: { en: id, de: id },
    clause: '',
    phase: 'preparation',
    performerRole: 'iso',
    completes: { kind: 'task' },
    dependsOn: [],
    start: '2026-05-01',
    due: '2026-07-01',
    status: 'ready',
    slackDays: 10,
    critical: false,
    late: false,
    atRisk: false,
    ...over,
  }
}

const approvedRisks = [
  { id: 'R-1', treatment: 'approved' as const },
  { id: 'R-2', treatment: 'accepted' as const },
]

describe('readiness', () => {
  it('is 100 when everything is done, fresh, on time and decided', () => {
    const r = readiness(
      {
        soa: fullSoa(),
        milestones: [milestone('m', { status: 'done', doneOn: '2026-05-01', slackDays: null })],
        nonconformities: [],
        risks: approvedRisks,
      },
      today,
    )
    expect(r).toMatchObject({
      score: 100,
      parts: { controls: 100, milestones: 100, nonconformities: 100, risks: 100 },
      blockers: [],
    })
    expect(r.counts).toMatchObject({ applicable: 90, excluded: 3, implementedFresh: 90, undecided: 0 })
    expect(r.perTheme.find((t) => t.theme === 'physical')).toEqual({
      theme: 'physical',
      applicable: 11,
      undecided: 0,
      implementedFresh: 11,
      percent: 100,
    })
  })

  it('counts controls from data: stale evidence and partial status do not count', () => {
    const soa = fullSoa()
    soa[0] = entry('A.5.1', { evidence: stale })
    soa[1] = entry('A.5.2', { status: 'partial' })
    soa[2] = entry('A.5.3', { evidence: [] })
    const r = readiness({ soa, milestones: [], nonconformities: [], risks: approvedRisks }, today)
    expect(r.counts.implementedFresh).toBe(87)
    expect(r.parts.controls).toBe(Math.round((100 * 87) / 90))
    expect(r.perTheme[0]).toMatchObject({
      theme: 'organisational',
      applicable: 37,
      implementedFresh: 34,
      percent: 92,
    })
    expect(r.blockers.map((b) => [b.kind, b.id])).toEqual([
      ['evidence-missing', 'A.5.1'],
      ['control-not-implemented', 'A.5.2'],
      ['evidence-missing', 'A.5.3'],
    ])
  })

  it('counts undecided controls against readiness and names them as a blocker', () => {
    const r = readiness(
      { soa: [entry('A.5.1')], milestones: [], nonconformities: [], risks: approvedRisks },
      today,
    )
    expect(r.counts.undecided).toBe(92)
    expect(r.parts.controls).toBe(1)
    expect(r.blockers[0]).toMatchObject({ kind: 'control-undecided' })
    expect(r.blockers[0]!.text.de).toContain('92')
    expect(r.perTheme.map((t) => t.theme)).toEqual(['organisational', 'people', 'physical', 'technological'])
  })

  it('scores milestones: on time or on track 1, late done or at risk ½, late 0; surveillance left out', () => {
    const milestones = [
      milestone('done-on-time', { status: 'done', late: false }),
      milestone('done-late', { status: 'done', late: true }),
      milestone('at-risk', { atRisk: true }),
      milestone('late', { late: true, due: '2026-05-20' }),
      milestone('on-track'),
      milestone('surv', { phase: 'surveillance', late: true }),
    ]
    const r = readiness({ soa: fullSoa(), milestones, nonconformities: [], risks: approvedRisks }, today)
    expect(r.parts.milestones).toBe(60)
    expect(r.counts).toMatchObject({ milestonesLate: 1, milestonesAtRisk: 1 })
    expect(r.blockers).toEqual([
      {
        kind: 'milestone-late',
        id: 'late',
        text: {
          en: 'Milestone "late" was due on 2026-05-20 and is not done.',
          de: 'Meilenstein „late“ war am 2026-05-20 fällig und ist nicht erledigt.',
        },
      },
    ])
  })

  it('takes points off for open nonconformities, majors blocking', () => {
    const r = readiness(
      {
        soa: fullSoa(),
        milestones: [],
        nonconformities: [
          { id: 'NC-1', severity: 'major', status: 'open', title: 'No internal audit programme' },
          { id: 'NC-2', severity: 'minor', status: 'in-progress' },
          { id: 'NC-3', severity: 'major', status: 'closed' },
        ],
        risks: approvedRisks,
      },
      today,
    )
    expect(r.parts.nonconformities).toBe(50)
    expect(r.counts).toMatchObject({ openMajor: 1, openMinor: 1 })
    expect(r.blockers.map((b) => b.id)).toEqual(['NC-1'])
    expect(r.score).toBe(Math.round((40 * 100 + 20 * 100 + 20 * 50 + 20 * 100) / 100))
  })

  it('counts only approved or accepted treatments, and no risks at all as a missing assessment', () => {
    const r = readiness(
      {
        soa: fullSoa(),
        milestones: [],
        nonconformities: [],
        risks: [
          ...approvedRisks,
          { id: 'R-3', treatment: 'outdated' },
          { id: 'R-4', treatment: 'in-approval', title: 'Phishing' },
          { id: 'R-5', treatment: 'none', closed: true },
        ],
      },
      today,
    )
    expect(r.parts.risks).toBe(50)
    expect(r.blockers.map((b) => b.id)).toEqual(['R-3', 'R-4'])
    expect(r.blockers[1]!.text.en).toBe('Risk "Phishing" has no approved treatment.')
    const none = readiness({ soa: fullSoa(), milestones: [], nonconformities: [], risks: [] }, today)
    expect(none.parts.risks).toBe(0)
    expect(none.blockers.map((b) => b.kind)).toEqual(['risk-assessment-missing'])
  })

  it('weights the parts and refuses invalid weights by name', () => {
    const input = { soa: [], milestones: [], nonconformities: [], risks: approvedRisks }
    expect(readiness(input, today, { controls: 0, milestones: 0, nonconformities: 0, risks: 1 }).score).toBe(
      100,
    )
    expect(readiness(input, today, { controls: 1, milestones: 0, nonconformities: 0, risks: 0 }).score).toBe(
      0,
    )
    try {
      readiness(input, today, { controls: -1, milestones: 0, nonconformities: 0, risks: 0 })
      expect.unreachable()
    } catch (err) {
      expect((err as AppError).fields).toEqual({ 'weights.controls': 'must be a number of at least 0' })
    }
    try {
      readiness(input, today, { controls: 0, milestones: 0, nonconformities: 0, risks: 0 })
      expect.unreachable()
    } catch (err) {
      expect((err as AppError).fields).toEqual({ weights: 'at least one weight must be above 0' })
    }
  })

  it('works for TISAX with its own control ids and chapters', () => {
    const r = readiness(
      {
        soa: [entry('1.1.1'), entry('8.1.1', { status: 'partial' })],
        expectedControlIds: ['1.1.1', '8.1.1', '9.1.1'],
        themeOf: (id) => `chapter ${id.split('.')[0]}`,
        milestones: [],
        nonconformities: [],
        risks: approvedRisks,
      },
      today,
    )
    expect(r.parts.controls).toBe(33)
    expect(r.perTheme).toEqual([
      { theme: 'chapter 1', applicable: 1, undecided: 0, implementedFresh: 1, percent: 100 },
      { theme: 'chapter 8', applicable: 1, undecided: 0, implementedFresh: 0, percent: 0 },
      { theme: 'chapter 9', applicable: 0, undecided: 1, implementedFresh: 0, percent: 0 },
    ])
  })
})
