import { createHash, randomUUID } from 'node:crypto'
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { messageOf } from '../../../functions/domain/errors.js'
import { functionName } from '../../../functions/steps/registry.js'
import { isActivityArn } from './activities.js'
import { ApiError, StatesError } from './errors.js'
import type { ResourceInfo, TaskInvocation } from './interpreter.js'
import type { OutboxEntry } from './types.js'

/**
 * Task resources: how a `Resource` ARN is called locally.
 *
 * - plain Lambda ARNs and `arn:aws:states:::lambda:invoke[.waitForTaskToken]` call the
 *   handler of that function in-process, as the `lambdas` option names it (the local stack
 *   passes the registry's steps with its own deps, `infra/local/steps.ts`; tests their own);
 * - `dynamodb:getItem|putItem|updateItem|deleteItem|query` go to the configured DynamoDB;
 * - `states:startExecution` (plain, `.sync`, `.sync:2`, `.waitForTaskToken`) starts a
 *   nested execution on this engine;
 * - `events:putEvents` and `sns:publish` (plain and `.waitForTaskToken`) write to the outbox.
 *
 * Invocations are at least once: after a restart a task that had been scheduled but not
 * finished is invoked again with the same `invocationId` (and, for token tasks, the same
 * token), which is where handlers find their idempotency key.
 */

/** A Lambda handler as the registry's modules export it. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => unknown

/** The subset of the Lambda context the local engine provides. */
export interface LambdaContext {
  functionName: string
  invokedFunctionArn: string
  awsRequestId: string
  getRemainingTimeInMillis(): number
}

/** An extra service integration (`service:action`), for tests or local stand-ins. */
export type IntegrationHandler = (
  inv: TaskInvocation & { pattern: ResourceInfo['pattern'] },
) => Promise<unknown>

/** What integrations need from the engine. */
export interface EngineServices {
  startExecution(input: {
    stateMachineArn: string
    name: string
    input: string
  }): Promise<{ executionArn: string; startDate: Date }>
  /** Resolves when the execution closes, with what DescribeExecution answers. */
  awaitExecution(executionArn: string): Promise<Record<string, unknown>>
  stopExecution(executionArn: string, error: string, cause: string): Promise<void>
  addOutbox(entry: OutboxEntry): Promise<void>
  region: string
  account: string
}

/** Options of the resource resolution (all injectable). */
export interface ResourceOptions {
  /** Lambda handlers by function name (`ismsflow-x`) or a lookup; any other function is not found. */
  lambdas?: Record<string, LambdaHandler> | ((name: string) => LambdaHandler | undefined)
  /** Extra integrations by `service:action`. */
  integrations?: Record<string, IntegrationHandler>
  /** Client for the `dynamodb:*` integrations (the configured endpoint). */
  dynamodb?: DynamoDBClient
}

const SERVICE_ARN =
  /^arn:aws[a-z-]*:states:[a-z0-9-]*:[0-9]*:([a-z0-9-]+):([A-Za-z0-9]+)(\.sync:2|\.sync|\.waitForTaskToken)?$/
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[^:]+:[^:]+:function:([^:]+)(:[^:]+)?$/

const SUPPORTED: Record<string, ResourceInfo['pattern'][]> = {
  'lambda:invoke': ['request', 'token'],
  'dynamodb:getItem': ['request'],
  'dynamodb:putItem': ['request'],
  'dynamodb:updateItem': ['request'],
  'dynamodb:deleteItem': ['request'],
  'dynamodb:query': ['request'],
  'states:startExecution': ['request', 'sync', 'token'],
  'events:putEvents': ['request', 'token'],
  'sns:publish': ['request', 'token'],
}

const patternOf = (suffix: string | undefined): ResourceInfo['pattern'] =>
  suffix === '.waitForTaskToken' ? 'token' : suffix?.startsWith('.sync') ? 'sync' : 'request'

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** The resolution of Task resources for one engine. */
export function createResources(services: EngineServices, options: ResourceOptions = {}) {
  const injected = (name: string): LambdaHandler | undefined => {
    const l = options.lambdas
    if (!l) return undefined
    return typeof l === 'function' ? l(name) : l[name]
  }

  const fnName = (nameOrArn: string) => LAMBDA_ARN.exec(nameOrArn)?.[1] ?? nameOrArn.split(':')[0]

  /** The handler of a Lambda function name or ARN, or undefined. */
  const lambda = (nameOrArn: string): LambdaHandler | undefined => injected(fnName(nameOrArn))

  const knownFunction = (nameOrArn: string) => Boolean(lambda(nameOrArn))

  /** Calls a function in-process as Lambda would: JSON in, JSON out, errors by their type name. */
  const callLambda = async (nameOrArn: unknown, payload: unknown, inv: TaskInvocation) => {
    if (typeof nameOrArn !== 'string' || !nameOrArn)
      throw new StatesError('States.Runtime', 'FunctionName is required')
    const handler = lambda(nameOrArn)
    if (!handler)
      throw new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${nameOrArn}`)
    const name = fnName(nameOrArn)
    const event = payload === undefined ? {} : JSON.parse(JSON.stringify(payload))
    const context: LambdaContext = {
      functionName: name,
      invokedFunctionArn: `arn:aws:lambda:${services.region}:${services.account}:function:${name}`,
      awsRequestId: createHash('sha256').update(inv.invocationId).digest('hex').slice(0, 32),
      getRemainingTimeInMillis: () => 900_000,
    }
    try {
      const out = await handler(event, context)
      return out === undefined ? null : JSON.parse(JSON.stringify(out))
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      const type =
        e.name && e.name !== 'Error'
          ? e.name
          : e.constructor?.name && e.constructor.name !== 'Object'
            ? e.constructor.name
            : 'Error'
      const trace = (e.stack ?? '')
        .split('\n')
        .slice(1, 6)
        .map((s) => s.trim())
      throw new StatesError(type, JSON.stringify({ errorType: type, errorMessage: e.message, trace }))
    }
  }

  const sdkMeta = (requestId: string) => ({
    SdkHttpMetadata: { HttpHeaders: { 'Content-Type': 'application/json' }, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
  })

  const dynamo = async (action: string, params: unknown) => {
    if (!options.dynamodb)
      throw new StatesError('States.Runtime', 'No DynamoDB endpoint is configured for the engine')
    if (!isObj(params))
      throw new StatesError('States.Runtime', `dynamodb:${action} needs an object of parameters`)
    const Cmd = {
      getItem: GetItemCommand,
      putItem: PutItemCommand,
      updateItem: UpdateItemCommand,
      deleteItem: DeleteItemCommand,
      query: QueryCommand,
    }[action as 'getItem']
    try {
      const out: Record<string, unknown> = { ...(await options.dynamodb.send(new Cmd(params as any))) }
      delete out.$metadata
      return out
    } catch (err) {
      const e = err as { name?: string; message?: string }
      throw new StatesError(`DynamoDB.${e.name ?? 'AmazonDynamoDBException'}`, e.message ?? '')
    }
  }

  const startChild = async (
    params: unknown,
    inv: TaskInvocation,
    pattern: ResourceInfo['pattern'],
    v2: boolean,
  ) => {
    if (!isObj(params) || typeof params.StateMachineArn !== 'string') {
      throw new StatesError('States.Runtime', 'states:startExecution needs StateMachineArn')
    }
    const input =
      params.Input === undefined
        ? '{}'
        : typeof params.Input === 'string'
          ? params.Input
          : JSON.stringify(params.Input)
    // A stable name makes a re-invocation after a restart find the same child.
    const name =
      typeof params.Name === 'string'
        ? params.Name
        : createHash('sha256')
            .update(inv.invocationId)
            .digest('hex')
            .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/, '$1-$2-$3-$4-$5')
    let started: { executionArn: string; startDate: Date }
    try {
      started = await services.startExecution({ stateMachineArn: params.StateMachineArn, name, input })
    } catch (err) {
      const code = err instanceof ApiError ? err.code : undefined
      if (code === 'ExecutionAlreadyExists' && pattern === 'sync') {
        const arn = `${params.StateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`
        started = { executionArn: arn, startDate: new Date() }
      } else throw new StatesError(`StepFunctions.${code ?? 'SfnException'}`, messageOf(err))
    }
    if (pattern !== 'sync')
      return {
        ExecutionArn: started.executionArn,
        StartDate: started.startDate.getTime(),
        ...sdkMeta(randomUUID()),
      }
    const onAbort = () => {
      // Best effort, as on AWS: a child that ended meanwhile has nothing to stop.
      services
        .stopExecution(started.executionArn, 'States.Aborted', 'The parent execution stopped waiting')
        .catch(() => {})
    }
    inv.signal.addEventListener('abort', onAbort, { once: true })
    try {
      const d = await services.awaitExecution(started.executionArn)
      const out: Record<string, unknown> = {
        ExecutionArn: d.executionArn,
        Input: v2 ? JSON.parse(String(d.input)) : d.input,
        InputDetails: { Included: true },
        Name: d.name,
        Output: d.output === undefined ? undefined : v2 ? JSON.parse(String(d.output)) : d.output,
        OutputDetails: { Included: true },
        StartDate: (d.startDate as Date).getTime(),
        StateMachineArn: d.stateMachineArn,
        Status: d.status,
        StopDate: (d.stopDate as Date | undefined)?.getTime(),
      }
      if (d.status !== 'SUCCEEDED')
        throw new StatesError('States.TaskFailed', JSON.stringify({ ...out, Error: d.error, Cause: d.cause }))
      return out
    } finally {
      inv.signal.removeEventListener('abort', onAbort)
    }
  }

  const outbox = async (resource: string, params: unknown, inv: TaskInvocation) => {
    await services.addOutbox({
      id: randomUUID(),
      at: Date.now(),
      resource,
      params,
      executionArn: inv.run.arn,
      stateName: inv.stateName,
    })
  }

  return {
    /** How a resource appears in events and how it is awaited; unknown ones are States.Runtime. */
    describe(resource: string): ResourceInfo {
      const m = SERVICE_ARN.exec(resource)
      if (m) {
        const pattern = patternOf(m[3])
        const key = `${m[1]}:${m[2]}`
        if (!SUPPORTED[key]?.includes(pattern) && !options.integrations?.[key]) {
          throw new StatesError(
            'States.Runtime',
            `The resource '${resource}' is not supported by the local engine`,
          )
        }
        return { resourceType: m[1], resource: `${m[2]}${m[3] ?? ''}`, pattern }
      }
      if (LAMBDA_ARN.test(resource))
        return { resourceType: 'lambda', resource, pattern: 'request', events: 'lambda' }
      if (isActivityArn(resource))
        return { resourceType: 'activity', resource, pattern: 'token', events: 'activity' }
      throw new StatesError(
        'States.Runtime',
        `The resource '${resource}' is not supported by the local engine`,
      )
    },

    /** True when a definition may name this resource (used by definition validation). */
    isKnownResource(resource: string): boolean {
      const m = SERVICE_ARN.exec(resource)
      if (m) {
        const key = `${m[1]}:${m[2]}`
        return Boolean(SUPPORTED[key]?.includes(patternOf(m[3])) || options.integrations?.[key])
      }
      if (isActivityArn(resource)) return true
      return LAMBDA_ARN.test(resource) && knownFunction(resource)
    },

    /** Invokes a task's resource. */
    async invoke(inv: TaskInvocation): Promise<unknown> {
      const m = SERVICE_ARN.exec(inv.resource)
      if (!m) return callLambda(inv.resource, inv.params, inv)
      const pattern = patternOf(m[3])
      const key = `${m[1]}:${m[2]}`
      const extra = options.integrations?.[key]
      if (extra) return extra({ ...inv, pattern })
      const p = inv.params
      switch (key) {
        case 'lambda:invoke': {
          if (!isObj(p))
            throw new StatesError('States.Runtime', 'lambda:invoke needs an object of parameters')
          if (p.InvocationType === 'Event') {
            // An asynchronous invocation: the caller does not wait, the function's failure is
            // its own log's (as on AWS, where it lands in the function's log group).
            callLambda(p.FunctionName, p.Payload, inv).catch((err) =>
              console.error(
                JSON.stringify({
                  level: 'error',
                  msg: 'asynchronous lambda:invoke failed',
                  functionName: p.FunctionName,
                  execution: inv.run.arn,
                  error: String(err),
                }),
              ),
            )
            return { Payload: '', StatusCode: 202, ...sdkMeta(randomUUID()) }
          }
          const payload = await callLambda(p.FunctionName, p.Payload, inv)
          return { ExecutedVersion: '$LATEST', Payload: payload, ...sdkMeta(randomUUID()), StatusCode: 200 }
        }
        case 'dynamodb:getItem':
        case 'dynamodb:putItem':
        case 'dynamodb:updateItem':
        case 'dynamodb:deleteItem':
        case 'dynamodb:query':
          return dynamo(m[2], p)
        case 'states:startExecution':
          return startChild(p, inv, pattern, m[3] === '.sync:2')
        case 'events:putEvents': {
          await outbox(inv.resource.replace(/^arn:aws[a-z-]*:states:[^:]*:[^:]*:/, ''), p, inv)
          const n = isObj(p) && Array.isArray(p.Entries) ? p.Entries.length : 1
          return {
            Entries: Array.from({ length: n }, () => ({ EventId: randomUUID() })),
            FailedEntryCount: 0,
          }
        }
        case 'sns:publish':
          await outbox(inv.resource.replace(/^arn:aws[a-z-]*:states:[^:]*:[^:]*:/, ''), p, inv)
          return { MessageId: randomUUID(), ...sdkMeta(randomUUID()) }
      }
      throw new StatesError(
        'States.Runtime',
        `The resource '${inv.resource}' is not supported by the local engine`,
      )
    },

    functionName,
  }
}

/** The resource resolution of an engine. */
export type Resources = ReturnType<typeof createResources>
