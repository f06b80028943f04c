/**
 * CPU time of the AWS SDK per DynamoDB document command (issue 15): GetItem, Query (a page of
 * 10) and BatchGetItem (10 keys) through the SDK's `DynamoDBDocumentClient` and through the
 * stores' `CachedDocumentClient` (functions/store/document-client.ts), each over two transports:
 * the embedded store in-process (as the local stack's clients reach it: the store's CPU
 * included) and canned answers (each operation answered with the store's first answer to it:
 * the SDK's CPU alone). Each client's answers are checked first. Prints the median and the
 * least of `SDK_ROUNDS` (default 5) rounds of `SDK_CALLS` (default 1,000) calls, one at a time,
 * in CPU µs per call (process CPU, all threads); the clients take turns in each round, so load
 * from elsewhere blurs them alike.
 * Run: `npm run bench:sdk-call`.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb'
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

    const clients: Record<string, DynamoDBDocumentClient> = {}
    for (const [transport, t] of [
      ['store', dynamo.inProcess],
      ['canned', canned(dynamo.inProcess)],
    ] as const) {
      clients[`SDK document client, ${transport}`] = DynamoDBDocumentClient.from(
        new DynamoDBClient({ ...base, ...t }),
        translate,
      )
      clients[`cached document client, ${transport}`] = CachedDocumentClient.from(
        new DynamoDBClient({ ...base, ...t }),
        translate,
      )
    }
    // Each client's answers, twice (the second from the cached handlers and the canned answers).
    for (const [name, doc] of Object.entries(clients))
      for (let r = 0; r < 2; r++) {
        const got = await doc.send(commands.GetItem(7))
        const page = await doc.send(commands.Query(2))
        const batch = await doc.send(commands.BatchGetItem(3))
        if (got.Item?.n !== 7 || page.Items?.[0]?.n !== 20 || page.Items.length !== 10)
          throw new Error(`${name}: wrong answer`)
        if (batch.Responses?.[TableName]?.length !== 10) throw new Error(`${name}: wrong batch answer`)
      }

    const cpu: Record<string, number[]> = {}
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, doc] of Object.entries(clients))
        for (const command of Object.keys(commands) as Name[]) {
          const make = commands[command] as (i: number) => GetCommand
          for (let i = 0; i < 100; i++) await doc.send(make(i))
          global.gc?.()
          const from = process.cpuUsage()
          for (let i = 0; i < CALLS; i++) await doc.send(make(i))
          const used = process.cpuUsage(from)
          const runs = cpu[`${name}|${command}`] ?? []
          runs.push((used.user + used.system) / CALLS)
          cpu[`${name}|${command}`] = runs
        }
      log(`round ${round + 1} of ${ROUNDS}`)
    }
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]
    console.log(`SDK CPU per document command, ${ROUNDS} rounds of ${CALLS} calls`)
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
