import { RemovalPolicy } from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import type { Construct } from 'constructs'
import { createTableInput, TTL_ATTRIBUTE } from '../../functions/store/table.js'

const attribute = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING })

/**
 * The single table, built from the same `createTableInput` the local store uses (keys and
 * GSIs cannot drift): on-demand, point-in-time recovery, KMS encryption with the AWS-managed
 * key, deletion protection, TTL on `expiresAt`, retained when the stack goes.
 */
export function createTable(scope: Construct, id = 'Table'): dynamodb.Table {
  const input = createTableInput('ismsflow')
  const [hash, range] = input.KeySchema
  const table = new dynamodb.Table(scope, id, {
    partitionKey: attribute(hash.AttributeName),
    sortKey: attribute(range.AttributeName),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    deletionProtection: true,
    timeToLiveAttribute: TTL_ATTRIBUTE,
    removalPolicy: RemovalPolicy.RETAIN,
  })
  for (const gsi of input.GlobalSecondaryIndexes) {
    const [pk, sk] = gsi.KeySchema
    table.addGlobalSecondaryIndex({
      indexName: gsi.IndexName,
      partitionKey: attribute(pk.AttributeName),
      sortKey: attribute(sk.AttributeName),
      projectionType: dynamodb.ProjectionType.ALL,
    })
  }
  return table
}
