import { describe, expect, it } from 'vitest'
import { readConfig } from '../../../functions/config.js'
import { awsSchedulerConfig, scheduleInput, scheduleName } from '../../../functions/schedules/aws.js'

const cfg = {
  region: 'eu-central-1',
  groupName: 'ismsflow',
  targetArn: 'arn:aws:lambda:eu-central-1:1:function:ismsflow-review-schedule-target',
  roleArn: 'arn:aws:iam::1:role/sched',
}

describe('EventBridge Scheduler adapter', () => {
  it('maps a programme entry to one schedule in the group, with the occurrence time for the target', () => {
    const input = scheduleInput(
      {
        orgId: 'nordlicht',
        id: 'risk-review',
        expression: 'cron(0 9 1 1,4,7,10 ? *)',
        timeZone: 'Europe/Berlin',
        startDate: '2026-01-01',
        enabled: true,
        payload: {},
      },
      cfg,
    )
    expect(input).toMatchObject({
      Name: 'nordlicht--risk-review',
      GroupName: 'ismsflow',
      ScheduleExpression: 'cron(0 9 1 1,4,7,10 ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: cfg.targetArn, RoleArn: cfg.roleArn },
    })
    expect(JSON.parse(input.Target!.Input!)).toEqual({
      orgId: 'nordlicht',
      entryId: 'risk-review',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    })
    expect(input.StartDate?.toISOString()).toBe('2026-01-01T00:00:00.000Z')
  })

  it('keeps a paused entry as a disabled schedule and names stay within 64 characters', () => {
    expect(
      scheduleInput(
        { orgId: 'o1', id: 'x', expression: 'rate(1 day)', timeZone: 'UTC', enabled: false, payload: {} },
        cfg,
      ).State,
    ).toBe('DISABLED')
    expect(scheduleName('a'.repeat(63), 'b'.repeat(40)).length).toBe(64)
  })

  it('is configured only when group, target and role are all set', () => {
    const secret = { APP_SECRET: 'a-long-enough-test-secret' }
    expect(
      awsSchedulerConfig(
        readConfig({ ...secret, SCHEDULE_GROUP_NAME: 'ismsflow', SCHEDULE_TARGET_ARN: 'arn:t' }),
      ),
    ).toBeUndefined()
    expect(
      awsSchedulerConfig(
        readConfig({
          ...secret,
          SCHEDULE_GROUP_NAME: 'g',
          SCHEDULE_TARGET_ARN: 't',
          SCHEDULER_ROLE_ARN: 'r',
          AWS_REGION: 'eu-west-1',
        }),
      ),
    ).toEqual({
      region: 'eu-west-1',
      groupName: 'g',
      targetArn: 't',
      roleArn: 'r',
    })
  })
})
