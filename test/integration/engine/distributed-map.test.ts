import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  GetExecutionHistoryCommand,
  ListMapRunsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localCredentials } from '../../../infra/local/credentials.js'
import { type S3Server, startS3Server } from '../../../infra/local/s3/server.js'
import { ROLE, type TestEngine, testEngine, until } from './support.js'

/**
 * Distributed Map with S3 readers and writers, through `@aws-sdk/client-sfn`, against the
 * embedded S3-compatible object store (infra/local/s3). AWS documentation followed:
 * - ItemReader (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html):
 *   "InputType … CSV, JSON, JSONL"; `arn:aws:states:::s3:listObjectsV2` answers objects with
 *   `Etag, Key, LastModified, Size, StorageClass`; CSV rows become objects keyed by the header.
 * - ItemBatcher (…/input-output-itembatcher.html): each child gets `{"Items": […], "BatchInput": …}`.
 * - ResultWriter (…/input-output-resultwriter.html): "Step Functions writes … a manifest.json
 *   file … SUCCEEDED_n.json, FAILED_n.json, PENDING_n.json" under `<Prefix>/<map run id>/`; the
 *   Map's output is `{"MapRunArn": …, "ResultWriterDetails": {"Bucket": …, "Key": …}}`.
 * - History: `MapRunStarted` / `MapRunSucceeded` / `MapRunFailed` (HistoryEventType); the child
 *   workflow executions' events are not in the parent's history.
 * - ListMapRuns / DescribeMapRun (API reference): the Map Runs of an execution, and their
 *   status and item counts.
 */

let t: TestEngine
let s3server: S3Server
let s3: S3Client
const BUCKET = 'dmap'

beforeAll(async () => {
  s3server = await startS3Server({ port: 0, credentials: localCredentials() })
  s3 = new S3Client({
    region: 'eu-central-1',
    endpoint: s3server.endpoint,
    forcePathStyle: true,
    credentials: localCredentials(),
  })
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }))
  t = await testEngine({ s3 })
})

afterAll(async () => {
  await t.close()
  await s3server.close()
})

const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }))
const read = async (Key: string) =>
  (await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString()) as string

let n = 0
async function run(map: Record<string, unknown>, input: unknown = {}) {
  const { stateMachineArn } = await t.sfn.send(
    new CreateStateMachineCommand({
      name: `dmap-${++n}`,
      roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'M', States: { M: { Type: 'Map', End: true, ...map } } }),
    }),
  )
  const { executionArn } = await t.sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
  )
  const d = await until(async () => {
    const x = await t.sfn.send(new DescribeExecutionCommand({ executionArn }))
    return x.status === 'RUNNING' ? undefined : x
  })
  return {
    ...d,
    executionArn: executionArn!,
    value: d.output === undefined ? undefined : JSON.parse(d.output),
  }
}

const processor = (states: Record<string, unknown>, startAt = Object.keys(states)[0]) => ({
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
  StartAt: startAt,
  States: states,
})
const echo = processor({ Echo: { Type: 'Pass', End: true } })

describe('Distributed Map', () => {
  it('reads a JSON array, batches, writes results and the manifest, and records the Map Run', async () => {
    await put('in/items.json', JSON.stringify(Array.from({ length: 25 }, (_, i) => ({ id: i }))))
    const d = await run(
      {
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: BUCKET, Key: 'in/items.json' },
        },
        ItemBatcher: { MaxItemsPerBatch: 10, BatchInput: { 'run.$': '$.run' } },
        ItemProcessor: processor({
          Count: {
            Type: 'Pass',
            Parameters: { 'n.$': 'States.ArrayLength($.Items)', 'run.$': '$.BatchInput.run' },
            End: true,
          },
        }),
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: BUCKET, Prefix: 'out' },
        },
      },
      { run: 'r1' },
    )
    expect(d.status).toBe('SUCCEEDED')
    expect(d.value.MapRunArn).toMatch(/^arn:aws:states:eu-central-1:000000000000:mapRun:dmap-\d+\/M:/)
    expect(d.value.ResultWriterDetails.Bucket).toBe(BUCKET)
    const manifest = JSON.parse(await read(d.value.ResultWriterDetails.Key))
    expect(manifest).toMatchObject({ DestinationBucket: BUCKET, MapRunArn: d.value.MapRunArn })
    expect(manifest.ResultFiles.FAILED).toEqual([])
    expect(manifest.ResultFiles.PENDING).toEqual([])
    const succeeded = JSON.parse(await read(manifest.ResultFiles.SUCCEEDED[0].Key))
    expect(succeeded.map((r: { Output: string }) => JSON.parse(r.Output))).toEqual([
      { n: 10, run: 'r1' },
      { n: 10, run: 'r1' },
      { n: 5, run: 'r1' },
    ])
    expect(succeeded[0]).toMatchObject({ Status: 'SUCCEEDED', InputDetails: { Included: true } })

    const types = (
      await t.sfn.send(new GetExecutionHistoryCommand({ executionArn: d.executionArn }))
    ).events!.map((e) => e.type)
    expect(types).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapRunStarted',
      'MapRunSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ExecutionSucceeded',
    ])
    const runs = await t.sfn.send(new ListMapRunsCommand({ executionArn: d.executionArn }))
    expect(runs.mapRuns!.map((r) => r.mapRunArn)).toEqual([d.value.MapRunArn])
    const described = await t.sfn.send(new DescribeMapRunCommand({ mapRunArn: d.value.MapRunArn }))
    expect(described).toMatchObject({ status: 'SUCCEEDED', executionArn: d.executionArn })
    expect(described.itemCounts).toMatchObject({ total: 3, succeeded: 3, failed: 0, resultsWritten: 3 })
  })

  it('reads JSON Lines and CSV (header row or given headers)', async () => {
    await put('in/items.jsonl', '{"a":1}\n{"a":2}\n\n{"a":3}\n')
    const jsonl = await run({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSONL' },
        Parameters: { Bucket: BUCKET, Key: 'in/items.jsonl' },
      },
      ItemProcessor: echo,
    })
    expect(jsonl.value).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }])

    await put('in/items.csv', 'name,score\r\n"Doe, Jane",7\r\nRoe,"9"\r\n')
    const csv = await run({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
        Parameters: { Bucket: BUCKET, Key: 'in/items.csv' },
      },
      ItemProcessor: echo,
    })
    expect(csv.value).toEqual([
      { name: 'Doe, Jane', score: '7' },
      { name: 'Roe', score: '9' },
    ])

    await put('in/plain.csv', 'x,1\ny,2\n')
    const given = await run({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: {
          InputType: 'CSV',
          CSVHeaderLocation: 'GIVEN',
          CSVHeaders: ['key', 'value'],
          MaxItems: 1,
        },
        Parameters: { Bucket: BUCKET, Key: 'in/plain.csv' },
      },
      ItemProcessor: echo,
    })
    expect(given.value).toEqual([{ key: 'x', value: '1' }])
  })

  it('lists objects with s3:listObjectsV2', async () => {
    for (const k of ['a', 'b', 'c']) await put(`list/${k}.txt`, k)
    const d = await run({
      ItemReader: {
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { Bucket: BUCKET, Prefix: 'list/' },
      },
      ItemProcessor: processor({
        Key: { Type: 'Pass', Parameters: { 'key.$': '$.Key', 'size.$': '$.Size' }, End: true },
      }),
    })
    expect(d.value).toEqual([
      { key: 'list/a.txt', size: 1 },
      { key: 'list/b.txt', size: 1 },
      { key: 'list/c.txt', size: 1 },
    ])
  })

  it('a failing child fails the Map Run (MapRunFailed) unless tolerated', async () => {
    const d = await run(
      {
        ItemProcessor: processor({
          Check: {
            Type: 'Choice',
            Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Bad' }],
            Default: 'Ok',
          },
          Ok: { Type: 'Pass', End: true },
          Bad: { Type: 'Fail', Error: 'BadItem', Cause: 'two' },
        }),
      },
      [1, 2, 3],
    )
    expect(d).toMatchObject({ status: 'FAILED', error: 'BadItem' })
    const types = (
      await t.sfn.send(new GetExecutionHistoryCommand({ executionArn: d.executionArn }))
    ).events!.map((e) => e.type)
    expect(types.slice(-3)).toEqual(['MapRunFailed', 'MapStateFailed', 'ExecutionFailed'])
    const [mapRun] = (await t.sfn.send(new ListMapRunsCommand({ executionArn: d.executionArn }))).mapRuns!
    const described = await t.sfn.send(new DescribeMapRunCommand({ mapRunArn: mapRun.mapRunArn }))
    expect(described.status).toBe('FAILED')
    expect(described.itemCounts?.failed).toBe(1)
  })
})
