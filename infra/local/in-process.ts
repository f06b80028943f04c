import { EventEmitter } from 'node:events'
import type { IncomingHttpHeaders } from 'node:http'
import { PassThrough } from 'node:stream'
import type { HttpAuthScheme, HttpRequest, HttpResponse, RequestHandler } from '@smithy/types'

/**
 * The local stack's own SDK clients (the API, the steps, the engine) reach the embedded store
 * in-process: each request is handed to the store's HTTP `request` listener in this process, with
 * no socket in between. The SDK still builds the request (commands, serialization, endpoint,
 * headers, retries) and reads the answer (status, headers, body, typed errors) exactly as over
 * HTTP, so the application's code path is the one it runs on AWS; what is left out is the
 * loopback connection (the HTTP client's agent, the socket, both sides' HTTP parsers) and
 * Signature V4.
 *
 * Why no signature: the signature authenticates a caller the server cannot otherwise know. On
 * this path there is none to know: only code running in this process can call it (it is a
 * function, not a port), and that code already holds the installation's key pair. Signing
 * with it and checking it again cost ~0.3 ms of CPU per call (a CPU profile of
 * `npm run bench:api`), several calls per request. The store's port (`endpoint`), which other
 * processes reach, still refuses every unsigned or wrongly signed request.
 */

/** A request as an embedded server's listener reads it: `http.IncomingMessage`'s fields it uses, and the body as a stream. */
export type InProcessRequest = PassThrough & {
  headers: IncomingHttpHeaders
  method: string
  url: string
  httpVersion: string
}

/** An embedded server's `request` listener (the one `http.createServer` took), called with in-process requests and answers. */
export type RequestListener = (req: InProcessRequest, res: InProcessResponse) => void

/** A request as a server's direct handler reads it (`inProcessClient`'s `direct`): header names in lower case, the body whole. */
export interface DirectRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A direct handler's answer: status, headers (names in lower case), the body whole. */
export interface DirectAnswer {
  statusCode: number
  headers: Record<string, string>
  body: Buffer
}

/**
 * A server's answer computed by a call, for the requests it knows how to answer so; `undefined`
 * leaves the request to the server's listener.
 */
export type DirectHandler = (request: DirectRequest) => Promise<DirectAnswer> | undefined

/** What an SDK client needs to call a server's listener in-process, spread into its configuration. */
export interface InProcessClientConfig {
  requestHandler: RequestHandler<HttpRequest, HttpResponse> & {
    updateHttpClientConfig(): void
    httpHandlerConfigs(): Record<string, never>
  }
  /** Signature V4's scheme with a signer that leaves the request as it is (see above). */
  httpAuthSchemes: HttpAuthScheme[]
}

/**
 * The client configuration that serves every request of an SDK client with `listener` in this
 * process, unsigned. `listener` must accept the service's requests without a signature. A
 * `direct` handler answers first those requests it takes (without the listener's request and
 * response streams); it must answer them as the listener would.
 */
export function inProcessClient(listener: RequestListener, direct?: DirectHandler): InProcessClientConfig {
  return {
    requestHandler: {
      metadata: { handlerProtocol: 'http/1.1' },
      handle: (request) => serve(listener, request, direct).then((response) => ({ response })),
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
    httpAuthSchemes: [
      {
        schemeId: 'aws.auth#sigv4',
        // The client's own credentials still resolve as configured (nothing signs with them here).
        identityProvider: (config) => config.getIdentityProvider('aws.auth#sigv4'),
        signer: { sign: async (request) => request },
      },
    ],
  }
}

/** The SDK's request body as bytes (the clients of the embedded services send JSON strings or bytes). */
function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0)
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  throw new TypeError('the in-process handler takes string or byte bodies only (no streams)')
}

function serve(
  listener: RequestListener,
  request: HttpRequest,
  direct?: DirectHandler,
): Promise<HttpResponse> {
  const headers: IncomingHttpHeaders = {}
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value
  const query = Object.entries(request.query ?? {})
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((x) =>
        x === null ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(x)}`,
      ),
    )
    .join('&')
  const body = bodyBytes(request.body)
  const url = `${request.path || '/'}${query ? `?${query}` : ''}`
  return new Promise<HttpResponse>((resolve, reject) => {
    // Served in a later turn of the event loop, as a request over a socket would be: a caller
    // that loops on reads of an in-memory store (no I/O of its own) cannot starve timers and
    // other callers.
    setImmediate(() => {
      try {
        const answer = direct?.({ method: request.method, url, headers, body })
        if (answer) {
          answer.then(
            (a) => resolve({ statusCode: a.statusCode, reason: '', headers: a.headers, body: a.body }),
            reject,
          )
          return
        }
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)))
        return
      }
      const req: InProcessRequest = Object.assign(new PassThrough(), {
        headers,
        method: request.method,
        url,
        httpVersion: '1.1',
      })
      const res = new InProcessResponse(resolve, reject)
      try {
        listener(req, res)
        req.end(body)
      } catch (err) {
        res.destroy(err instanceof Error ? err : new Error(String(err)))
      }
    })
  })
}

type Fields = Record<string, string | number | readonly string[]>

/**
 * The part of `http.ServerResponse` the embedded servers use: status, headers, `write`/`end`,
 * and the `finish` and `close` events (the store's transaction lock waits for them).
 */
export class InProcessResponse extends EventEmitter {
  statusCode = 200
  statusMessage = ''
  headersSent = false
  writableEnded = false
  private readonly fields = new Map<string, string>()
  private readonly chunks: Buffer[] = []

  constructor(
    private readonly done: (response: HttpResponse) => void,
    private readonly failed: (err: Error) => void,
  ) {
    super()
  }

  setHeader(name: string, value: string | number | readonly string[]) {
    this.fields.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value))
    return this
  }
  getHeader(name: string) {
    return this.fields.get(name.toLowerCase())
  }
  hasHeader(name: string) {
    return this.fields.has(name.toLowerCase())
  }
  removeHeader(name: string) {
    this.fields.delete(name.toLowerCase())
  }
  writeHead(status: number, message?: string | Fields, fields?: Fields) {
    this.statusCode = status
    if (typeof message === 'string') this.statusMessage = message
    for (const [k, v] of Object.entries((typeof message === 'object' ? message : fields) ?? {}))
      this.setHeader(k, v)
    this.headersSent = true
    return this
  }
  write(chunk: string | Uint8Array) {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk))
    return true
  }
  end(chunk?: string | Uint8Array | (() => void)) {
    if (this.writableEnded) return this
    if (chunk !== undefined && typeof chunk !== 'function') this.write(chunk)
    this.writableEnded = true
    this.headersSent = true
    const body = Buffer.concat(this.chunks)
    this.done({
      statusCode: this.statusCode,
      reason: this.statusMessage,
      headers: Object.fromEntries(this.fields),
      body,
    })
    this.emit('finish')
    this.emit('close')
    return this
  }
  destroy(err?: Error) {
    if (!this.writableEnded) {
      this.writableEnded = true
      this.failed(err ?? new Error('the embedded server closed the request without an answer'))
      this.emit('close')
    }
    return this
  }
}
