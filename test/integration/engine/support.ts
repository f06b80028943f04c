import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SFNClient } from '@aws-sdk/client-sfn'
import { type Clock, createClock } from '../../../infra/local/clock.js'
import { localCredentials } from '../../../infra/local/credentials.js'
import { startDynamo } from '../../../infra/local/dynamo.js'
import { dynamoPersistence, ensureEngineTable } from '../../../infra/local/engine/dynamo-persistence.js'
import { createEngine, type Engine, type EngineOptions } from '../../../infra/local/engine/engine.js'
import { startSfnServer } from '../../../infra/local/sfn-server.js'

/** A role ARN the engine accepts. */
export const ROLE = 'arn:aws:iam::000000000000:role/test'

/** An SDK client for a local engine endpoint (StartSyncExecution needs disableHostPrefix). */
export function sfnClient(endpoint: string) {
  return new SFNClient({
    region: 'eu-central-1',
    endpoint,
    credentials: localCredentials(),
    disableHostPrefix: true,
    maxAttempts: 1,
  })
}

/** DynamoDB client for the embedded store. */
export function dynamoClient(endpoint: string) {
  return new DynamoDBClient({
    region: 'eu-central-1',
    endpoint,
    credentials: localCredentials(),
  })
}

export interface TestEngine {
  engine: Engine
  clock: Clock
  sfn: SFNClient
  endpoint: string
  dynamoEndpoint: string
  dynamo: DynamoDBClient
  /** Stops the engine and its server; the store stays up (for a restart). */
  stopEngine(): Promise<void>
  /** Starts a fresh engine on the same store (what a process restart does). */
  restart(extra?: Partial<EngineOptions>): Promise<Engine>
  close(): Promise<void>
}

/**
 * The engine on the real embedded store (dynalite) with its API server on a free port,
 * for one test file. Extra options (lambdas, integrations, hooks) go to the engine.
 */
export async function testEngine(
  extra: Partial<EngineOptions> = {},
  options: { dataDir?: string } = {},
): Promise<TestEngine> {
  const store = await startDynamo({ port: 0, path: options.dataDir, credentials: localCredentials() })
  const dynamo = dynamoClient(store.endpoint)
  await ensureEngineTable(dynamo, 'ismsflow-engine')
  const clock = extra.clock ?? createClock()
  let engine!: Engine
  let server!: Awaited<ReturnType<typeof startSfnServer>>
  const boot = async (more: Partial<EngineOptions> = {}) => {
    engine = await createEngine({
      clock,
      persistence: dynamoPersistence({ client: dynamo, tableName: 'ismsflow-engine' }),
      dynamodb: dynamo,
      log: () => {},
      ...extra,
      ...more,
    })
    server = await startSfnServer(engine, { port: 0, credentials: localCredentials() })
    t.engine = engine
    t.endpoint = server.endpoint
    t.sfn = sfnClient(server.endpoint)
    return engine
  }
  const t: TestEngine = {
    engine,
    clock,
    sfn: undefined as unknown as SFNClient,
    endpoint: '',
    dynamoEndpoint: store.endpoint,
    dynamo,
    async stopEngine() {
      await engine.close()
      await server.close()
    },
    async restart(more) {
      return boot(more)
    },
    async close() {
      await t.stopEngine()
      clock.stop()
      await store.close()
    },
  }
  await boot()
  return t
}

/** Waits until `check` holds, advancing nothing (real time, short polls). */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v as T
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}
