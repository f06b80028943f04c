import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb'
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Config } from '../config.js'
import { CachedDocumentClient } from './document-client.js'
import { createTableInput } from './table.js'

/** How a composition may connect the SDK clients it makes (default: the SDK's, over HTTPS to the endpoint). */
export interface ClientTransport {
  /**
   * The DynamoDB client's request handler and signing (the local stack: its embedded store
   * reached in-process, see infra/local/in-process.ts).
   */
  dynamo?: Pick<DynamoDBClientConfig, 'requestHandler' | 'httpAuthSchemes'>
}

/** One DynamoDB client per process, pointed at the configured endpoint (the embedded store locally). */
export function createDynamoClient(
  cfg: Pick<Config, 'region' | 'dynamodbEndpoint'>,
  transport: ClientTransport = {},
) {
  const client = new DynamoDBClient({
    region: cfg.region,
    endpoint: cfg.dynamodbEndpoint,
    maxAttempts: 3,
    ...transport.dynamo,
  })
  // Each command class's middleware resolved once (see document-client.ts).
  const doc = CachedDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  })
  return { client, doc }
}

/** The SDK clients the stores are built on: DynamoDB (plain and document) and S3 (evidence files). */
export interface StoreClients {
  dynamo: DynamoDBClient
  doc: DynamoDBDocumentClient
  s3: S3Client
}

/** Creates the store's SDK clients from configuration, one each. */
export function createStoreClients(
  cfg: Pick<Config, 'region' | 'dynamodbEndpoint' | 's3Endpoint'>,
  transport: ClientTransport = {},
): StoreClients {
  const { client, doc } = createDynamoClient(cfg, transport)
  return { dynamo: client, doc, s3: createS3Client(cfg) }
}

/** Whether the table answers (one DescribeTable): the health check's probe of the store. */
export const tableProbe = (client: DynamoDBClient, tableName: string) => async (): Promise<void> => {
  await client.send(new DescribeTableCommand({ TableName: tableName }))
}

/** Creates the table when it does not exist (local and tests; on AWS the CDK app owns it). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }))
    return
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err
  }
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)))
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err
  }
  for (let i = 0; i < 100; i++) {
    const t = await client.send(new DescribeTableCommand({ TableName: tableName }))
    if (t.Table?.TableStatus === 'ACTIVE') return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`table ${tableName} did not become ACTIVE`)
}

/**
 * One S3 client per process. A configured endpoint (the embedded object store) is addressed in
 * path style; on AWS the SDK's default (virtual-hosted) endpoint applies.
 */
export function createS3Client(cfg: Pick<Config, 'region' | 's3Endpoint'>) {
  return new S3Client({
    region: cfg.region,
    endpoint: cfg.s3Endpoint,
    forcePathStyle: cfg.s3Endpoint !== undefined,
    maxAttempts: 3,
  })
}

/** Creates the bucket when it does not exist (local and tests; on AWS the CDK app owns it). */
export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }))
    return
  } catch (err) {
    if (!(err instanceof NotFound)) throw err
  }
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  } catch (err) {
    if (!(err instanceof BucketAlreadyOwnedByYou)) throw err
  }
}
