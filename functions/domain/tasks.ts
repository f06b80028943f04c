/**
 * Human tasks: the rules that do not need a store. A task is created by a workflow step
 * (holding the engine's task token server-side), shown in inboxes, claimed, drafted and
 * completed once. See DESIGN.md "Workflows and people".
 */
import { forbidden } from './errors.js'

export type Localized = { en: string; de: string }

export const TASK_STATUSES = ['open', 'claimed', 'completing', 'completed', 'cancelled', 'expired'] as const
export type TaskStatus = (typeof TASK_STATUSES)[number]

export const TASK_ROLES = ['iso', 'management', 'member', 'auditor'] as const
export type TaskRole = (typeof TASK_ROLES)[number]

/** What the inbox shows and the API returns (never the token). */
export interface Task {
  id: string
  orgId: string
  kind: string
  title: Localized
  description?: Localized
  formId: string
  formVersion?: number
  /** A named person, or a role whose members may claim it. */
  assigneeUserId?: string
  candidateRole?: TaskRole
  claimedBy?: string
  status: TaskStatus
  priority: number
  dueAt?: string
  createdAt: string
  requestedBy?: string
  /** People who may not decide (four-eyes: the requester, earlier approvers). */
  excludedUserIds: string[]
  /** What the task is about, shown in the context panel (e.g. a risk snapshot). */
  context: Record<string, unknown>
  /** Answers to pre-fill (e.g. from the previous cycle). */
  prefill?: Record<string, unknown>
  draft?: { answers: Record<string, unknown>; savedAt: string; savedBy: string }
  workflow: { name: string; executionArn: string; stateName: string }
  /** Delegation: who handed the task on, to whom. */
  delegations: { from: string; to: string; at: string }[]
  result?: {
    answers: Record<string, unknown>
    computed?: Record<string, unknown>
    formVersion?: number
    completedBy: string
    completedByName?: string
    completedAt: string
    onBehalfOf?: string
  }
  closedReason?: string
  /**
   * While `completing`: the result being sent back and the status to return to, so a task
   * left here by a crash can be recovered (see `recoverCompletingTasks`).
   */
  pending?: { result: NonNullable<Task['result']>; reopenAs: 'open' | 'claimed' }
  /** Link back to the business record (risk, project, review) for pages and the calendar. */
  subject?: { type: string; id: string; title?: string }
}

/**
 * A task as a row of the inbox list shows it: what identifies, orders, labels and places it
 * (title, kind, status, due date, priority, who holds it, its workflow and subject, who completed
 * it and when), without what only the task's own page reads (context, prefill, draft, answers,
 * delegations, four-eyes list). The inbox's index keeps this per entry, so a page of 50 rows
 * reads, moves and answers a few hundred bytes per task instead of the whole task.
 */
export type TaskRow = Pick<
  Task,
  | 'id'
  | 'orgId'
  | 'kind'
  | 'title'
  | 'formId'
  | 'assigneeUserId'
  | 'candidateRole'
  | 'claimedBy'
  | 'status'
  | 'priority'
  | 'dueAt'
  | 'createdAt'
  | 'requestedBy'
  | 'workflow'
  | 'closedReason'
  | 'subject'
> & {
  result?: Pick<NonNullable<Task['result']>, 'completedBy' | 'completedByName' | 'completedAt' | 'onBehalfOf'>
}

/** The row of a task (`TaskRow`); a field the task lacks is undefined (left out of its JSON). */
export function taskRow(t: Task): TaskRow {
  const r = t.result
  return {
    id: t.id,
    orgId: t.orgId,
    kind: t.kind,
    title: t.title,
    formId: t.formId,
    assigneeUserId: t.assigneeUserId,
    candidateRole: t.candidateRole,
    claimedBy: t.claimedBy,
    status: t.status,
    priority: t.priority,
    dueAt: t.dueAt,
    createdAt: t.createdAt,
    requestedBy: t.requestedBy,
    workflow: t.workflow,
    result: r && {
      completedBy: r.completedBy,
      completedByName: r.completedByName,
      completedAt: r.completedAt,
      onBehalfOf: r.onBehalfOf,
    },
    closedReason: t.closedReason,
    subject: t.subject,
  }
}

/** Statuses in which the task can still be worked on. */
export const isOpen = (t: Pick<Task, 'status'>) => t.status === 'open' || t.status === 'claimed'

/** Whether a person (with roles in the task's org) may see and act on a task. */
export function mayWork(task: Task, user: { userId: string; roles: readonly string[] }): boolean {
  if (task.assigneeUserId) return task.assigneeUserId === user.userId || task.claimedBy === user.userId
  if (task.claimedBy) return task.claimedBy === user.userId
  return task.candidateRole !== undefined && user.roles.includes(task.candidateRole)
}

/** Whether a person may see a task at all (workers, the ISO and management see all of their org; auditors read). */
export function mayView(task: Task, user: { userId: string; roles: readonly string[] }): boolean {
  return (
    mayWork(task, user) ||
    user.roles.some((r) => r === 'iso' || r === 'management' || r === 'auditor') ||
    task.requestedBy === user.userId
  )
}

/** Four-eyes: throws 403 when the person requested the item or decided it earlier. */
export function assertFourEyes(task: Task, userId: string): void {
  if (task.requestedBy === userId || task.excludedUserIds.includes(userId))
    throw forbidden('Four-eyes rule: you requested this or decided it earlier, so someone else must decide.')
}

/** Inbox order: due date ascending (none last), then priority descending, then creation. */
export function compareTasks(
  a: Pick<Task, 'dueAt' | 'priority' | 'createdAt'>,
  b: Pick<Task, 'dueAt' | 'priority' | 'createdAt'>,
): number {
  const da = a.dueAt ?? '9999'
  const db = b.dueAt ?? '9999'
  if (da !== db) return da < db ? -1 : 1
  if (a.priority !== b.priority) return b.priority - a.priority
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0
}

/** Badge for the inbox: overdue, due within `soonDays`, or none. */
export function dueBadge(
  task: Pick<Task, 'dueAt' | 'status'>,
  now: Date,
  soonDays = 3,
): 'overdue' | 'due-soon' | undefined {
  if (!task.dueAt || !isOpen(task as Task)) return undefined
  const due = Date.parse(task.dueAt)
  if (due < now.getTime()) return 'overdue'
  if (due - now.getTime() <= soonDays * 86_400_000) return 'due-soon'
  return undefined
}

/** The inbox views (`waiting`: everything that waits for the person, mine and unclaimed for my roles). */
export const INBOX_VIEWS = ['waiting', 'mine', 'unclaimed', 'completed', 'all'] as const
export type InboxView = (typeof INBOX_VIEWS)[number]

/** Whether a task belongs in a view for a person. */
export function inView(
  task: Task,
  view: InboxView,
  user: { userId: string; roles: readonly string[] },
): boolean {
  switch (view) {
    case 'waiting':
      return inView(task, 'mine', user) || inView(task, 'unclaimed', user)
    case 'mine':
      return isOpen(task) && (task.assigneeUserId === user.userId || task.claimedBy === user.userId)
    case 'unclaimed':
      return task.status === 'open' && !task.assigneeUserId && !task.claimedBy && mayWork(task, user)
    case 'completed':
      return task.status === 'completed' && (task.result?.completedBy === user.userId || mayWork(task, user))
    case 'all':
      return mayView(task, user)
  }
}
