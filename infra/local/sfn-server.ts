import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { LocalCredentials } from './credentials.js'
import type { Engine } from './engine/engine.js'
import { ApiError } from './engine/errors.js'
import { listenOn } from './listen.js'
import { jsonAuthError, verifySignature } from './sigv4.js'

/**
 * The Step Functions API of the local engine, AWS JSON 1.0 protocol: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Operation>` and a camelCase JSON body; dates are epoch
 * seconds; errors are HTTP 400 with `x-amzn-errortype` and `{"__type", "message"}`.
 * `@aws-sdk/client-sfn` and `aws stepfunctions --endpoint-url …` talk to it as to AWS
 * (a client calling StartSyncExecution needs `disableHostPrefix: true`). Every request must be
 * signed (Signature V4) with the installation's key pair; others get AWS's
 * `MissingAuthenticationTokenException`, `UnrecognizedClientException` or `InvalidSignatureException`.
 */

const OPERATIONS = {
  CreateStateMachine: 'createStateMachine',
  UpdateStateMachine: 'updateStateMachine',
  DescribeStateMachine: 'describeStateMachine',
  ListStateMachines: 'listStateMachines',
  DeleteStateMachine: 'deleteStateMachine',
  StartExecution: 'startExecution',
  StartSyncExecution: 'startSyncExecution',
  DescribeExecution: 'describeExecution',
  ListExecutions: 'listExecutions',
  GetExecutionHistory: 'getExecutionHistory',
  StopExecution: 'stopExecution',
  SendTaskSuccess: 'sendTaskSuccess',
  SendTaskFailure: 'sendTaskFailure',
  SendTaskHeartbeat: 'sendTaskHeartbeat',
  ValidateStateMachineDefinition: 'validateStateMachineDefinition',
  RedriveExecution: 'redriveExecution',
  TestState: 'testState',
  DescribeStateMachineForExecution: 'describeStateMachineForExecution',
  TagResource: 'tagResource',
  UntagResource: 'untagResource',
  ListTagsForResource: 'listTagsForResource',
  PublishStateMachineVersion: 'publishStateMachineVersion',
  ListStateMachineVersions: 'listStateMachineVersions',
  DeleteStateMachineVersion: 'deleteStateMachineVersion',
  CreateStateMachineAlias: 'createStateMachineAlias',
  DescribeStateMachineAlias: 'describeStateMachineAlias',
  UpdateStateMachineAlias: 'updateStateMachineAlias',
  DeleteStateMachineAlias: 'deleteStateMachineAlias',
  ListStateMachineAliases: 'listStateMachineAliases',
  CreateActivity: 'createActivity',
  DescribeActivity: 'describeActivity',
  ListActivities: 'listActivities',
  DeleteActivity: 'deleteActivity',
  GetActivityTask: 'getActivityTask',
  ListMapRuns: 'listMapRuns',
  DescribeMapRun: 'describeMapRun',
  UpdateMapRun: 'updateMapRun',
} as const

/** The operations this server answers. */
export const SFN_OPERATIONS = Object.keys(OPERATIONS)

const MAX_BODY = 4 * 1024 * 1024

function send(res: ServerResponse, status: number, body: unknown, errorType?: string) {
  const text = JSON.stringify(body, function (this: Record<string, unknown>, key, value) {
    const raw = this[key]
    return raw instanceof Date ? raw.getTime() / 1000 : value
  })
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': crypto.randomUUID(),
  }
  if (errorType) headers['x-amzn-errortype'] = errorType
  res.writeHead(status, headers)
  res.end(text)
}

const fail = (res: ServerResponse, code: string, message: string, status = 400) =>
  send(res, status, { __type: code, message }, code)

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        resolve(undefined)
        req.destroy()
        return
      }
      parts.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(parts)))
    req.on('error', reject)
  })
}

/** Answers one request of the Step Functions API with the engine. */
export async function handleSfnRequest(
  engine: Engine,
  req: IncomingMessage,
  res: ServerResponse,
  credentials: LocalCredentials,
): Promise<void> {
  const raw = await readBody(req)
  if (raw === undefined) return fail(res, 'ValidationException', `The request body exceeds ${MAX_BODY} bytes`)
  const refused = verifySignature(
    { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: raw },
    { credentials, service: 'states' },
  )
  if (refused) {
    const e = jsonAuthError(refused)
    return fail(res, e.type, e.message, e.status)
  }
  if (req.method !== 'POST') return fail(res, 'UnknownOperationException', 'Use POST / with X-Amz-Target')
  const target = String(req.headers['x-amz-target'] ?? '')
  const op = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : ''
  const method = OPERATIONS[op as keyof typeof OPERATIONS]
  if (!method) return fail(res, 'UnknownOperationException', `Unknown operation '${target}'`)
  const text = raw.toString('utf8')
  let body: Record<string, unknown>
  try {
    body = text.trim() ? JSON.parse(text) : {}
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object')
  } catch {
    return fail(res, 'SerializationException', 'The request body is not a JSON object')
  }
  try {
    // GetActivityTask long-polls: a caller that goes away ends its wait (no task is handed to it).
    const gone = new AbortController()
    res.on('close', () => gone.abort())
    const out = await (
      engine[method] as (input: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>
    ).call(engine, body, gone.signal)
    send(res, 200, out ?? {})
  } catch (err) {
    if (err instanceof ApiError) return fail(res, err.code, err.message)
    console.error(`[sfn] ${op} failed`, err)
    fail(res, 'InternalFailure', 'The request processing has failed because of an unknown error', 500)
  }
}

/** Starts the API server on `port` (0 = a free port), verifying signatures with `credentials`. */
export async function startSfnServer(
  engine: Engine,
  options: { port: number; host?: string; credentials: LocalCredentials },
): Promise<{ endpoint: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    handleSfnRequest(engine, req, res, options.credentials).catch((err) => {
      console.error('[sfn] request failed', err)
      if (!res.headersSent) fail(res, 'InternalFailure', 'The request processing has failed', 500)
    })
  })
  return { ...(await listenOn(server, options)), server }
}
