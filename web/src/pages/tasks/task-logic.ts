/**
 * The decisions of the inbox and the task page that need no browser: which views and
 * filters the URL asks for, what a person may do with a task, who can take it over.
 * Pure, unit-tested (test/unit/web/task-logic.test.ts).
 */
import type { Person } from '../../../../functions/domain/contracts/people.js'
import type { TaskRowView, TaskView } from '../../../../functions/domain/contracts/tasks.js'

/**
 * A task as `GET /api/tasks/:id` answers it, a row of the inbox as `GET /api/tasks` does, and a
 * member as `GET /api/workflows/people` does (the API's contracts).
 */
export type { Person, TaskRowView, TaskView }

/** The inbox views; `waiting` (the default): assigned to me and unclaimed for my roles. */
export const INBOX_VIEWS = ['waiting', 'mine', 'unclaimed', 'completed'] as const
export type InboxViewName = (typeof INBOX_VIEWS)[number]

/** What the inbox URL asks for. */
export interface InboxQuery {
  view: InboxViewName
  kind?: string
  workflow?: string
  due?: 'overdue' | 'due-soon'
  /** `all`: every organisation of the person. */
  scope: 'org' | 'all'
}

/** Reads the inbox query from a URL search part; unknown values fall back to the defaults. */
export function inboxQuery(search: string): InboxQuery {
  const p = new URLSearchParams(search)
  const view = p.get('view')
  const due = p.get('due')
  return {
    view: INBOX_VIEWS.find((v) => v === view) ?? 'waiting',
    kind: p.get('kind') || undefined,
    workflow: p.get('workflow') || undefined,
    due: due === 'overdue' || due === 'due-soon' ? due : undefined,
    scope: p.get('scope') === 'all' ? 'all' : 'org',
  }
}

/** The inbox URL of a query (defaults left out). */
export function inboxHref(q: InboxQuery): string {
  const p = new URLSearchParams()
  if (q.view !== 'waiting') p.set('view', q.view)
  if (q.kind) p.set('kind', q.kind)
  if (q.workflow) p.set('workflow', q.workflow)
  if (q.due) p.set('due', q.due)
  if (q.scope === 'all') p.set('scope', 'all')
  const s = p.toString()
  return s ? `/?${s}` : '/'
}

/** The API path for a query (`filters: false` leaves kind, workflow and due out, for the filter options). */
export function tasksApiPath(q: InboxQuery, filters = true): string {
  const p = new URLSearchParams({ view: q.view, scope: q.scope, limit: '200' })
  if (filters) {
    if (q.kind) p.set('kind', q.kind)
    if (q.workflow) p.set('workflow', q.workflow)
    if (q.due) p.set('due', q.due)
  }
  return `/api/tasks?${p}`
}

/** Whether the query is the plain default view (what the navigation's count counts). */
export const isDefaultView = (q: InboxQuery) => q.view === 'waiting' && q.scope === 'org' && !hasFilters(q)

/** Whether any filter is set. */
export const hasFilters = (q: InboxQuery) => Boolean(q.kind || q.workflow || q.due)

/** Priority in words: 0 low, 1–4 normal, 5 and more high. */
export function priorityLevel(priority: number): 'low' | 'normal' | 'high' {
  if (priority >= 5) return 'high'
  return priority <= 0 ? 'low' : 'normal'
}

/** The execution id of the workflow page (`/workflows/<id>`) from an execution ARN. */
export const executionIdOf = (executionArn: string) => executionArn.split(':').slice(-2).join(':')

/** Whether a task can still be worked on. */
export const isOpenTask = (t: Pick<TaskView, 'status'>) => t.status === 'open' || t.status === 'claimed'

/** What the task page offers a person. */
export type WorkMode = 'closed' | 'four-eyes' | 'read-only' | 'claim' | 'work'

/**
 * The task page's mode: a closed task is shown as a record; a decision the person requested
 * (or decided earlier) is read-only under four-eyes; someone who may not work on it reads;
 * an unclaimed role task is claimed first; otherwise the form.
 */
export function workMode(
  task: TaskView,
  userId: string,
  options: { mayWork: boolean; isDecision: boolean },
): WorkMode {
  if (!isOpenTask(task)) return 'closed'
  if (options.isDecision && (task.requestedBy === userId || task.excludedUserIds.includes(userId)))
    return 'four-eyes'
  if (!options.mayWork) return 'read-only'
  if (!task.assigneeUserId && !task.claimedBy) return 'claim'
  return 'work'
}

/**
 * People the task can be handed to: members other than the person, with the task's role
 * when it has one, never auditors only, and for decisions never the requester or an
 * earlier decider (they could not decide).
 */
export function delegateCandidates(
  task: TaskView,
  people: Person[],
  userId: string,
  isDecision: boolean,
): Person[] {
  return people.filter((p) => {
    if (p.userId === userId) return false
    if (task.candidateRole && !p.roles.includes(task.candidateRole)) return false
    if (p.roles.every((r) => r === 'auditor')) return false
    if (isDecision && (p.userId === task.requestedBy || task.excludedUserIds.includes(p.userId))) return false
    return true
  })
}

/** Which message explains that a task cannot be worked on any more (after a 409 or on opening it). */
export function closedReason(
  task: Pick<TaskView, 'status'>,
): 'completed' | 'expired' | 'completing' | 'not-open' | undefined {
  if (task.status === 'completed') return 'completed'
  if (task.status === 'expired') return 'expired'
  if (task.status === 'completing') return 'completing'
  if (task.status === 'cancelled') return 'not-open'
  return undefined
}

/** Whether a 403 from completing is the four-eyes rule (the server's message says so). */
export const isFourEyesRefusal = (message: string) => /four-eyes/i.test(message)

/** A context key in words when no label is known: `riskOwnerName` → `Risk owner name`. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
