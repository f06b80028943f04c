/**
 * The one registry of step functions (Lambda handlers that state machines invoke). The CDK
 * app creates a Lambda per entry, bundled from its `entry`; the local engine calls the same
 * handler in-process (`handlers.ts`) when a definition names that function. Definitions refer to them through substitutions
 * (`"FunctionName": "${HumanTaskFunctionArn}"`), filled by `definitionSubstitutions`.
 */
export interface StepFunctionSpec {
  /** Substitution key stem: `${<key>Arn}` and `${<key>Name}` in definitions. */
  key: string
  /** Lambda function name suffix: deployed as `ismsflow-<name>`. */
  name: string
  /** Module path from the repository root; it exports `handler(event)`. */
  entry: string
  /** What it does (shown in the Lambda console). */
  description: string
  /** DynamoDB access it needs: least privilege in the CDK app. */
  tableAccess: 'none' | 'read' | 'readwrite'
  /** Whether it calls Step Functions (SendTask*, StartExecution). */
  sfnAccess?: boolean
  /** Whether it e-mails people (SES on AWS, from `MailFrom` only): task assigned, reminders, escalations. */
  sendsMail?: boolean
  /** Lambda's time limit when longer than a step's usual 29 s (a migration's pages). */
  timeoutSeconds?: number
}

export const STEP_FUNCTIONS: StepFunctionSpec[] = [
  {
    key: 'HumanTaskFunction',
    name: 'human-task',
    entry: 'functions/steps/human-task.ts',
    description: 'Creates a human task (inbox item) for a waiting workflow step and keeps its token',
    tableAccess: 'readwrite',
    sendsMail: true,
  },
  {
    key: 'CloseTaskFunction',
    name: 'close-task',
    entry: 'functions/steps/close-task.ts',
    description:
      "Closes inbox tasks whose token ended unanswered: a Catch on a human task's timeout, the EventBridge rule on stopped, failed and timed-out executions",
    tableAccess: 'readwrite',
    sfnAccess: true,
  },
  {
    key: 'TaskRemindersFunction',
    name: 'task-reminders',
    entry: 'functions/steps/task-reminders.ts',
    description:
      "Hourly sweep (EventBridge schedule): writes due, due-today and overdue task reminders to each organisation's outbox once",
    tableAccess: 'readwrite',
    sendsMail: true,
  },
  {
    key: 'RiskFreezeFunction',
    name: 'risk-freeze',
    entry: 'functions/steps/risk-freeze.ts',
    description:
      'Risk treatment: freezes the risk and plan as a hashed snapshot and opens a numbered approval round',
    tableAccess: 'readwrite',
  },
  {
    key: 'RiskDecisionFunction',
    name: 'risk-decision',
    entry: 'functions/steps/risk-decision.ts',
    description:
      'Risk treatment: checks four-eyes, snapshot hash and appetite, records the decision on the risk',
    tableAccess: 'readwrite',
  },
  {
    key: 'RiskProgressFunction',
    name: 'risk-progress',
    entry: 'functions/steps/risk-progress.ts',
    description:
      'Risk treatment: records measure escalations and completion, the verification and withdrawals',
    tableAccess: 'readwrite',
  },
  {
    key: 'CertificationPlanFunction',
    name: 'certification-plan',
    entry: 'functions/steps/certification-plan.ts',
    description:
      'Certification workflow: waves, the next milestone with due dates, readiness, evidence owners, findings',
    tableAccess: 'read',
  },
  {
    key: 'CertificationRecordFunction',
    name: 'certification-record',
    entry: 'functions/steps/certification-record.ts',
    description:
      'Certification workflow: records milestones, audits, corrective actions, the Stage 1 gate and the certificate',
    tableAccess: 'readwrite',
  },
  {
    key: 'ReviewPrepareFunction',
    name: 'review-prepare',
    entry: 'functions/steps/review-prepare.ts',
    description:
      'Periodic review: opens the cycle of an occurrence (previous cycle, changes since, management review package)',
    tableAccess: 'readwrite',
  },
  {
    key: 'ReviewRecordFunction',
    name: 'review-record',
    entry: 'functions/steps/review-record.ts',
    description:
      'Periodic review: records overdue, escalation, answers, sign-off, the result with its period and actions',
    tableAccess: 'readwrite',
    sendsMail: true,
  },
  {
    key: 'ReviewScheduleTargetFunction',
    name: 'review-schedule-target',
    entry: 'functions/steps/review-schedule-target.ts',
    description:
      'EventBridge Scheduler target: starts periodic-review named after the occurrence (exactly once)',
    tableAccess: 'none',
    sfnAccess: true,
  },
  {
    key: 'ObligationPrepareFunction',
    name: 'obligation-prepare',
    entry: 'functions/steps/obligation-prepare.ts',
    description: 'Obligation assessment: title and, when re-assessing, the previous decision (prefill, diff)',
    tableAccess: 'read',
  },
  {
    key: 'ObligationEvaluateFunction',
    name: 'obligation-evaluate',
    entry: 'functions/steps/obligation-evaluate.ts',
    description: 'Obligation assessment: questionnaire answers to profile to decision (pure rules)',
    tableAccess: 'none',
  },
  {
    key: 'ObligationReviewFunction',
    name: 'obligation-review',
    entry: 'functions/steps/obligation-review.ts',
    description: 'Obligation assessment: applies the ISO review (judgements, adjustments with justification)',
    tableAccess: 'none',
  },
  {
    key: 'ObligationRecordFunction',
    name: 'obligation-record',
    entry: 'functions/steps/obligation-record.ts',
    description: 'Obligation assessment: records the dated, versioned decision with its follow-ups',
    tableAccess: 'readwrite',
  },
  {
    key: 'ObligationNextFunction',
    name: 'obligation-next',
    entry: 'functions/steps/obligation-next.ts',
    description: 'Obligation assessment: decides whether the yearly re-assessment starts now',
    tableAccess: 'read',
  },
  {
    key: 'ObligationFollowUpFunction',
    name: 'obligation-follow-up',
    entry: 'functions/steps/obligation-follow-up.ts',
    description: 'Obligation assessment: notes escalations and completion of follow-up tasks on the decision',
    tableAccess: 'readwrite',
  },
  {
    key: 'IncidentPlanFunction',
    name: 'incident-plan',
    entry: 'functions/steps/incident-plan.ts',
    description:
      'Incident workflow: the reporting clocks due and not yet tracked (due time, 50 %/90 % marks, draft), else closing or the end',
    tableAccess: 'readwrite',
  },
  {
    key: 'IncidentRecordFunction',
    name: 'incident-record',
    entry: 'functions/steps/incident-record.ts',
    description:
      'Incident workflow: records the triage, reports sent, reminders, escalations to management and the closing',
    tableAccess: 'readwrite',
    sendsMail: true,
  },
  {
    key: 'AwarenessRecordFunction',
    name: 'awareness-record',
    entry: 'functions/steps/awareness-record.ts',
    description:
      'Awareness campaign: records acknowledgements (with quiz scores), overdue escalations, follow-ups and the completion rate',
    tableAccess: 'readwrite',
  },
  {
    key: 'BsiRegistrationSyncFunction',
    name: 'bsi-registration-sync',
    entry: 'functions/steps/bsi-registration-sync.ts',
    description:
      'BSI registration (BSIG §33): after a decision, opens, updates or closes the registration and starts its round',
    tableAccess: 'readwrite',
    sfnAccess: true,
  },
  {
    key: 'BsiRegistrationRecordFunction',
    name: 'bsi-registration-record',
    entry: 'functions/steps/bsi-registration-record.ts',
    description:
      'BSI registration workflow: the task of the round (pre-filled data, due date) and the submission as evidence',
    tableAccess: 'readwrite',
  },
  {
    key: 'ReindexFunction',
    name: 'reindex',
    entry: 'functions/steps/reindex.ts',
    description:
      "Re-index on deploy (custom resource): starts the reindex machine, whose steps build each organisation's indexes written by an older version, a page of organisations at a time",
    tableAccess: 'readwrite',
    sfnAccess: true,
    timeoutSeconds: 600,
  },
]

/** Name prefix for every deployed resource. */
export const RESOURCE_PREFIX = 'ismsflow'

export const functionName = (spec: Pick<StepFunctionSpec, 'name'>) => `${RESOURCE_PREFIX}-${spec.name}`

/** Finds a step by its Lambda function name or ARN (`arn:aws:lambda:<region>:<acct>:function:<name>[:qualifier]`). */
export function stepByFunction(nameOrArn: string): StepFunctionSpec | undefined {
  const m = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(:.*)?$/.exec(nameOrArn)
  const name = m ? m[1] : nameOrArn
  return STEP_FUNCTIONS.find((s) => functionName(s) === name)
}

/**
 * Substitutions for `workflows/*.asl.json`, the same on AWS (CDK `definitionSubstitutions`)
 * and locally (the engine registers each definition with these filled in).
 */
export function definitionSubstitutions(ctx: {
  region: string
  account: string
  tableName: string
  /** `arn:aws:states:<region>:<account>:stateMachine:ismsflow-` */
  stateMachineArnPrefix: string
  /** Lambda ARN of a registry entry (CDK passes the real one; locally it is built). */
  functionArn?: (spec: StepFunctionSpec) => string
  /** SNS topic for notifications (`${NotificationsTopicArn}`); CDK passes the real one. */
  notificationsTopicArn?: string
}): Record<string, string> {
  const arn =
    ctx.functionArn ?? ((s) => `arn:aws:lambda:${ctx.region}:${ctx.account}:function:${functionName(s)}`)
  const subs: Record<string, string> = {
    TableName: ctx.tableName,
    StateMachineArnPrefix: ctx.stateMachineArnPrefix,
    Region: ctx.region,
    Account: ctx.account,
    NotificationsTopicArn:
      ctx.notificationsTopicArn ??
      `arn:aws:sns:${ctx.region}:${ctx.account}:${RESOURCE_PREFIX}-notifications`,
  }
  for (const s of STEP_FUNCTIONS) {
    subs[`${s.key}Arn`] = arn(s)
    subs[`${s.key}Name`] = functionName(s)
  }
  return subs
}

/** Replaces `${Key}` occurrences in a definition's text; an unknown key is an error naming it. */
export function substitute(definition: string, subs: Record<string, string>): string {
  return definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, key: string) => {
    if (!(key in subs)) throw new Error(`definition substitution \${${key}} is not defined`)
    return subs[key]
  })
}
