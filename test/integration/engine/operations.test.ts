import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineVersionCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ListStateMachineAliasesCommand,
  ListStateMachineVersionsCommand,
  ListTagsForResourceCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  TagResourceCommand,
  TestStateCommand,
  UntagResourceCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SFN_OPERATIONS } from '../../../infra/local/sfn-server.js'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * API operations beyond running executions, through `@aws-sdk/client-sfn` against the
 * engine's server. Each block names the AWS Step Functions API reference page it follows
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_<Action>.html).
 */

let t: TestEngine
const calls: string[] = []

beforeAll(async () => {
  t = await testEngine({
    lambdas: {
      'ismsflow-test-ops-echo': (e) => ({ echoed: e }),
      'ismsflow-test-ops-broken': () => {
        calls.push('broken')
        const err = new Error('no luck')
        err.name = 'Broken'
        throw err
      },
    },
  })
})

afterAll(async () => {
  await t.close()
})

const code = async (p: Promise<unknown>) => {
  try {
    await p
    return 'OK'
  } catch (err) {
    return (err as { name: string }).name
  }
}

let n = 0
const pass = (result: unknown) =>
  JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } })
async function machine(definition = pass('v1'), tags?: { key: string; value: string }[]) {
  const out = await t.sfn.send(
    new CreateStateMachineCommand({ name: `ops-${++n}`, definition, roleArn: ROLE, tags }),
  )
  return out.stateMachineArn!
}

async function outputOf(executionArn: string) {
  const d = await until(async () => {
    const x = await t.sfn.send(new DescribeExecutionCommand({ executionArn }))
    return x.status === 'RUNNING' ? undefined : x
  })
  return { ...d, value: d.output === undefined ? undefined : JSON.parse(d.output) }
}

describe('ValidateStateMachineDefinition', () => {
  // API_ValidateStateMachineDefinition: "result: The result value will be OK when no syntax
  // errors are found, or FAIL if the workflow definition does not pass verification."
  it('answers OK for a valid definition', async () => {
    const out = await t.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: pass(1) }))
    expect(out).toMatchObject({ result: 'OK', diagnostics: [], truncated: false })
  })

  it('answers FAIL with diagnostics (severity, code, message, location) from the engine rules', async () => {
    const out = await t.sfn.send(
      new ValidateStateMachineDefinitionCommand({
        definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }),
      }),
    )
    expect(out.result).toBe('FAIL')
    expect(out.diagnostics!.length).toBeGreaterThan(0)
    const d = out.diagnostics![0]
    expect(d.severity).toBe('ERROR')
    expect(d.code).toMatch(/^[A-Z_]+$/)
    expect(d.message).toBeTruthy()
    expect(d.location).toMatch(/^\//)
  })

  it('reports invalid JSON as a diagnostic, not an error', async () => {
    const out = await t.sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{not json' }))
    expect(out.result).toBe('FAIL')
    expect(out.diagnostics![0].code).toBe('INVALID_JSON_DESCRIPTION')
  })
})

describe('DescribeStateMachineForExecution', () => {
  // API_DescribeStateMachineForExecution: "Provides information about a state machine's
  // definition, its execution role ARN, and configuration" for the execution.
  it('answers the definition the execution ran, even after an update', async () => {
    const arn = await machine(pass('first'))
    const { executionArn } = await t.sfn.send(new StartExecutionCommand({ stateMachineArn: arn }))
    await outputOf(executionArn!)
    await t.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass('second') }))
    const out = await t.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }))
    expect(out.stateMachineArn).toBe(arn)
    expect(JSON.parse(out.definition!).States.P.Result).toBe('first')
    expect(out.roleArn).toBe(ROLE)
    expect(out.revisionId).toBeTruthy()
    expect(
      await code(
        t.sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: `${executionArn}x` })),
      ),
    ).toBe('ExecutionDoesNotExist')
  })
})

describe('tags', () => {
  // API_TagResource: "Tags may only contain Unicode letters, digits, white space, or these
  // symbols: _ . : / = + - @"; "You can only tag state machines and activities"; CreateStateMachine
  // takes `tags`. API_ListTagsForResource lists them; API_UntagResource removes keys.
  it('keeps the tags given to CreateStateMachine and tags, untags and lists', async () => {
    const arn = await machine(pass(1), [{ key: 'team', value: 'iso' }])
    expect((await t.sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { key: 'team', value: 'iso' },
    ])
    await t.sfn.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: [
          { key: 'team', value: 'security' },
          { key: 'env', value: 'local' },
        ],
      }),
    )
    await t.sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }))
    expect((await t.sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([
      { key: 'team', value: 'security' },
    ])
  })

  it('refuses an unknown resource and more than 50 tags', async () => {
    const arn = await machine()
    expect(await code(t.sfn.send(new ListTagsForResourceCommand({ resourceArn: `${arn}-gone` })))).toBe(
      'ResourceNotFound',
    )
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }))
    expect(await code(t.sfn.send(new TagResourceCommand({ resourceArn: arn, tags: many })))).toBe(
      'TooManyTags',
    )
  })
})

describe('versions and aliases', () => {
  // API_PublishStateMachineVersion: "idempotent … doesn't create a duplicate state machine
  // version if it already exists for the current revision"; ConflictException for a stale
  // revisionId. API_CreateStateMachineAlias: routingConfiguration of up to two versions whose
  // weights add up to 100. API_StartExecution: "stateMachineArn … can be a version ARN or an alias ARN".
  it('publishes versions, runs a version and an alias, routes by weight, lists and deletes', async () => {
    const arn = await machine(pass('v1'))
    const v1 = await t.sfn.send(
      new PublishStateMachineVersionCommand({ stateMachineArn: arn, description: 'first' }),
    )
    expect(v1.stateMachineVersionArn).toBe(`${arn}:1`)
    const again = await t.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }))
    expect(again.stateMachineVersionArn).toBe(`${arn}:1`)
    const upd = await t.sfn.send(
      new UpdateStateMachineCommand({ stateMachineArn: arn, definition: pass('v2'), publish: true }),
    )
    expect(upd.stateMachineVersionArn).toBe(`${arn}:2`)
    expect(
      await code(
        t.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: 'stale' })),
      ),
    ).toBe('ConflictException')

    const described = await t.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:1` }))
    expect(JSON.parse(described.definition!).States.P.Result).toBe('v1')
    expect(described.description).toBe('first')

    const byVersion = await t.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}:1` }))
    const r1 = await outputOf(byVersion.executionArn!)
    expect(r1.value).toBe('v1')
    expect(r1.stateMachineVersionArn).toBe(`${arn}:1`)

    const alias = await t.sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 100 }],
      }),
    )
    expect(alias.stateMachineAliasArn).toBe(`${arn}:live`)
    const byAlias = await t.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}:live` }))
    const r2 = await outputOf(byAlias.executionArn!)
    expect(r2.value).toBe('v1')
    expect(r2.stateMachineAliasArn).toBe(`${arn}:live`)

    // Routing: 0/100 then a split; every execution goes to a routed version.
    await t.sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: `${arn}:live`,
        routingConfiguration: [
          { stateMachineVersionArn: `${arn}:1`, weight: 0 },
          { stateMachineVersionArn: `${arn}:2`, weight: 100 },
        ],
      }),
    )
    const r3 = await outputOf(
      (await t.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}:live` }))).executionArn!,
    )
    expect(r3.value).toBe('v2')
    const desc = await t.sfn.send(
      new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` }),
    )
    expect(desc.routingConfiguration).toHaveLength(2)
    expect(
      await code(
        t.sfn.send(
          new UpdateStateMachineAliasCommand({
            stateMachineAliasArn: `${arn}:live`,
            routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 50 }],
          }),
        ),
      ),
    ).toBe('ValidationException')

    const versions = await t.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }))
    expect(versions.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([
      `${arn}:2`,
      `${arn}:1`,
    ])
    const aliases = await t.sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }))
    expect(aliases.stateMachineAliases!.map((a) => a.stateMachineAliasArn)).toEqual([`${arn}:live`])

    // A version an alias routes to cannot be deleted (ConflictException); after the alias is gone it can.
    expect(
      await code(t.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:2` }))),
    ).toBe('ConflictException')
    await t.sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` }))
    await t.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:2` }))
    const left = await t.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }))
    expect(left.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${arn}:1`])
    expect(
      await code(t.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:live` }))),
    ).toBe('ResourceNotFound')
  })

  it('survives a restart (versions and aliases are in the engine persistence)', async () => {
    const arn = await machine(pass('kept'))
    await t.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }))
    await t.sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'prod',
        routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 100 }],
      }),
    )
    await t.stopEngine()
    await t.restart()
    const d = await t.sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${arn}:prod` }))
    expect(d.routingConfiguration).toEqual([{ stateMachineVersionArn: `${arn}:1`, weight: 100 }])
    const r = await outputOf(
      (await t.sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}:prod` }))).executionArn!,
    )
    expect(r.value).toBe('kept')
  })
})

describe('TestState', () => {
  // API_TestState: status "SUCCEEDED | FAILED | RETRIABLE | CAUGHT_ERROR"; nextState; at
  // inspectionLevel DEBUG "inspectionData" with the data-flow steps; INFO has none.
  it('runs a Pass state: output and nextState; DEBUG adds inspectionData', async () => {
    const definition = JSON.stringify({
      Type: 'Pass',
      InputPath: '$.a',
      Parameters: { 'b.$': '$.b' },
      ResultPath: '$.out',
      Next: 'After',
    })
    const info = await t.sfn.send(
      new TestStateCommand({ definition, roleArn: ROLE, input: JSON.stringify({ a: { b: 1 } }) }),
    )
    expect(info).toMatchObject({ status: 'SUCCEEDED', nextState: 'After' })
    expect(JSON.parse(info.output!)).toEqual({ a: { b: 1 }, out: { b: 1 } })
    expect(info.inspectionData).toBeUndefined()
    const debug = await t.sfn.send(
      new TestStateCommand({
        definition,
        roleArn: ROLE,
        input: JSON.stringify({ a: { b: 1 } }),
        inspectionLevel: 'DEBUG',
      }),
    )
    expect(debug.inspectionData).toMatchObject({
      input: '{"a":{"b":1}}',
      afterInputPath: '{"b":1}',
      afterParameters: '{"b":1}',
    })
  })

  it('a Choice answers the chosen next state; a Fail state FAILED with its error', async () => {
    const choice = await t.sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({
          Type: 'Choice',
          Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }],
          Default: 'Small',
        }),
        roleArn: ROLE,
        input: '{"n": 5}',
      }),
    )
    expect(choice).toMatchObject({ status: 'SUCCEEDED', nextState: 'Big' })
    const fail = await t.sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ Type: 'Fail', Error: 'Nope', Cause: 'because' }),
        roleArn: ROLE,
        input: '{}',
      }),
    )
    expect(fail).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'because' })
  })

  it('a Task: SUCCEEDED with its result, RETRIABLE with a retrier, CAUGHT_ERROR with a catcher', async () => {
    const echo = await t.sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'ismsflow-test-ops-echo', 'Payload.$': '$' },
          ResultSelector: { 'r.$': '$.Payload' },
          End: true,
        }),
        roleArn: ROLE,
        input: '{"x":1}',
        inspectionLevel: 'DEBUG',
      }),
    )
    expect(echo.status).toBe('SUCCEEDED')
    expect(JSON.parse(echo.output!)).toEqual({ r: { echoed: { x: 1 } } })
    expect(echo.nextState).toBeUndefined()
    expect(JSON.parse(echo.inspectionData!.afterResultSelector!)).toEqual({ r: { echoed: { x: 1 } } })

    const broken = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'ismsflow-test-ops-broken' },
      End: true,
    }
    const retriable = await t.sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ ...broken, Retry: [{ ErrorEquals: ['Broken'] }] }),
        roleArn: ROLE,
        input: '{}',
      }),
    )
    expect(retriable).toMatchObject({ status: 'RETRIABLE', error: 'Broken' })
    const caught = await t.sfn.send(
      new TestStateCommand({
        definition: JSON.stringify({ ...broken, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }] }),
        roleArn: ROLE,
        input: '{}',
      }),
    )
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', error: 'Broken', nextState: 'Handle' })
  })

  it('refuses an invalid state definition', async () => {
    expect(
      await code(
        t.sfn.send(new TestStateCommand({ definition: '{"Type":"Bogus"}', roleArn: ROLE, input: '{}' })),
      ),
    ).toBe('InvalidDefinition')
  })
})

describe('API actions', () => {
  // The actions of the Step Functions API reference (API_Operations.html).
  const ACTIONS = [
    'CreateActivity',
    'CreateStateMachine',
    'CreateStateMachineAlias',
    'DeleteActivity',
    'DeleteStateMachine',
    'DeleteStateMachineAlias',
    'DeleteStateMachineVersion',
    'DescribeActivity',
    'DescribeExecution',
    'DescribeMapRun',
    'DescribeStateMachine',
    'DescribeStateMachineAlias',
    'DescribeStateMachineForExecution',
    'GetActivityTask',
    'GetExecutionHistory',
    'ListActivities',
    'ListExecutions',
    'ListMapRuns',
    'ListStateMachineAliases',
    'ListStateMachines',
    'ListStateMachineVersions',
    'ListTagsForResource',
    'PublishStateMachineVersion',
    'RedriveExecution',
    'SendTaskFailure',
    'SendTaskHeartbeat',
    'SendTaskSuccess',
    'StartExecution',
    'StartSyncExecution',
    'StopExecution',
    'TagResource',
    'TestState',
    'UntagResource',
    'UpdateMapRun',
    'UpdateStateMachine',
    'UpdateStateMachineAlias',
    'ValidateStateMachineDefinition',
  ]
  it('answers every action', () => {
    expect([...SFN_OPERATIONS].sort()).toEqual([...ACTIONS].sort())
  })
})
