import { type Config, config as readConfig } from '../config.js'
import { loadFormDefinitions } from '../forms/load.js'
import { createStepDeps } from '../steps/deps.js'
import { createCalendarFeeds } from '../store/calendar-feeds.js'
import { createDynamoClient, createS3Client } from '../store/client.js'
import { cachedIdentity } from '../store/identity-cache.js'
import { createUserPool } from '../user-pool.js'
import { createSfnClient } from '../workflow-client.js'
import type { Deps } from './env.js'
import { type SchedulePort, unavailableSchedulePort } from './schedules.js'
import { awsSchedulePort, awsSchedulerConfig } from './schedules-aws.js'

/** The SDK clients of a process, one each, pointed at the configured endpoints. */
export type Clients = Pick<Deps, 'dynamo' | 'doc' | 'sfn' | 's3'>

/** Creates the SDK clients from configuration. */
export function createClients(cfg: Config): Clients {
  const { client, doc } = createDynamoClient(cfg)
  return { dynamo: client, doc, sfn: createSfnClient(cfg), s3: createS3Client(cfg) }
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

/** Builds the API's dependencies from configuration: SDK clients once per process. */
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
    ...clients,
    // Every request reads the session and the person's memberships: kept a few seconds, dropped on change.
    identity: cachedIdentity(steps.identity, { clock: now }),
    calendarFeeds: createCalendarFeeds({ doc: clients.doc, tableName: cfg.tableName, now }),
    userPool: createUserPool(cfg),
    schedules: options.schedules ?? configuredSchedules(cfg),
    forms: () => {
      forms ??= loadFormDefinitions()
      return forms
    },
  }
}
