/**
 * Reading a query or a scan to its end, page after page: each page's `LastEvaluatedKey` is the
 * next one's `ExclusiveStartKey`. A caller that has enough leaves its `for await` loop and no
 * further page is read.
 *
 * @example
 * for await (const items of queryPages(doc, { TableName, KeyConditionExpression: 'pk = :pk', … }))
 *   for (const item of items) …
 */
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb'

/** One item as the document client answers it. */
export type Item = Record<string, unknown>

/** The pages of one read: `read(start)` answers a page and where the next starts. */
async function* pages(
  read: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>,
  first: Item | undefined,
): AsyncGenerator<Item[]> {
  let start = first
  do {
    const out = await read(start)
    yield out.Items ?? []
    start = out.LastEvaluatedKey
  } while (start)
}

/** The items of a query, one page at a time, until the last page. */
export const queryPages = (doc: DynamoDBDocumentClient, input: QueryCommandInput) =>
  pages(
    (start) => doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start })),
    input.ExclusiveStartKey,
  )

/** The items of a scan, one page at a time, until the last page (migrations only: a scan reads the whole table). */
export const scanPages = (doc: DynamoDBDocumentClient, input: ScanCommandInput) =>
  pages((start) => doc.send(new ScanCommand({ ...input, ExclusiveStartKey: start })), input.ExclusiveStartKey)
