import {
  createDynamoClient,
  createS3Client,
  ensureBucket,
  ensureTable,
} from '../../functions/store/client.js'
import { createRecords } from '../../functions/store/records.js'
import { localCredentials } from '../../infra/local/credentials.js'
import { startDynamo } from '../../infra/local/dynamo.js'
import { startS3Server } from '../../infra/local/s3/server.js'

/** How the test's SDK clients reach the store: its signed HTTP endpoint, or in-process as the local stack's own clients do. */
export type StoreTransport = 'http' | 'in-process'

/** An in-memory embedded DynamoDB on a free port with the ismsflow table, for one test file. */
export async function embeddedStore(
  options: { now?: () => Date; tableName?: string; transport?: StoreTransport } = {},
) {
  // The store verifies signatures; the SDK clients sign with the process's key pair.
  const dynamo = await startDynamo({ port: 0, credentials: localCredentials() })
  const tableName = options.tableName ?? 'ismsflow-test'
  const { client, doc } = createDynamoClient(
    { region: 'eu-central-1', dynamodbEndpoint: dynamo.endpoint },
    options.transport === 'in-process' ? { dynamo: dynamo.inProcess } : {},
  )
  await ensureTable(client, tableName)
  const records = createRecords({ doc, tableName, now: options.now })
  return {
    endpoint: dynamo.endpoint,
    /** The store's in-process transport (its request handler answers raw requests, as the SDK gets them). */
    inProcess: dynamo.inProcess,
    client,
    doc,
    tableName,
    records,
    close: dynamo.close,
    dump: dynamo.dump,
    load: dynamo.load,
  }
}

/** An in-memory embedded object store on a free port with the evidence bucket, for one test file. */
export async function embeddedObjectStore(options: { bucket?: string } = {}) {
  const server = await startS3Server({ port: 0, credentials: localCredentials() })
  const bucket = options.bucket ?? 'ismsflow-evidence'
  const s3 = createS3Client({ region: 'eu-central-1', s3Endpoint: server.endpoint })
  await ensureBucket(s3, bucket)
  return { endpoint: server.endpoint, s3, bucket, server, close: server.close }
}
