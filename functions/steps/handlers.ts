/**
 * Every step of the registry (`registry.ts`) by its name, imported statically: what a
 * composition that runs the steps in-process (the local stack) hands its engine, so nothing
 * loads a step by its source path and the composition can be bundled. The CDK app does not
 * import this module (it bundles each step from its registry `entry` on its own); a unit test
 * checks that both name the same module for every step.
 */
import { handler as awarenessRecord } from './awareness-record.js'
import { handler as bsiRegistrationRecord } from './bsi-registration-record.js'
import { handler as bsiRegistrationSync } from './bsi-registration-sync.js'
import { handler as certificationPlan } from './certification-plan.js'
import { handler as certificationRecord } from './certification-record.js'
import { handler as closeTask } from './close-task.js'
import { handler as humanTask } from './human-task.js'
import { handler as incidentPlan } from './incident-plan.js'
import { handler as incidentRecord } from './incident-record.js'
import { handler as obligationEvaluate } from './obligation-evaluate.js'
import { handler as obligationFollowUp } from './obligation-follow-up.js'
import { handler as obligationNext } from './obligation-next.js'
import { handler as obligationPrepare } from './obligation-prepare.js'
import { handler as obligationRecord } from './obligation-record.js'
import { handler as obligationReview } from './obligation-review.js'
import { handler as reindex } from './reindex.js'
import { handler as reviewPrepare } from './review-prepare.js'
import { handler as reviewRecord } from './review-record.js'
import { handler as reviewScheduleTarget } from './review-schedule-target.js'
import { handler as riskDecision } from './risk-decision.js'
import { handler as riskFreeze } from './risk-freeze.js'
import { handler as riskProgress } from './risk-progress.js'
import type { StepHandler } from './step.js'
import { handler as taskReminders } from './task-reminders.js'

/** The registry's steps by their `name` (`StepFunctionSpec.name`). */
export const STEP_HANDLERS: Readonly<Record<string, StepHandler<unknown>>> = Object.freeze(
  Object.fromEntries(
    [
      humanTask,
      closeTask,
      taskReminders,
      riskFreeze,
      riskDecision,
      riskProgress,
      certificationPlan,
      certificationRecord,
      reviewPrepare,
      reviewRecord,
      reviewScheduleTarget,
      obligationPrepare,
      obligationEvaluate,
      obligationReview,
      obligationRecord,
      obligationNext,
      obligationFollowUp,
      incidentPlan,
      incidentRecord,
      awarenessRecord,
      bsiRegistrationSync,
      bsiRegistrationRecord,
      reindex,
    ].map((step): [string, StepHandler<unknown>] => [step.stepName, step]),
  ),
)
