import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  type GetCommandOutput,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CachedDocumentClient } from '../../../functions/store/document-client.js'
import { embeddedStore, type StoreTransport } from '../../support/store.js'

/**
 * The stores' document client resolves each command class's middleware once
 * (functions/store/document-client.ts). Every call must still send its own command: commands of
 * one class with different inputs, one after another and at once, each get their own answer.
 */
describe.each<StoreTransport>(['in-process', 'http'])(
  'document client with cached handlers (%s)',
  (transport) => {
    let store: Awaited<ReturnType<typeof embeddedStore>>
    const pk = `DOCCLIENT#${transport}`
    const key = (n: number) => ({ pk, sk: `ITEM#${String(n).padStart(3, '0')}` })

    beforeAll(async () => {
      store = await embeddedStore({ transport })
    })
    afterAll(async () => {
      await store?.close()
    })

    it('is the client the stores get', () => {
      expect(store.doc).toBeInstanceOf(CachedDocumentClient)
    })

    it('writes and reads each command of a class with its own input', async () => {
      const { doc, tableName: TableName } = store
      for (const n of [1, 2, 3])
        await doc.send(
          new PutCommand({ TableName, Item: { ...key(n), n, title: `item ${n}`, gone: undefined } }),
        )
      const one = await doc.send(new GetCommand({ TableName, Key: key(1) }))
      const two = await doc.send(new GetCommand({ TableName, Key: key(2) }))
      const none = await doc.send(new GetCommand({ TableName, Key: key(99) }))
      expect(one.Item).toEqual({ ...key(1), n: 1, title: 'item 1' })
      expect(two.Item).toEqual({ ...key(2), n: 2, title: 'item 2' })
      expect(none.Item).toBeUndefined()

      const upOne = await doc.send(
        new UpdateCommand({
          TableName,
          Key: key(1),
          UpdateExpression: 'SET title = :t',
          ExpressionAttributeValues: { ':t': 'first' },
          ReturnValues: 'ALL_NEW',
        }),
      )
      const upTwo = await doc.send(
        new UpdateCommand({
          TableName,
          Key: key(2),
          UpdateExpression: 'SET title = :t, tags = :g',
          ExpressionAttributeValues: { ':t': 'second', ':g': ['a', 'b'] },
          ReturnValues: 'ALL_NEW',
        }),
      )
      expect(upOne.Attributes).toEqual({ ...key(1), n: 1, title: 'first' })
      expect(upTwo.Attributes).toEqual({ ...key(2), n: 2, title: 'second', tags: ['a', 'b'] })
    })

    it('answers queries, scans and batch reads with their own pages', async () => {
      const { doc, tableName: TableName } = store
      for (let n = 10; n < 30; n++) await doc.send(new PutCommand({ TableName, Item: { ...key(n), n } }))
      const page = (from: number, Limit: number) =>
        doc.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :p AND sk >= :s',
            ExpressionAttributeValues: { ':p': pk, ':s': key(from).sk },
            Limit,
          }),
        )
      const first = await page(10, 3)
      const second = await page(20, 2)
      expect(first.Items?.map((i) => i.n)).toEqual([10, 11, 12])
      expect(first.LastEvaluatedKey).toEqual(key(12))
      expect(second.Items?.map((i) => i.n)).toEqual([20, 21])

      const next = await doc.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': pk },
          ExclusiveStartKey: key(27),
        }),
      )
      expect(next.Items?.map((i) => i.n)).toEqual([28, 29])

      const scanned = await doc.send(
        new ScanCommand({ TableName, FilterExpression: 'n = :n', ExpressionAttributeValues: { ':n': 17 } }),
      )
      const scannedOther = await doc.send(
        new ScanCommand({ TableName, FilterExpression: 'n = :n', ExpressionAttributeValues: { ':n': 23 } }),
      )
      expect(scanned.Items).toEqual([{ ...key(17), n: 17 }])
      expect(scannedOther.Items).toEqual([{ ...key(23), n: 23 }])

      const batch = (ns: number[]) =>
        doc.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: ns.map(key) } } }))
      const a = await batch([10, 11])
      const b = await batch([25, 26, 27])
      expect(a.Responses?.[TableName]?.map((i) => i.n).sort()).toEqual([10, 11])
      expect(b.Responses?.[TableName]?.map((i) => i.n).sort()).toEqual([25, 26, 27])
    })

    it('sends concurrent commands of one class each with its own input', async () => {
      const { doc, tableName: TableName } = store
      for (let n = 40; n < 60; n++) await doc.send(new PutCommand({ TableName, Item: { ...key(n), n } }))
      const ns = Array.from({ length: 20 }, (_, i) => 40 + i)
      const got = await Promise.all(ns.map((n) => doc.send(new GetCommand({ TableName, Key: key(n) }))))
      expect(got.map((g) => g.Item?.n)).toEqual(ns)
      const pages = await Promise.all(
        ns.map((n) =>
          doc.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: 'pk = :p AND sk >= :s',
              ExpressionAttributeValues: { ':p': pk, ':s': key(n).sk },
              Limit: 1,
            }),
          ),
        ),
      )
      expect(pages.map((p) => p.Items?.[0]?.n)).toEqual(ns)
    })

    it('writes batches, transactions and deletes of their own items', async () => {
      const { doc, tableName: TableName } = store
      await doc.send(
        new BatchWriteCommand({
          RequestItems: { [TableName]: [{ PutRequest: { Item: { ...key(70), n: 70 } } }] },
        }),
      )
      await doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [TableName]: [
              { PutRequest: { Item: { ...key(71), n: 71 } } },
              { DeleteRequest: { Key: key(70) } },
            ],
          },
        }),
      )
      await doc.send(
        new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: { ...key(72), n: 72 } } }] }),
      )
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: { ...key(73), n: 73 } } },
            {
              Update: {
                TableName,
                Key: key(71),
                UpdateExpression: 'SET n = :n',
                ExpressionAttributeValues: { ':n': 710 },
              },
            },
          ],
        }),
      )
      await doc.send(new DeleteCommand({ TableName, Key: key(72) }))
      const read = (ns: number[]) =>
        doc.send(
          new TransactGetCommand({ TransactItems: ns.map((n) => ({ Get: { TableName, Key: key(n) } })) }),
        )
      const first = await read([70, 71])
      const second = await read([72, 73])
      expect(first.Responses?.map((r) => r.Item?.n)).toEqual([undefined, 710])
      expect(second.Responses?.map((r) => r.Item?.n)).toEqual([undefined, 73])
    })

    it('throws the typed error of a failed condition, and the next command of the class is its own', async () => {
      const { doc, tableName: TableName } = store
      const put = (n: number, title: string) =>
        doc.send(
          new PutCommand({
            TableName,
            Item: { ...key(n), n, title },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
      await put(80, 'first')
      await expect(put(80, 'again')).rejects.toBeInstanceOf(ConditionalCheckFailedException)
      await put(81, 'other')
      const got = await doc.send(
        new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [key(80), key(81)] } } }),
      )
      expect(got.Responses?.[TableName]?.map((i) => i.title).sort()).toEqual(['first', 'other'])
    })

    it('applies middleware added to the client after a class was sent, and a command’s own middleware', async () => {
      const { client, doc, tableName: TableName } = store
      await doc.send(new PutCommand({ TableName, Item: { ...key(95), n: 95 } }))
      await doc.send(new GetCommand({ TableName, Key: key(95) }))
      const seen: string[] = []
      // On the plain client's stack, as the benchmarks count store calls: the document client shares it.
      client.middlewareStack.add(
        (next, context) => (args) => {
          seen.push(String(context.commandName))
          return next(args)
        },
        { step: 'initialize', name: 'documentClientTestCount' },
      )
      const got = await doc.send(new GetCommand({ TableName, Key: key(95) }))
      expect(got.Item?.n).toBe(95)
      expect(seen).toEqual(['GetItemCommand'])

      const own = new GetCommand({ TableName, Key: key(95) })
      own.middlewareStack.add(
        (next) => async (args) => {
          const out = await next(args)
          return {
            ...out,
            output: { ...out.output, $metadata: { ...out.output.$metadata, requestId: 'own' } },
          }
        },
        // Unnamed: the SDK's document command puts its own stack in twice, a named entry would clash.
        { step: 'initialize' },
      )
      expect(await doc.send(own)).toMatchObject({ Item: { n: 95 }, $metadata: { requestId: 'own' } })
      expect(client.middlewareStack.remove('documentClientTestCount')).toBe(true)
      await doc.send(new GetCommand({ TableName, Key: key(95) }))
      expect(seen).toEqual(['GetItemCommand', 'GetItemCommand'])
    })

    it('takes the usual path for calls with options, with the same answers', async () => {
      const { doc, tableName: TableName } = store
      await doc.send(new PutCommand({ TableName, Item: { ...key(90), n: 90 } }))
      const withOptions = await doc.send(new GetCommand({ TableName, Key: key(90) }), {
        abortSignal: new AbortController().signal,
      })
      const cached = await doc.send(new GetCommand({ TableName, Key: key(90) }))
      expect(withOptions.Item).toEqual({ ...key(90), n: 90 })
      expect(cached.Item).toEqual(withOptions.Item)
    })

    it('answers calls with a callback, with or without options, as the SDK does', async () => {
      const { doc, tableName: TableName } = store
      await doc.send(new PutCommand({ TableName, Item: { ...key(91), n: 91 } }))
      const withCallback = await new Promise<GetCommandOutput | undefined>((resolve, reject) => {
        doc.send(new GetCommand({ TableName, Key: key(91) }), (err, data) =>
          err ? reject(err) : resolve(data),
        )
      })
      const withOptionsAndCallback = await new Promise<GetCommandOutput | undefined>((resolve, reject) => {
        doc.send(
          new GetCommand({ TableName, Key: key(91) }),
          { abortSignal: new AbortController().signal },
          (err, data) => (err ? reject(err) : resolve(data)),
        )
      })
      const failed = await new Promise<unknown>((resolve) => {
        doc.send(
          new PutCommand({
            TableName,
            Item: { ...key(91), n: 92 },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
          (err) => resolve(err),
        )
      })
      expect(withCallback?.Item).toEqual({ ...key(91), n: 91 })
      expect(withOptionsAndCallback?.Item).toEqual({ ...key(91), n: 91 })
      expect(failed).toBeInstanceOf(ConditionalCheckFailedException)
    })
  },
)
