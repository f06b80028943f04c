import { type Config, config as readConfig } from '../config.js'
import { appSecretSource } from '../config-secret.js'
import { createMailer, type Mailer, type NotifyDeps, transportFromConfig } from '../mail/index.js'
import { createDynamoClient } from '../store/client.js'
import { createIdentity, type Identity } from '../store/identity.js'
import { createNotifications, type NotificationStore } from '../store/notifications.js'
import { createRecords, type Records } from '../store/records.js'
import { createTaskStore, type TaskStore } from '../store/tasks.js'
import { createSfnClient, createWorkflowClient, type WorkflowClient } from '../workflow-client.js'

/**
 * What step handlers need: stores, the workflow engine, mail and the clock. Built once per
 * process by `createStepDeps` (on Lambda at the first invocation, see `defineStep`); the API's
 * dependencies are a superset, so the local composition hands its own to the steps it runs.
 */
export interface StepDeps {
  config: Config
  records: Records
  /** Human tasks (tokens kept server-side). */
  taskStore: TaskStore
  /** Global identity records: users, organisations, memberships (`store/identity.ts`). */
  identity: Identity
  notifications: NotificationStore
  /** Every message to a person (`functions/mail`). */
  mail: Mailer
  /** The workflow engine (Step Functions API): histories, heartbeats, starts. */
  workflows: WorkflowClient
  now: () => Date
}

/** The SDK clients the stores and the workflow client are built on (one each per process). */
export interface StepClients {
  doc: ReturnType<typeof createDynamoClient>['doc']
  sfn: ReturnType<typeof createSfnClient>
}

/** Builds the steps' dependencies from configuration; `clients` are created from it when not given. */
export function createStepDeps(
  cfg: Config = readConfig(),
  { now = () => new Date(), clients }: { now?: () => Date; clients?: StepClients } = {},
): StepDeps {
  const doc = clients?.doc ?? createDynamoClient(cfg).doc
  const sfn = clients?.sfn ?? createSfnClient(cfg)
  const records = createRecords({ doc, tableName: cfg.tableName, now })
  return {
    config: cfg,
    records,
    taskStore: createTaskStore({ records, secret: appSecretSource(cfg), now }),
    identity: createIdentity({ doc, tableName: cfg.tableName, now }),
    notifications: createNotifications(records, now),
    mail: createMailer({ transport: transportFromConfig(cfg, now), from: cfg.mailFrom, records, now }),
    workflows: createWorkflowClient(sfn, cfg),
    now,
  }
}

/** What the mail module needs to tell a person, from the steps' dependencies. */
export const notifyDeps = (deps: StepDeps): NotifyDeps => ({
  identity: deps.identity,
  mail: deps.mail,
  notifications: deps.notifications,
  publicUrl: deps.config.publicUrl,
  now: deps.now,
})

let container: StepDeps | undefined

/** The dependencies of this Lambda container: built from configuration at the first invocation, then kept. */
export function containerDeps(): StepDeps {
  container ??= createStepDeps()
  return container
}
