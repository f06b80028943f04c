import { RemovalPolicy, Stack } from 'aws-cdk-lib'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import * as scheduler from 'aws-cdk-lib/aws-scheduler'
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions'
import { Construct } from 'constructs'
import { RESOURCE_PREFIX } from '../../functions/steps/registry.js'
import { REMINDERS_SCHEDULE } from '../../functions/steps/task-reminders.js'
import type { MachineArns } from './arns.js'

/** The workflow that periodic schedules start (issue 8). */
export const REVIEW_WORKFLOW = 'periodic-review'

/** Inputs of the scheduling setup. */
export interface SchedulingProps {
  /** State machines per workflow basename. */
  machines: Map<string, sfn.IStateMachine>
  arns: MachineArns
  /**
   * The schedules' target Lambda (`review-schedule-target`): it turns the scheduled time into
   * the execution name and starts the review machine. Given, the role may invoke only it.
   */
  target?: lambda.IFunction
  /** The hourly task-reminder sweep (`task-reminders`): a schedule of its own invokes it. */
  reminders?: lambda.IFunction
}

/**
 * EventBridge Scheduler for periodic reviews: the schedule group `ismsflow` (the API creates
 * one schedule per programme entry in it) and the role the scheduler assumes, only from this
 * account's scheduler. With a target Lambda the role may invoke only that Lambda (it starts
 * the review machine named after the occurrence: the scheduled time's colons are not allowed
 * in execution names); without one, it may start the review state machine, only that one when
 * it exists (otherwise ismsflow machines).
 */
export class Scheduling extends Construct {
  readonly group: scheduler.ScheduleGroup
  readonly role: iam.Role
  /** `arn:…:schedule/ismsflow/*`: the schedules the API may manage. */
  readonly schedulesArn: string

  constructor(scope: Construct, id: string, props: SchedulingProps) {
    super(scope, id)
    const stack = Stack.of(this)
    // Goes with the stack (its schedules target the stack's Lambda), so a new stack can take the name again.
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: RESOURCE_PREFIX,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    this.schedulesArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${RESOURCE_PREFIX}/*`,
    })
    this.role = new iam.Role(this, 'Role', {
      description: 'Assumed by EventBridge Scheduler to start ismsflow review workflows',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    })
    if (props.reminders) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [props.reminders.functionArn],
        }),
      )
      new scheduler.CfnSchedule(this, 'Reminders', {
        name: REMINDERS_SCHEDULE.name,
        description: 'ismsflow: hourly task reminders (due soon, due today, overdue) to each organisation',
        scheduleExpression: REMINDERS_SCHEDULE.expression,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: props.reminders.functionArn,
          roleArn: this.role.roleArn,
          input: JSON.stringify(REMINDERS_SCHEDULE.input),
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        },
      })
    }
    const review = props.machines.get(REVIEW_WORKFLOW)
    if (props.target)
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [props.target.functionArn],
        }),
      )
    else
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['states:StartExecution'],
          resources: [review ? review.stateMachineArn : props.arns.machines],
        }),
      )
  }

  /** Lets `grantee` create, update, delete and read schedules in the group, and hand the role to the scheduler. */
  grantManageSchedules(grantee: iam.IGrantable) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
        ],
        resources: [this.schedulesArn],
      }),
    )
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    )
  }
}
