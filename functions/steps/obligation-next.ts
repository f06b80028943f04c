import { z } from 'zod'
import { DECISION_RECORD, type DecisionRecord, IN_PROGRESS_KINDS } from '../domain/assessments/index.js'
import { orgIdSchema } from '../domain/org-id.js'
import { defineStep, StepError } from './step.js'

/** Input of the next-assessment step: the decision whose re-assessment is due. */
export const nextInput = z.strictObject({ orgId: orgIdSchema, decisionId: z.string().min(1).max(120) })

/** The execution name of the re-assessment after a decision: stable, so a repeat starts nothing new. */
export const nextExecutionName = (orgId: string, rec: Pick<DecisionRecord, 'sequence' | 'reassessAt'>) =>
  `${orgId.slice(0, 40)}-oa-${rec.reassessAt.slice(0, 10).replaceAll('-', '')}-s${rec.sequence + 1}`

/**
 * Decides whether the yearly re-assessment starts now: not when a later decision superseded
 * this one (that decision schedules its own), nor while another assessment is in progress.
 * Answers `{start: true, name, input}` for `states:startExecution` of the same machine, with
 * the decision as `previousDecisionId` so the questionnaire opens pre-filled.
 */
export const handler = defineStep({
  name: 'obligation-next',
  input: nextInput,
  async run(input, deps) {
    const { records, taskStore: tasks } = deps
    const rec = await records.forOrg(input.orgId).get<DecisionRecord>(DECISION_RECORD, input.decisionId)
    if (!rec) throw new StepError('Obligation.NotFound', `decision ${input.decisionId} does not exist`)
    if (rec.data.supersededBy) return { start: false, reason: 'superseded', by: rec.data.supersededBy }
    const name = nextExecutionName(input.orgId, rec.data)
    const busy = (await tasks.openOfKinds(input.orgId, IN_PROGRESS_KINDS)).find(
      (t) => !t.data.workflow.executionArn.endsWith(`:${name}`),
    )
    if (busy) return { start: false, reason: 'in-progress', taskId: busy.id }
    return {
      start: true,
      name,
      input: {
        orgId: input.orgId,
        previousDecisionId: rec.id,
        requestedBy: 'system:workflow',
        assignee: { role: 'iso' },
      },
    }
  },
})
