/**
 * What the risk pages read from `/api/risks`: the shapes of register rows, one risk's detail,
 * heat maps and settings (mirrors of the API's answers; the rules stay on the server).
 */
import type { Person as PersonView } from '../../../../functions/domain/contracts/people.js'
import type {
  HeatMapsView,
  RiskRow,
  Score,
  SettingsView,
} from '../../../../functions/domain/contracts/risks.js'
import type {
  Measure,
  RiskAppetite,
  RiskCategory,
  RiskMatrix,
  RiskStatus,
  SnapshotChange,
  Text,
  TreatmentOption,
  TreatmentPlan,
} from '../../../../functions/domain/risk/index.js'

/** Scores, register rows, heat maps, settings and members as the risk API answers them (the API's contracts). */
export type { HeatMapsView, PersonView, RiskRow, Score, SettingsView }

/** The editable fields of a risk as the API answers them. */
export interface RiskFieldsView {
  id: string
  version: number
  createdAt: string
  updatedAt: string
  title: string
  description: string
  category: RiskCategory
  assets: string[]
  threat: string
  vulnerability: string
  ownerId: string
  likelihood: number
  impact: number
  status: RiskStatus
  controlIds: string[]
  obligationRefs: string[]
  residualLikelihood?: number
  residualImpact?: number
  /** The security incident whose lessons learned it was drafted from. */
  fromIncident?: { id: string; title: string } | null
}

/** A round as listed on the risk page. */
export interface RoundView {
  round: number
  reason: 'submission' | 'resubmission' | 'reapproval'
  hash: string
  submittedBy: string
  submittedAt: string
  status: string
  changes: number
  decidedAt?: string
}

/** A decision as listed on the risk page. */
export interface DecisionView {
  taskId: string
  round: number
  outcome: 'approve' | 'reject' | 'request-changes'
  comment?: string
  by: string
  byName?: string
  at: string
  hash: string
  status: 'recorded' | 'refused'
  code?: string
  reason?: Text
}

/** A measure with its progress. */
export interface MeasureView extends Measure {
  progress: {
    status: 'open' | 'done'
    completedByName?: string
    completedBy?: string
    completedAt?: string
    note?: string
    escalated?: 'risk-owner' | 'management'
  } | null
}

/** An open task of the risk. */
export interface RiskTaskView {
  id: string
  kind: string
  title: Text
  assigneeUserId?: string
  candidateRole?: string
  dueAt?: string
  requestedBy?: string
  excludedUserIds: string[]
  context?: SnapshotContext
}

/** `GET /api/risks/:id`. */
export interface RiskDetailView {
  risk: RiskFieldsView
  row: RiskRow
  plan: TreatmentPlan | null
  measures: MeasureView[]
  rounds: RoundView[]
  decisions: DecisionView[]
  approval: {
    round: number
    at: string
    by: string
    byName?: string
    option: TreatmentOption
    outdated?: { at: string; by: string; fields: string[] }
  } | null
  acceptance: {
    decidedOn: string
    expiresOn: string
    reapprovalOn: string
    byName?: string
    status: string
  } | null
  verification: {
    at: string
    byName?: string
    residualLikelihood: number
    residualImpact: number
    note?: string
  } | null
  execution: { arn: string } | null
  currentHash: string
  pendingOutdated: boolean
  names: Record<string, string>
  history: {
    at: string
    by: string
    byName?: string
    action: string
    fields: string[]
    statusFrom?: string
    statusTo?: string
  }[]
  openTasks: RiskTaskView[]
  matrix: RiskMatrix
  appetite: RiskAppetite
}

/** What a risk task carries in `context` (approval, measure, revision, verification). */
export interface SnapshotContext {
  riskId?: string
  riskTitle?: string
  round?: number
  reason?: string
  hash?: string
  snapshot?: {
    risk: Omit<RiskFieldsView, 'version' | 'createdAt' | 'updatedAt' | 'status'>
    plan: TreatmentPlan | null
  }
  changes?: SnapshotChange[]
  previousRound?: {
    round: number
    status: string
    decision?: { outcome: string; comment?: string; byName?: string; at: string } | null
  } | null
  scores?: { inherent?: Score; target?: Score }
  appetite?: { maxAcceptableLevel: string; targetWithinAppetite: boolean }
  people?: Record<string, string>
  refusal?: { code?: string; reason?: Text } | null
  measure?: { id: string; description: string; ownerId: string; dueDate: string }
  escalated?: 'risk-owner' | 'management'
  status?: string
  code?: string
  comment?: string
  decidedBy?: string
  problems?: Record<string, string> | null
}
