/**
 * Records what the awareness-campaign workflow learns on the campaign record: a person
 * acknowledged (with the quiz score of a training), an acknowledgement ran overdue and was
 * escalated, the manager followed up, the campaign closed with its completion rate.
 * Idempotent: a repeated invocation changes nothing more. A campaign started without a record
 * (a workflow started by hand) is left alone.
 */
import { z } from 'zod'
import {
  applyAcknowledged,
  applyClosed,
  applyFollowedUp,
  applyOverdue,
  type CampaignData,
  completion,
} from '../domain/awareness/index.js'
import { CAMPAIGN } from '../store/awareness.js'
import { defineStep } from './step.js'

/** The actor written to the audit log for changes this step makes. */
export const AWARENESS_ACTOR = { userId: 'system:workflow', name: 'Awareness campaign' }

const taskResult = z.looseObject({
  answers: z.record(z.string(), z.unknown()),
  completedBy: z.string(),
  completedByName: z.string().optional(),
  completedAt: z.string(),
})
const base = { orgId: z.string().min(2), campaignId: z.string().min(1).max(100) }
const userId = z.string().min(1).max(100)

/** Input of the record step, by action. */
export const awarenessRecordInput = z.discriminatedUnion('action', [
  z.strictObject({ ...base, action: z.literal('acknowledged'), userId, result: taskResult }),
  z.strictObject({ ...base, action: z.literal('overdue'), userId }),
  z.strictObject({ ...base, action: z.literal('followed-up'), userId, result: taskResult }),
  z.strictObject({ ...base, action: z.literal('closed') }),
])

export const handler = defineStep({
  name: 'awareness-record',
  input: awarenessRecordInput,
  async run(input, deps) {
    const { records, now } = deps
    const org = records.forOrg(input.orgId)
    const current = await org.get<CampaignData>(CAMPAIGN, input.campaignId)
    if (!current) return { recorded: false }
    const at = now().toISOString()
    const change = (d: CampaignData): CampaignData => {
      switch (input.action) {
        case 'acknowledged':
          return applyAcknowledged(d, input.userId, input.result.completedAt, input.result.answers)
        case 'overdue':
          return applyOverdue(d, input.userId, at)
        case 'followed-up':
          return applyFollowedUp(d, input.userId, {
            answer: String(input.result.answers.followUp ?? 'noted'),
            at: input.result.completedAt,
            ...(input.result.completedByName ? { byName: input.result.completedByName } : {}),
          })
        case 'closed':
          return applyClosed(d, at)
      }
    }
    if (JSON.stringify(change(current.data)) === JSON.stringify(current.data))
      return { recorded: false, rate: completion(current.data.people).rate }
    // Many people acknowledge at once: mutate re-reads and retries on a concurrent change.
    const saved = await org.mutate<CampaignData>(
      CAMPAIGN,
      input.campaignId,
      change,
      { actor: AWARENESS_ACTOR, action: `awareness.${input.action}` },
      20,
    )
    return { recorded: true, rate: completion(saved.data.people).rate }
  },
})
