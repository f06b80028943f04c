/**
 * The EventBridge Scheduler adapter of the schedule port: one schedule per review
 * programme entry in the `ismsflow` group, targeting the review-schedule-target Lambda,
 * which starts the review named after the occurrence. Configured by the CDK app through
 * SCHEDULE_GROUP_NAME, SCHEDULE_TARGET_ARN and SCHEDULER_ROLE_ARN.
 */
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler'
import type { SchedulePort, ScheduleSpec } from './schedules.js'

/** Where schedules go and what they start. */
export interface AwsSchedulerConfig {
  region: string
  groupName: string
  targetArn: string
  roleArn: string
}

/** Reads the scheduler settings from the environment; undefined when any is missing. */
export function awsSchedulerConfig(env = process.env): AwsSchedulerConfig | undefined {
  const { SCHEDULE_GROUP_NAME, SCHEDULE_TARGET_ARN, SCHEDULER_ROLE_ARN } = env
  if (!SCHEDULE_GROUP_NAME || !SCHEDULE_TARGET_ARN || !SCHEDULER_ROLE_ARN) return undefined
  return {
    region: env.AWS_REGION ?? 'eu-central-1',
    groupName: SCHEDULE_GROUP_NAME,
    targetArn: SCHEDULE_TARGET_ARN,
    roleArn: SCHEDULER_ROLE_ARN,
  }
}

/** Schedule names are unique per group: organisation and entry, in the allowed characters. */
export const scheduleName = (orgId: string, id: string) => `${orgId}--${id}`.slice(0, 64)

/** The CreateSchedule/UpdateSchedule input for an entry (pure, so it can be checked). */
export function scheduleInput(spec: ScheduleSpec, cfg: AwsSchedulerConfig): CreateScheduleCommandInput {
  return {
    Name: scheduleName(spec.orgId, spec.id),
    GroupName: cfg.groupName,
    ScheduleExpression: spec.expression,
    ScheduleExpressionTimezone: spec.timeZone,
    StartDate: spec.startDate ? new Date(spec.startDate) : undefined,
    State: spec.enabled ? 'ENABLED' : 'DISABLED',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: cfg.targetArn,
      RoleArn: cfg.roleArn,
      Input: JSON.stringify({
        orgId: spec.orgId,
        entryId: spec.id,
        scheduledTime: '<aws.scheduler.scheduled-time>',
      }),
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 },
    },
    Description: `ismsflow review programme ${spec.orgId}/${spec.id}`,
  }
}

/** The adapter: update the schedule, create it when it does not exist; delete tolerates a missing one. */
export function awsSchedulePort(
  cfg: AwsSchedulerConfig,
  client = new SchedulerClient({ region: cfg.region }),
): SchedulePort {
  return {
    kind: 'aws',
    assertWritable() {},
    async upsert(spec) {
      const input = scheduleInput(spec, cfg)
      try {
        await client.send(new UpdateScheduleCommand(input))
      } catch (err) {
        if (!(err instanceof ResourceNotFoundException)) throw err
        await client.send(new CreateScheduleCommand(input))
      }
    },
    async remove(orgId, id) {
      try {
        await client.send(
          new DeleteScheduleCommand({ Name: scheduleName(orgId, id), GroupName: cfg.groupName }),
        )
      } catch (err) {
        if (!(err instanceof ResourceNotFoundException)) throw err
      }
    },
  }
}
