import { SFNClient } from '@aws-sdk/client-sfn'
import { type Config, config as readConfig } from '../config.js'
import { createDynamoClient } from '../store/client.js'
import { createIdentity } from '../store/identity.js'
import { createRecords } from '../store/records.js'
import type { Deps } from './env.js'

/** Builds the API's dependencies from configuration: SDK clients once per process. */
export function createDeps(cfg: Config = readConfig(), now: () => Date = () => new Date()): Deps {
  const { client, doc } = createDynamoClient(cfg)
  const local = cfg.sfnEndpoint !== undefined
  const sfn = new SFNClient({
    region: cfg.region,
    endpoint: cfg.sfnEndpoint,
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true } : {}),
  })
  return {
    config: cfg,
    dynamo: client,
    doc,
    sfn,
    records: createRecords({ doc, tableName: cfg.tableName, now }),
    identity: createIdentity({ doc, tableName: cfg.tableName, now }),
    now,
  }
}
