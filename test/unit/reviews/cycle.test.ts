import { describe, expect, it } from 'vitest'
import {
  accessChanges,
  actionsFromAnswers,
  dueAtOf,
  MAX_ACTIONS,
  periodOf,
  prefillFrom,
  reviewId,
  reviewStartInput,
  riskChanges,
  summariseChanges,
} from '../../../functions/domain/reviews/index.js'

const QUARTERLY = { expression: 'cron(0 9 1 1,4,7,10 ? *)', timeZone: 'Europe/Berlin' }

describe('cycle ids, periods and due dates', () => {
  it('derives the same execution name and cycle id from one occurrence', () => {
    const a = reviewStartInput({
      orgId: 'acme',
      entryId: 'risk-review',
      scheduledAt: '2026-04-01T07:00:00Z',
      trigger: 'schedule',
    })
    const b = reviewStartInput({
      orgId: 'acme',
      entryId: 'risk-review',
      scheduledAt: new Date('2026-04-01T07:00:00.000Z'),
      trigger: 'schedule',
      late: false,
      missed: [],
    })
    expect(a).toEqual(b)
    expect(a.name).toBe('acme_risk-review_20260401T0700Z')
    expect(a.input).toEqual({
      orgId: 'acme',
      entryId: 'risk-review',
      scheduledAt: '2026-04-01T07:00:00.000Z',
      trigger: 'schedule',
      occurrenceId: a.name,
    })
    expect(reviewId('risk-review', '2026-04-01T07:00:00Z')).toBe('risk-review_20260401T0700Z')
  })

  it('covers the time since the previous occurrence, across daylight saving', () => {
    expect(periodOf(QUARTERLY, '2026-04-01T07:00:00.000Z', '2025-01-01T00:00:00.000Z')).toEqual({
      from: '2026-01-01T08:00:00.000Z',
      to: '2026-04-01T07:00:00.000Z',
    })
    // A yearly schedule created last month: the previous occurrence is a year back.
    expect(
      periodOf({ expression: 'cron(0 9 1 11 ? *)' }, '2026-11-01T08:00:00.000Z', '2026-10-15T00:00:00.000Z')
        .from,
    ).toBe('2025-11-01T08:00:00.000Z')
    expect(dueAtOf('2026-04-01T07:00:00.000Z', 30)).toBe('2026-05-01T07:00:00.000Z')
  })
})

describe('actions from answers', () => {
  const now = new Date('2026-04-10T10:00:00Z')
  it('makes one action per line, without bullets, for the chosen role, due on the chosen day', () => {
    const actions = actionsFromAnswers(
      {
        actions: '- Patch the VPN gateway\n\n2. Remove leavers from the ERP\r\n* Review admin accounts ',
        actionsAssignee: 'member',
        actionsDueOn: '2026-05-31',
      },
      'risk-review_20260401T0700Z',
      now,
    )
    expect(actions.map((a) => a.title)).toEqual([
      'Patch the VPN gateway',
      'Remove leavers from the ERP',
      'Review admin accounts',
    ])
    expect(actions[0]).toEqual({
      id: 'risk-review_20260401T0700Z-a1',
      title: 'Patch the VPN gateway',
      assignee: { role: 'member' },
      dueAt: '2026-05-31T23:59:59.000Z',
      status: 'open',
    })
  })

  it('defaults to the ISO in 30 days, ignores unknown roles and caps the number', () => {
    const many = Array.from({ length: 30 }, (_, i) => `Action ${i}`).join('\n')
    const actions = actionsFromAnswers({ actions: many, actionsAssignee: 'auditor' }, 'r', now)
    expect(actions).toHaveLength(MAX_ACTIONS)
    expect(actions[0]).toMatchObject({ assignee: { role: 'iso' }, dueAt: '2026-05-10T10:00:00.000Z' })
    expect(actionsFromAnswers({}, 'r', now)).toEqual([])
    expect(actionsFromAnswers(undefined, 'r', now)).toEqual([])
  })

  it('carries answers forward except those of one sitting', () => {
    expect(
      prefillFrom({
        summary: 's',
        outcome: 'effective',
        actions: 'x',
        actionsDueOn: '2026-01-01',
        heldOn: '2026-01-01',
      }),
    ).toEqual({
      summary: 's',
      outcome: 'effective',
    })
  })
})

describe('changes since the last review', () => {
  const since = '2026-01-01T08:00:00.000Z'
  const rec = (id: string, data: Record<string, unknown>, createdAt = '2025-06-01T00:00:00.000Z') => ({
    id,
    createdAt,
    updatedAt: createdAt,
    data: { title: id, status: 'assessed', likelihood: 3, impact: 3, ...data },
  })

  it('compares the register with the previous baseline: added, closed, re-scored, status, deleted', () => {
    const r = riskChanges({
      current: [
        rec('R-1', { likelihood: 4 }),
        rec('R-2', { status: 'closed' }),
        rec('R-3', { status: 'treated' }),
        rec('R-4', {}),
      ],
      baseline: [
        { id: 'R-1', title: 'R-1', status: 'assessed', likelihood: 3, impact: 3 },
        { id: 'R-2', title: 'R-2', status: 'assessed', likelihood: 3, impact: 3 },
        { id: 'R-3', title: 'R-3', status: 'assessed', likelihood: 3, impact: 3 },
        { id: 'R-9', title: 'R-9', status: 'assessed', likelihood: 3, impact: 3 },
      ],
      audit: [],
      since,
    })
    expect(r.basis).toBe('baseline')
    expect(r.added.map((x) => x.id)).toEqual(['R-4'])
    expect(r.closed.map((x) => x.id)).toEqual(['R-2'])
    expect(r.rescored.map((x) => [x.id, x.before.likelihood, x.likelihood])).toEqual([['R-1', 3, 4]])
    expect(r.statusChanged.map((x) => [x.id, x.before.status, x.status])).toEqual([
      ['R-3', 'assessed', 'treated'],
    ])
    expect(r.removed.map((x) => x.id)).toEqual(['R-9'])
  })

  it('without a baseline, rebuilds the state at the start from the audit log', () => {
    const r = riskChanges({
      current: [rec('R-1', { likelihood: 5 }), rec('R-2', {}, '2026-02-01T00:00:00.000Z'), rec('R-3', {})],
      audit: [
        {
          at: '2026-03-01T00:00:00.000Z',
          action: 'risk.update',
          type: 'risk',
          id: 'R-1',
          before: { title: 'R-1', status: 'assessed', likelihood: 4, impact: 3 },
        },
        {
          at: '2026-02-01T00:00:00.000Z',
          action: 'risk.update',
          type: 'risk',
          id: 'R-1',
          before: { title: 'R-1', status: 'assessed', likelihood: 2, impact: 3 },
        },
        { at: '2026-02-01T00:00:00.000Z', action: 'risk.create', type: 'risk', id: 'R-2', after: {} },
        {
          at: '2025-12-01T00:00:00.000Z',
          action: 'risk.update',
          type: 'risk',
          id: 'R-3',
          before: { likelihood: 1 },
        },
        { at: '2026-02-02T00:00:00.000Z', action: 'task.create', type: 'task', id: 't' },
      ],
      since,
    })
    expect(r.basis).toBe('audit-log')
    expect(r.auditEntries).toBe(3)
    expect(r.added.map((x) => x.id)).toEqual(['R-2'])
    expect(r.rescored.map((x) => [x.id, x.before.likelihood, x.likelihood])).toEqual([['R-1', 2, 5]])
    const lines = summariseChanges({ since, risks: r })
    expect(lines.map((l) => l.en)).toEqual([
      '1 risk added: R-2 R-2',
      '1 risk re-scored: R-1 R-1 (6 → 15)',
      'This is the first review of this kind: there is nothing to compare with yet.',
    ])
    expect(lines[0].de).toBe('1 Risiko neu: R-2 R-2')
  })

  it('given only the risks changed since (and the register size), takes the others as unchanged, not deleted', () => {
    const baseline = [
      { id: 'R-1', title: 'R-1', status: 'assessed', likelihood: 3, impact: 3 },
      { id: 'R-8', title: 'R-8', status: 'assessed', likelihood: 3, impact: 3 },
      { id: 'R-9', title: 'R-9', status: 'assessed', likelihood: 3, impact: 3 },
    ]
    const deleted = {
      at: '2026-02-01T00:00:00.000Z',
      action: 'risk.delete',
      type: 'risk',
      id: 'R-9',
      before: { title: 'R-9', status: 'assessed', likelihood: 3, impact: 3 },
    }
    const r = riskChanges({
      current: [rec('R-1', { likelihood: 4 }, '2026-01-15T00:00:00.000Z')],
      registerSize: 2,
      baseline,
      audit: [deleted],
      since,
    })
    expect(r.rescored.map((x) => x.id)).toEqual(['R-1'])
    expect(r.removed.map((x) => x.id)).toEqual(['R-9'])
    const fromLog = riskChanges({ current: [], registerSize: 2, audit: [deleted], since })
    expect(fromLog.removed.map((x) => x.id)).toEqual(['R-9'])
    const quiet = riskChanges({ current: [], registerSize: 2, audit: [], since })
    expect(quiet.basis).toBe('audit-log')
    expect(summariseChanges({ since, previousReviewId: 'x', risks: quiet })[0].en).toBe(
      'No risk changed since the last review.',
    )
  })

  it('says so when nothing changed, and when the register is empty', () => {
    const none = riskChanges({ current: [rec('R-1', {})], audit: [], since })
    expect(summariseChanges({ since, previousReviewId: 'x', risks: none })[0].en).toBe(
      'No risk changed since the last review.',
    )
    const empty = riskChanges({ current: [], audit: [], since })
    expect(summariseChanges({ since, previousReviewId: 'x', risks: empty })[0].en).toBe(
      'The risk register is empty.',
    )
  })

  it('diffs the access list: granted, removed, roles changed', () => {
    const a = accessChanges(
      [
        { userId: 'u1', name: 'Ann', roles: ['iso'] },
        { userId: 'u2', name: 'Ben', roles: ['member'] },
      ],
      [
        { userId: 'u1', name: 'Ann', roles: ['iso', 'management'] },
        { userId: 'u3', name: 'Cem', roles: ['auditor'] },
      ],
    )
    expect(a.added.map((x) => x.userId)).toEqual(['u3'])
    expect(a.removed.map((x) => x.userId)).toEqual(['u2'])
    expect(a.roleChanges).toEqual([
      { userId: 'u1', name: 'Ann', roles: ['iso', 'management'], before: ['iso'] },
    ])
    expect(summariseChanges({ since, previousReviewId: 'p', access: a }).map((l) => l.en)).toEqual([
      'Access granted: Cem (auditor)',
      'Access removed: Ben (member)',
      'Roles changed: Ann (iso → iso, management)',
    ])
    expect(accessChanges(undefined, [{ userId: 'u1', roles: ['iso'] }]).added).toHaveLength(1)
  })
})
