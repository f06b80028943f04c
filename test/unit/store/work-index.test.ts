import { describe, expect, it } from 'vitest'
import type { Task } from '../../../functions/domain/tasks.js'
import { taskKeys } from '../../../functions/store/task-index.js'
import { keptKeys } from '../../../functions/store/work-index.js'

const task = (over: Partial<Task> = {}): Task => ({
  id: 't-1',
  orgId: 'nordlicht',
  kind: 'approval',
  title: { en: 'Approve', de: 'Freigeben' },
  formId: 'approval',
  status: 'open',
  priority: 1,
  createdAt: '2026-12-01T00:00:00.000Z',
  excludedUserIds: [],
  context: {},
  workflow: { name: 'approval', executionArn: 'arn', stateName: 'Approve' },
  delegations: [],
  candidateRole: 'management',
  dueAt: '2026-12-10T16:00:00.000Z',
  ...over,
})

describe('work index keys', () => {
  it('lists an unclaimed role task by due time and by role', () => {
    expect(taskKeys('t-1', task())).toEqual([
      'TASKDUE#2026-12-10T16:00:00.000Z#t-1',
      'TASKROLE#management#2026-12-10T16:00:00.000Z#t-1',
    ])
  })

  it('moves a claimed task from the role to the person, and lists a task without due time last', () => {
    expect(
      taskKeys('t-1', task({ status: 'claimed', claimedBy: 'demo-management', dueAt: undefined })),
    ).toEqual(['TASKDUE#9999#t-1', 'TASKUSER#demo-management#9999#t-1'])
    expect(taskKeys('t-1', task({ assigneeUserId: 'demo-member', candidateRole: undefined }))).toEqual([
      'TASKDUE#2026-12-10T16:00:00.000Z#t-1',
      'TASKUSER#demo-member#2026-12-10T16:00:00.000Z#t-1',
    ])
  })

  it('keeps nothing for a task that is no longer open', () => {
    for (const status of ['completing', 'completed', 'cancelled', 'expired'] as const)
      expect(taskKeys('t-1', task({ status }))).toEqual([])
  })

  it('lists open review cycles, open incidents and risks that are not closed by residual cell', () => {
    expect(keptKeys('review', 'rv-1', { status: 'overdue', dueAt: '2026-12-01T00:00:00Z' })).toEqual([
      'REVIEWOPEN#2026-12-01T00:00:00Z#rv-1',
    ])
    expect(keptKeys('review', 'rv-1', { status: 'completed', dueAt: '2026-12-01T00:00:00Z' })).toEqual([])
    expect(keptKeys('incident', 'INC-1', { awareAt: '2026-12-05T08:00:00Z' })).toEqual([
      'INCIDENTOPEN#2026-12-05T08:00:00Z#INC-1',
    ])
    expect(keptKeys('incident', 'INC-1', { awareAt: '2026-12-05T08:00:00Z', closedAt: 'x' })).toEqual([])
    expect(keptKeys('risk', 'R-001', { status: 'assessed', likelihood: 4, impact: 5 })).toEqual([
      'RISKCELL#4#5#R-001',
    ])
    expect(
      keptKeys('risk', 'R-001', {
        status: 'treated',
        likelihood: 4,
        impact: 5,
        residualLikelihood: 2,
        residualImpact: 3,
      }),
    ).toEqual(['RISKCELL#2#3#R-001'])
    expect(keptKeys('risk', 'R-001', { status: 'closed', likelihood: 4, impact: 5 })).toEqual([])
    expect(keptKeys('cert-project', 'cp-1', { title: 'x' })).toEqual([])
  })
})
