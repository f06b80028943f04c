import { type Config, config as readConfig } from '../config.js'
import { loadFormDefinitions } from '../forms/load.js'
import { awsSchedulePort, awsSchedulerConfig } from '../schedules/aws.js'
import { type SchedulePort, unavailableSchedulePort } from '../schedules/port.js'
import { createStepDeps } from '../steps/deps.js'
import { createCalendarFeeds } from '../store/calendar-feeds.js'
import { type ClientTransport, createStoreClients, type StoreClients, tableProbe } from '../store/client.js'
import { s3EvidenceFiles } from '../store/evidence-files.js'
import { cachedIdentity } from '../store/identity-cache.js'
import { createUserPool } from '../user-pool.js'
import { createSfnClient } from '../workflow-client.js'
import type { Deps } from './env.js'

/** The SDK clients of a process, one each, pointed at the configured endpoints (the composition's, not Deps'). */
export interface Clients extends StoreClients {
  sfn: ReturnType<typeof createSfnClient>
}

/** Creates the SDK clients from configuration: the store's and the engine's. */
export function createClients(cfg: Config, transport: ClientTransport = {}): Clients {
  return { ...createStoreClients(cfg, transport), sfn: createSfnClient(cfg) }
}

/** What a composition may hand `createDeps` instead of what it would make from configuration. */
export interface DepsOptions {
  /** The SDK clients (the local stack shares its own with the scheduler and the migration). */
  clients?: Clients
  /**
   * The schedule port. Default: EventBridge Scheduler when the CDK app configured it
   * (SCHEDULE_GROUP_NAME, SCHEDULE_TARGET_ARN, SCHEDULER_ROLE_ARN), else one refusing writes.
   * The local stack passes its durable scheduler's.
   */
  schedules?: SchedulePort
}

/** The schedule port the configuration asks for. */
function configuredSchedules(cfg: Config): SchedulePort {
  const aws = awsSchedulerConfig(cfg)
  return aws
    ? awsSchedulePort(aws)
    : unavailableSchedulePort(
        'no scheduler is configured (SCHEDULE_GROUP_NAME, SCHEDULE_TARGET_ARN and SCHEDULER_ROLE_ARN are not set).',
      )
}

/**
 * Builds the API's dependencies from configuration: stores and ports on SDK clients made once
 * per process (the composition's own when it hands them in).
 */
export function createDeps(
  cfg: Config = readConfig(),
  now: () => Date = () => new Date(),
  options: DepsOptions = {},
): Deps {
  const clients = options.clients ?? createClients(cfg)
  let forms: ReturnType<typeof loadFormDefinitions> | undefined
  const steps = createStepDeps(cfg, { now, clients })
  return {
    ...steps,
    evidenceFiles: s3EvidenceFiles({
      s3: clients.s3,
      bucket: cfg.evidenceBucket,
      records: steps.records,
      now,
    }),
    storeProbe: tableProbe(clients.dynamo, cfg.tableName),
    // Every request reads the session and the person's memberships: kept a few seconds, dropped on change.
    identity: cachedIdentity(steps.identity, { clock: now }),
    calendarFeeds: createCalendarFeeds({ doc: clients.doc, tableName: cfg.tableName, now }),
    userPool: createUserPool(cfg),
    schedules: options.schedules ?? configuredSchedules(cfg),
    forms: () => {
      forms ??= loadFormDefinitions({ dir: cfg.formsDir })
      return forms
    },
  }
}
