import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'

/** A write its condition refused: the stored items the failed conditions returned, by position. */
export interface ConditionFailure {
  /** Per item of the write: whether its condition failed. */
  failed: boolean[]
  /**
   * Per item of the write (one for a single write, one per transaction item): the item as it
   * is stored, when that item's condition failed and asked for `ALL_OLD`.
   */
  items: (Record<string, unknown> | undefined)[]
}

/**
 * Whether a DynamoDB write failed on a condition (matched by the SDK's exception classes:
 * `ConditionalCheckFailedException`, or `TransactionCanceledException` with a
 * `ConditionalCheckFailed` reason), with the stored items the refusal returned.
 */
export function conditionFailure(err: unknown): ConditionFailure | undefined {
  if (err instanceof ConditionalCheckFailedException)
    return { failed: [true], items: [err.Item ? unmarshall(err.Item) : undefined] }
  if (err instanceof TransactionCanceledException) {
    const reasons = err.CancellationReasons ?? []
    if (!reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return undefined
    return {
      failed: reasons.map((r) => r.Code === 'ConditionalCheckFailed'),
      items: reasons.map((r) =>
        r.Code === 'ConditionalCheckFailed' && r.Item ? unmarshall(r.Item) : undefined,
      ),
    }
  }
  return undefined
}
