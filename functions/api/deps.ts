import { SFNClient } from '@aws-sdk/client-sfn'
import { type Config, config as readConfig } from '../config.js'
import { appSecretSource } from '../config-secret.js'
import { loadFormDefinitions } from '../forms/load.js'
import { createMailer, transportFromConfig } from '../mail/index.js'
import { createCalendarFeeds } from '../store/calendar-feeds.js'
import { createDynamoClient, createS3Client } from '../store/client.js'
import { createIdentity } from '../store/identity.js'
import { cachedIdentity } from '../store/identity-cache.js'
import { createNotifications } from '../store/notifications.js'
import { createRecords } from '../store/records.js'
import { createTaskStore } from '../store/tasks.js'
import { createUserPool } from '../user-pool.js'
import { createWorkflowClient } from '../workflow-client.js'
import type { Deps } from './env.js'

/** Builds the API's dependencies from configuration: SDK clients once per process. */
export function createDeps(cfg: Config = readConfig(), now: () => Date = () => new Date()): Deps {
  const { client, doc } = createDynamoClient(cfg)
  const local = cfg.sfnEndpoint !== undefined
  const sfn = new SFNClient({
    region: cfg.region,
    endpoint: cfg.sfnEndpoint,
    // StartSyncExecution's host prefix (sync-) does not resolve for a local endpoint.
    ...(local ? { disableHostPrefix: true } : {}),
  })
  const records = createRecords({ doc, tableName: cfg.tableName, now })
  let forms: ReturnType<typeof loadFormDefinitions> | undefined
  return {
    config: cfg,
    dynamo: client,
    doc,
    sfn,
    s3: createS3Client(cfg),
    records,
    // Every request reads the session and the person's memberships: kept a few seconds, dropped on change.
    identity: cachedIdentity(createIdentity({ doc, tableName: cfg.tableName, now }), { clock: now }),
    taskStore: createTaskStore({ records, secret: appSecretSource(cfg), now }),
    notifications: createNotifications(records, now),
    calendarFeeds: createCalendarFeeds({ doc, tableName: cfg.tableName, now }),
    mail: createMailer({ transport: transportFromConfig(cfg, now), from: cfg.mailFrom, records, now }),
    workflows: createWorkflowClient(sfn, cfg),
    userPool: createUserPool(cfg),
    forms: () => {
      forms ??= loadFormDefinitions()
      return forms
    },
    now,
  }
}
