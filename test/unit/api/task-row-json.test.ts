import { describe, expect, it } from 'vitest'
import { taskRowJson } from '../../../functions/api/routes/tasks.js'
import { taskRowViewSchema } from '../../../functions/domain/contracts/tasks.js'
import { dueBadge, type Task, taskRow } from '../../../functions/domain/tasks.js'

const NOW = new Date('2026-03-10T12:00:00.000Z')

const task = (over: Partial<Task> = {}): Task => ({
  id: 't-1#odd "id"',
  orgId: 'nordlicht',
  kind: 'approval',
  title: { en: 'Approve "the" change \\ now', de: 'Änderung freigeben ✓' },
  formId: 'approval',
  candidateRole: 'management',
  status: 'open',
  priority: 2,
  dueAt: '2026-03-09T00:00:00.000Z',
  createdAt: '2026-03-01T08:00:00.000Z',
  requestedBy: 'demo-member',
  excludedUserIds: ['demo-member'],
  context: { details: 'only on the task page' },
  workflow: { name: 'approval', executionArn: 'arn:aws:states:x:1:execution:a:b', stateName: 'Decide' },
  delegations: [],
  ...over,
})

/** The row as an entry holds it, answered as `taskRowJson` writes it. */
function answered(t: Task, orgName?: string) {
  const json = JSON.stringify(taskRow(t))
  return taskRowJson(
    { orgId: t.orgId, id: t.id, status: t.status, dueAt: t.dueAt, version: 7, json },
    NOW,
    orgName,
  )
}

/**
 * A row of `GET /api/tasks` is the entry's JSON with the version, organisation's name and badge
 * added as text: the same bytes as serialising the parsed row with them, for every case of what
 * is added (a name or none, a badge or none, text to escape).
 */
describe('taskRowJson', () => {
  const cases: [string, Task, string | undefined][] = [
    ['overdue, in an organisation with a name to escape', task(), 'Nordlicht "GmbH" \\ Co'],
    ['due soon, no name', task({ dueAt: '2026-03-11T00:00:00.000Z' }), undefined],
    ['no due date, no badge', task({ dueAt: undefined }), 'Nordlicht'],
    [
      'completed (no badge), with who completed it',
      task({
        status: 'completed',
        result: {
          answers: { a: 1 },
          completedBy: 'demo-iso',
          completedByName: 'Ines',
          completedAt: NOW.toISOString(),
        },
      }),
      'Nordlicht',
    ],
  ]
  for (const [name, t, orgName] of cases)
    it(name, () => {
      const text = answered(t, orgName)
      const expected = { ...taskRow(t), version: 7, orgName, badge: dueBadge(t, NOW) }
      expect(text).toBe(JSON.stringify(expected))
      const parsed = JSON.parse(text)
      expect(taskRowViewSchema.parse(parsed)).toEqual(parsed)
      expect(parsed.context).toBeUndefined()
      expect(parsed.excludedUserIds).toBeUndefined()
      expect(parsed.result?.answers).toBeUndefined()
    })
})
