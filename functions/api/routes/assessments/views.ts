import {
  ASSESSMENT_TASK_KINDS,
  DECISION_RECORD,
  type DecisionRecord,
  type FollowUp,
  IN_PROGRESS_KINDS,
} from '../../../domain/assessments/index.js'
import type { DecisionRow, InProgressRow } from '../../../domain/contracts/obligations.js'
import { isOpen } from '../../../domain/tasks.js'
import type { AuditEntry, OrgRecords, StoredRecord } from '../../../store/records.js'
import type { TaskRecord } from '../../../store/tasks.js'

/** A decision as the history lists it. */
export function decisionRow(rec: StoredRecord<DecisionRecord>, latestId: string | undefined): DecisionRow {
  const d = rec.data
  const count = (s: FollowUp['status']) => d.followUps.filter((f) => f.status === s).length
  return {
    id: rec.id,
    version: rec.version,
    sequence: d.sequence,
    title: d.title,
    summary: d.summary,
    decidedAt: d.decidedAt,
    rulesVersion: d.rulesVersion,
    outcome: d.outcome,
    current: rec.id === latestId,
    previousDecisionId: d.previousDecisionId,
    supersededBy: d.supersededBy ?? null,
    reviewedBy: d.review.by,
    reviewOutcome: d.review.outcome,
    acknowledgedBy: { ...d.acknowledgement.by, typedName: d.acknowledgement.typedName },
    adjustments: d.adjustments.length,
    followUps: {
      total: d.followUps.length,
      open: count('open'),
      done: count('done') + count('not-applicable'),
    },
    reassessAt: d.reassessAt,
  }
}

/**
 * Assessments under way: their open questionnaire, review, acknowledgement or escalation task
 * (given the open tasks of `IN_PROGRESS_KINDS`, `TaskStore.openOfKinds`; others are left out).
 */
export function inProgress(tasks: TaskRecord[]): InProgressRow[] {
  return tasks
    .filter((t) => IN_PROGRESS_KINDS.includes(t.data.kind) && isOpen(t.data))
    .map((t) => ({
      assessmentId:
        t.data.subject?.id ?? t.data.workflow.executionArn.split(':').pop() ?? t.data.workflow.executionArn,
      executionArn: t.data.workflow.executionArn,
      stage: t.data.kind,
      taskId: t.id,
      title: t.data.title,
      status: t.data.status,
      dueAt: t.data.dueAt ?? null,
      assigneeUserId: t.data.assigneeUserId ?? null,
      candidateRole: t.data.candidateRole ?? null,
      createdAt: t.createdAt,
    }))
}

/** Open follow-up tasks of these decisions (a decision and those it carries follow-ups from). */
export function followUpTasks(tasks: TaskRecord[], decisionIds: string[]) {
  return tasks
    .filter(
      (t) =>
        (t.data.kind === ASSESSMENT_TASK_KINDS.followUp ||
          t.data.kind === ASSESSMENT_TASK_KINDS.followUpEscalation) &&
        decisionIds.includes(t.data.subject?.id ?? '') &&
        isOpen(t.data),
    )
    .map((t) => ({
      taskId: t.id,
      kind: t.data.kind,
      decisionId: t.data.subject?.id ?? null,
      followUpId: (t.data.context.followUp as { id?: string } | undefined)?.id ?? null,
      dueAt: t.data.dueAt ?? null,
      candidateRole: t.data.candidateRole ?? null,
    }))
}

/**
 * The decision record with its follow-ups as they stand: one carried over from an earlier
 * decision shows that decision's current status. `tasksAbout` reads the tasks of one decision
 * (`TaskStore.forSubject`).
 */
export async function decisionDetail(
  org: OrgRecords,
  rec: StoredRecord<DecisionRecord>,
  tasksAbout: (decisionId: string) => Promise<TaskRecord[]>,
  history: AuditEntry[],
) {
  const origins = new Map<string, DecisionRecord | undefined>()
  for (const f of rec.data.followUps)
    if (f.carriedFrom && !origins.has(f.carriedFrom))
      origins.set(f.carriedFrom, (await org.get<DecisionRecord>(DECISION_RECORD, f.carriedFrom))?.data)
  const followUps = rec.data.followUps.map((f) => {
    if (!f.carriedFrom) return f
    const origin = origins.get(f.carriedFrom)?.followUps.find((x) => x.id === f.id)
    return origin
      ? { ...f, status: origin.status, ...(origin.completed ? { completed: origin.completed } : {}) }
      : f
  })
  return {
    id: rec.id,
    version: rec.version,
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
    ...rec.data,
    followUps,
    openTasks: followUpTasks((await Promise.all([rec.id, ...origins.keys()].map(tasksAbout))).flat(), [
      rec.id,
      ...origins.keys(),
    ]),
    history: history.map((h) => ({ at: h.at, action: h.action, actor: h.actor })),
  }
}
