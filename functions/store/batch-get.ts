/**
 * Reading many items by key: BatchGetItem in requests of at most 100 keys, each asked again for
 * the keys DynamoDB left unprocessed (throttling, or an answer over 16 MB) after a growing
 * pause, as AWS asks ("use an exponential backoff algorithm"). Keys still unprocessed after the
 * last attempt fail the read: a caller never gets fewer items than exist as if the rest were
 * missing (an organisation left out of a person's memberships, a file's row without its file).
 *
 * @example
 * await batchGetAll(doc, { TableName, keys: ids.map((id) => ({ pk, sk: `R#${id}` })) }, (item) => found.push(item))
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb'
import type { Item } from './pages.js'

/** Keys per BatchGetItem request (DynamoDB's limit). */
const KEYS_PER_REQUEST = 100
/** Requests for one group of keys: the first and up to four more for what was left unprocessed. */
const ATTEMPTS = 5
/** The pause before the second request for a group's unprocessed keys; doubled for each further one. */
const FIRST_PAUSE_MS = 25

/** What a batch read asks for: the table, the keys (each once), and optionally only some attributes. */
export interface BatchGetRequest {
  TableName: string
  keys: readonly Item[]
  ProjectionExpression?: string
  ExpressionAttributeNames?: Record<string, string>
}

/** Keys DynamoDB left unprocessed in every attempt: the read failed, nothing is answered as missing. */
export class UnprocessedKeysError extends Error {
  constructor(readonly unprocessed: number) {
    super(`store: BatchGetItem left ${unprocessed} key(s) unprocessed after ${ATTEMPTS} attempts`)
    this.name = 'UnprocessedKeysError'
  }
}

/**
 * Reads the items of `request.keys` (strongly consistent) and hands each one found to `onItem`,
 * in no particular order; keys without an item are left out. Throws `UnprocessedKeysError` when
 * DynamoDB keeps leaving keys unprocessed.
 */
export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  request: BatchGetRequest,
  onItem: (item: Item) => void,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  const { TableName, keys: all, ...projection } = request
  for (let i = 0; i < all.length; i += KEYS_PER_REQUEST) {
    let keys: Item[] | undefined = all.slice(i, i + KEYS_PER_REQUEST)
    for (let attempt = 0; keys?.length; attempt++) {
      if (attempt === ATTEMPTS) throw new UnprocessedKeysError(keys.length)
      if (attempt > 0) await pause(FIRST_PAUSE_MS * 2 ** (attempt - 1))
      const out: BatchGetCommandOutput = await doc.send(
        new BatchGetCommand({
          RequestItems: { [TableName]: { Keys: keys, ConsistentRead: true, ...projection } },
        }),
      )
      for (const item of out.Responses?.[TableName] ?? []) onItem(item)
      keys = out.UnprocessedKeys?.[TableName]?.Keys
    }
  }
}
