import { z } from 'zod'
import { endOfDueDate } from '../domain/calendar/due.js'
import {
  diffSnapshots,
  inherentScore,
  planProblems,
  type RiskScore,
  targetScore,
  withinAppetite,
} from '../domain/risk/index.js'
import {
  currentSnapshot,
  loadRiskSettings,
  loadSnapshot,
  RISK,
  type RiskData,
  type RiskRound,
  saveSnapshot,
} from '../store/risk-register.js'
import { inDays, STEP_ACTOR } from './risk-common.js'
import { defineStep, StepError } from './step.js'

/** Input of the freeze step, as `workflows/risk-treatment.asl.json` passes it. */
export const freezeInput = z.strictObject({
  orgId: z.string().min(2),
  riskId: z.string().min(1),
  requestedBy: z.string().min(1),
  reason: z.enum(['submission', 'resubmission', 'reapproval']),
  /** `<execution name>#<cycle>`: the same key finds the same round. */
  key: z.string().min(1).max(200),
  executionArn: z.string().min(1),
  people: z.record(z.string(), z.string()).default({}),
  approvalDueInDays: z.int().min(1).max(365).default(14),
})

/** A score as the approval task shows it (level name and colours included). */
const scoreView = (s: RiskScore) => ({
  likelihood: s.likelihood,
  impact: s.impact,
  score: s.score,
  level: s.level,
  name: s.band.name,
  color: s.band.color,
  textColor: s.band.textColor,
})

/**
 * Freezes the risk and its plan for management: stores the snapshot (canonical, hashed), opens
 * a numbered round on the risk (idempotent by `key`), and answers the approval task's title,
 * due time and context (snapshot, hash, the changes since the previous round, scores, appetite).
 * Throws `Risk.Closed` for a closed or deleted risk and `Risk.NotSubmittable` without a valid plan.
 */
export const handler = defineStep({
  name: 'risk-freeze',
  input: freezeInput,
  async run(input, deps) {
    const { records, now } = deps
    const org = records.forOrg(input.orgId)
    const rec = await org.get<RiskData>(RISK, input.riskId)
    if (!rec) throw new StepError('Risk.Closed', `risk ${input.riskId} no longer exists`)
    if (rec.data.status === 'closed') throw new StepError('Risk.Closed', `risk ${input.riskId} is closed`)
    const { settings } = await loadRiskSettings(org)
    const plan = rec.data.plan
    if (!plan) throw new StepError('Risk.NotSubmittable', `risk ${input.riskId} has no treatment plan`)
    const problems = planProblems(plan, rec.data, { matrix: settings.matrix })
    if (Object.keys(problems).length > 0)
      throw new StepError('Risk.NotSubmittable', `the plan has problems: ${JSON.stringify(problems)}`)

    const { snapshot, hash } = currentSnapshot(rec.id, rec.data)
    await saveSnapshot(org, { riskId: rec.id, hash, snapshot }, STEP_ACTOR)

    const at = now()
    let round = rec.data.rounds.find((r) => r.key === input.key)
    const earlier = round ? rec.data.rounds.filter((r) => r.round < round!.round) : rec.data.rounds
    const previous = earlier.at(-1)
    const previousSnapshot = previous ? await loadSnapshot(org, rec.id, previous.hash) : undefined
    const changes = previous ? diffSnapshots(previousSnapshot ?? null, snapshot) : []
    if (!round) {
      const opened: RiskRound = {
        round: rec.data.rounds.reduce((m, r) => Math.max(m, r.round), 0) + 1,
        key: input.key,
        reason: input.reason,
        hash,
        submittedBy: input.requestedBy,
        submittedAt: at.toISOString(),
        executionArn: input.executionArn,
        status: 'pending',
        changes: changes.length,
      }
      const saved = await org.mutate<RiskData>(
        RISK,
        rec.id,
        (d) => {
          const existing = d.rounds.find((r) => r.key === input.key)
          if (existing) return d
          for (const r of d.rounds) if (r.status === 'pending') r.status = 'superseded'
          opened.round = d.rounds.reduce((m, r) => Math.max(m, r.round), 0) + 1
          d.rounds.push(opened)
          d.status = 'in-approval'
          if (d.execution?.arn !== input.executionArn)
            d.execution = {
              arn: input.executionArn,
              name: input.executionArn.split(':').pop() ?? '',
              startedAt: at.toISOString(),
              startedBy: input.requestedBy,
            }
          return d
        },
        { actor: STEP_ACTOR, action: 'risk.round' },
      )
      round = saved.data.rounds.find((r) => r.key === input.key)!
    }

    const inherent = inherentScore(rec.data, settings.matrix)
    const target = targetScore(plan, settings.matrix)
    const reapproval = input.reason === 'reapproval'
    const expiry = rec.data.acceptance?.status === 'active' ? rec.data.acceptance.expiresOn : undefined
    const dueAt =
      reapproval && expiry && endOfDueDate(expiry) > inDays(at, 1)
        ? endOfDueDate(expiry)
        : inDays(at, input.approvalDueInDays)
    const title = rec.data.title
    const lastDecision = previous
      ? rec.data.decisions.filter((d) => d.round === previous.round && d.status === 'recorded').at(-1)
      : undefined
    return {
      round: round.round,
      key: round.key,
      reason: round.reason,
      hash,
      riskTitle: title,
      riskOwnerId: rec.data.ownerId,
      dueAt,
      title: reapproval
        ? { en: `Re-approve risk ${rec.id}: ${title}`, de: `Risiko ${rec.id} erneut freigeben: ${title}` }
        : {
            en: `Approve the treatment of risk ${rec.id}: ${title}`,
            de: `Behandlung von Risiko ${rec.id} freigeben: ${title}`,
          },
      context: {
        riskId: rec.id,
        round: round.round,
        reason: round.reason,
        hash,
        snapshot,
        changes,
        previousRound: previous
          ? {
              round: previous.round,
              status: previous.status,
              decision: lastDecision
                ? {
                    outcome: lastDecision.outcome,
                    comment: lastDecision.comment,
                    by: lastDecision.by,
                    byName: lastDecision.byName,
                    at: lastDecision.at,
                  }
                : null,
            }
          : null,
        rounds: rec.data.rounds.map((r) => ({
          round: r.round,
          status: r.status,
          submittedAt: r.submittedAt,
        })),
        scores: { inherent: scoreView(inherent), target: scoreView(target) },
        appetite: {
          maxAcceptableLevel: settings.appetite.maxAcceptableLevel,
          targetWithinAppetite: withinAppetite(target, settings.appetite, settings.matrix),
        },
        acceptance: rec.data.acceptance ?? null,
        people: input.people,
      },
    }
  },
})
