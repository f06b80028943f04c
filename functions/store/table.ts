/**
 * The single-table layout, shared by the CDK app and the local store so both create the
 * same table. Every tenant record lives under `pk = ORG#<orgId>`.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const

/** Global secondary indexes: name → key attributes. Both are sparse (only items that set them). */
export const TABLE_INDEXES = {
  /** Per-record lookups inside an org (audit history of one record, tasks by assignee, …). */
  gsi1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Cross-org lookups for one person (an ISO's inbox across organisations, calendar feeds, due items). */
  gsi2: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
} as const

/** TTL attribute (epoch seconds): sessions, rate-limit buckets. */
export const TTL_ATTRIBUTE = 'expiresAt'

/** CreateTable input for the SDK (used locally and in tests). */
export function createTableInput(tableName: string) {
  const attrs = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey])
  for (const ix of Object.values(TABLE_INDEXES)) {
    attrs.add(ix.partitionKey)
    attrs.add(ix.sortKey)
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...attrs].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: Object.entries(TABLE_INDEXES).map(([IndexName, k]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: k.partitionKey, KeyType: 'HASH' as const },
        { AttributeName: k.sortKey, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    })),
  }
}
