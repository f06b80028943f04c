/**
 * The risk register as stored: one `risk` record per risk (fields, plan, rounds, decisions,
 * measure progress, approval, acceptance), frozen snapshots in `risk-snapshot` records and the
 * organisation's matrix and appetite in one `risk-settings` record. Shared by the API routes and
 * the workflow steps, so both read and write the same shapes. The rules live in `domain/risk`.
 */
import {
  DEFAULT_RISK_APPETITE,
  DEFAULT_RISK_MATRIX,
  type Risk,
  type RiskAppetite,
  type RiskFields,
  type RiskMatrix,
  type RiskSnapshot,
  snapshotHash,
  snapshotOf,
  type Text,
  type TreatmentOption,
  type TreatmentPlan,
} from '../domain/risk/index.js'
import { lastInStream } from './list-index.js'
import { type RISK_LIST_FIELDS, riskStream } from './list-specs.js'
import { type Actor, type OrgRecords, RecordExistsError, type StoredRecord } from './records.js'

/** Record type of a risk. */
export const RISK = 'risk'

/**
 * The register's highest `R-<n>` id (for the next one), from the end of the id stream of the
 * list index: one read, not the register.
 */
function highestRiskId(org: OrgRecords): Promise<string | undefined> {
  // Register ids sort first in the id stream (`riskIdOrder`: `0<number>`).
  return lastInStream(org, RISK, riskStream('id'), '0')
}
/** Record type of a frozen snapshot (id `<riskId>.<hash prefix>`). */
export const RISK_SNAPSHOT = 'risk-snapshot'
/** Record type of the organisation's risk settings (one record, id `current`). */
export const RISK_SETTINGS = 'risk-settings'
/** The id of the one settings record. */
export const RISK_SETTINGS_ID = 'current'

/** Why a round was opened. */
export type RoundReason = 'submission' | 'resubmission' | 'reapproval'

/** Where a round stands. */
export type RoundStatus =
  | 'pending'
  | 'approved'
  | 'accepted'
  | 'changes-requested'
  | 'rejected'
  | 'outdated'
  | 'withdrawn'
  | 'superseded'

/** One approval round: a frozen snapshot put before management. */
export interface RiskRound {
  round: number
  /** Idempotency key: `<execution name>#<cycle>`. */
  key: string
  reason: RoundReason
  hash: string
  submittedBy: string
  submittedAt: string
  executionArn: string
  status: RoundStatus
  /** How many differences to the previous round's snapshot. */
  changes: number
  decidedAt?: string
}

/** A decision taken (or refused) on a round. */
export interface RiskDecision {
  taskId: string
  round: number
  outcome: 'approve' | 'reject' | 'request-changes'
  comment?: string
  by: string
  byName?: string
  at: string
  hash: string
  option: TreatmentOption | null
  status: 'recorded' | 'refused'
  code?: string
  reason?: Text
  /** What the decision step answered, kept so that a repeated invocation answers the same. */
  result: DecisionResult
}

/** The decision step's answer to the workflow. */
export interface DecisionResult {
  status: 'approved' | 'accepted' | 'changes-requested' | 'rejected' | 'refused'
  code?: string
  reason?: Text
  riskOwnerId: string
  riskTitle: string
  measures: MeasureAssignment[]
  acceptance?: RiskAcceptance
  comment?: string
}

/** A measure handed to the implementation Map: owner, due time and the timeout until it escalates. */
export interface MeasureAssignment {
  id: string
  description: string
  ownerId: string
  dueDate: string
  dueAt: string
  timeoutSeconds: number
}

/** Progress of one measure of the approved plan. */
export interface MeasureProgress {
  status: 'open' | 'done'
  taskId?: string
  completedBy?: string
  completedByName?: string
  completedAt?: string
  note?: string
  escalated?: 'risk-owner' | 'management'
  escalatedAt?: string
}

/** The approval in force. `outdated` is set when the risk changed materially afterwards. */
export interface RiskApproval {
  round: number
  hash: string
  option: TreatmentOption
  at: string
  by: string
  byName?: string
  outdated?: { at: string; by: string; fields: string[] }
}

/** A recorded acceptance of the risk with its expiry. */
export interface RiskAcceptance {
  round: number
  decidedOn: string
  expiresOn: string
  reapprovalOn: string
  /** When the re-approval round opens (the workflow's Wait timestamp). */
  reapprovalAt: string
  by: string
  byName?: string
  status: 'active' | 'superseded'
}

/** The ISO's verification of an implemented treatment. */
export interface RiskVerification {
  taskId: string
  at: string
  by: string
  byName?: string
  residualLikelihood: number
  residualImpact: number
  note?: string
}

/** A risk as stored. */
export interface RiskData extends RiskFields {
  residualLikelihood?: number
  residualImpact?: number
  plan: TreatmentPlan | null
  rounds: RiskRound[]
  decisions: RiskDecision[]
  measureProgress: Record<string, MeasureProgress>
  approval?: RiskApproval
  acceptance?: RiskAcceptance
  verification?: RiskVerification
  /** The workflow execution working on the risk, while one runs. */
  execution?: { arn: string; name: string; startedAt: string; startedBy: string }
  /** The security incident whose lessons learned this risk was drafted from. */
  fromIncident?: { id: string; title: string }
}

/** A stored risk record. */
export type RiskRecord = StoredRecord<RiskData>

/** What the register's row (`riskRow`) reads of a risk's data; the list index keeps it in its entries. */
export type RiskListData = Pick<RiskData, (typeof RISK_LIST_FIELDS)[number]> & {
  plan:
    | (Pick<TreatmentPlan, 'option' | 'targetLikelihood' | 'targetImpact'> & {
        measures: Pick<TreatmentPlan['measures'][number], 'id'>[]
      })
    | null
  measureProgress: Record<string, Pick<MeasureProgress, 'status'>>
  rounds: Pick<RiskRound, 'round' | 'status'>[]
  approval?: Pick<RiskApproval, 'outdated'>
  acceptance?: Pick<RiskAcceptance, 'status' | 'expiresOn'>
}

/** A register row's source as a list entry keeps it: the risk's version, last change and list data. */
export interface RiskListRow {
  version: number
  updatedAt: string
  data: RiskListData
}

/** A frozen snapshot record. */
export interface SnapshotData {
  riskId: string
  hash: string
  snapshot: RiskSnapshot
}

/** The organisation's risk settings. */
export interface RiskSettings {
  matrix: RiskMatrix
  appetite: RiskAppetite
  /** Management members allowed to accept a residual risk above the appetite. */
  acceptAboveAppetite: string[]
}

/** The settings an organisation starts with (default matrix and appetite, nobody above appetite). */
export const DEFAULT_RISK_SETTINGS: RiskSettings = {
  matrix: DEFAULT_RISK_MATRIX,
  appetite: DEFAULT_RISK_APPETITE,
  acceptAboveAppetite: [],
}

/** The organisation's settings and the record version (0 while the defaults apply). */
export async function loadRiskSettings(
  org: OrgRecords,
): Promise<{ settings: RiskSettings; version: number }> {
  const rec = await org.get<RiskSettings>(RISK_SETTINGS, RISK_SETTINGS_ID)
  return rec ? { settings: rec.data, version: rec.version } : { settings: DEFAULT_RISK_SETTINGS, version: 0 }
}

/** The domain view of a stored risk (what scoring, snapshots and exports take). */
export function toRisk(id: string, data: RiskData): Risk {
  return { ...data, id }
}

/** The snapshot of a risk as it is now, and its hash. */
export function currentSnapshot(id: string, data: RiskData): { snapshot: RiskSnapshot; hash: string } {
  const snapshot = snapshotOf(toRisk(id, data), data.plan)
  return { snapshot, hash: snapshotHash(snapshot) }
}

/** The id of a snapshot record. */
export const snapshotRecordId = (riskId: string, hash: string) => `${riskId}.${hash.slice(0, 32)}`

/** Stores a frozen snapshot once (a second call with the same hash writes nothing). */
export async function saveSnapshot(org: OrgRecords, data: SnapshotData, actor: Actor): Promise<void> {
  const id = snapshotRecordId(data.riskId, data.hash)
  await org.createOrGet(RISK_SNAPSHOT, id, data, { actor, action: 'risk.snapshot' })
}

/** A frozen snapshot by risk and hash, if stored. */
export async function loadSnapshot(
  org: OrgRecords,
  riskId: string,
  hash: string,
): Promise<RiskSnapshot | undefined> {
  return (await org.get<SnapshotData>(RISK_SNAPSHOT, snapshotRecordId(riskId, hash)))?.data.snapshot
}

/** A fresh risk's bookkeeping fields. */
export function emptyRiskState(): Pick<RiskData, 'plan' | 'rounds' | 'decisions' | 'measureProgress'> {
  return { plan: null, rounds: [], decisions: [], measureProgress: {} }
}

/**
 * Creates a risk under the next free register id (a concurrent create of the same id is
 * retried with the next one); the one way a risk enters the register.
 */
export async function createRisk(
  org: OrgRecords,
  fields: RiskFields & Pick<RiskData, 'fromIncident'>,
  actor: Actor,
): Promise<RiskRecord> {
  for (let attempt = 0; ; attempt++) {
    const highest = await highestRiskId(org)
    const id = nextRiskId(highest ? [highest] : [])
    try {
      return await org.create<RiskData>(
        RISK,
        id,
        { ...fields, ...emptyRiskState() },
        { actor, action: 'risk.create' },
      )
    } catch (err) {
      if (!(err instanceof RecordExistsError) || attempt >= 9) throw err
    }
  }
}

const RISK_ID = /^R-(\d+)$/

/** The next free register id (`R-001`, `R-002`, …) given the ids in use. */
export function nextRiskId(existing: readonly string[]): string {
  const max = existing.reduce((m, id) => Math.max(m, Number(RISK_ID.exec(id)?.[1] ?? 0)), 0)
  return `R-${String(max + 1).padStart(3, '0')}`
}
