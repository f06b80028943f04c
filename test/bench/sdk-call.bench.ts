/**
 * CPU time of the AWS SDK per DynamoDB command (issue 15): GetItem, Query (a page of 10) and
 * BatchGetItem (10 keys) as document commands through the SDK's `DynamoDBDocumentClient` and
 * through the stores' `CachedDocumentClient` (functions/store/document-client.ts), and as plain
 * commands through a `DynamoDBClient` without and with `cacheMiddleware` (the local engine's
 * client), each over two transports:
 * the embedded store in-process (as the local stack's clients reach it: the store's CPU
 * included) and canned answers (each operation answered with the store's first answer to it:
 * the SDK's CPU alone). Each client's answers are checked first. Prints the median and the
 * least of `SDK_ROUNDS` (default 5) rounds of `SDK_CALLS` (default 1,000) calls, one at a time,
 * in CPU µs per call (process CPU, all threads); the clients take turns in each round, so load
 * from elsewhere blurs them alike.
 * Run: `npm run bench:sdk-call`.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand as QueryItemsCommand,
} from '@aws-sdk/client-dynamodb'
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { ensureTable } from '../../functions/store/client.js'
import { CachedDocumentClient } from '../../functions/store/document-client.js'
import { localCredentials } from '../../infra/local/credentials.js'
import { startDynamo } from '../../infra/local/dynamo.js'
import type { InProcessClientConfig } from '../../infra/local/in-process.js'
import { log } from './support/in-process.js'

const CALLS = Number(process.env.SDK_CALLS ?? 1000)
const ROUNDS = Number(process.env.SDK_ROUNDS ?? 5)
const TableName = 'sdk-call'
const pk = 'ORG#bench'
const translate = { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } }

/** A transport that answers each operation with the store's first answer to it: no store work, the SDK's alone. */
function canned(real: InProcessClientConfig): InProcessClientConfig {
  const answers = new Map<string, Awaited<ReturnType<InProcessClientConfig['requestHandler']['handle']>>>()
  const handler: InProcessClientConfig['requestHandler'] = {
    ...real.requestHandler,
    async handle(request, options) {
      const operation = String(request.headers['x-amz-target'])
      const answer = answers.get(operation) ?? (await real.requestHandler.handle(request, options))
      answers.set(operation, answer)
      return answer
    },
  }
  return { ...real, requestHandler: handler }
}

const key = (i: number) => ({ pk, sk: `ITEM#${String(i % 50).padStart(3, '0')}` })
/** The commands measured. */
const names = ['GetItem', 'Query', 'BatchGetItem'] as const
type Name = (typeof names)[number]
type Item = Record<string, unknown>
/** What a client under test answers: the items of its command. */
interface Answer {
  Item?: Item
  Items?: Item[]
  Responses?: Record<string, Item[]>
}
/** A client under test: sends the `i`th call of a command and answers its items. */
type Send = (command: Name, i: number) => Promise<Answer>

/** The `i`th call of each command as a document command. */
const documentCalls: Record<Name, (doc: DynamoDBDocumentClient, i: number) => Promise<Answer>> = {
  GetItem: (doc, i) => doc.send(new GetCommand({ TableName, Key: key(i) })),
  Query: (doc, i) =>
    doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': pk, ':s': `ITEM#0${i % 5}` },
        Limit: 10,
      }),
    ),
  BatchGetItem: (doc, i) =>
    doc.send(
      new BatchGetCommand({
        RequestItems: { [TableName]: { Keys: Array.from({ length: 10 }, (_, k) => key(i + k)) } },
      }),
    ),
}
/** Items as the plain commands answer them (attribute values written out), read back. */
const unmarshallAll = (items: Record<string, AttributeValue>[]) => items.map((x) => unmarshall(x))
/** The same calls as plain commands (attribute values written out), their answers unmarshalled. */
const plainCalls: Record<Name, (client: DynamoDBClient, i: number) => Promise<Answer>> = {
  GetItem: async (client, i) => {
    const out = await client.send(new GetItemCommand({ TableName, Key: marshall(key(i)) }))
    return { Item: out.Item ? unmarshall(out.Item) : undefined }
  },
  Query: async (client, i) => {
    const out = await client.send(
      new QueryItemsCommand({
        TableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':p': { S: pk }, ':s': { S: `ITEM#0${i % 5}` } },
        Limit: 10,
      }),
    )
    return { Items: out.Items ? unmarshallAll(out.Items) : undefined }
  },
  BatchGetItem: async (client, i) => {
    const out = await client.send(
      new BatchGetItemCommand({
        RequestItems: { [TableName]: { Keys: Array.from({ length: 10 }, (_, k) => marshall(key(i + k))) } },
      }),
    )
    return {
      Responses: out.Responses
        ? Object.fromEntries(Object.entries(out.Responses).map(([t, v]) => [t, unmarshallAll(v)]))
        : undefined,
    }
  },
}

async function main() {
  const dynamo = await startDynamo({ port: 0, credentials: localCredentials() })
  try {
    const base = { region: 'eu-central-1', endpoint: dynamo.endpoint, maxAttempts: 3 }
    const setup = new DynamoDBClient({ ...base, ...dynamo.inProcess })
    await ensureTable(setup, TableName)
    const setupDoc = DynamoDBDocumentClient.from(setup, translate)
    for (let i = 0; i < 50; i++)
      await setupDoc.send(
        new PutCommand({ TableName, Item: { ...key(i), n: i, title: `item ${i}`, tags: ['a', 'b'] } }),
      )

    const clients: Record<string, Send> = {}
    const document =
      (doc: DynamoDBDocumentClient): Send =>
      (command, i) =>
        documentCalls[command](doc, i)
    const plain =
      (client: DynamoDBClient): Send =>
      (command, i) =>
        plainCalls[command](client, i)
    for (const [transport, t] of [
      ['store', dynamo.inProcess],
      ['canned', canned(dynamo.inProcess)],
    ] as const) {
      clients[`SDK document client, ${transport}`] = document(
        DynamoDBDocumentClient.from(new DynamoDBClient({ ...base, ...t }), translate),
      )
      clients[`cached document client, ${transport}`] = document(
        CachedDocumentClient.from(new DynamoDBClient({ ...base, ...t }), translate),
      )
      clients[`SDK plain client, ${transport}`] = plain(new DynamoDBClient({ ...base, ...t }))
      clients[`plain client, cacheMiddleware, ${transport}`] = plain(
        new DynamoDBClient({ ...base, ...t, cacheMiddleware: true }),
      )
    }
    // Each client's answers, twice (the second from the cached handlers and the canned answers).
    for (const [name, send] of Object.entries(clients))
      for (let r = 0; r < 2; r++) {
        const got = await send('GetItem', 7)
        const page = await send('Query', 2)
        const batch = await send('BatchGetItem', 3)
        if (got.Item?.n !== 7 || page.Items?.[0]?.n !== 20 || page.Items.length !== 10)
          throw new Error(`${name}: wrong answer`)
        if (batch.Responses?.[TableName]?.length !== 10) throw new Error(`${name}: wrong batch answer`)
      }

    const cpu: Record<string, number[]> = {}
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, send] of Object.entries(clients))
        for (const command of names) {
          for (let i = 0; i < 100; i++) await send(command, i)
          global.gc?.()
          const from = process.cpuUsage()
          for (let i = 0; i < CALLS; i++) await send(command, i)
          const used = process.cpuUsage(from)
          const runs = cpu[`${name}|${command}`] ?? []
          runs.push((used.user + used.system) / CALLS)
          cpu[`${name}|${command}`] = runs
        }
      log(`round ${round + 1} of ${ROUNDS}`)
    }
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]
    console.log(`SDK CPU per DynamoDB command, ${ROUNDS} rounds of ${CALLS} calls`)
    console.table(
      Object.entries(cpu).map(([k, a]) => {
        const [client, command] = k.split('|')
        return {
          client,
          command,
          'CPU µs/call median': Math.round(median(a)),
          least: Math.round(Math.min(...a)),
        }
      }),
    )
  } finally {
    await dynamo.close()
  }
}

await main()
