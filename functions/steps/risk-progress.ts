import { z } from 'zod'
import { residualProblems } from '../domain/risk/index.js'
import { loadRiskSettings, RISK, type RiskData } from '../store/risk-register.js'
import { STEP_ACTOR } from './risk-common.js'
import { defineStep, StepError } from './step.js'

const completed = z.object({
  taskId: z.string().min(1),
  answers: z.record(z.string(), z.unknown()),
  completedBy: z.string().min(1),
  completedByName: z.string().optional(),
  completedAt: z.string().min(1),
})

const base = { orgId: z.string().min(2), riskId: z.string().min(1) }

/** Input of the progress step: one of the things that happen to an approved treatment. */
export const progressInput = z.discriminatedUnion('action', [
  z.strictObject({
    ...base,
    action: z.literal('escalated'),
    measureId: z.string().min(1),
    level: z.enum(['risk-owner', 'management']),
  }),
  z.strictObject({
    ...base,
    action: z.literal('measure'),
    measureId: z.string().min(1),
    result: completed,
    escalation: z.enum(['risk-owner', 'management']).nullable().default(null),
  }),
  z.strictObject({ ...base, action: z.literal('verify'), result: completed }),
  z.strictObject({ ...base, action: z.literal('withdraw'), key: z.string().min(1), result: completed }),
])

/** What the verification answers: done, or the problems to show when the task opens again. */
export type VerifyResult = { ok: true } | { ok: false; problems: Record<string, string> }

const text = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** Whether the event was recorded before (a repeated invocation writes nothing). */
function alreadyRecorded(d: RiskData, input: z.infer<typeof progressInput>): boolean {
  switch (input.action) {
    case 'escalated': {
      const p = d.measureProgress[input.measureId]
      return !p || p.status === 'done' || p.escalated === input.level
    }
    case 'measure':
      return d.measureProgress[input.measureId]?.status === 'done'
    case 'verify':
      return d.verification?.taskId === input.result.taskId
    case 'withdraw':
      return d.rounds.find((r) => r.key === input.key)?.status === 'withdrawn' && !d.execution
  }
}

/**
 * Records progress on the risk, idempotently: a measure escalated or done (by whom, with the
 * owner's note), the ISO's verification (achieved residual within the scale and not above the
 * inherent values; then the risk is `treated`), or the ISO withdrawing a plan sent back.
 */
export const handler = defineStep({
  name: 'risk-progress',
  input: progressInput,
  async run(input, deps): Promise<VerifyResult | { ok: true }> {
    const { records, now } = deps
    const org = records.forOrg(input.orgId)
    const rec = await org.get<RiskData>(RISK, input.riskId)
    if (!rec) throw new StepError('Risk.Closed', `risk ${input.riskId} no longer exists`)
    const at = now().toISOString()

    if (input.action === 'verify') {
      const { settings } = await loadRiskSettings(org)
      const a = input.result.answers
      const problems = residualProblems(
        { residualLikelihood: a.residualLikelihood, residualImpact: a.residualImpact },
        rec.data,
        settings.matrix,
      )
      if (Object.keys(problems).length > 0) return { ok: false, problems }
    }

    if (alreadyRecorded(rec.data, input)) return { ok: true }
    const actor =
      'result' in input
        ? { userId: input.result.completedBy, name: input.result.completedByName }
        : STEP_ACTOR
    await org.mutate<RiskData>(
      RISK,
      input.riskId,
      (d) => {
        if (alreadyRecorded(d, input)) return d
        switch (input.action) {
          case 'escalated': {
            const p = d.measureProgress[input.measureId]!
            p.escalated = input.level
            p.escalatedAt = at
            return d
          }
          case 'measure': {
            const p = d.measureProgress[input.measureId] ?? { status: 'open' }
            d.measureProgress[input.measureId] = {
              ...p,
              status: 'done',
              taskId: input.result.taskId,
              completedBy: input.result.completedBy,
              completedByName: input.result.completedByName,
              completedAt: input.result.completedAt,
              note: text(input.result.answers.summary),
            }
            return d
          }
          case 'verify': {
            const a = input.result.answers
            d.verification = {
              taskId: input.result.taskId,
              at: input.result.completedAt,
              by: input.result.completedBy,
              byName: input.result.completedByName,
              residualLikelihood: a.residualLikelihood as number,
              residualImpact: a.residualImpact as number,
              note: text(a.effectiveness),
            }
            d.residualLikelihood = a.residualLikelihood as number
            d.residualImpact = a.residualImpact as number
            d.status = 'treated'
            delete d.execution
            return d
          }
          case 'withdraw': {
            const round = d.rounds.find((r) => r.key === input.key)
            if (round) round.status = 'withdrawn'
            if (d.status === 'in-approval') d.status = 'treatment-planned'
            delete d.execution
            return d
          }
        }
      },
      { actor, action: `risk.${input.action}` },
    )
    return { ok: true }
  },
})
