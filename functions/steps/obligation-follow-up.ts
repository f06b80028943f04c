import { z } from 'zod'
import { DECISION_RECORD, type DecisionRecord } from '../domain/assessments/index.js'
import { orgIdSchema } from '../domain/org-id.js'
import { STEP_ACTOR, signatureOf, taskResult } from './obligation-common.js'
import { defineStep } from './step.js'

/** Input of the follow-up step: a follow-up escalated, or its task completed. */
export const followUpInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('escalated'),
    orgId: orgIdSchema,
    decisionId: z.string().min(1),
    followUpId: z.string().min(1),
  }),
  z.strictObject({
    action: z.literal('completed'),
    orgId: orgIdSchema,
    decisionId: z.string().min(1),
    followUpId: z.string().min(1),
    result: taskResult,
  }),
])

/**
 * Keeps the decision record's follow-ups current: when one ran late and went to management,
 * and who completed it when, with the note and evidence. Idempotent: a completed follow-up
 * is not changed again; an escalation is noted once.
 */
export const handler = defineStep({
  name: 'obligation-follow-up',
  input: followUpInput,
  async run(input, deps) {
    const { records, now } = deps
    const org = records.forOrg(input.orgId)
    const rec = await org.get<DecisionRecord>(DECISION_RECORD, input.decisionId)
    const current = rec?.data.followUps.find((f) => f.id === input.followUpId)
    if (!rec || !current) return { changed: false }
    if (current.status !== 'open') return { changed: false, status: current.status }
    if (input.action === 'escalated' && current.escalatedAt) return { changed: false, status: current.status }
    const at = now().toISOString()
    const saved = await org.mutate<DecisionRecord>(
      DECISION_RECORD,
      rec.id,
      (d) => {
        const f = d.followUps.find((x) => x.id === input.followUpId)
        if (f?.status !== 'open') return d
        if (input.action === 'escalated') f.escalatedAt ??= at
        else {
          const a = input.result.answers
          f.status = a.outcome === 'not-applicable' ? 'not-applicable' : 'done'
          f.completed = {
            ...signatureOf(input.result),
            ...(typeof a.note === 'string' && a.note.trim() ? { note: a.note.trim() } : {}),
            ...(Array.isArray(a.evidence) && a.evidence.length ? { evidence: a.evidence } : {}),
          }
        }
        return d
      },
      { actor: STEP_ACTOR, action: `obligation-decision.follow-up-${input.action}` },
    )
    return {
      changed: true,
      status: saved.data.followUps.find((f) => f.id === input.followUpId)?.status,
    }
  },
})
