/** The reviews API as the pages read it (see functions/api/routes/reviews.ts). */
import type { CycleSummary, EntryView } from '../../../../functions/domain/contracts/reviews.js'

export type Localized = { en: string; de: string }

/** A review cycle in lists, and a programme entry (the API's contracts). */
export type { CycleSummary, EntryView }

/** A review template (kind). */
export interface Template {
  kind: string
  title: Localized
  description: Localized
  formId: string
  cadence: string
  expression: string
  performerRole: 'iso' | 'management' | 'member'
  managementSignOff: boolean
  dueAfterDays: number
  escalationGraceDays: number
  references: string[]
  formExists: boolean
}

/** A member of the organisation. */
export interface Person {
  userId: string
  name: string
}

/** One section of the management review package. */
export interface PackageSection {
  id: string
  clause: string
  title: Localized
  empty: boolean
  lines: Localized[]
  counts?: Record<string, number>
}

/** The management review package. */
export interface ManagementPackage {
  generatedAt: string
  since: string
  sections: PackageSection[]
}

/** One risk line of a diff. */
export interface RiskLine {
  id: string
  title: string
  status: string
  likelihood?: number
  impact?: number
  before?: { likelihood?: number; impact?: number; status?: string }
}

/** A cycle with everything. */
export interface CycleDetail extends CycleSummary {
  version: number
  occurrenceId: string
  executionArn: string | null
  performer: { userId?: string; role?: string }
  performerName: string | null
  previousReviewId: string | null
  missedOccurrences: string[]
  overdueAt: string | null
  escalatedAt: string | null
  rounds: number
  answers: Record<string, unknown> | null
  performedAt: string | null
  changes: {
    since: string
    previousReviewId?: string
    summary: Localized[]
    risks?: {
      added: RiskLine[]
      closed: RiskLine[]
      removed: RiskLine[]
      rescored: RiskLine[]
      statusChanged: RiskLine[]
    }
  } | null
  package: ManagementPackage | null
  signOff: {
    required: boolean
    outcome?: string
    byName?: string
    at?: string
    comment?: string
    history: { outcome: string; by: string; byName?: string; at: string; comment?: string }[]
  }
  actionList: {
    id: string
    title: string
    assignee: { role?: string; userId?: string }
    assigneeName: string | null
    dueAt: string
    status: 'open' | 'done'
    completedByName?: string
    completedAt?: string
    note?: string
  }[]
  nextDue: { at?: string; text: Localized } | null
  tasks: {
    id: string
    kind: string
    title: Localized
    status: string
    dueAt: string | null
    completedByName: string | null
  }[]
}
