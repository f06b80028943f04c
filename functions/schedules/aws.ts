/**
 * The EventBridge Scheduler adapter of the schedule port: one schedule per review
 * programme entry in the `ismsflow` group, targeting the review-schedule-target Lambda,
 * which starts the review named after the occurrence. Configured by the CDK app through
 * SCHEDULE_GROUP_NAME, SCHEDULE_TARGET_ARN and SCHEDULER_ROLE_ARN (`Config.scheduler`).
 */
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler'
import type { Config } from '../config.js'
import type { SchedulePort, ScheduleSpec } from './port.js'

/** Where schedules go and what they start. */
export interface AwsSchedulerConfig {
  region: string
  groupName: string
  targetArn: string
  roleArn: string
}

/** The scheduler settings of a configuration; undefined when it names no scheduler. */
export function awsSchedulerConfig(
  cfg: Pick<Config, 'region' | 'scheduler'>,
): AwsSchedulerConfig | undefined {
  return cfg.scheduler && { region: cfg.region, ...cfg.scheduler }
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
