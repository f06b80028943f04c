/**
 * Periodic reviews: the shapes of a programme entry (`review-entry` record) and of one
 * review cycle (`review` record), shared by the API, the workflow steps and the web app.
 */
import type { NextDue } from '../schedules/describe.js'

/** A text in both languages. */
export type Localized = { en: string; de: string }

/** Record type of a programme entry (id = entry id, also the schedule id). */
export const REVIEW_ENTRY = 'review-entry'
/** Record type of one review cycle (id = `reviewId(entryId, scheduledAt)`). */
export const REVIEW = 'review'

/** Who may perform a review. */
export type PerformerRole = 'iso' | 'management' | 'member'

/** One entry of an organisation's review programme: what is reviewed, when and by whom. */
export interface ReviewEntry {
  kind: string
  title: Localized
  formId: string
  /** EventBridge `cron(…)` or `rate(…)`. */
  expression: string
  timeZone: string
  /** First day the schedule may fire (yyyy-mm-dd in the zone). */
  startDate?: string
  /** The person who performs it; absent: anyone with `performerRole`. */
  ownerId?: string
  performerRole: PerformerRole
  managementSignOff: boolean
  /** Days from the occurrence to the due date. */
  dueAfterDays: number
  reminderDaysBefore: number[]
  /** Days after the due date before the miss escalates to management. */
  escalationGraceDays: number
  enabled: boolean
  /** When the entry was created (anchor of `rate` schedules). */
  createdAt: string
}

/** Where a review cycle stands. */
export const REVIEW_STATUSES = [
  'open',
  'overdue',
  'escalated',
  'rework',
  'sign-off',
  'completed',
  'missed',
  'cancelled',
] as const
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

/** Labels of the statuses. */
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, Localized> = {
  open: { en: 'Open', de: 'Offen' },
  overdue: { en: 'Overdue', de: 'Überfällig' },
  escalated: { en: 'Escalated to management', de: 'An die Leitung eskaliert' },
  rework: { en: 'Changes requested', de: 'Änderungen angefordert' },
  'sign-off': { en: 'Awaiting sign-off', de: 'Wartet auf Freigabe' },
  completed: { en: 'Completed', de: 'Abgeschlossen' },
  missed: { en: 'Missed', de: 'Versäumt' },
  cancelled: { en: 'Cancelled', de: 'Abgebrochen' },
}

/** Statuses in which a review is still being worked on. */
export const OPEN_REVIEW_STATUSES: readonly ReviewStatus[] = [
  'open',
  'overdue',
  'escalated',
  'rework',
  'sign-off',
]

/** An action that came out of a review; it becomes a human task. */
export interface ReviewAction {
  id: string
  title: string
  assignee: { role: PerformerRole } | { userId: string }
  dueAt: string
  status: 'open' | 'done'
  taskId?: string
  completedBy?: string
  completedByName?: string
  completedAt?: string
  note?: string
}

/** One risk as a review sees it (baseline and diff). */
export interface RiskLine {
  id: string
  title: string
  status: string
  likelihood?: number
  impact?: number
  residualLikelihood?: number
  residualImpact?: number
  ownerId?: string
}

/** One person's access to the organisation in ismsflow. */
export interface AccessLine {
  userId: string
  name?: string
  roles: string[]
}

/** What changed since the previous review (shown beside the form). */
export interface ReviewChanges {
  /** Start of the compared window (ISO). */
  since: string
  previousReviewId?: string
  /** Plain lines for the task's context panel. */
  summary: Localized[]
  risks?: {
    added: RiskLine[]
    closed: RiskLine[]
    removed: RiskLine[]
    rescored: (RiskLine & { before: { likelihood?: number; impact?: number } })[]
    statusChanged: (RiskLine & { before: { status: string } })[]
    /** Audit entries about risks in the window. */
    auditEntries: number
    /** Where the "before" came from: the previous review's baseline or the audit log. */
    basis: 'baseline' | 'audit-log' | 'none'
  }
  access?: {
    added: AccessLine[]
    removed: AccessLine[]
    roleChanges: (AccessLine & { before: string[] })[]
  }
  obligations?: { decisions: { id: string; title?: string; changedAt: string }[] }
  /** Answers of the previous cycle (pre-filled into the form). */
  previousAnswers?: Record<string, unknown>
}

/** Sign-off by management. */
export interface ReviewSignOff {
  required: boolean
  outcome?: 'approve' | 'request-changes'
  by?: string
  byName?: string
  at?: string
  comment?: string
  history: { outcome: string; by: string; byName?: string; at: string; comment?: string }[]
}

/**
 * The fields of a review cycle its list shows (`cycleSummary`) besides its sign-off, actions and
 * computed values (kept in part, see `CycleListData`): what the list index keeps of a cycle in
 * its entries, so a page of cycles is read without the cycles.
 */
export const CYCLE_LIST_FIELDS = [
  'entryId',
  'kind',
  'title',
  'status',
  'scheduledAt',
  'dueAt',
  'period',
  'trigger',
  'late',
  'overdue',
  'escalated',
  'completedAt',
  'performedByName',
  'note',
] as const satisfies readonly (keyof ReviewCycle)[]

/** What the cycles' list reads of a cycle: its list fields, the sign-off's state, each action's status. */
export type CycleListData = Pick<ReviewCycle, (typeof CYCLE_LIST_FIELDS)[number]> & {
  signOff: Pick<ReviewSignOff, 'required' | 'outcome'>
  actions: Pick<ReviewAction, 'status'>[]
  computed?: { followUpNeeded?: unknown }
}

/** One review cycle as stored (record `review`). */
export interface ReviewCycle {
  entryId: string
  kind: string
  title: Localized
  formId: string
  /** Execution name: `<orgId>_<entryId>_<yyyymmddThhmmZ>`. */
  occurrenceId: string
  executionArn?: string
  trigger: 'schedule' | 'manual' | 'seed'
  /** The occurrence (ISO). */
  scheduledAt: string
  dueAt: string
  /** The period the review covers: after the previous occurrence, up to this one. */
  period: { from: string; to: string }
  status: ReviewStatus
  /** Fired after its time (the process was down). */
  late?: boolean
  /** Not done by its due date: stays set once it happened. */
  overdue?: { at: string }
  escalated?: { at: string }
  /** Earlier occurrences missed while the scheduler was down (ISO). */
  missedOccurrences?: string[]
  previousReviewId?: string
  performer: { userId?: string; role?: PerformerRole }
  changes?: ReviewChanges
  /** Management review: the generated input package. */
  package?: ManagementPackage
  /** What the next cycle compares against. */
  baseline?: { risks?: RiskLine[]; access?: AccessLine[] }
  rounds: number
  taskId?: string
  answers?: Record<string, unknown>
  /**
   * Values the form computed from the answers; an exercise or technical check's
   * `followUpNeeded` says whether its result calls for follow-up actions.
   */
  computed?: Record<string, unknown>
  performedBy?: string
  performedByName?: string
  performedAt?: string
  signOff: ReviewSignOff
  actions: ReviewAction[]
  completedAt?: string
  nextDue?: NextDue
  /** Why it was missed or cancelled. */
  note?: Localized
}

/** One section of the management review package (ISO/IEC 27001:2022 9.3.2). */
export interface PackageSection {
  id:
    | 'previous-actions'
    | 'issues'
    | 'interested-parties'
    | 'trends'
    | 'nonconformities'
    | 'monitoring'
    | 'audits'
    | 'objectives'
    | 'risks'
    | 'incidents'
    | 'management-duties'
    | 'improvement'
  clause: string
  title: Localized
  /** No source data: the section says so instead of inventing content. */
  empty: boolean
  lines: Localized[]
  counts?: Record<string, number>
}

/** The generated input package of a management review. */
export interface ManagementPackage {
  generatedAt: string
  since: string
  sections: PackageSection[]
}
