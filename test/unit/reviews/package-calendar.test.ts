import { describe, expect, it } from 'vitest'
import { mergeCalendarItems } from '../../../functions/domain/calendar/index.js'
import {
  buildManagementPackage,
  calendarItemsFor,
  type PackageSources,
  type ReviewCycle,
  type ReviewEntry,
  resolveEntry,
} from '../../../functions/domain/reviews/index.js'
import { parseReviewTemplates } from '../../../functions/domain/schedules/index.js'
import type { Task } from '../../../functions/domain/tasks.js'
import templatesJson from '../../../workflows/reviews/templates.json' with { type: 'json' }

const now = new Date('2026-11-28T10:00:00Z')
const templates = parseReviewTemplates(templatesJson)
const entry = (kind: string): ReviewEntry =>
  resolveEntry(
    { kind },
    {
      templates,
      formExists: () => true,
      members: new Map(),
      others: [],
      now: new Date('2026-01-05T00:00:00Z'),
    },
  )

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

const empty: PackageSources = {
  now,
  since: '2025-11-28T10:00:00.000Z',
  reviews: [],
  obligationDecisions: [],
  nonconformities: [],
  projects: [],
  risks: [],
  objectives: [],
  tasks: [],
}

describe('management review package (9.3.2)', () => {
  it('shows the management duties of § 38 BSIG: the measure approval, each training, the registration', () => {
    const rec = (id: string, data: unknown) => ({
      id,
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
      data,
    })
    const p = buildManagementPackage({
      ...empty,
      measureApprovals: [rec('a1', { hash: 'h1', requestedAt: '2026-10-01T08:00:00.000Z', items: [{}, {}] })],
      tasks: [
        {
          kind: 'approval',
          status: 'completed',
          title: { en: 'Approve', de: 'Billigen' },
          context: { measureSetHash: 'h1' },
          result: {
            answers: { decision: { outcome: 'approve' } },
            completedByName: 'Martin Brandt',
            completedAt: '2026-10-03T09:00:00.000Z',
          },
        },
      ],
      trainings: [
        rec('m1', {
          name: 'Martin Brandt',
          lastTrainingOn: '2025-11-01',
          nextDueOn: '2026-11-01',
          certificate: { fileId: 'ef-1' },
        }),
      ],
      registration: [
        rec('bsi', {
          status: 'registered',
          submissions: [{ submittedOn: '2025-02-01', reference: 'BSI-1' }],
        }),
      ],
    })
    const s = p.sections.find((x) => x.id === 'management-duties')
    expect(s?.counts).toEqual({ measuresApproved: 1, trainings: 1, trainingsOverdue: 1 })
    expect(s?.lines.map((l) => l.de)).toEqual([
      'Risikomanagementmaßnahmen (§ 30 BSIG, 2) gebilligt von Martin Brandt am 2026-10-03 (§ 38 Abs. 1 BSIG).',
      'Martin Brandt: geschult am 2025-11-01, nächste Schulung überfällig seit 2026-11-01; Bescheinigung liegt vor (§ 38 Abs. 3 BSIG).',
      'Beim BSI registriert am 2025-02-01 (Referenz BSI-1) (§ 33 BSIG).',
    ])
  })

  it('has every required input and says "no data yet" for each empty source', () => {
    const p = buildManagementPackage(empty)
    expect(p.sections.map((s) => [s.clause, s.empty])).toEqual([
      ['9.3.2 a)', true],
      ['9.3.2 b)', true],
      ['9.3.2 c), e)', true],
      ['9.3.2 d) trends', true],
      ['9.3.2 d) 1', true],
      ['9.3.2 d) 2', true],
      ['9.3.2 d) 3', true],
      ['9.3.2 d) 4', true],
      ['9.3.2 f)', true],
      ['9.3.2 d)', true],
      ['§ 38 BSIG', true],
      ['9.3.2 g)', true],
    ])
    for (const s of p.sections) {
      expect(s.lines[0].en).toMatch(/^No data yet/)
      expect(s.lines[0].de).toMatch(/^Noch keine Daten/)
    }
  })

  it('reports actions, obligation decisions, nonconformities, the programme, audits, risks and improvements from records', () => {
    const rec = (id: string, data: unknown, updatedAt = '2026-09-01T00:00:00.000Z') => ({
      id,
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt,
      data,
    })
    const p = buildManagementPackage({
      ...empty,
      reviews: [
        {
          id: 'risk-review_1',
          data: cycle({
            completedAt: '2026-07-20T00:00:00.000Z',
            answers: { outcome: 'changes-needed', improvements: 'Segment the OT network' },
            actions: [
              {
                id: 'a1',
                title: 'Patch VPN',
                assignee: { role: 'iso' },
                dueAt: '2026-08-01T00:00:00.000Z',
                status: 'open',
              },
              {
                id: 'a2',
                title: 'Train staff',
                assignee: { role: 'iso' },
                dueAt: '2026-12-01T00:00:00.000Z',
                status: 'done',
              },
            ],
            overdue: { at: '2026-07-31T07:00:00.000Z' },
          }),
        },
        {
          id: 'management-review_1',
          data: cycle({
            entryId: 'management-review',
            kind: 'management-review',
            title: { en: 'Management review', de: 'Managementbewertung' },
            scheduledAt: '2026-03-01T07:00:00.000Z',
            completedAt: '2026-03-10T00:00:00.000Z',
            actions: [
              {
                id: 'm1',
                title: 'Budget for the SIEM',
                assignee: { role: 'management' },
                dueAt: '2026-06-30T00:00:00.000Z',
                status: 'open',
              },
            ],
          }),
        },
        {
          id: 'supplier_1',
          data: cycle({
            kind: 'supplier-review',
            title: { en: 'Supplier review', de: 'Lieferantenbewertung' },
            status: 'missed',
          }),
        },
      ],
      obligationDecisions: [
        rec('nis2', { title: 'NIS2: important entity' }),
        rec('old', { title: 'Old' }, '2025-01-01T00:00:00.000Z'),
      ],
      nonconformities: [
        rec('p#nc1', { title: 'No access review evidence', severity: 'major', status: 'open' }),
        rec('p#nc2', { title: 'x', severity: 'minor', closure: { at: '2026-10-01' } }),
      ],
      projects: [
        rec('iso', {
          title: 'ISO 27001 certification',
          auditDate: '2027-03-15',
          audits: { 'stage-1': { heldOn: '2026-10-10', outcome: 'passed with 2 findings' } },
        }),
      ],
      risks: [
        rec('R-1', {
          title: 'Ransomware',
          status: 'approved',
          likelihood: 4,
          impact: 5,
          measureProgress: { m1: { status: 'done' }, m2: { status: 'open' } },
          acceptance: { status: 'active', expiresOn: '2027-06-30' },
        }),
      ],
      tasks: [
        { kind: 'approval', status: 'open', dueAt: '2026-11-01T00:00:00.000Z', title: { en: 'x', de: 'x' } },
      ],
    })
    const by = Object.fromEntries(p.sections.map((s) => [s.id, s]))
    // 9.3.2 a) reads the actions of earlier *management reviews* only, not the risk review's.
    expect(by['previous-actions'].counts).toEqual({ total: 1, open: 1, overdue: 1 })
    expect(by['previous-actions'].lines.map((l) => l.en)).toEqual([
      '1 action from earlier management reviews: 0 done, 1 open (1 overdue).',
      'Open: Budget for the SIEM (from Management review, 2026-03-01; due 2026-06-30)',
    ])
    // 9.3.2 d) trends: this period (since the last management review) against the one before.
    expect(by.trends.empty).toBe(false)
    expect(by.trends.lines.map((l) => l.en)).toContain(
      'Nonconformities raised: 2 this period, 0 in the period before: ↑ up (worse).',
    )
    expect(by.issues.counts).toEqual({ decisions: 2, changed: 1 })
    expect(by.issues.lines.map((l) => l.en)).toContain('NIS2: important entity (2026-09-01)')
    expect(by.nonconformities.counts).toEqual({ open: 1, major: 1, closedSince: 1 })
    expect(by.monitoring.counts).toEqual({ completed: 2, late: 1, missed: 1, overdueTasks: 1 })
    expect(by.audits.lines.map((l) => l.en)).toEqual([
      'ISO 27001 certification: stage-1 2026-10-10 (passed with 2 findings)',
      'ISO 27001 certification: audit planned for 2027-03-15',
    ])
    expect(by.risks.counts).toEqual({ total: 1, open: 1, measures: 2, measuresDone: 1 })
    expect(by.risks.lines.map((l) => l.en)).toContain('Accepted: R-1 Ransomware until 2027-06-30')
    expect(by.improvement.lines[0].en).toBe('Risk review (2026-07-20): Segment the OT network')
    expect(by.objectives.empty).toBe(true)
  })
})

describe('calendar items of one organisation', () => {
  const task = (over: Partial<Task>): Task => ({
    id: 't1',
    orgId: 'acme',
    kind: 'approval',
    title: { en: 'Approve', de: 'Freigeben' },
    formId: 'approval',
    status: 'open',
    priority: 1,
    createdAt: '2026-11-01T00:00:00.000Z',
    excludedUserIds: [],
    context: {},
    workflow: { name: 'w', executionArn: 'a', stateName: 's' },
    delegations: [],
    candidateRole: 'management',
    dueAt: '2026-12-05T10:00:00.000Z',
    ...over,
  })
  const base = {
    orgId: 'acme',
    orgName: 'Acme',
    now,
    from: '2026-11-21',
    to: '2027-02-28',
    zone: 'Europe/Berlin',
    projects: [],
    templates: {},
  }

  it('shows planned occurrences, replaces a started one by its cycle, and hides what the viewer may not see', () => {
    const items = calendarItemsFor({
      ...base,
      viewer: { userId: 'm1', roles: ['member'] },
      entries: [{ id: 'risk-review', data: entry('risk-review') }],
      reviews: [
        {
          id: 'risk-review_20270101T0800Z',
          data: cycle({
            status: 'open',
            scheduledAt: '2027-01-01T08:00:00.000Z',
            dueAt: '2026-11-27T00:00:00.000Z',
          }),
        },
      ],
      tasks: [
        task({}),
        task({
          id: 't2',
          assigneeUserId: 'm1',
          candidateRole: undefined,
          title: { en: 'Mine', de: 'Meins' },
        }),
        task({ id: 't3', kind: 'review', assigneeUserId: 'm1', candidateRole: undefined }),
      ],
      risks: [
        {
          id: 'R-1',
          createdAt: '',
          updatedAt: '',
          data: { title: 'A', ownerId: 'm1', acceptance: { status: 'active', expiresOn: '2027-01-31' } },
        },
        {
          id: 'R-2',
          createdAt: '',
          updatedAt: '',
          data: { title: 'B', ownerId: 'x', acceptance: { status: 'active', expiresOn: '2027-01-31' } },
        },
      ],
    })
    const merged = mergeCalendarItems([items], { from: base.from, to: base.to })
    expect(merged.map((i) => [i.kind, i.id, i.status, i.due])).toEqual([
      // Due dates of reviews and tasks are days (all-day), in the organisation's time zone.
      ['review', 'risk-review_20270101T0800Z', 'overdue', '2026-11-27'],
      ['task', 't2', 'open', '2026-12-05'],
      ['acceptance-expiry', 'R-1', 'open', '2027-01-31'],
    ])
    expect(merged[0].url).toBe('/reviews/risk-review_20270101T0800Z')
  })

  it('lists planned reviews from now on with the review page link', () => {
    const items = calendarItemsFor({
      ...base,
      viewer: { userId: 'i1', roles: ['iso'] },
      entries: [
        { id: 'risk-review', data: entry('risk-review') },
        { id: 'off', data: { ...entry('policy-review'), enabled: false } },
      ],
      reviews: [],
      tasks: [],
      risks: [],
    })
    expect(items.map((i) => [i.id, i.status, i.url])).toEqual([
      ['risk-review_20270101T0800Z', 'planned', '/reviews/programme/risk-review'],
    ])
  })
})
