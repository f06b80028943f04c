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
/** The commands measured, the `i`th call of each. */
const commands = {
  GetItem: (i: number) => new GetCommand({ TableName, Key: key(i) }),
  Query: (i: number) =>
    new QueryCommand({
      TableName,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': pk, ':s': `ITEM#0${i % 5}` },
      Limit: 10,
    }),
  BatchGetItem: (i: number) =>
    new BatchGetCommand({
      RequestItems: { [TableName]: { Keys: Array.from({ length: 10 }, (_, k) => key(i + k)) } },
    }),
}
type Name = keyof typeof commands
/** The same commands as plain commands (attribute values written out). */
const plainCommands: Record<Name, (i: number) => GetItemCommand> = {
  GetItem: (i) => new GetItemCommand({ TableName, Key: marshall(key(i)) }),
  Query: (i) =>
    new QueryItemsCommand({
      TableName,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': { S: pk }, ':s': { S: `ITEM#0${i % 5}` } },
      Limit: 10,
    }) as never,
  BatchGetItem: (i) =>
    new BatchGetItemCommand({
      RequestItems: { [TableName]: { Keys: Array.from({ length: 10 }, (_, k) => marshall(key(i + k))) } },
    }) as never,
}
/** A client under test: sends the `i`th call of a command and answers its items. */
type Send = (
  command: Name,
  i: number,
) => Promise<{ Item?: Item; Items?: Item[]; Responses?: Record<string, Item[]> }>
type Item = Record<string, unknown>

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
        doc.send((commands[command] as (i: number) => GetCommand)(i))
    const plain =
      (client: DynamoDBClient): Send =>
      async (command, i) => {
        const out = (await client.send(plainCommands[command](i))) as unknown as Record<string, unknown>
        const items = (v: unknown) => (v as Parameters<typeof unmarshall>[0][]).map((x) => unmarshall(x))
        return {
          Item: out.Item ? unmarshall(out.Item as Parameters<typeof unmarshall>[0]) : undefined,
          Items: out.Items ? items(out.Items) : undefined,
          Responses: out.Responses
            ? Object.fromEntries(Object.entries(out.Responses).map(([t, v]) => [t, items(v)]))
            : undefined,
        }
      }
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
        for (const command of Object.keys(commands) as Name[]) {
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
