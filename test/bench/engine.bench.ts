/**
 * Benchmark of the local Step Functions engine (issue 3), measured in one run:
 * - raw single-item writes/s of the embedded store (PutItem through the SDK, 50 writers);
 * - STANDARD transitions/s: a 10-state Pass/Choice chain, 50 executions at a time, durable
 *   on the embedded store (goal ≥ 1.0 × the raw write rate);
 * - EXPRESS transitions/s on the same chain, in memory (goal ≥ 150,000/s);
 * - a Map of 1,000 items (STANDARD and EXPRESS);
 * - a Distributed Map over 10,000 items read from the embedded S3 store, results written back
 *   (STANDARD, durable; goal < 10 s);
 * - task-token round trip through the API (start → token → SendTaskSuccess → SUCCEEDED), p50/p99;
 * - RSS of a fresh process (engine + embedded store, as `npm start`) with 1,000 executions
 *   parked on task tokens (goal < 150 MB).
 * Run: `npm run bench:engine`. `--child-rss <n>` is the RSS child's entry.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn'
import { build } from 'esbuild'
import { createClock } from '../../infra/local/clock.js'
import { localCredentials } from '../../infra/local/credentials.js'
import { startDynamo } from '../../infra/local/dynamo.js'
import { dynamoPersistence, ensureEngineTable } from '../../infra/local/engine/dynamo-persistence.js'
import { createEngine, type Engine } from '../../infra/local/engine/engine.js'
import { startS3Server } from '../../infra/local/s3/server.js'
import { startSfnServer } from '../../infra/local/sfn-server.js'

const ROLE = 'arn:aws:iam::000000000000:role/bench'
const CONCURRENCY = 50
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)

const credentials = localCredentials()
const dynamo = (endpoint: string) => new DynamoDBClient({ region: 'eu-central-1', endpoint, credentials })

/** Ten states: Pass, Choice, Pass, Choice, … (the Choices test a field the Passes set). */
const CHAIN = (() => {
  const states: Record<string, unknown> = {}
  for (let i = 0; i < 5; i++) {
    states[`P${i}`] = { Type: 'Pass', Result: i, ResultPath: '$.step', Next: `C${i}` }
    const next = i < 4 ? `P${i + 1}` : 'End'
    states[`C${i}`] = {
      Type: 'Choice',
      Choices: [{ Variable: '$.step', NumericEquals: i, Next: next }],
      Default: 'Bad',
    }
  }
  states.End = { Type: 'Succeed' }
  states.Bad = { Type: 'Fail', Error: 'Bad' }
  // End is the eleventh state entered; count it: 5 Pass + 5 Choice + Succeed = 11 transitions.
  return { StartAt: 'P0', States: states }
})()
const CHAIN_TRANSITIONS = 11

const MAP = () => ({
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        StartAt: 'Double',
        States: { Double: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($, $)' }, End: true } },
      },
      End: true,
    },
  },
})

const PARK = {
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'ismsflow-bench-park',
        Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' },
      },
      End: true,
    },
  },
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const fmt = (n: number, d = 0) => Number(n.toFixed(d)).toLocaleString('en-US')

/** CPU seconds (user + system) of this process since `from`. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(from)
  return (c.user + c.system) / 1e6
}

async function rawWrites(endpoint: string): Promise<{ perSecond: number; perCpuSecond: number }> {
  const client = dynamo(endpoint)
  await client.send(
    new CreateTableCommand({
      TableName: 'bench-raw',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  )
  // Usable once ACTIVE (the store turns it so on a timer).
  while (
    (await client.send(new DescribeTableCommand({ TableName: 'bench-raw' }))).Table?.TableStatus !== 'ACTIVE'
  )
    await new Promise((r) => setTimeout(r, 10))
  // About the size of a chain transition's chunk.
  const d = JSON.stringify({
    n: 1,
    e: [{ id: 2, type: 'PassStateEntered', stateEnteredEventDetails: { name: 'P0', input: '{"step":0}' } }],
    t: { r: { state: 'C0' } },
  })
  let n = 0
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      while (performance.now() - t0 < SECONDS * 1000) {
        await client.send(
          new PutItemCommand({
            TableName: 'bench-raw',
            Item: { pk: { S: `w${w}` }, sk: { S: String(n++) }, d: { S: d } },
          }),
        )
      }
    }),
  )
  client.destroy()
  return { perSecond: n / ((performance.now() - t0) / 1000), perCpuSecond: n / cpuSince(c0) }
}

/** Keeps `CONCURRENCY` executions of a machine going for SECONDS; transitions/s. */
async function chain(
  engine: Engine,
  arn: string,
  express: boolean,
): Promise<{ perSecond: number; perCpuSecond: number; executions: number }> {
  let done = 0
  let failed = 0
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const input = '{}'
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() - t0 < SECONDS * 1000) {
        if (express) {
          const r = await engine.startSyncExecution({ stateMachineArn: arn, input })
          if (r.status !== 'SUCCEEDED') failed++
        } else {
          const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input })
          const r = await engine.awaitExecution(executionArn)
          if (r.status !== 'SUCCEEDED') failed++
        }
        done++
      }
    }),
  )
  if (failed) throw new Error(`${failed} executions failed`)
  return {
    perSecond: (done * CHAIN_TRANSITIONS) / ((performance.now() - t0) / 1000),
    perCpuSecond: (done * CHAIN_TRANSITIONS) / cpuSince(c0),
    executions: done,
  }
}

async function mapOf(engine: Engine, arn: string, express: boolean) {
  const input = JSON.stringify({ items: Array.from({ length: 1000 }, (_, i) => i) })
  const t0 = performance.now()
  if (express) {
    const r = await engine.startSyncExecution({ stateMachineArn: arn, input })
    if (r.status !== 'SUCCEEDED' || JSON.parse(r.output!).length !== 1000) throw new Error('map failed')
  } else {
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input })
    const r = await engine.awaitExecution(executionArn)
    if (r.status !== 'SUCCEEDED' || JSON.parse(r.output!).length !== 1000) throw new Error('map failed')
  }
  return performance.now() - t0
}

async function tokenRoundTrips(
  endpoint: string,
  arn: string,
  engine: Engine,
  tokens: Map<string, (t: string) => void>,
  n: number,
) {
  const sfn = new SFNClient({ region: 'eu-central-1', endpoint, credentials, maxAttempts: 1 })
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const id = `rt-${i}`
    const t0 = performance.now()
    const token = new Promise<string>((r) => tokens.set(id, r))
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ id }) }),
    )
    const done = engine.awaitExecution(executionArn!)
    await sfn.send(new SendTaskSuccessCommand({ taskToken: await token, output: '{"ok":true}' }))
    const d = await done
    if (d.status !== 'SUCCEEDED') throw new Error('round trip failed')
    times.push(performance.now() - t0)
  }
  sfn.destroy()
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p99: percentile(times, 99) }
}

/** Child entry: engine + embedded store in this process, `n` executions parked; prints RSS. */
async function childRss(n: number) {
  const dir = mkdtempSync(join(os.tmpdir(), 'ismsflow-bench-rss-'))
  const store = await startDynamo({ port: 0, path: dir, credentials })
  const client = dynamo(store.endpoint)
  await ensureEngineTable(client, 'ismsflow-engine')
  let parked = 0
  const engine = await createEngine({
    clock: createClock(),
    persistence: dynamoPersistence({ client, tableName: 'ismsflow-engine' }),
    log: () => {},
    lambdas: {
      'ismsflow-bench-park': () => {
        parked++
        return null
      },
    },
  })
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'rss',
    definition: JSON.stringify(PARK),
    roleArn: ROLE,
  })
  const before = process.memoryUsage().rss
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) =>
        engine.startExecution({ stateMachineArn, input: JSON.stringify({ id: i + j }) }),
      ),
    )
  }
  while (engine.tokens.size < n || parked < n) await new Promise((r) => setTimeout(r, 50))
  const gc = () => (globalThis as { gc?: () => void }).gc?.()
  gc()
  const peak = process.memoryUsage().rss
  // Parked executions are idle: let V8's memory reducer shrink the heap after the burst of starts.
  let rss = peak
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 1000))
    gc()
    const now = process.memoryUsage().rss
    if (i >= 5 && Math.abs(now - rss) < 1_048_576) break
    rss = now
  }
  const m = process.memoryUsage()
  console.log(JSON.stringify({ rss: m.rss, peak, heapUsed: m.heapUsed, before, parked: engine.tokens.size }))
  await engine.close()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}

/** Runs the RSS child: under tsx (as `npm start`), or bundled with esbuild and run by plain node. */
async function rssInChild(
  n: number,
  mode: 'tsx' | 'bundled',
): Promise<{ rss: number; peak: number; heapUsed: number; before: number; parked: number }> {
  const self = fileURLToPath(import.meta.url)
  let args = ['--expose-gc', '--import', 'tsx', self]
  if (mode === 'bundled') {
    const out = resolve('node_modules/.cache/ismsflow-bench/engine-rss.mjs')
    mkdirSync(dirname(out), { recursive: true })
    await build({
      entryPoints: [self],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      packages: 'external',
      logLevel: 'warning',
    })
    args = ['--expose-gc', out]
  }
  return new Promise((resolveChild, reject) => {
    const p = spawn(process.execPath, [...args, '--child-rss', String(n)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    })
    let out = ''
    p.stdout.on('data', (d) => {
      out += d
    })
    p.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? ''
      try {
        resolveChild(JSON.parse(line))
      } catch {
        reject(new Error(`RSS child failed (${code}): ${out}`))
      }
    })
  })
}

/** A Distributed Map over 10,000 items of a JSON object in S3, results written back; ms. */
async function distributedMap(engine: Engine, arn: string) {
  const t0 = performance.now()
  const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{}' })
  const r = await engine.awaitExecution(executionArn)
  if (r.status !== 'SUCCEEDED' || !JSON.parse(r.output!).MapRunArn)
    throw new Error(`distributed map ${r.status}`)
  return performance.now() - t0
}

const DISTRIBUTED = {
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { Bucket: 'bench', Key: 'items.json' },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'P',
        States: { P: { Type: 'Pass', Parameters: { 'id.$': '$.id' }, End: true } },
      },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'bench', Prefix: 'out' },
      },
      End: true,
    },
  },
}

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'ismsflow-bench-'))
  const store = await startDynamo({ port: 0, path: join(dir, 'db'), credentials })
  const objects = await startS3Server({ port: 0, credentials })
  const s3 = new S3Client({
    region: 'eu-central-1',
    endpoint: objects.endpoint,
    forcePathStyle: true,
    credentials,
  })
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }))
  await s3.send(
    new PutObjectCommand({
      Bucket: 'bench',
      Key: 'items.json',
      Body: JSON.stringify(Array.from({ length: 10_000 }, (_, id) => ({ id }))),
    }),
  )
  const rows: Record<string, string>[] = []
  const row = (measure: string, value: string, goal = '', note = '') => {
    rows.push({ measure, value, goal, note })
  }
  try {
    const rawRun = await rawWrites(store.endpoint)
    const raw = rawRun.perSecond
    row(
      'embedded store: single-item writes/s (PutItem, 50 writers)',
      fmt(raw),
      '',
      `${fmt(rawRun.perCpuSecond)} per CPU-second`,
    )

    const client = dynamo(store.endpoint)
    await ensureEngineTable(client, 'ismsflow-engine')
    const tokens = new Map<string, (t: string) => void>()
    const engine = await createEngine({
      clock: createClock(),
      persistence: dynamoPersistence({ client, tableName: 'ismsflow-engine' }),
      log: () => {},
      s3,
      lambdas: {
        'ismsflow-bench-park': (e) => {
          const { id, token } = e as { id: string; token: string }
          tokens.get(id)?.(token)
          tokens.delete(id)
          return null
        },
      },
    })
    const server = await startSfnServer(engine, { port: 0, credentials })
    const mk = async (name: string, def: unknown, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') =>
      (await engine.createStateMachine({ name, definition: JSON.stringify(def), roleArn: ROLE, type }))
        .stateMachineArn

    const std = await mk('chain', CHAIN)
    const exp = await mk('chain-express', CHAIN, 'EXPRESS')
    // Warm up both paths.
    await engine.startSyncExecution({ stateMachineArn: exp, input: '{}' })
    await engine.awaitExecution(
      (await engine.startExecution({ stateMachineArn: std, input: '{}' })).executionArn,
    )

    const writes0 = engine.transitions
    const s = await chain(engine, std, false)
    const writesPerTransition =
      (engine.transitions - writes0 + s.executions * 3) / (s.executions * CHAIN_TRANSITIONS)
    row(
      'STANDARD transitions/s (10-state Pass/Choice chain, 50 executions at a time)',
      fmt(s.perSecond),
      `≥ ${fmt(raw)} (1.0 × raw)`,
      `${fmt(s.perSecond / raw, 2)} × raw; ${fmt(s.perCpuSecond)} per CPU-second; ${fmt(writesPerTransition, 2)} item writes per transition, grouped into BatchWriteItem`,
    )
    const e = await chain(engine, exp, true)
    row(
      'EXPRESS transitions/s (same chain, in memory)',
      fmt(e.perSecond),
      '≥ 150,000',
      `${fmt(e.perCpuSecond)} per CPU-second`,
    )

    const mapStd = await mk('map', MAP())
    const mapExp = await mk('map-express', MAP(), 'EXPRESS')
    await mapOf(engine, mapExp, true)
    row(
      'Map of 1,000 items, STANDARD (durable)',
      `${fmt(await mapOf(engine, mapStd, false))} ms`,
      '',
      'inline Map, 40 iterations at a time',
    )
    row('Map of 1,000 items, EXPRESS', `${fmt(await mapOf(engine, mapExp, true), 1)} ms`)
    row(
      'Distributed Map over 10,000 S3 items, STANDARD (durable)',
      `${fmt(await distributedMap(engine, await mk('distributed', DISTRIBUTED)))} ms`,
      '< 10,000 ms',
      'ItemReader JSON from the embedded S3 store, ResultWriter back to it; 40 children at a time',
    )

    const park = await mk('park', PARK)
    await tokenRoundTrips(server.endpoint, park, engine, tokens, 20)
    const rt = await tokenRoundTrips(server.endpoint, park, engine, tokens, 200)
    row(
      'task-token round trip via the API, p50',
      `${fmt(rt.p50, 1)} ms`,
      '',
      'StartExecution → token → SendTaskSuccess → SUCCEEDED',
    )
    row('task-token round trip via the API, p99', `${fmt(rt.p99, 1)} ms`)

    await server.close()
    await engine.close()
    client.destroy()
  } finally {
    s3.destroy()
    await objects.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }

  for (const mode of ['tsx', 'bundled'] as const) {
    const m = await rssInChild(1000, mode)
    row(
      `RSS, 1,000 executions parked on task tokens (${mode === 'tsx' ? 'tsx, as npm start' : 'bundled, plain node'})`,
      `${fmt(m.rss / 1048576)} MB`,
      '< 150 MB',
      `settled (idle) RSS of one fresh process with engine + embedded store; ${fmt(m.peak / 1048576)} MB right after the burst of starts; ${fmt(m.before / 1048576)} MB before; JS heap used ${fmt(m.heapUsed / 1048576)} MB`,
    )
  }

  const load = os.loadavg()[0].toFixed(1)
  console.log(
    `\nismsflow engine benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${load}, ${SECONDS} s per throughput run\n`,
  )
  console.table(rows)
}

const childArg = process.argv.indexOf('--child-rss')
if (childArg >= 0) await childRss(Number(process.argv[childArg + 1]))
else await main()
