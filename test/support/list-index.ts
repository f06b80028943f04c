import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { StepDeps } from '../../functions/steps/deps.js'
import { createDynamoClient } from '../../functions/store/client.js'
import { orgPk, recordSk } from '../../functions/store/keys.js'
import { LIST_STAMP, listTypes } from '../../functions/store/list-index.js'
import { sideItemsUnder } from './side-items.js'

/**
 * Leaves an organisation's lists of some types (all by default) as a version from before them
 * left them: its records not stamped as counted (`LIST_STAMP`), and no entries, counters or
 * markers of any version. Written with the SDK on the stack's table, behind the store's back.
 */
export async function forgetLists(
  deps: Pick<StepDeps, 'config' | 'records'>,
  orgId: string,
  types: readonly string[] = listTypes(),
) {
  const org = deps.records.forOrg(orgId)
  for (const type of types) {
    await unstamp(deps, orgId, type, LIST_STAMP)
    const side: string[] = [`LCNT#${type}`]
    for (const prefix of ['LIX#', 'LCNT#', 'LISTINDEXED#'])
      for (const sep of ['#', '@'])
        side.push(...(await sideItemsUnder(org, `${prefix}${type}${sep}`)).map((i) => i.sk))
    await org.writeSide({ deletes: side })
  }
}

/**
 * Removes the stamp of an index (`attr`, see `functions/store/stamped-index.ts`) from an
 * organisation's records of a type, as a version from before the index left them: with the SDK on
 * the stack's table, behind the store's back.
 */
export async function unstamp(
  deps: Pick<StepDeps, 'config'>,
  orgId: string,
  type: string,
  attr: string,
): Promise<void> {
  const { doc } = createDynamoClient(deps.config)
  const TableName = deps.config.tableName
  let start: Record<string, unknown> | undefined
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': orgPk(orgId), ':p': recordSk(type, '') },
        ExclusiveStartKey: start,
      }),
    )
    for (const item of out.Items ?? [])
      await doc.send(
        new UpdateCommand({
          TableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'REMOVE #s',
          ExpressionAttributeNames: { '#s': attr },
        }),
      )
    start = out.LastEvaluatedKey
  } while (start)
}
