import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { createApp } from '../../functions/api/app.js'
import { type Clients, createClients, createDeps } from '../../functions/api/deps.js'
import type { Deps } from '../../functions/api/env.js'
import { type Config, readConfig } from '../../functions/config.js'
import { localSchedulePort } from '../../functions/schedules/port.js'
import { handler as closeTask, closeTaskRulePattern } from '../../functions/steps/close-task.js'
import { RESOURCE_PREFIX } from '../../functions/steps/registry.js'
import { reindexAll } from '../../functions/steps/reindex.js'
import { handler as reviewScheduleTarget } from '../../functions/steps/review-schedule-target.js'
import { recoverCompletingTasks } from '../../functions/steps/task-recovery.js'
import {
  REMINDERS_SCHEDULE,
  scheduledInput,
  handler as sweepTaskReminders,
} from '../../functions/steps/task-reminders.js'
import { createS3Client, ensureBucket, ensureTable } from '../../functions/store/client.js'
import { migrateChunkedEvidence } from '../../functions/store/evidence-migration.js'
import { flagUnjustifiedInclusions } from '../../functions/store/soa-justifications.js'
import { taskOrgs } from '../../functions/store/task-orgs.js'
import { localAppSecret } from './app-secret.js'
import { batchedLines } from './batched-lines.js'
import { type Clock, createClock } from './clock.js'
import { installationCredentials, type LocalCredentials, makePrivate, useCredentials } from './credentials.js'
import { startDynamo } from './dynamo.js'
import type { Engine, EngineOptions } from './engine/engine.js'
import { startLocalEngine } from './engine/local.js'
import { routeStatusChanges } from './event-rules.js'
import { startS3Server } from './s3/server.js'
import { createScheduler, type Scheduler } from './scheduler.js'
import { type SeedStep, seed } from './seed/index.js'
import { restoreSnapshot, type StackSnapshot, takeSnapshot } from './snapshot.js'
import { localSteps } from './steps.js'

export interface LocalStackOptions {
  /** Data folder; `undefined` keeps the store in memory (tests that need no restart). */
  dataDir?: string
  /** 0 picks a free port. */
  appPort?: number
  dynamoPort?: number
  sfnPort?: number
  /** The embedded S3-compatible object store (evidence files). */
  s3Port?: number
  host?: string
  clock?: Clock
  /** Seed the demo organisations (idempotent). */
  seed?: boolean
  /** The seed steps `seed` runs (default: all, the whole demo; tests: the organisations and their people only). */
  seedSteps?: SeedStep[]
  /** The stored hash of the demo password the seed gives the demo people (tests: one of a lower scrypt cost). */
  demoPasswordHash?: string
  /**
   * Start from a snapshot (`LocalStack.snapshot()` of a stack with the same workflows) instead
   * of seeding: its items, objects and mails are written where the seed would run, and its
   * running executions resume. Tests: the demo seeded once per run, not once per file.
   */
  restore?: StackSnapshot
  /** Serve the built web app from `web/dist`. */
  serveWeb?: boolean
  tableName?: string
  /** Folder of the `*.asl.json` definitions the engine registers (default `workflows/`). */
  workflowsDir?: string
  /** Extra engine options (tests: `lambdas`, `integrations`, `onTokenClosed`). */
  engine?: Partial<EngineOptions>
  /** Where `.eml` files go: default `<dataDir>/mail`, or a fresh temporary folder without a data folder. */
  mailDir?: string
  /** Overrides of the configuration read from the environment (tests: `authMode`, `oidc`). */
  config?: Partial<Config>
}

export interface LocalStack {
  appUrl: string
  dynamoEndpoint: string
  sfnEndpoint: string
  s3Endpoint: string
  /** The installation's key pair: every embedded endpoint verifies Signature V4 with it. */
  credentials: LocalCredentials
  clock: Clock
  deps: Deps
  /** The SDK clients the stores are built on (tests reach the table and the bucket directly). */
  clients: Clients
  /** The folder of the `.eml` files (file and SMTP transports). */
  mailDir: string
  /** The Step Functions-compatible engine (tests: awaitExecution, listOutbox, events). */
  engine: Engine
  /** The durable scheduler of the review programme (tests: idle(), runs(), fired()). */
  scheduler: Scheduler
  /** Calls `listener` after every write to the embedded store (tests: wait for a change, not a fixed time). */
  onStoreWrite(listener: () => void): () => void
  /** What the store, the object store and the mail folder hold now (see `restore`). */
  snapshot(): Promise<StackSnapshot>
  close(): Promise<void>
}

/** Runs one closer, giving up after `ms` (a stuck part must not keep the process or a test open). */
const closeWithin = (close: () => Promise<void>, ms = 10_000) =>
  Promise.race([
    // A part that fails to close must not keep the others open: it is logged, the rest go on.
    close().catch((err) =>
      console.error(
        JSON.stringify({ level: 'error', msg: 'closing a part of the stack failed', error: String(err) }),
      ),
    ),
    new Promise<void>((r) => setTimeout(r, ms).unref()),
  ])

const listen = (server: Server) => (server.address() as AddressInfo).port

/**
 * The one-process local stack behind `npm start`, the integration tests and the browser
 * tests: embedded DynamoDB, the Step Functions-compatible engine, the scheduler and the
 * API with the web app, all sharing one clock.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1'
  const clock = options.clock ?? createClock()
  const closers: (() => Promise<void>)[] = []
  // `.data/` is private to its owner; the key pair lives in it (a test stack without one gets the process's).
  if (options.dataDir) makePrivate(options.dataDir)
  const credentials = installationCredentials(options.dataDir)
  // The app's SDK clients sign with the key pair, as a Lambda's sign with its role's credentials.
  useCredentials(credentials)
  try {
    const dynamo = await startDynamo({
      port: options.dynamoPort ?? 0,
      path: options.dataDir && join(options.dataDir, 'dynamodb'),
      host,
      credentials,
    })
    closers.push(dynamo.close)

    // The configuration of the environment, with the stack's own secret (passed, not written to the environment).
    const base = readConfig({ ...process.env, APP_SECRET: localAppSecret(options.dataDir) })
    const tableName = options.tableName ?? 'ismsflow'
    // Evidence files (browsers of the app's origins upload to it) and the engine's Distributed
    // Map readers and writers: the embedded object store.
    const corsOrigins = new Set<string>([new URL(base.publicUrl).origin])
    const s3 = await startS3Server({
      port: options.s3Port ?? 0,
      host,
      dir: options.dataDir && join(options.dataDir, 's3'),
      credentials,
      corsOrigins,
    })
    closers.push(s3.close)
    // The steps the engine invokes run in-process with the stack's deps (made once the endpoints are known).
    let made: Deps | undefined
    const stepDeps = () => {
      if (!made) throw new Error('the local stack invoked a step before its dependencies were made')
      return made
    }
    const steps = localSteps(stepDeps)
    const injected = options.engine?.lambdas
    // The durable Step Functions engine and its API (same clock).
    const local = await startLocalEngine({
      clock,
      dynamoEndpoint: dynamo.endpoint,
      dynamoTransport: dynamo.inProcess,
      credentials,
      stateMachineArnPrefix: base.stateMachineArnPrefix,
      tableName,
      port: options.sfnPort ?? 0,
      host,
      workflowsDir: options.workflowsDir,
      s3: createS3Client({ region: base.region, s3Endpoint: s3.endpoint }),
      ...options.engine,
      // Functions a test injects come first, then the registry's steps.
      lambdas: (name) => (typeof injected === 'function' ? injected(name) : injected?.[name]) ?? steps(name),
    })
    closers.push(local.close)
    const sfnEndpoint = local.endpoint
    const mailDir =
      options.mailDir ??
      (options.dataDir ? join(options.dataDir, 'mail') : mkdtempSync(join(tmpdir(), 'ismsflow-mail-')))
    const cfg = {
      ...base,
      ...options.config,
      dynamodbEndpoint: dynamo.endpoint,
      sfnEndpoint,
      s3Endpoint: s3.endpoint,
      tableName,
      mailDir,
    }
    // The app's clients reach the embedded store in-process (no loopback connection, no signing; see in-process.ts).
    const clients = createClients(cfg, { dynamo: dynamo.inProcess })
    // Periodic reviews: the durable scheduler fires each occurrence at review-schedule-target.
    const scheduler = createScheduler({
      doc: clients.doc,
      tableName: cfg.tableName,
      clock,
      // The same target Lambda as on AWS, with the Target.Input EventBridge Scheduler sends
      // (the scheduled time filled in; late and missed when a missed occurrence fires late).
      fire: async (_schedule, o) => {
        await reviewScheduleTarget.invoke(
          {
            orgId: o.orgId,
            entryId: o.scheduleId,
            scheduledTime: o.scheduledAt,
            late: o.late,
            missed: o.missed,
          },
          stepDeps(),
        )
      },
      collisionKey: (s) => (typeof s.payload?.kind === 'string' ? s.payload.kind : undefined),
    })
    // Steps run in-process here: they share the app's deps (store clients, clock, mail).
    const deps = createDeps(cfg, () => clock.now(), { clients, schedules: localSchedulePort(scheduler) })
    made = deps
    // The EventBridge rule of the CDK app: stopped, failed and timed-out executions close
    // their open tasks through the close-task step (a task's own timeout: a Catch in the definition).
    const unroute = routeStatusChanges(local.engine, [
      {
        name: `${RESOURCE_PREFIX}-close-task`,
        pattern: closeTaskRulePattern(base.stateMachineArnPrefix),
        target: (event) => closeTask.invoke(event, deps),
      },
    ])
    closers.push(async () => unroute())
    await ensureTable(clients.dynamo, cfg.tableName)
    await ensureBucket(clients.s3, cfg.evidenceBucket)
    // Evidence files an older installation kept in the table move to the bucket (once).
    const moved = await migrateChunkedEvidence({
      doc: clients.doc,
      tableName: cfg.tableName,
      records: deps.records,
      files: deps.evidenceFiles,
      now: deps.now,
    })
    if (moved > 0) console.log(`moved ${moved} evidence files from the table to the evidence bucket`)
    // Indexes an older version wrote (the inbox's, the list index's, the search index): built
    // again per organisation by the re-index AWS runs on deploy (functions/steps/reindex.ts),
    // before executions resume and requests come.
    await reindexAll(deps)
    // Executions that were running resume now that steps, listeners and the table are there.
    await local.engine.resumeAll()
    const snapshotParts = { dynamo, objects: s3.storage, mailDir }
    if (options.restore) {
      await restoreSnapshot(snapshotParts, options.restore)
      await local.engine.resumeAll()
    } else if (options.seed)
      await seed(deps, { steps: options.seedSteps, demoPasswordHash: options.demoPasswordHash })
    await scheduler.start()
    closers.push(() => scheduler.stop())
    // Task reminders: the schedule of the CDK app (rate(1 hour), the scheduled time in its input),
    // fired by the stack's clock at the same handler with the same input.
    let cancelReminders = () => {}
    const remind = () => {
      const at = clock.nowMs()
      cancelReminders = clock.at(at + REMINDERS_SCHEDULE.everyMs, remind)
      sweepTaskReminders
        .invoke(scheduledInput(REMINDERS_SCHEDULE.input, new Date(at)), deps)
        .catch((err) => console.error('task reminders failed', err))
    }
    cancelReminders = clock.at(clock.nowMs() + REMINDERS_SCHEDULE.everyMs, remind)
    closers.push(async () => cancelReminders())
    // Tasks left `completing` by a crash: at start nothing else is completing in this one
    // process (no lease needed); afterwards the hourly sweep recovers them, as on AWS.
    await taskOrgs(deps.records)
      .then((orgIds) => recoverCompletingTasks(deps, orgIds, { leaseMs: 0 }))
      .catch((err) => console.error('recovering tasks left completing failed', err))
    // Included SoA controls decided before they needed a justification are flagged for the ISO
    // (once per organisation; otherwise at the first read of a Statement of Applicability).
    await taskOrgs(deps.records)
      .then(async (orgIds) => {
        for (const orgId of orgIds) await flagUnjustifiedInclusions(deps.records.forOrg(orgId))
      })
      .catch((err) => console.error('flagging SoA entries without a justification failed', err))

    // The request log's lines of one turn of the event loop in one write (stdout is written synchronously).
    const requestLog = batchedLines(process.stdout)
    closers.push(async () => requestLog.flush())
    const app = createApp(deps, { requestLog: requestLog.write })
    if (options.serveWeb) {
      const root = resolve('web/dist')
      const index = join(root, 'index.html')
      // Source maps are built (web/vite.config.ts) but not served, as on AWS (infra/aws/web.ts).
      app.use('/*', async (c, next) => {
        if (c.req.path.endsWith('.map')) return c.text('Not found', 404)
        await next()
      })
      app.use('/*', serveStatic({ root: 'web/dist' }))
      app.get('*', (c) => {
        if (c.req.path.startsWith('/api/'))
          return c.json({ error: { code: 'not_found', message: `No route for GET ${c.req.path}.` } }, 404)
        return existsSync(index)
          ? c.html(readFileSync(index, 'utf8'))
          : c.text('Run `npm run build:web` first.', 503)
      })
    }
    const server = await new Promise<Server>((resolveServer) => {
      const s = serve({ fetch: app.fetch, port: options.appPort ?? 0, hostname: host }, () =>
        resolveServer(s as Server),
      )
    })
    closers.push(
      () =>
        new Promise<void>((r) => {
          server.close(() => r())
          // Keep-alive clients (browsers, fetch) would hold the close open.
          server.closeAllConnections()
        }),
    )
    const appUrl = `http://${host === '0.0.0.0' ? 'localhost' : host}:${listen(server)}`
    // Links in feeds and mails point at the port the app really listens on, unless PUBLIC_URL says otherwise.
    if (!process.env.PUBLIC_URL) cfg.publicUrl = appUrl.replace('127.0.0.1', 'localhost')
    for (const name of ['localhost', '127.0.0.1', host]) corsOrigins.add(`http://${name}:${listen(server)}`)

    return {
      appUrl,
      dynamoEndpoint: dynamo.endpoint,
      sfnEndpoint,
      s3Endpoint: s3.endpoint,
      credentials,
      clock,
      deps,
      clients,
      mailDir,
      engine: local.engine,
      scheduler,
      onStoreWrite: dynamo.onWrite,
      snapshot: () => takeSnapshot(snapshotParts),
      async close() {
        clock.stop()
        for (const c of closers.reverse()) await closeWithin(c)
      },
    }
  } catch (err) {
    for (const c of closers.reverse()) await closeWithin(c)
    throw err
  }
}
