import { z } from 'zod'
import { endOfDueDate } from '../domain/calendar/due.js'
import { NotFoundError } from '../domain/errors.js'
import {
  acceptanceDates,
  addDays,
  mayAccept,
  mayDecide,
  targetScore,
  toIsoDate,
  type Verdict,
} from '../domain/risk/index.js'
import { secondsUntil } from '../domain/timeouts.js'
import {
  currentSnapshot,
  type DecisionResult,
  loadRiskSettings,
  type MeasureAssignment,
  RISK,
  type RiskData,
  type RiskDecision,
  type RiskSettings,
} from '../store/risk-register.js'
import { defineStep, StepError } from './step.js'

const taskResult = z.object({
  taskId: z.string().min(1),
  answers: z.object({
    decision: z.object({
      outcome: z.enum(['approve', 'reject', 'request-changes']),
      comment: z.string().optional(),
    }),
  }),
  completedBy: z.string().min(1),
  completedByName: z.string().optional(),
  completedAt: z.string().min(1),
})

/** Input of the decision step. */
export const decisionInput = z.strictObject({
  orgId: z.string().min(2),
  riskId: z.string().min(1),
  key: z.string().min(1),
  round: z.int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  requestedBy: z.string().min(1),
  decision: taskResult,
})

/** When the re-approval round of an acceptance opens: the morning of the re-approval day, never in the past. */
function reapprovalAt(reapprovalOn: string, today: string): string {
  const day = reapprovalOn > today ? reapprovalOn : addDays(today, 1)
  return `${day}T06:00:00.000Z`
}

/**
 * The checks a decision must pass, in order: four-eyes (the submitter may not decide), the
 * snapshot still matching the risk (else `outdated_snapshot`), and for an acceptance the
 * appetite or the decider's right to accept above it.
 */
function check(
  data: RiskData,
  riskId: string,
  input: z.infer<typeof decisionInput>,
  settings: RiskSettings,
): Verdict {
  const d = input.decision
  const fourEyes = mayDecide({ requesterId: input.requestedBy, deciderId: d.completedBy })
  if (!fourEyes.allowed) return fourEyes
  if (currentSnapshot(riskId, data).hash !== input.hash)
    return {
      allowed: false,
      code: 'outdated_snapshot',
      reason: {
        en: 'Outdated snapshot: the risk or its plan changed after it was submitted, so this decision would not be about what is on record. The ISO must submit it again.',
        de: 'Veralteter Stand: Das Risiko oder sein Plan wurde nach der Einreichung geändert; die Entscheidung beträfe nicht den aktuellen Stand. Der ISB muss es erneut einreichen.',
      },
    }
  if (d.answers.decision.outcome === 'approve' && data.plan?.option === 'accept')
    return mayAccept({
      residual: targetScore(data.plan, settings.matrix),
      appetite: settings.appetite,
      decider: {
        userId: d.completedBy,
        // The approval task goes to the management role only; the task store enforced it.
        roles: ['management'],
        acceptAboveAppetite: settings.acceptAboveAppetite.includes(d.completedBy),
      },
      matrix: settings.matrix,
    })
  return { allowed: true }
}

/**
 * Records management's decision on a round, idempotently (one entry per task): refused
 * decisions are recorded with their reason and leave the risk as it was; a request for changes
 * or a rejection sends the plan back; an approval records the approval, opens the measures
 * (owners, due times, timeouts) or, for an acceptance, the acceptance with expiry and the time
 * the re-approval round opens.
 */
export const handler = defineStep({
  name: 'risk-decision',
  input: decisionInput,
  async run(input, deps): Promise<DecisionResult> {
    const { records, now } = deps
    const org = records.forOrg(input.orgId)
    const d = input.decision
    const stored = await org.get<RiskData>(RISK, input.riskId)
    const done = stored?.data.decisions.find((x) => x.taskId === d.taskId)
    if (done) return done.result
    const { settings } = await loadRiskSettings(org)
    let result: DecisionResult | undefined
    await org
      .mutate<RiskData>(
        RISK,
        input.riskId,
        (data) => {
          const done = data.decisions.find((x) => x.taskId === d.taskId)
          if (done) {
            result = done.result
            return data
          }
          const at = now()
          const today = toIsoDate(at)
          const outcome = d.answers.decision.outcome
          const verdict = check(data, input.riskId, input, settings)
          const round = data.rounds.find((r) => r.key === input.key)
          const base = {
            riskOwnerId: data.ownerId,
            riskTitle: data.title,
            measures: [] as MeasureAssignment[],
            comment: d.answers.decision.comment,
          }
          if (!verdict.allowed) {
            result = { ...base, status: 'refused', code: verdict.code, reason: verdict.reason }
            if (verdict.code === 'outdated_snapshot' && round) {
              round.status = 'outdated'
              round.decidedAt = at.toISOString()
              data.status = 'treatment-planned'
            }
          } else if (outcome !== 'approve') {
            result = { ...base, status: outcome === 'reject' ? 'rejected' : 'changes-requested' }
            if (round) {
              round.status = result.status as 'rejected' | 'changes-requested'
              round.decidedAt = at.toISOString()
            }
            data.status = 'treatment-planned'
          } else {
            const plan = data.plan!
            data.approval = {
              round: input.round,
              hash: input.hash,
              option: plan.option,
              at: at.toISOString(),
              by: d.completedBy,
              byName: d.completedByName,
            }
            if (round) {
              round.status = plan.option === 'accept' ? 'accepted' : 'approved'
              round.decidedAt = at.toISOString()
            }
            if (plan.option === 'accept') {
              const dates = acceptanceDates(today, settings.appetite)
              data.acceptance = {
                round: input.round,
                decidedOn: today,
                ...dates,
                reapprovalAt: reapprovalAt(dates.reapprovalOn, today),
                by: d.completedBy,
                byName: d.completedByName,
                status: 'active',
              }
              data.status = 'accepted'
              result = { ...base, status: 'accepted', acceptance: data.acceptance }
            } else {
              if (data.acceptance) data.acceptance.status = 'superseded'
              const progress: RiskData['measureProgress'] = {}
              const measures: MeasureAssignment[] = []
              for (const m of plan.measures) {
                const before = data.measureProgress[m.id]
                if (before?.status === 'done') {
                  progress[m.id] = before
                  continue
                }
                progress[m.id] = { status: 'open' }
                const dueAt = endOfDueDate(m.dueDate)
                measures.push({
                  id: m.id,
                  description: m.description,
                  ownerId: m.ownerId,
                  dueDate: m.dueDate,
                  dueAt,
                  timeoutSeconds: secondsUntil(at, dueAt),
                })
              }
              data.measureProgress = progress
              data.status = 'approved'
              result = { ...base, status: 'approved', measures }
            }
          }
          const entry: RiskDecision = {
            taskId: d.taskId,
            round: input.round,
            outcome,
            comment: d.answers.decision.comment,
            by: d.completedBy,
            byName: d.completedByName,
            at: d.completedAt,
            hash: input.hash,
            option: data.plan?.option ?? null,
            status: verdict.allowed ? 'recorded' : 'refused',
            code: verdict.allowed ? undefined : verdict.code,
            reason: verdict.allowed ? undefined : verdict.reason,
            result: result!,
          }
          data.decisions.push(entry)
          return data
        },
        { actor: { userId: d.completedBy, name: d.completedByName }, action: 'risk.decision' },
      )
      .catch((err) => {
        if (err instanceof NotFoundError)
          throw new StepError('Risk.Closed', `risk ${input.riskId} no longer exists`)
        throw err
      })
    return result!
  },
})
