import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListActivitiesCommand,
  ListTagsForResourceCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * Activities through `@aws-sdk/client-sfn`. AWS, "Learn about Activities in Step Functions"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-activities.html): a Task whose
 * Resource is an activity ARN waits until a worker polls with GetActivityTask and reports with
 * SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat. API_GetActivityTask: "Workers should set
 * their client side socket timeout to at least 65 seconds (5 seconds higher than the maximum
 * time the service may hold the poll request)"; with no task "taskToken … is an empty string"
 * (the SDK shows it absent). API_CreateActivity: "CreateActivity is an idempotent API."
 * History: ActivityScheduled, ActivityStarted (workerName), ActivitySucceeded/Failed/TimedOut.
 */

let t: TestEngine

beforeAll(async () => {
  // A waiting poll must outlast the start of an execution up to its activity, which on a
  // busy shared machine takes more than a few hundred milliseconds.
  t = await testEngine({ activityPollMs: 2_000 })
})

afterAll(async () => {
  await t.close()
})

let n = 0
async function run(activityArn: string, extra: Record<string, unknown> = {}, input: unknown = { job: 1 }) {
  const { stateMachineArn } = await t.sfn.send(
    new CreateStateMachineCommand({
      name: `act-${++n}`,
      roleArn: ROLE,
      definition: JSON.stringify({
        StartAt: 'Work',
        States: {
          Work: {
            Type: 'Task',
            Resource: activityArn,
            Parameters: { 'job.$': '$.job' },
            End: true,
            Catch: [{ ErrorEquals: ['Unrelated'], Next: 'Handled' }],
            ...extra,
          },
          Handled: { Type: 'Pass', Result: 'handled', End: true },
        },
      }),
    }),
  )
  const { executionArn } = await t.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  )
  return executionArn!
}

const closed = (executionArn: string) =>
  until(async () => {
    const d = await t.sfn.send(new DescribeExecutionCommand({ executionArn }))
    return d.status === 'RUNNING' ? undefined : d
  })

const types = async (executionArn: string) =>
  ((await t.sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? []).map((e) => e.type)

describe('activities', () => {
  it('creates (idempotently, with tags), describes, lists and deletes', async () => {
    const a = await t.sfn.send(
      new CreateActivityCommand({ name: 'review', tags: [{ key: 'k', value: 'v' }] }),
    )
    expect(a.activityArn).toBe('arn:aws:states:eu-central-1:000000000000:activity:review')
    const again = await t.sfn.send(new CreateActivityCommand({ name: 'review' }))
    expect(again.activityArn).toBe(a.activityArn)
    expect((await t.sfn.send(new DescribeActivityCommand({ activityArn: a.activityArn }))).name).toBe(
      'review',
    )
    expect((await t.sfn.send(new ListTagsForResourceCommand({ resourceArn: a.activityArn }))).tags).toEqual([
      { key: 'k', value: 'v' },
    ])
    const list = await t.sfn.send(new ListActivitiesCommand({}))
    expect(list.activities!.map((x) => x.name)).toContain('review')
    await t.sfn.send(new DeleteActivityCommand({ activityArn: a.activityArn }))
    await expect(
      t.sfn.send(new DescribeActivityCommand({ activityArn: a.activityArn })),
    ).rejects.toMatchObject({
      name: 'ActivityDoesNotExist',
    })
  })

  it('a worker takes the task with GetActivityTask and completes it with SendTaskSuccess', async () => {
    const { activityArn } = await t.sfn.send(new CreateActivityCommand({ name: 'worker-success' }))
    const arn = await run(activityArn!)
    const task = await t.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'w1' }))
    expect(JSON.parse(task.input!)).toEqual({ job: 1 })
    await t.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"done":true}' }))
    const d = await closed(arn)
    expect(JSON.parse(d.output!)).toEqual({ done: true })
    const events = (await t.sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }))).events!
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'ActivityScheduled',
      'ActivityStarted',
      'ActivitySucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ])
    expect(events[2].activityScheduledEventDetails).toMatchObject({
      resource: activityArn,
      input: '{"job":1}',
    })
    expect(events[3].activityStartedEventDetails).toEqual({ workerName: 'w1' })
  })

  it('a waiting poll receives a task scheduled later; an empty poll answers no token', async () => {
    const { activityArn } = await t.sfn.send(new CreateActivityCommand({ name: 'worker-wait' }))
    const empty = await t.sfn.send(new GetActivityTaskCommand({ activityArn }))
    expect(empty.taskToken).toBeFalsy()
    const poll = t.sfn.send(new GetActivityTaskCommand({ activityArn, workerName: 'late' }))
    const arn = await run(activityArn!, {}, { job: 7 })
    const task = await poll
    expect(JSON.parse(task.input!)).toEqual({ job: 7 })
    await t.sfn.send(
      new SendTaskFailureCommand({ taskToken: task.taskToken, error: 'Rejected', cause: 'no' }),
    )
    expect(await closed(arn)).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'no' })
    expect(await types(arn)).toContain('ActivityFailed')
  })

  it('heartbeats keep the task alive; a missed one is ActivityTimedOut and matches States.HeartbeatTimeout', async () => {
    const { activityArn } = await t.sfn.send(new CreateActivityCommand({ name: 'worker-heartbeat' }))
    const arn = await run(activityArn!, {
      HeartbeatSeconds: 60,
      Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Handled' }],
    })
    const task = await t.sfn.send(new GetActivityTaskCommand({ activityArn }))
    await t.clock.advance(50_000)
    await t.sfn.send(new SendTaskHeartbeatCommand({ taskToken: task.taskToken }))
    await t.clock.advance(50_000)
    expect((await t.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING')
    await t.clock.advance(20_000)
    const d = await closed(arn)
    expect(JSON.parse(d.output!)).toBe('handled')
    expect(await types(arn)).toContain('ActivityTimedOut')
  })

  it('a task scheduled before a restart is handed out after it', async () => {
    const { activityArn } = await t.sfn.send(new CreateActivityCommand({ name: 'worker-restart' }))
    const arn = await run(activityArn!, {}, { job: 'durable' })
    await until(async () => ((await types(arn)).includes('ActivityScheduled') ? true : undefined))
    await t.stopEngine()
    await t.restart({ activityPollMs: 300 })
    const task = await t.sfn.send(new GetActivityTaskCommand({ activityArn }))
    expect(JSON.parse(task.input!)).toEqual({ job: 'durable' })
    await t.sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '"ok"' }))
    expect(JSON.parse((await closed(arn)).output!)).toBe('ok')
  })
})
