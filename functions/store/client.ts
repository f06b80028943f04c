import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Config } from '../config.js'
import { createTableInput } from './table.js'

/** One DynamoDB client per process, pointed at the configured endpoint (the embedded store locally). */
export function createDynamoClient(cfg: Pick<Config, 'region' | 'dynamodbEndpoint'>) {
  const client = new DynamoDBClient({
    region: cfg.region,
    endpoint: cfg.dynamodbEndpoint,
    maxAttempts: 3,
  })
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  })
  return { client, doc }
}

/** Creates the table when it does not exist (local and tests; on AWS the CDK app owns it). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }))
    return
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err
  }
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)))
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceInUseException') throw err
  }
  for (let i = 0; i < 100; i++) {
    const t = await client.send(new DescribeTableCommand({ TableName: tableName }))
    if (t.Table?.TableStatus === 'ACTIVE') return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`table ${tableName} did not become ACTIVE`)
}
