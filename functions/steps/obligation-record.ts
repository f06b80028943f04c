import { z } from 'zod'
import {
  addMonthsIso,
  adjustmentSchema,
  carryOver,
  DECISION_RECORD,
  type DecisionRecord,
  decisionTitle,
  diffDecisions,
  followUpsFor,
  judgementResolutionSchema,
  needsTask,
  outcomeOf,
  REASSESS_AFTER_MONTHS,
  summaryLine,
} from '../domain/assessments/index.js'
import { ConflictError } from '../domain/errors.js'
import { companyProfileSchema, obligationDecisionSchema, RULES_VERSION } from '../domain/obligations/index.js'
import { orgIdSchema } from '../domain/org-id.js'
import { secondsUntil } from '../domain/timeouts.js'
import { lastSequence } from '../store/obligation-decisions.js'
import type { OrgRecords, StoredRecord } from '../store/records.js'
import { STEP_ACTOR, signatureOf, taskResult } from './obligation-common.js'
import { defineStep, StepError } from './step.js'

/** Input of the record step: everything the decision record keeps. */
export const recordInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('record'),
    orgId: orgIdSchema,
    executionArn: z.string().min(1),
    executionName: z.string().min(1).max(80),
    previousDecisionId: z.string().min(1).nullable(),
    questionnaire: taskResult,
    profile: companyProfileSchema,
    evaluated: obligationDecisionSchema,
    reviewed: z.object({
      outcome: z.enum(['confirm', 'adjust']),
      decision: obligationDecisionSchema,
      judgements: z.array(judgementResolutionSchema),
      adjustments: z.array(adjustmentSchema),
    }),
    review: taskResult,
    acknowledgement: taskResult,
  }),
  /** A decision recorded outside this execution (the demo seed, an import): its follow-ups and re-assessment run here. */
  z.strictObject({
    action: z.literal('adopt'),
    orgId: orgIdSchema,
    decisionId: z.string().min(1).max(120),
  }),
])

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)

/** What the workflow continues with: the follow-up tasks to open and when to re-assess. */
function afterRecord(rec: StoredRecord<DecisionRecord>, now: Date) {
  const d = rec.data
  return {
    decisionId: rec.id,
    sequence: d.sequence,
    decidedAt: d.decidedAt,
    reassessAt: d.reassessAt,
    summary: d.summary,
    title: d.title,
    followUps: d.followUps.filter(needsTask).map((f) => ({
      id: f.id,
      title: f.title,
      detail: f.detail,
      ref: f.ref,
      dueAt: f.dueAt,
      assignee: f.assignee,
      timeoutSeconds: secondsUntil(now, f.dueAt),
    })),
  }
}

/** The next decision's sequence: one above the highest recorded (read by key, `store/obligation-decisions.ts`). */
async function nextSequence(org: OrgRecords) {
  return (await lastSequence(org)) + 1
}

/**
 * Records the decision as a dated, versioned record (`obligation-decision`, id = the
 * execution name): the questionnaire's answers, the profile, what the rules said and the
 * decision after review, reasons, judgements and adjustments, who filled in, reviewed and
 * acknowledged when, what changed since the previous decision, the follow-ups with their due
 * dates and when the next assessment opens. Marks the previous decision as superseded.
 * Idempotent: a repeat finds the record and answers the same. `adopt` answers the same for a
 * decision recorded elsewhere.
 */
export const handler = defineStep({
  name: 'obligation-record',
  input: recordInput,
  async run(input, deps) {
    const { records, now } = deps
    const org = records.forOrg(input.orgId)

    if (input.action === 'adopt') {
      const rec = await org.get<DecisionRecord>(DECISION_RECORD, input.decisionId)
      if (!rec) throw new StepError('Obligation.NotFound', `decision ${input.decisionId} does not exist`)
      return afterRecord(rec, now())
    }

    const existing = await org.get<DecisionRecord>(DECISION_RECORD, input.executionName)
    if (existing) return afterRecord(existing, now())

    const prev = input.previousDecisionId
      ? await org.get<DecisionRecord>(DECISION_RECORD, input.previousDecisionId)
      : undefined
    const decision = input.reviewed.decision
    const evaluated = input.evaluated
    const decidedAt = input.acknowledgement.completedAt
    const sequence = await nextSequence(org)
    const outcome = outcomeOf(decision)
    const ack = input.acknowledgement.answers.acknowledgement as { name?: string } | undefined
    const review = input.review.answers
    const data: DecisionRecord = {
      title: decisionTitle(sequence, decidedAt),
      summary: summaryLine(outcome),
      sequence,
      decidedAt,
      rulesVersion: decision.basis?.rulesVersion ?? RULES_VERSION,
      execution: { arn: input.executionArn, name: input.executionName },
      previousDecisionId: prev ? prev.id : null,
      inputs: {
        formId: 'obligation-questionnaire',
        formVersion: input.questionnaire.formVersion,
        answers: input.questionnaire.answers,
        filledBy: signatureOf(input.questionnaire),
      },
      profile: input.profile,
      evaluated,
      decision,
      outcome,
      judgements: input.reviewed.judgements,
      adjustments: input.reviewed.adjustments,
      review: {
        outcome: input.reviewed.outcome,
        ...(str(review.justification) ? { justification: str(review.justification) } : {}),
        ...(str(review.judgementNotes) ? { judgementNotes: str(review.judgementNotes) } : {}),
        ...(str(review.comment) ? { comment: str(review.comment) } : {}),
        by: signatureOf(input.review),
      },
      acknowledgement: {
        typedName: str(ack?.name) ?? '',
        statement: {
          en: 'Acknowledged on behalf of the management, including the duties of §38 BSIG.',
          de: 'Für die Geschäftsleitung zur Kenntnis genommen, einschließlich der Pflichten nach §38 BSIG.',
        },
        ...(str(input.acknowledgement.answers.comment)
          ? { comment: str(input.acknowledgement.answers.comment) }
          : {}),
        by: signatureOf(input.acknowledgement),
      },
      changes: prev
        ? diffDecisions(
            { decision: prev.data.decision, profile: prev.data.profile },
            { decision, profile: input.profile },
          )
        : null,
      followUps: carryOver(followUpsFor(decision, decidedAt), prev?.data.followUps, prev?.id ?? null),
      reassessAt: addMonthsIso(decidedAt, REASSESS_AFTER_MONTHS),
    }
    let rec: StoredRecord<DecisionRecord>
    try {
      rec = await org.create<DecisionRecord>(DECISION_RECORD, input.executionName, data, {
        actor: STEP_ACTOR,
        action: 'obligation-decision.record',
      })
    } catch (err) {
      // Recorded by an earlier invocation that raced this one.
      if (!(err instanceof ConflictError)) throw err
      rec = await org.require<DecisionRecord>(DECISION_RECORD, input.executionName)
    }
    if (prev && prev.data.supersededBy !== rec.id)
      await org.mutate<DecisionRecord>(DECISION_RECORD, prev.id, (d) => ({ ...d, supersededBy: rec.id }), {
        actor: STEP_ACTOR,
        action: 'obligation-decision.supersede',
      })
    return afterRecord(rec, now())
  },
})
