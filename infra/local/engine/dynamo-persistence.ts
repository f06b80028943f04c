import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb'
import type { Persistence } from './persistence.js'
import type { Chunk, ExecutionMeta, OutboxEntry, TokenRec } from './types.js'

/**
 * The engine's durable store: its own DynamoDB table (default `ismsflow-engine`) in the
 * embedded store, reached through the AWS SDK like everything else.
 *
 * Layout (pk / sk):
 * - `SM#<arn>` / `SM` a state machine; `SM#<arn>` / `REV#<n>` its definition revisions;
 * - `EX#<arn>` / `META` an execution (metadata; index g1s lists by state machine, newest first;
 *   index g2s holds the RUNNING ones), `EX#<arn>` / `C#<n>` its chunks (events + thread changes
 *   of one transition; a chunk over 350 KB is split into `C#<n>#<part>` items);
 * - `TK#<token>` / `TK` a closed (or heartbeating) task token;
 * - `OUTBOX` / `<ms>#<id>` messages sent with events:putEvents or sns:publish;
 * - `R#<kind>` / `<key>` catalogue records: activities, state machine versions and aliases,
 *   tags (listed by a key condition on the kind, optionally `begins_with` a prefix).
 *
 * Chunk writes are unconditional puts of fresh keys, so the writes of concurrent
 * executions are grouped into BatchWriteItem calls (group commit): each transition still
 * waits for its own write before the next begins. Conditional writes (execution names,
 * tokens) are single-item writes with a ConditionExpression.
 */

const S = (s: string): AttributeValue => ({ S: s })
const pad = (n: number, w: number) => String(n).padStart(w, '0')
const MAX_PART = 350_000

/** Creates the engine table when it does not exist. */
export async function ensureEngineTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }))
    return
  } catch (err) {
    if ((err as { name?: string }).name !== 'ResourceNotFoundException') throw err
  }
  const attrs = ['pk', 'sk', 'g1pk', 'g1sk', 'g2pk', 'g2sk']
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attrs.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: ['g1', 'g2'].map((ix) => ({
          IndexName: `${ix}s`,
          KeySchema: [
            { AttributeName: `${ix}pk`, KeyType: 'HASH' },
            { AttributeName: `${ix}sk`, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    )
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

interface Pending {
  req: WriteRequest
  resolve: () => void
  reject: (err: unknown) => void
}

/** Groups unconditional puts into BatchWriteItem calls (≤ 25 items, a few calls in flight). */
function batcher(client: DynamoDBClient, tableName: string, maxInFlight = 4) {
  let queue: Pending[] = []
  let inFlight = 0
  const pump = () => {
    while (inFlight < maxInFlight && queue.length) {
      const batch = queue.slice(0, 25)
      queue = queue.slice(batch.length)
      inFlight++
      send(batch).finally(() => {
        inFlight--
        pump()
      })
    }
  }
  const send = async (batch: Pending[]) => {
    try {
      if (batch.length === 1) {
        await client.send(new PutItemCommand({ TableName: tableName, Item: batch[0].req.PutRequest!.Item }))
        batch[0].resolve()
        return
      }
      let todo = batch
      for (let attempt = 0; todo.length; attempt++) {
        const out = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [tableName]: todo.map((p) => p.req) } }),
        )
        const left = out.UnprocessedItems?.[tableName] ?? []
        const leftKeys = new Set(left.map((r) => `${r.PutRequest?.Item?.pk?.S}|${r.PutRequest?.Item?.sk?.S}`))
        for (const p of todo)
          if (!leftKeys.has(`${p.req.PutRequest?.Item?.pk?.S}|${p.req.PutRequest?.Item?.sk?.S}`)) p.resolve()
        todo = todo.filter((p) =>
          leftKeys.has(`${p.req.PutRequest?.Item?.pk?.S}|${p.req.PutRequest?.Item?.sk?.S}`),
        )
        if (todo.length) await new Promise((r) => setTimeout(r, Math.min(1000, 10 * 2 ** attempt)))
      }
    } catch (err) {
      for (const p of batch) p.reject(err)
    }
  }
  return (item: Record<string, AttributeValue>) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ req: { PutRequest: { Item: item } }, resolve, reject })
      pump()
    })
}

const isConditionFailure = (err: unknown) => err instanceof ConditionalCheckFailedException

/** The DynamoDB-backed persistence. */
export function dynamoPersistence(options: { client: DynamoDBClient; tableName: string }): Persistence {
  const { client, tableName: TableName } = options
  const put = batcher(client, TableName)

  const metaItem = (m: ExecutionMeta): Record<string, AttributeValue> => {
    const item: Record<string, AttributeValue> = {
      pk: S(`EX#${m.executionArn}`),
      sk: S('META'),
      m: S(JSON.stringify(m)),
      st: S(m.status),
      g1pk: S(`EXOF#${m.stateMachineArn}`),
      g1sk: S(`${pad(m.startMs, 15)}#${m.executionArn}`),
    }
    if (m.status === 'RUNNING') {
      item.g2pk = S('RUNNING')
      item.g2sk = S(m.executionArn)
    }
    return item
  }

  const chunkItems = (arn: string, chunk: Chunk): Record<string, AttributeValue>[] => {
    const d = JSON.stringify(chunk)
    const key = `C#${pad(chunk.n, 9)}`
    if (d.length <= MAX_PART) return [{ pk: S(`EX#${arn}`), sk: S(key), d: S(d) }]
    const parts: Record<string, AttributeValue>[] = []
    const of = Math.ceil(d.length / MAX_PART)
    for (let i = 0; i < of; i++) {
      parts.push({
        pk: S(`EX#${arn}`),
        sk: S(`${key}#${pad(i, 4)}`),
        d: S(d.slice(i * MAX_PART, (i + 1) * MAX_PART)),
        of: { N: String(of) },
      })
    }
    return parts
  }

  const queryAll = async (input: QueryCommandInput) => {
    const items: Record<string, AttributeValue>[] = []
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined
    do {
      const out = await client.send(new QueryCommand({ ...input, ExclusiveStartKey }))
      items.push(...(out.Items ?? []))
      ExclusiveStartKey = out.LastEvaluatedKey
    } while (ExclusiveStartKey)
    return items
  }

  return {
    async putStateMachine(rec) {
      await client.send(
        new PutItemCommand({
          TableName,
          Item: {
            pk: S(`SM#${rec.stateMachineArn}`),
            sk: S('SM'),
            m: S(JSON.stringify(rec)),
            g1pk: S('SMS'),
            g1sk: S(rec.stateMachineArn),
          },
        }),
      )
    },
    async getStateMachine(arn) {
      const out = await client.send(
        new GetItemCommand({ TableName, Key: { pk: S(`SM#${arn}`), sk: S('SM') }, ConsistentRead: true }),
      )
      return out.Item?.m?.S ? JSON.parse(out.Item.m.S) : undefined
    },
    async listStateMachines() {
      const items = await queryAll({
        TableName,
        IndexName: 'g1s',
        KeyConditionExpression: 'g1pk = :p',
        ExpressionAttributeValues: { ':p': S('SMS') },
      })
      return items.map((i) => JSON.parse(i.m.S!))
    },
    async deleteStateMachine(arn) {
      await client.send(new DeleteItemCommand({ TableName, Key: { pk: S(`SM#${arn}`), sk: S('SM') } }))
    },
    async putRevision(arn, revision, definition) {
      await client.send(
        new PutItemCommand({
          TableName,
          Item: { pk: S(`SM#${arn}`), sk: S(`REV#${pad(revision, 6)}`), d: S(definition) },
        }),
      )
    },
    async getRevision(arn, revision) {
      const out = await client.send(
        new GetItemCommand({
          TableName,
          Key: { pk: S(`SM#${arn}`), sk: S(`REV#${pad(revision, 6)}`) },
          ConsistentRead: true,
        }),
      )
      return out.Item?.d?.S
    },
    async createExecution(meta) {
      try {
        await client.send(
          new PutItemCommand({
            TableName,
            Item: metaItem(meta),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        return true
      } catch (err) {
        if (isConditionFailure(err)) return false
        throw err
      }
    },
    async appendChunk(arn, chunk) {
      const items = chunkItems(arn, chunk)
      // Parts first, in order; a chunk whose parts are not all there is ignored on read.
      for (const item of items) await put(item)
    },
    async closeExecution(meta, last) {
      if (last) for (const item of chunkItems(meta.executionArn, last)) await put(item)
      await client.send(new PutItemCommand({ TableName, Item: metaItem(meta) }))
    },
    async getExecution(arn) {
      const out = await client.send(
        new GetItemCommand({ TableName, Key: { pk: S(`EX#${arn}`), sk: S('META') }, ConsistentRead: true }),
      )
      return out.Item?.m?.S ? JSON.parse(out.Item.m.S) : undefined
    },
    async readChunks(arn) {
      const items = await queryAll({
        TableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
        ExpressionAttributeValues: { ':p': S(`EX#${arn}`), ':c': S('C#') },
        ConsistentRead: true,
      })
      const chunks: Chunk[] = []
      let parts: string[] = []
      let partsOf = 0
      for (const it of items) {
        const sk = it.sk.S!
        if (sk.length === 11) {
          chunks.push(JSON.parse(it.d.S!))
          continue
        }
        parts.push(it.d.S!)
        partsOf = Number(it.of?.N ?? 0)
        if (parts.length === partsOf) {
          chunks.push(JSON.parse(parts.join('')))
          parts = []
        }
      }
      return chunks
    },
    async listExecutions(smArn, { status, limit, cursor }) {
      const items: ExecutionMeta[] = []
      let ExclusiveStartKey: Record<string, AttributeValue> | undefined = cursor
        ? JSON.parse(Buffer.from(cursor, 'base64').toString())
        : undefined
      do {
        const out = await client.send(
          new QueryCommand({
            TableName,
            IndexName: 'g1s',
            KeyConditionExpression: 'g1pk = :p',
            ExpressionAttributeValues: { ':p': S(`EXOF#${smArn}`), ...(status ? { ':s': S(status) } : {}) },
            ...(status ? { FilterExpression: 'st = :s' } : {}),
            ScanIndexForward: false,
            Limit: limit - items.length,
            ExclusiveStartKey,
          }),
        )
        for (const i of out.Items ?? []) items.push(JSON.parse(i.m.S!))
        ExclusiveStartKey = out.LastEvaluatedKey
      } while (ExclusiveStartKey && items.length < limit)
      return {
        items,
        cursor: ExclusiveStartKey
          ? Buffer.from(JSON.stringify(ExclusiveStartKey)).toString('base64')
          : undefined,
      }
    },
    async listRunning() {
      const items = await queryAll({
        TableName,
        IndexName: 'g2s',
        KeyConditionExpression: 'g2pk = :p',
        ExpressionAttributeValues: { ':p': S('RUNNING') },
      })
      return items.map((i) => i.g2sk.S!)
    },
    async closeToken(rec) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName,
            Key: { pk: S(`TK#${rec.token}`), sk: S('TK') },
            UpdateExpression: 'SET m = :m, st = :s',
            ConditionExpression: 'attribute_not_exists(st)',
            ExpressionAttributeValues: { ':m': S(JSON.stringify(rec)), ':s': S(rec.status ?? 'SUCCEEDED') },
          }),
        )
        return true
      } catch (err) {
        if (isConditionFailure(err)) return false
        throw err
      }
    },
    async heartbeatToken(token, executionArn, atMs) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName,
            Key: { pk: S(`TK#${token}`), sk: S('TK') },
            UpdateExpression: 'SET hb = :h, x = :x',
            ConditionExpression: 'attribute_not_exists(st)',
            ExpressionAttributeValues: { ':h': { N: String(atMs) }, ':x': S(executionArn) },
          }),
        )
        return true
      } catch (err) {
        if (isConditionFailure(err)) return false
        throw err
      }
    },
    async getToken(token) {
      const out = await client.send(
        new GetItemCommand({ TableName, Key: { pk: S(`TK#${token}`), sk: S('TK') }, ConsistentRead: true }),
      )
      if (!out.Item) return undefined
      const base: TokenRec = out.Item.m?.S
        ? JSON.parse(out.Item.m.S)
        : { token, executionArn: out.Item.x?.S ?? '' }
      if (out.Item.hb?.N) base.heartbeat = Number(out.Item.hb.N)
      return base
    },
    async reopenExecution(meta, chunk, fromStatus) {
      try {
        await client.send(
          new PutItemCommand({
            TableName,
            Item: metaItem(meta),
            ConditionExpression: 'st = :from',
            ExpressionAttributeValues: { ':from': S(fromStatus) },
          }),
        )
      } catch (err) {
        if (isConditionFailure(err)) return false
        throw err
      }
      for (const item of chunkItems(meta.executionArn, chunk)) await put(item)
      return true
    },
    async putRecord(kind, key, value) {
      await client.send(
        new PutItemCommand({
          TableName,
          Item: { pk: S(`R#${kind}`), sk: S(key), d: S(JSON.stringify(value)) },
        }),
      )
    },
    async createRecord(kind, key, value) {
      try {
        await client.send(
          new PutItemCommand({
            TableName,
            Item: { pk: S(`R#${kind}`), sk: S(key), d: S(JSON.stringify(value)) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        return true
      } catch (err) {
        if (isConditionFailure(err)) return false
        throw err
      }
    },
    async getRecord(kind, key) {
      const out = await client.send(
        new GetItemCommand({ TableName, Key: { pk: S(`R#${kind}`), sk: S(key) }, ConsistentRead: true }),
      )
      return out.Item?.d?.S ? JSON.parse(out.Item.d.S) : undefined
    },
    async listRecords(kind, { prefix, limit, cursor }) {
      const out = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: prefix ? 'pk = :p AND begins_with(sk, :s)' : 'pk = :p',
          ExpressionAttributeValues: { ':p': S(`R#${kind}`), ...(prefix ? { ':s': S(prefix) } : {}) },
          Limit: limit,
          ConsistentRead: true,
          ExclusiveStartKey: cursor ? { pk: S(`R#${kind}`), sk: S(cursor) } : undefined,
        }),
      )
      return {
        items: (out.Items ?? []).map((i) => JSON.parse(i.d.S!)),
        cursor: out.LastEvaluatedKey?.sk?.S,
      }
    },
    async deleteRecord(kind, key) {
      await client.send(new DeleteItemCommand({ TableName, Key: { pk: S(`R#${kind}`), sk: S(key) } }))
    },
    async addOutbox(entry: OutboxEntry) {
      await put({ pk: S('OUTBOX'), sk: S(`${pad(entry.at, 15)}#${entry.id}`), d: S(JSON.stringify(entry)) })
    },
    async listOutbox() {
      const items = await queryAll({
        TableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': S('OUTBOX') },
      })
      return items.map((i) => JSON.parse(i.d.S!))
    },
  }
}
