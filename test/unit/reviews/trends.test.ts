import { describe, expect, it } from 'vitest'
import {
  buildManagementPackage,
  type PackageSources,
  previousSince,
  type ReviewCycle,
  trends,
} from '../../../functions/domain/reviews/index.js'

const now = new Date('2026-11-28T10:00:00Z')
const since = '2026-05-28T10:00:00.000Z'

const cycle = (over: Partial<ReviewCycle>): ReviewCycle => ({
  entryId: 'risk-review',
  kind: 'risk-review',
  title: { en: 'Risk review', de: 'Risikoüberprüfung' },
  formId: 'review-risk-review',
  occurrenceId: 'o',
  trigger: 'schedule',
  scheduledAt: '2026-07-01T07:00:00.000Z',
  dueAt: '2026-07-31T07:00:00.000Z',
  period: { from: '2026-04-01T07:00:00.000Z', to: '2026-07-01T07:00:00.000Z' },
  status: 'completed',
  performer: { role: 'iso' },
  rounds: 1,
  signOff: { required: true, history: [] },
  actions: [],
  ...over,
})
const action = (title: string, status: 'open' | 'done') => ({
  id: title,
  title,
  assignee: { role: 'iso' as const },
  dueAt: '2026-09-01T00:00:00.000Z',
  status,
})
const rec = (id: string, at: string, data: unknown = {}) => ({ id, createdAt: at, updatedAt: at, data })

const sources = (over: Partial<PackageSources> = {}): PackageSources => ({
  now,
  since,
  reviews: [],
  obligationDecisions: [],
  nonconformities: [],
  projects: [],
  risks: [],
  objectives: [],
  tasks: [],
  ...over,
})

describe('management review package: a) actions of previous management reviews only', () => {
  it('counts the actions of completed management reviews, not those of other reviews', () => {
    const reviews = [
      {
        id: 'mr-1',
        data: cycle({
          kind: 'management-review',
          title: { en: 'Management review', de: 'Managementbewertung' },
          completedAt: since,
          actions: [action('Budget for EDR', 'open'), action('Update the policy', 'done')],
        }),
      },
      { id: 'rr-1', data: cycle({ actions: [action('Re-rate R-003', 'open')] }) },
    ]
    const pkg = buildManagementPackage(sources({ reviews }))
    const a = pkg.sections.find((s) => s.id === 'previous-actions')
    expect(a?.title.en).toBe('Status of actions from previous management reviews')
    expect(a?.counts).toEqual({ total: 2, open: 1, overdue: 1 })
    expect(a?.lines.map((l) => l.en).join('\n')).not.toContain('Re-rate R-003')
  })
})

describe('management review package: d) trends per indicator, in words with arrows', () => {
  it('compares this period with the one before: the previous management review, else as long again', () => {
    // As long again: 184 days before the start of this period.
    expect(previousSince([], since, now)).toBe('2025-11-25T10:00:00.000Z')
    const earlier = {
      id: 'mr-0',
      data: cycle({ kind: 'management-review', completedAt: '2026-01-15T09:00:00.000Z' }),
    }
    expect(previousSince([earlier], since, now)).toBe('2026-01-15T09:00:00.000Z')
  })

  it('says up or down with an arrow and whether that is better or worse; no data is said as such', () => {
    const list = trends({
      now,
      since,
      reviews: [
        // This period: one on time, one late → 50 %; before: one on time → 100 %.
        { id: 'a', data: cycle({ dueAt: '2026-07-31T07:00:00.000Z' }) },
        {
          id: 'b',
          data: cycle({ dueAt: '2026-10-31T07:00:00.000Z', overdue: { at: '2026-10-31T07:00:00.000Z' } }),
        },
        { id: 'c', data: cycle({ dueAt: '2026-02-28T07:00:00.000Z' }) },
      ],
      nonconformities: [
        rec('nc-1', '2026-03-01T00:00:00.000Z'),
        rec('nc-2', '2026-04-01T00:00:00.000Z'),
        rec('nc-3', '2026-08-01T00:00:00.000Z'),
      ],
      projects: [rec('p', '2026-01-01T00:00:00.000Z', { audits: { stage1: { heldOn: '2026-09-10' } } })],
      objectives: [],
      incidents: [rec('i-1', '2026-10-01T00:00:00.000Z', { awareAt: '2026-10-01T00:00:00.000Z' })],
    })
    const by = Object.fromEntries(list.map((x) => [x.id, x]))
    expect(by.nonconformities).toMatchObject({
      current: 1,
      previous: 2,
      direction: 'down',
      judgement: 'better',
    })
    expect(by.nonconformities.line.en).toBe(
      'Nonconformities raised: 1 this period, 2 in the period before: ↓ down (better).',
    )
    expect(by.monitoring).toMatchObject({ current: 50, previous: 100, direction: 'down', judgement: 'worse' })
    expect(by.monitoring.line.de).toContain('↓ gesunken (schlechter)')
    expect(by.audits).toMatchObject({ current: 1, previous: 0, direction: 'up', judgement: 'neutral' })
    expect(by.objectives.line.en).toBe('Objectives achieved: no data yet.')
    expect(by.incidents).toMatchObject({ current: 1, previous: 0, judgement: 'worse' })
    expect(by.incidents.line.en).toContain('↑ up (worse)')
  })

  it('is a section of the package, after the interested parties', () => {
    const ids = buildManagementPackage(sources()).sections.map((s) => s.id)
    expect(ids.indexOf('trends')).toBe(ids.indexOf('interested-parties') + 1)
  })
})
