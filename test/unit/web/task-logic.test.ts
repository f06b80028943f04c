import { describe, expect, it } from 'vitest'
import {
  closedReason,
  delegateCandidates,
  executionIdOf,
  humanize,
  inboxHref,
  inboxQuery,
  priorityLevel,
  type TaskView,
  tasksApiPath,
  workMode,
} from '../../../web/src/pages/tasks/task-logic.js'
import { startBody, startProblems } from '../../../web/src/pages/workflows/start-logic.js'

const task = (over: Partial<TaskView> = {}): TaskView => ({
  id: 't-1',
  orgId: 'nordlicht',
  kind: 'approval',
  title: { en: 'Approve', de: 'Freigeben' },
  formId: 'approval',
  candidateRole: 'management',
  status: 'open',
  priority: 2,
  createdAt: '2025-01-01T00:00:00Z',
  requestedBy: 'iso',
  excludedUserIds: [],
  context: {},
  workflow: {
    name: 'ismsflow-approval',
    executionArn: 'arn:aws:states:eu-central-1:1:execution:ismsflow-approval:x-1',
    stateName: 'Approve',
  },
  delegations: [],
  version: 1,
  ...over,
})

describe('inbox query', () => {
  it('reads the view, filters and scope from the URL and writes them back without defaults', () => {
    const q = inboxQuery('?view=unclaimed&kind=approval&due=overdue&scope=all')
    expect(q).toEqual({
      view: 'unclaimed',
      kind: 'approval',
      workflow: undefined,
      due: 'overdue',
      scope: 'all',
    })
    expect(inboxHref(q)).toBe('/?view=unclaimed&kind=approval&due=overdue&scope=all')
    expect(inboxHref(inboxQuery(''))).toBe('/')
  })

  it('falls back to the defaults for unknown values', () => {
    expect(inboxQuery('?view=everything&due=tomorrow&scope=world')).toEqual({
      view: 'waiting',
      kind: undefined,
      workflow: undefined,
      due: undefined,
      scope: 'org',
    })
  })

  it('asks the API with or without the filters (for the filter options)', () => {
    const q = inboxQuery('?view=mine&kind=approval&workflow=ismsflow-approval')
    expect(tasksApiPath(q)).toBe(
      '/api/tasks?view=mine&scope=org&limit=200&kind=approval&workflow=ismsflow-approval',
    )
    expect(tasksApiPath(q, false)).toBe('/api/tasks?view=mine&scope=org&limit=200')
  })
})

describe('task page mode', () => {
  it('closes finished tasks, blocks the requester of a decision, lets others read, asks role members to claim', () => {
    expect(workMode(task({ status: 'completed' }), 'boss', { mayWork: true, isDecision: true })).toBe(
      'closed',
    )
    expect(workMode(task({ status: 'expired' }), 'boss', { mayWork: true, isDecision: true })).toBe('closed')
    expect(workMode(task(), 'iso', { mayWork: true, isDecision: true })).toBe('four-eyes')
    expect(workMode(task({ excludedUserIds: ['boss'] }), 'boss', { mayWork: true, isDecision: true })).toBe(
      'four-eyes',
    )
    // Not a decision: the requester may work on it (a revision goes back to them).
    expect(
      workMode(task({ assigneeUserId: 'iso', candidateRole: undefined }), 'iso', {
        mayWork: true,
        isDecision: false,
      }),
    ).toBe('work')
    expect(workMode(task(), 'member', { mayWork: false, isDecision: true })).toBe('read-only')
    expect(workMode(task(), 'boss', { mayWork: true, isDecision: true })).toBe('claim')
    expect(
      workMode(task({ status: 'claimed', claimedBy: 'boss' }), 'boss', { mayWork: true, isDecision: true }),
    ).toBe('work')
  })

  it('offers delegation only to members who could do it', () => {
    const people = [
      { userId: 'boss', name: 'Boss', roles: ['management'] },
      { userId: 'boss2', name: 'Deputy', roles: ['management'] },
      { userId: 'iso', name: 'Iso', roles: ['iso', 'management'] },
      { userId: 'mia', name: 'Mia', roles: ['member'] },
      { userId: 'aud', name: 'Auditor', roles: ['auditor'] },
    ]
    expect(delegateCandidates(task(), people, 'boss', true).map((p) => p.userId)).toEqual(['boss2'])
    expect(delegateCandidates(task(), people, 'boss', false).map((p) => p.userId)).toEqual(['boss2', 'iso'])
    expect(
      delegateCandidates(task({ candidateRole: undefined, assigneeUserId: 'mia' }), people, 'mia', false).map(
        (p) => p.userId,
      ),
    ).toEqual(['boss', 'boss2', 'iso'])
  })

  it('names why a task is closed', () => {
    expect(closedReason(task({ status: 'completed' }))).toBe('completed')
    expect(closedReason(task({ status: 'expired' }))).toBe('expired')
    expect(closedReason(task({ status: 'cancelled' }))).toBe('not-open')
    expect(closedReason(task({ status: 'completing' }))).toBe('completing')
    expect(closedReason(task())).toBeUndefined()
  })

  it('derives words and ids', () => {
    expect(priorityLevel(0)).toBe('low')
    expect(priorityLevel(2)).toBe('normal')
    expect(priorityLevel(9)).toBe('high')
    expect(executionIdOf(task().workflow.executionArn)).toBe('ismsflow-approval:x-1')
    expect(humanize('riskOwnerName')).toBe('Risk owner name')
    expect(humanize('due_in-days')).toBe('Due in days')
  })
})

describe('start form', () => {
  const empty = {
    type: '',
    titleEn: '',
    titleDe: '',
    formId: '',
    assignee: '',
    dueDate: '',
    reference: '',
    details: '',
  } as const

  it('names every missing field; a questionnaire needs a form and an assignee', () => {
    expect(startProblems({ ...empty }, '2025-03-01').map((p) => p.field)).toEqual([
      'type',
      'titleEn',
      'dueDate',
    ])
    expect(
      startProblems(
        { ...empty, type: 'questionnaire', titleEn: 'x', dueDate: '2025-03-02' },
        '2025-03-01',
      ).map((p) => p.field),
    ).toEqual(['formId', 'assignee'])
  })

  it('wants a due date after today and within a year', () => {
    const f = { ...empty, type: 'approval' as const, titleEn: 'x' }
    expect(startProblems({ ...f, dueDate: '2025-03-01' }, '2025-03-01')[0].key).toBe(
      'workflows.start.dueDatePast',
    )
    expect(startProblems({ ...f, dueDate: '2026-03-02' }, '2025-03-01')[0].key).toBe(
      'workflows.start.dueDateFar',
    )
    expect(startProblems({ ...f, dueDate: '2026-03-01' }, '2025-03-01')).toEqual([])
  })

  it('builds the request body', () => {
    expect(
      startBody({
        ...empty,
        type: 'questionnaire',
        titleEn: ' Supplier ',
        formId: 'supplier-security',
        assignee: 'user:demo-member',
        dueDate: '2025-04-01',
      }),
    ).toEqual({
      type: 'questionnaire',
      title: { en: 'Supplier' },
      formId: 'supplier-security',
      assignee: { userId: 'demo-member' },
      dueDate: '2025-04-01',
    })
    expect(
      startBody({
        ...empty,
        type: 'approval',
        titleEn: 'A',
        titleDe: 'B',
        dueDate: '2025-04-01',
        reference: 'R-1',
        details: ' why ',
        assignee: 'role:member',
      }),
    ).toEqual({
      type: 'approval',
      title: { en: 'A', de: 'B' },
      dueDate: '2025-04-01',
      reference: 'R-1',
      details: 'why',
    })
  })
})
