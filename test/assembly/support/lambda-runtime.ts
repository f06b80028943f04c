import { randomUUID } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import type { LambdaContext, LambdaHandler } from '../../../infra/local/engine/resources.js'
import type { AssemblyFunction } from './assembly.js'

/**
 * The Lambda runtime for the rehearsal: each function runs in a container of its own (a
 * worker thread with its own `process.env`), whose code is the function's folder from the
 * cloud assembly, loaded from the handler string as the Node.js runtime does
 * (`index.handler` → `index.mjs`, export `handler`), with the template's environment plus
 * what Lambda itself sets. A thrown error comes back with its name (Lambda's `errorType`).
 */

/** What the worker runs: imports the handler on first use and answers invocations. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const { pathToFileURL } = require('node:url')
const [file, exportName] = workerData.handler.split('.')
let loaded
const load = () => {
  loaded ??= (async () => {
    const base = join(workerData.codeDir, file)
    const path = ['.mjs', '.js', '.cjs'].map((x) => base + x).find((p) => existsSync(p))
    if (!path) throw Object.assign(new Error('Cannot find module ' + file), { name: 'Runtime.ImportModuleError' })
    const mod = await import(pathToFileURL(path).href)
    const fn = mod[exportName]
    if (typeof fn !== 'function')
      throw Object.assign(new Error(file + '.' + exportName + ' is undefined or not exported'), { name: 'Runtime.HandlerNotFound' })
    return fn
  })()
  return loaded
}
parentPort.on('message', async ({ id, event, context }) => {
  try {
    const fn = await load()
    const deadline = Date.now() + context.timeoutMs
    const result = await fn(event, { ...context, getRemainingTimeInMillis: () => deadline - Date.now() })
    parentPort.postMessage({ id, ok: true, result: result === undefined ? null : JSON.stringify(result) })
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err))
    parentPort.postMessage({
      id,
      ok: false,
      error: { name: e.name, message: e.message, code: e.code, fields: e.fields, stack: e.stack },
    })
  }
})
`

/** An error as it left a function (its name is Lambda's errorType). */
export class FunctionError extends Error {
  readonly code?: string
  readonly fields?: Record<string, string>
  constructor(e: {
    name: string
    message: string
    code?: string
    fields?: Record<string, string>
    stack?: string
  }) {
    super(e.message)
    this.name = e.name
    this.code = e.code
    this.fields = e.fields
    this.stack = e.stack
  }
}

/** One running function container. */
export interface Container {
  fn: AssemblyFunction
  invoke(event: unknown, context?: Partial<LambdaContext>): Promise<unknown>
  /** Invocations so far (a function doing another's job shows here). */
  invocations: number
  close(): Promise<void>
}

/**
 * Starts the container of a function with the template's environment and `overrides` on top;
 * `credentials` stand for the role's (the local endpoints verify Signature V4 with them).
 */
export function startContainer(
  fn: AssemblyFunction,
  credentials: { accessKeyId: string; secretAccessKey: string },
  overrides: Record<string, string>,
): Container {
  const env = {
    ...fn.environment,
    AWS_REGION: fn.arn.split(':')[3],
    AWS_DEFAULT_REGION: fn.arn.split(':')[3],
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    LAMBDA_TASK_ROOT: fn.codeDir,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    // The role's credentials, as Lambda hands them to the function.
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    LOG_LEVEL: 'warn',
    PATH: process.env.PATH ?? '',
    ...overrides,
  }
  // Paths under the code root (`/var/task`) point into the asset folder.
  for (const [k, v] of Object.entries(env))
    env[k as keyof typeof env] = v.replace(/^\/var\/task(?=\/|$)/, fn.codeDir)
  const worker = new Worker(WORKER, {
    eval: true,
    env,
    workerData: { codeDir: fn.codeDir, handler: fn.handler },
  })
  worker.unref()
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  worker.on('message', (m: { id: string; ok: boolean; result?: string | null; error?: any }) => {
    const p = pending.get(m.id)
    if (!p) return
    pending.delete(m.id)
    if (m.ok) p.resolve(m.result == null ? null : JSON.parse(m.result))
    else p.reject(new FunctionError(m.error))
  })
  worker.on('error', (err) => {
    for (const p of pending.values()) p.reject(err)
    pending.clear()
  })
  const container: Container = {
    fn,
    invocations: 0,
    invoke(event, context = {}) {
      container.invocations++
      const id = randomUUID()
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        worker.postMessage({
          id,
          event: JSON.parse(JSON.stringify(event ?? {})),
          context: {
            functionName: fn.name,
            invokedFunctionArn: fn.arn,
            awsRequestId: context.awsRequestId ?? id,
            timeoutMs: 30_000,
          },
        })
      })
    },
    async close() {
      await worker.terminate()
    },
  }
  return container
}

/** The engine's view of the containers: a handler per function name; unknown names are not found. */
export function lambdaLookup(containers: Map<string, Container>): (name: string) => LambdaHandler {
  return (name) => {
    const c = containers.get(name)
    if (!c)
      return async () => {
        throw Object.assign(new Error(`Function not found: ${name} (not in the assembly)`), {
          name: 'Lambda.ResourceNotFoundException',
        })
      }
    return (event, context) => c.invoke(event, context)
  }
}
