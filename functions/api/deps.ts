import { type Config, config as readConfig } from '../config.js'
import { loadFormDefinitions } from '../forms/load.js'
import { createStepDeps } from '../steps/deps.js'
import { createCalendarFeeds } from '../store/calendar-feeds.js'
import { createDynamoClient, createS3Client } from '../store/client.js'
import { cachedIdentity } from '../store/identity-cache.js'
import { createUserPool } from '../user-pool.js'
import { createSfnClient } from '../workflow-client.js'
import type { Deps } from './env.js'

/** Builds the API's dependencies from configuration: SDK clients once per process. */
export function createDeps(cfg: Config = readConfig(), now: () => Date = () => new Date()): Deps {
  const { client, doc } = createDynamoClient(cfg)
  const sfn = createSfnClient(cfg)
  let forms: ReturnType<typeof loadFormDefinitions> | undefined
  const steps = createStepDeps(cfg, { now, clients: { doc, sfn } })
  return {
    ...steps,
    // Every request reads the session and the person's memberships: kept a few seconds, dropped on change.
    identity: cachedIdentity(steps.identity, { clock: now }),
    dynamo: client,
    doc,
    sfn,
    s3: createS3Client(cfg),
    calendarFeeds: createCalendarFeeds({ doc, tableName: cfg.tableName, now }),
    userPool: createUserPool(cfg),
    forms: () => {
      forms ??= loadFormDefinitions()
      return forms
    },
  }
}
