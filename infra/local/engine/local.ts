import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { definitionSubstitutions, RESOURCE_PREFIX, substitute } from '../../../functions/steps/registry.js'
import type { Clock } from '../clock.js'
import type { LocalCredentials } from '../credentials.js'
import { startSfnServer } from '../sfn-server.js'
import { dynamoPersistence, ensureEngineTable } from './dynamo-persistence.js'
import { createEngine, type Engine, type EngineOptions } from './engine.js'
import { ApiError } from './errors.js'
import { definitionsProblems } from './validate.js'

/**
 * The engine as the local stack runs it: durable in its own table of the embedded store,
 * its Step Functions API on `port`, and every `workflows/*.asl.json` registered as
 * `ismsflow-<file name>` with the substitutions the CDK app uses.
 */

/** Options of `startLocalEngine`. */
export interface LocalEngineOptions extends Partial<EngineOptions> {
  clock: Clock
  dynamoEndpoint: string
  /** The store client's request handler and signing (the local stack: the embedded store in-process); default: signed HTTP to `dynamoEndpoint`. */
  dynamoTransport?: Pick<DynamoDBClientConfig, 'requestHandler' | 'httpAuthSchemes'>
  /** The installation's key pair: the engine signs its store requests and verifies its callers' with it. */
  credentials: LocalCredentials
  /** Prefix of state machine ARNs (`arn:aws:states:<region>:<account>:stateMachine:ismsflow-`). */
  stateMachineArnPrefix: string
  /** The app's table (the `${TableName}` substitution). */
  tableName: string
  /** The engine's own table. */
  engineTableName?: string
  port?: number
  host?: string
  /** Folder of `*.asl.json` definitions (default `workflows/`). */
  workflowsDir?: string
}

/** A running local engine. */
export interface LocalEngine {
  engine: Engine
  endpoint: string
  /** Names of the registered workflows (`ismsflow-approval`, …). */
  registered: string[]
  close(): Promise<void>
}

/** Region and account from a state machine ARN prefix. */
export function arnParts(prefix: string): { region: string; account: string } {
  const m = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:/.exec(prefix)
  if (!m) throw new Error(`STATE_MACHINE_ARN_PREFIX is not a state machine ARN prefix: ${prefix}`)
  return { region: m[1], account: m[2] }
}

/** Registers (creates or updates) every `*.asl.json` of a folder; returns the names. */
export async function registerWorkflows(
  engine: Engine,
  options: { dir: string; tableName: string; stateMachineArnPrefix: string; roleArn?: string },
): Promise<string[]> {
  const files = readdirSync(options.dir)
    .filter((f) => f.endsWith('.asl.json'))
    .sort()
  if (files.length === 0) return []
  const subs = definitionSubstitutions({
    region: engine.region,
    account: engine.accountId,
    tableName: options.tableName,
    stateMachineArnPrefix: options.stateMachineArnPrefix,
  })
  const defs = files.map((f) => substitute(readFileSync(join(options.dir, f), 'utf8'), subs))
  // asl-validator is slow per call: one call for all definitions fills its cache.
  definitionsProblems(defs.map((d) => JSON.parse(d)))
  const roleArn = options.roleArn ?? `arn:aws:iam::${engine.accountId}:role/${RESOURCE_PREFIX}-workflows`
  const names: string[] = []
  for (const [i, file] of files.entries()) {
    const name = options.stateMachineArnPrefix.split(':').pop() + basename(file, '.asl.json')
    const arn = `${options.stateMachineArnPrefix}${basename(file, '.asl.json')}`
    const existing = await engine.describeStateMachine({ stateMachineArn: arn }).catch((err) => {
      if (err instanceof ApiError && err.code === 'StateMachineDoesNotExist') return undefined
      throw err
    })
    if (!existing) await engine.createStateMachine({ name, definition: defs[i], roleArn })
    else if (existing.definition !== defs[i])
      await engine.updateStateMachine({ stateMachineArn: arn, definition: defs[i] })
    names.push(name)
  }
  return names
}

/**
 * Starts the durable engine, its API server, and registers the workflows. Running
 * executions are not resumed yet: call `engine.resumeAll()` once the app listens to
 * `engine.events` (a token that expired while the process was down closes at resume).
 */
export async function startLocalEngine(options: LocalEngineOptions): Promise<LocalEngine> {
  const { region, account } = arnParts(options.stateMachineArnPrefix)
  const client = new DynamoDBClient({
    region,
    endpoint: options.dynamoEndpoint,
    credentials: options.credentials,
    // The SDK's option to resolve each command class's middleware once instead of on every call
    // (~100 µs of CPU per call, `npm run bench:sdk-call`). Safe here: the engine sends plain
    // commands (each handler reads its call's own input), with no middleware added later.
    cacheMiddleware: true,
    ...options.dynamoTransport,
  })
  const tableName = options.engineTableName ?? 'ismsflow-engine'
  await ensureEngineTable(client, tableName)
  const engine = await createEngine({
    region,
    accountId: account,
    persistence: dynamoPersistence({ client, tableName }),
    dynamodb: client,
    resume: false,
    ...options,
  })
  let server: Awaited<ReturnType<typeof startSfnServer>> | undefined
  try {
    const registered = await registerWorkflows(engine, {
      dir: options.workflowsDir ?? resolve('workflows'),
      tableName: options.tableName,
      stateMachineArnPrefix: options.stateMachineArnPrefix,
    })
    server = await startSfnServer(engine, {
      port: options.port ?? 0,
      host: options.host,
      credentials: options.credentials,
    })
    const s = server
    return {
      engine,
      endpoint: s.endpoint,
      registered,
      async close() {
        await s.close()
        await engine.close()
        client.destroy()
      },
    }
  } catch (err) {
    await server?.close()
    await engine.close()
    client.destroy()
    throw err
  }
}
