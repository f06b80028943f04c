import { randomUUID } from 'node:crypto'
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { messageOf } from '../../../functions/domain/errors.js'
import { applyTemplate } from './dataflow.js'
import { StatesError } from './errors.js'
import { evaluateTemplate } from './jsonata.js'
import type { Run } from './run.js'
import { bindings, isJsonata } from './state-common.js'
import type { StateDef, ThreadRec } from './types.js'

/**
 * Distributed Map (AWS: "Using Map state in Distributed mode"): items read from S3
 * (`ItemReader`: a JSON array, JSON Lines or CSV object with `s3:getObject`, or the objects of a
 * prefix with `s3:listObjectsV2`), grouped by `ItemBatcher`, the iterations counted in a Map Run
 * (ListMapRuns, DescribeMapRun), and the results written to S3 by `ResultWriter` with the
 * manifest AWS writes. The iterations run as threads of the parent execution (their events are
 * not in its history, as a child workflow's are not); S3 is reached with `@aws-sdk/client-s3`
 * at the endpoint the engine was given.
 */

/** True for a Map state in Distributed mode (or one that reads or writes S3). */
export function isDistributed(def: StateDef): boolean {
  const proc = def.ItemProcessor ?? def.Iterator
  return (
    proc?.ProcessorConfig?.Mode === 'DISTRIBUTED' ||
    def.ItemReader !== undefined ||
    def.ResultWriter !== undefined ||
    def.ItemBatcher !== undefined
  )
}

/** A Map Run as DescribeMapRun answers it (dates as epoch ms). */
export interface MapRunRec {
  mapRunArn: string
  executionArn: string
  stateMachineArn: string
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED'
  startMs: number
  stopMs?: number
  maxConcurrency: number
  toleratedFailurePercentage: number
  toleratedFailureCount: number
  total: number
  succeeded: number
  failed: number
  resultsWritten: number
}

const needS3 = (s3: S3Client | undefined): S3Client => {
  if (!s3)
    throw new StatesError('States.Runtime', 'The local engine has no S3 endpoint for ItemReader/ResultWriter')
  return s3
}

async function params(run: Run, th: ThreadRec, def: StateDef, block: Record<string, any>, input: unknown) {
  if (isJsonata(run, def))
    return block.Arguments !== undefined
      ? ((await evaluateTemplate(block.Arguments, bindings(run, th, { input }), 'Arguments')) as Record<
          string,
          any
        >)
      : {}
  return (
    block.Parameters !== undefined ? applyTemplate(block.Parameters, run.scope(th, input)) : {}
  ) as Record<string, any>
}

/** Splits CSV text into rows (quotes, doubled quotes, CRLF). */
function csvRows(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    } else cell += c
  }
  if (cell !== '' || row.length) {
    row.push(cell)
    rows.push(row)
  }
  return rows
}

/** The items of an ItemReader. */
export async function readItems(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  input: unknown,
  s3Client: S3Client | undefined,
): Promise<unknown[]> {
  const reader = def.ItemReader as Record<string, any>
  const p = await params(run, th, def, reader, input)
  const cfg = (reader.ReaderConfig ?? {}) as Record<string, any>
  const max = typeof cfg.MaxItems === 'number' && cfg.MaxItems > 0 ? cfg.MaxItems : Number.POSITIVE_INFINITY
  const resource = String(reader.Resource ?? '')
  const s3 = needS3(s3Client)
  const fail = (cause: string) => new StatesError('States.ItemReaderFailed', cause)
  let items: unknown[]
  if (/:s3:listObjectsV2$/.test(resource)) {
    items = []
    let token: string | undefined
    do {
      const out = await s3
        .send(new ListObjectsV2Command({ Bucket: p.Bucket, Prefix: p.Prefix, ContinuationToken: token }))
        .catch((e: Error) => {
          throw fail(`Listing s3://${p.Bucket}/${p.Prefix ?? ''} failed: ${e.message}`)
        })
      for (const o of out.Contents ?? [])
        items.push({
          Etag: o.ETag,
          Key: o.Key,
          LastModified: o.LastModified?.toISOString(),
          Size: o.Size,
          StorageClass: o.StorageClass ?? 'STANDARD',
        })
      token = out.IsTruncated ? out.NextContinuationToken : undefined
    } while (token && items.length < max)
  } else if (/:s3:getObject$/.test(resource)) {
    const out = await s3.send(new GetObjectCommand({ Bucket: p.Bucket, Key: p.Key })).catch((e: Error) => {
      throw fail(`Reading s3://${p.Bucket}/${p.Key} failed: ${e.message}`)
    })
    const text = (await out.Body?.transformToString('utf8')) ?? ''
    const type = cfg.InputType ?? 'JSON'
    if (type === 'JSON') {
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch (e) {
        throw fail(`s3://${p.Bucket}/${p.Key} is not JSON: ${messageOf(e)}`)
      }
      if (!Array.isArray(parsed)) throw fail(`s3://${p.Bucket}/${p.Key} does not hold a JSON array`)
      items = parsed
    } else if (type === 'JSONL') {
      items = text
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '')
        .map((l, i) => {
          try {
            return JSON.parse(l)
          } catch (e) {
            throw fail(`Line ${i + 1} of s3://${p.Bucket}/${p.Key} is not JSON: ${messageOf(e)}`)
          }
        })
    } else if (type === 'CSV') {
      const rows = csvRows(text)
      const given = cfg.CSVHeaderLocation === 'GIVEN'
      const headers: string[] = given ? cfg.CSVHeaders : (rows.shift() ?? [])
      items = rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])))
    } else throw fail(`Unsupported InputType '${String(type)}'`)
  } else throw new StatesError('States.Runtime', `Unsupported ItemReader resource '${resource}'`)
  return items.length > max ? items.slice(0, max) : items
}

/** ItemBatcher: the items grouped into `{ Items, BatchInput }` inputs. */
export async function batchItems(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  input: unknown,
  items: unknown[],
): Promise<unknown[]> {
  const b = def.ItemBatcher as Record<string, any> | undefined
  if (!b) return items
  const maxItems = typeof b.MaxItemsPerBatch === 'number' ? b.MaxItemsPerBatch : Number.POSITIVE_INFINITY
  const maxBytes = typeof b.MaxInputBytesPerBatch === 'number' ? b.MaxInputBytesPerBatch : 262_144
  let batchInput: unknown
  if (b.BatchInput !== undefined)
    batchInput = isJsonata(run, def)
      ? await evaluateTemplate(b.BatchInput, bindings(run, th, { input }), 'BatchInput')
      : applyTemplate(b.BatchInput, run.scope(th, input))
  const batches: unknown[] = []
  let cur: unknown[] = []
  let bytes = 0
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item) ?? 'null')
    if (cur.length && (cur.length >= maxItems || bytes + size > maxBytes)) {
      batches.push(cur)
      cur = []
      bytes = 0
    }
    cur.push(item)
    bytes += size
  }
  if (cur.length) batches.push(cur)
  return batches.map((Items) => (batchInput === undefined ? { Items } : { BatchInput: batchInput, Items }))
}

/** A new Map Run's ARN: `arn:…:mapRun:<machine>/<state>:<id>`. */
export function mapRunArnOf(run: Run, th: ThreadRec, def: StateDef): string {
  const label = typeof def.Label === 'string' ? def.Label : th.state
  return `arn:aws:states:${run.init.region}:${run.init.executionArn.split(':')[4]}:mapRun:${run.init.stateMachineName}/${label}:${randomUUID()}`
}

/** One child's line in a ResultWriter file (AWS's shape). */
export interface ChildResult {
  index: number
  input: unknown
  output?: unknown
  error?: string
  cause?: string
}

/**
 * ResultWriter: `SUCCEEDED_0.json` / `FAILED_0.json` (and an empty PENDING list) under
 * `<Prefix>/<map run id>/`, then `manifest.json`; answers the Map's output
 * `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`.
 */
export async function writeResults(
  run: Run,
  th: ThreadRec,
  def: StateDef,
  input: unknown,
  s3Client: S3Client | undefined,
  mapRunArn: string,
  children: ChildResult[],
  startMs: number,
): Promise<{ output: unknown; written: number }> {
  const s3 = needS3(s3Client)
  const p = await params(run, th, def, def.ResultWriter, input)
  const runId = mapRunArn.split(':').pop()!
  const base = `${p.Prefix ? `${String(p.Prefix).replace(/\/$/, '')}/` : ''}${runId}`
  const stop = new Date(run.clock.nowMs()).toISOString()
  const line = (c: ChildResult) => {
    const ok = c.error === undefined && c.cause === undefined
    const entry: Record<string, unknown> = {
      ExecutionArn: `${mapRunArn.replace(':mapRun:', ':execution:')}/${c.index}`,
      Input: JSON.stringify(c.input),
      InputDetails: { Included: true },
      Name: `${runId}-${c.index}`,
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      StartDate: new Date(startMs).toISOString(),
      StateMachineArn: run.init.stateMachineArn,
      Status: ok ? 'SUCCEEDED' : 'FAILED',
      StopDate: stop,
    }
    if (ok) {
      entry.Output = JSON.stringify(c.output)
      entry.OutputDetails = { Included: true }
    } else {
      entry.Error = c.error
      entry.Cause = c.cause
    }
    return entry
  }
  const ok = children.filter((c) => c.error === undefined && c.cause === undefined)
  const failed = children.filter((c) => !(c.error === undefined && c.cause === undefined))
  const files: Record<string, { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] }
  for (const [status, list] of [
    ['SUCCEEDED', ok],
    ['FAILED', failed],
  ] as const) {
    if (!list.length) continue
    const body = JSON.stringify(list.map(line))
    const Key = `${base}/${status}_0.json`
    await s3.send(
      new PutObjectCommand({ Bucket: p.Bucket, Key, Body: body, ContentType: 'application/json' }),
    )
    files[status].push({ Key, Size: Buffer.byteLength(body) })
  }
  const manifestKey = `${base}/manifest.json`
  await s3.send(
    new PutObjectCommand({
      Bucket: p.Bucket,
      Key: manifestKey,
      ContentType: 'application/json',
      Body: JSON.stringify({ DestinationBucket: p.Bucket, MapRunArn: mapRunArn, ResultFiles: files }),
    }),
  )
  return {
    output: { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: p.Bucket, Key: manifestKey } },
    written: children.length,
  }
}
