import type { RiskRow, Score } from '../../../domain/contracts/risks.js'
import {
  diffSnapshots,
  inherentScore,
  type RiskMatrix,
  type RiskScore,
  residualScore,
  snapshotOf,
  targetScore,
  withinAppetite,
} from '../../../domain/risk/index.js'
import type { AuditEntry } from '../../../store/records.js'
import {
  currentSnapshot,
  type RiskData,
  type RiskListData,
  type RiskListRow,
  type RiskRecord,
  type RiskSettings,
  toRisk,
} from '../../../store/risk-register.js'

/** A score as the API answers it: values, level id and name, colours. */
export function scoreView(s: RiskScore): Score {
  return {
    likelihood: s.likelihood,
    impact: s.impact,
    score: s.score,
    level: s.level,
    rank: s.rank,
    name: s.band.name,
    color: s.band.color,
    textColor: s.band.textColor,
  }
}

/** A score view. */
export type ScoreView = ReturnType<typeof scoreView>

/** A risk's scores on `matrix`; `undefined` for values outside it (the scale was shortened). */
function scores(data: RiskListData, matrix: RiskMatrix) {
  const safe = (f: () => RiskScore) => {
    try {
      return scoreView(f())
    } catch {
      return undefined
    }
  }
  return {
    inherent: safe(() => inherentScore(data, matrix)),
    residual: safe(() => residualScore(data, matrix)),
    target: data.plan ? safe(() => targetScore(data.plan!, matrix)) : undefined,
  }
}

/** One row of the register list. */
export function riskRow(
  rec: RiskListRow & { id: string },
  settings: RiskSettings,
  names: Record<string, string>,
): RiskRow {
  const d = rec.data
  const s = scores(d, settings.matrix)
  const measures = d.plan?.measures ?? []
  return {
    id: rec.id,
    version: rec.version,
    title: d.title,
    category: d.category,
    status: d.status,
    ownerId: d.ownerId,
    ownerName: names[d.ownerId] ?? d.ownerId,
    assets: d.assets,
    likelihood: d.likelihood,
    impact: d.impact,
    ...s,
    withinAppetite: s.residual
      ? withinAppetite(s.residual.level, settings.appetite, settings.matrix)
      : undefined,
    option: d.plan?.option ?? null,
    measures: {
      total: measures.length,
      done: measures.filter((m) => d.measureProgress[m.id]?.status === 'done').length,
    },
    approvalOutdated: Boolean(d.approval?.outdated),
    pendingRound: d.rounds.find((r) => r.status === 'pending')?.round ?? null,
    acceptanceExpiresOn: d.acceptance?.status === 'active' ? d.acceptance.expiresOn : null,
    updatedAt: rec.updatedAt,
  }
}

/** A register row (the API's contract). */
export type { RiskRow }

/** Field labels of a history entry: what an edit changed (snapshot fields, plus status). */
export function changedFields(before: unknown, after: unknown): string[] {
  if (!isRisk(before) || !isRisk(after)) return []
  const fields = new Set(
    diffSnapshots(
      snapshotOf(toRisk('x', before), before.plan),
      snapshotOf(toRisk('x', after), after.plan),
    ).map((c) => c.field),
  )
  if (before.status !== after.status) fields.add('status')
  if (
    before.residualLikelihood !== after.residualLikelihood ||
    before.residualImpact !== after.residualImpact
  )
    fields.add('residual')
  return [...fields]
}

const isRisk = (v: unknown): v is RiskData =>
  typeof v === 'object' && v !== null && 'title' in v && 'likelihood' in v && 'rounds' in v

/** The edit history of a risk from the audit log, oldest first. */
export function historyView(entries: readonly AuditEntry[]) {
  return entries.map((e) => {
    const before = e.before as RiskData | undefined
    const after = e.after as RiskData | undefined
    return {
      at: e.at,
      by: e.actor.userId,
      byName: e.actor.name,
      action: e.action,
      fields: changedFields(before, after),
      statusFrom: before?.status,
      statusTo: after?.status,
    }
  })
}

/** The full view of one risk: fields, scores, plan, rounds, decisions, progress, the hash now. */
export function riskDetail(rec: RiskRecord, settings: RiskSettings, names: Record<string, string>) {
  const d = rec.data
  const { hash } = currentSnapshot(rec.id, d)
  const pending = d.rounds.find((r) => r.status === 'pending')
  return {
    risk: {
      id: rec.id,
      version: rec.version,
      createdAt: rec.createdAt,
      createdBy: rec.createdBy,
      updatedAt: rec.updatedAt,
      updatedBy: rec.updatedBy,
      title: d.title,
      description: d.description,
      category: d.category,
      assets: d.assets,
      threat: d.threat,
      vulnerability: d.vulnerability,
      ownerId: d.ownerId,
      likelihood: d.likelihood,
      impact: d.impact,
      status: d.status,
      controlIds: d.controlIds,
      obligationRefs: d.obligationRefs,
      residualLikelihood: d.residualLikelihood,
      residualImpact: d.residualImpact,
      fromIncident: d.fromIncident ?? null,
    },
    row: riskRow(rec, settings, names),
    plan: d.plan,
    measures: (d.plan?.measures ?? []).map((m) => ({ ...m, progress: d.measureProgress[m.id] ?? null })),
    rounds: d.rounds.map(({ key: _key, ...r }) => r),
    decisions: d.decisions.map(({ result: _result, ...x }) => x),
    approval: d.approval ?? null,
    acceptance: d.acceptance ?? null,
    verification: d.verification ?? null,
    execution: d.execution ?? null,
    currentHash: hash,
    /** The pending round's snapshot no longer matches the risk: a decision would be refused. */
    pendingOutdated: pending ? pending.hash !== hash : false,
    names,
  }
}
