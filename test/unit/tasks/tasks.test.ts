import { describe, expect, it } from 'vitest'
import {
  assertFourEyes,
  compareTasks,
  dueBadge,
  inView,
  mayWork,
  type Task,
} from '../../../functions/domain/tasks.js'
import { buildGraph, plainHistory, visitedStates } from '../../../functions/domain/workflow-view.js'

const task = (over: Partial<Task> = {}): Task => ({
  id: 't1',
  orgId: 'acme',
  kind: 'approval',
  title: { en: 'Approve', de: 'Freigeben' },
  formId: 'approval',
  status: 'open',
  priority: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  excludedUserIds: [],
  context: {},
  workflow: { name: 'risk-treatment', executionArn: 'arn:x', stateName: 'Approve' },
  delegations: [],
  ...over,
})

describe('human task rules', () => {
  it('lets role members work an unclaimed role task, and only the claimer once claimed', () => {
    const t = task({ candidateRole: 'management' })
    expect(mayWork(t, { userId: 'm1', roles: ['management'] })).toBe(true)
    expect(mayWork(t, { userId: 'x', roles: ['member'] })).toBe(false)
    const claimed = task({ candidateRole: 'management', claimedBy: 'm1', status: 'claimed' })
    expect(mayWork(claimed, { userId: 'm2', roles: ['management'] })).toBe(false)
  })

  it('enforces four-eyes for the requester and earlier approvers', () => {
    const t = task({ requestedBy: 'iso1', excludedUserIds: ['m-earlier'] })
    expect(() => assertFourEyes(t, 'iso1')).toThrow(/Four-eyes/)
    expect(() => assertFourEyes(t, 'm-earlier')).toThrow(/Four-eyes/)
    expect(() => assertFourEyes(t, 'm2')).not.toThrow()
  })

  it('orders by due date, then priority, then creation; undated last', () => {
    const a = task({ id: 'a', dueAt: '2026-02-01T00:00:00Z' })
    const b = task({ id: 'b', dueAt: '2026-01-15T00:00:00Z', priority: 0 })
    const c = task({ id: 'c', dueAt: '2026-01-15T00:00:00Z', priority: 5 })
    const d = task({ id: 'd' })
    expect([a, b, c, d].sort(compareTasks).map((t) => t.id)).toEqual(['c', 'b', 'a', 'd'])
  })

  it('badges overdue and due-soon open tasks only', () => {
    const now = new Date('2026-01-10T00:00:00Z')
    expect(dueBadge({ dueAt: '2026-01-09T00:00:00Z', status: 'open' }, now)).toBe('overdue')
    expect(dueBadge({ dueAt: '2026-01-12T00:00:00Z', status: 'open' }, now)).toBe('due-soon')
    expect(dueBadge({ dueAt: '2026-01-30T00:00:00Z', status: 'open' }, now)).toBeUndefined()
    expect(dueBadge({ dueAt: '2026-01-09T00:00:00Z', status: 'completed' }, now)).toBeUndefined()
  })

  it('sorts tasks into inbox views', () => {
    const me = { userId: 'u1', roles: ['member'] }
    expect(inView(task({ assigneeUserId: 'u1' }), 'mine', me)).toBe(true)
    expect(inView(task({ candidateRole: 'member' }), 'unclaimed', me)).toBe(true)
    expect(inView(task({ candidateRole: 'management' }), 'unclaimed', me)).toBe(false)
    expect(
      inView(
        task({
          status: 'completed',
          assigneeUserId: 'u1',
          result: { answers: {}, completedBy: 'u1', completedAt: 'x' },
        }),
        'completed',
        me,
      ),
    ).toBe(true)
  })
})

describe('workflow view', () => {
  const def = {
    StartAt: 'Submit',
    States: {
      Submit: { Type: 'Task', Next: 'Decide' },
      Decide: { Type: 'Choice', Choices: [{ Next: 'Done' }], Default: 'Submit' },
      Done: { Type: 'Succeed' },
    },
  }
  const events = [
    { id: 1, type: 'ExecutionStarted', timestamp: '2026-01-01T10:00:00Z' },
    {
      id: 2,
      type: 'TaskStateEntered',
      timestamp: '2026-01-01T10:00:01Z',
      stateEnteredEventDetails: { name: 'Submit' },
    },
    {
      id: 3,
      type: 'TaskStateExited',
      timestamp: '2026-01-01T11:00:00Z',
      stateExitedEventDetails: { name: 'Submit' },
    },
    {
      id: 4,
      type: 'ChoiceStateEntered',
      timestamp: '2026-01-01T11:00:00Z',
      stateEnteredEventDetails: { name: 'Decide' },
    },
  ]

  it('marks past and current states on the graph', () => {
    const g = buildGraph(def, visitedStates(events))
    expect(g.nodes.map((n) => [n.id, n.status])).toEqual([
      ['Submit', 'done'],
      ['Decide', 'current'],
      ['Done', 'pending'],
    ])
    expect(g.edges).toContainEqual({ from: 'Decide', to: 'Submit', label: 'default' })
  })

  it('tells the history in plain words with the people behind tasks, in both languages', () => {
    const lines = plainHistory(events, [
      {
        stateName: 'Submit',
        title: { en: 'Submit plan', de: 'Plan einreichen' },
        status: 'completed',
        completedByName: 'Ida Iso',
        completedAt: '2026-01-01T11:00:00Z',
        createdAt: '2026-01-01T10:00:01Z',
      },
    ])
    expect(lines.map((l) => l.text.en)).toEqual([
      'The workflow started.',
      'Task opened: Submit plan.',
      'Ida Iso completed “Submit plan”.',
    ])
    expect(lines[2].text.de).toContain('Ida Iso hat „Plan einreichen“ erledigt.')
  })
})

describe('reminders', async () => {
  const { dueReminders } = await import('../../../functions/domain/reminders.js')
  const now = new Date('2026-03-10T08:00:00Z')
  it('reminds before, on and after the due day, each once by key, and never for closed tasks', () => {
    const r = dueReminders(
      [
        task({ id: 'soon', dueAt: '2026-03-12T17:00:00Z', candidateRole: 'management' }),
        task({ id: 'today', dueAt: '2026-03-10T17:00:00Z', assigneeUserId: 'u1' }),
        task({ id: 'late', dueAt: '2026-03-01T17:00:00Z', assigneeUserId: 'u1' }),
        task({ id: 'far', dueAt: '2026-04-01T17:00:00Z' }),
        task({ id: 'done', dueAt: '2026-03-01T17:00:00Z', status: 'completed' }),
      ],
      now,
    )
    expect(r.map((x) => [x.taskId, x.kind])).toEqual([
      ['soon', 'reminder'],
      ['today', 'due-today'],
      ['late', 'overdue'],
    ])
    expect(r[0].to).toEqual({ role: 'management' })
    expect(new Set(r.map((x) => x.dedupKey)).size).toBe(3)
    expect(r[2].subject.de).toMatch(/^Überfällig/)
  })

  it('says "due tomorrow" the day before, in English and German, under its own key', () => {
    const [tomorrow] = dueReminders([task({ id: 'tmrw', dueAt: '2026-03-11T17:00:00Z' })], now)
    expect(tomorrow).toMatchObject({
      kind: 'reminder',
      dedupKey: 'acme:tmrw:due-tomorrow',
      subject: { en: 'Due tomorrow: Approve', de: 'Morgen fällig: Freigeben' },
    })
    // Three days before, the earlier reminder has its own key: both go out, each once.
    const [early] = dueReminders(
      [task({ id: 'tmrw', dueAt: '2026-03-11T17:00:00Z' })],
      new Date('2026-03-08T20:00:00Z'),
    )
    expect(early.dedupKey).toBe('acme:tmrw:before-3')
  })
})
