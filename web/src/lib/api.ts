/**
 * The browser's API client: JSON in and out, the CSRF header on state-changing requests
 * (local sign-in) or `Authorization: Bearer <ID token>` (sign-in on AWS), the current
 * organisation in `x-org-id`, and every failure as an `ApiError`.
 */

/** An API failure: the server's `{error: {code, message, fields}}`, or `network` when it was not reached. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: Record<string, string>
  readonly requestId?: string
  constructor(
    status: number,
    code: string,
    message: string,
    fields: Record<string, string> = {},
    requestId?: string,
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.requestId = requestId
  }
}

/** What an error says (its message; anything else thrown, as text). */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/** Options for one request. */
export interface RequestOptions {
  /** Act in this organisation instead of the current one. */
  orgId?: string
  signal?: AbortSignal
}

const SAFE = new Set(['GET', 'HEAD'])

/**
 * Creates a client. The app uses the one `api` below; tests pass their own `fetch`.
 * `onUnauthenticated` runs when a request other than a sign-in answers 401 (session ended).
 */
export function createApi(options: { fetch?: typeof fetch; base?: string } = {}) {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args))
  const base = options.base ?? ''
  let csrfToken: string | null = null
  let orgId: string | null = null
  let bearer: (() => Promise<string | null>) | null = null
  let onUnauthenticated: (() => void) | undefined

  /** `Authorization: Bearer <ID token>` when signed in through the provider. */
  async function authHeaders(): Promise<Record<string, string>> {
    const token = bearer ? await bearer() : null
    return token ? { authorization: `Bearer ${token}` } : {}
  }

  /** Sends one request signed as every other (bearer or cookie + CSRF, organisation); `network` when unreached. */
  async function send(
    method: string,
    path: string,
    body: unknown,
    opts: RequestOptions,
    accept: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept, ...(await authHeaders()) }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (csrfToken && !SAFE.has(method)) headers['x-csrf-token'] = csrfToken
    const org = opts.orgId ?? orgId
    if (org) headers['x-org-id'] = org
    try {
      return await doFetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        signal: opts.signal,
      })
    } catch (err) {
      if (err instanceof Error && err.name === 'AbortError') throw err
      throw new ApiError(0, 'network', 'The server cannot be reached.')
    }
  }

  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<T> {
    const res = await send(method, path, body, opts, 'application/json')
    if (res.status === 204) return undefined as T
    const data = await bodyOf(res)
    if (!res.ok) throw failure(res, data, method, path)
    return data as T
  }

  /** The JSON body of an answer, or `undefined` when it has none. */
  async function bodyOf(res: Response): Promise<unknown> {
    try {
      return await res.json()
    } catch {
      return undefined
    }
  }

  /** The `ApiError` of a failed answer (a 401 other than a sign-in ends the session). */
  function failure(res: Response, data: unknown, method: string, path: string): ApiError {
    const e = (
      data as {
        error?: { code?: string; message?: string; fields?: Record<string, string>; requestId?: string }
      }
    )?.error
    if (res.status === 401 && !(method === 'POST' && path === '/api/session')) onUnauthenticated?.()
    return new ApiError(
      res.status,
      e?.code ?? `http_${res.status}`,
      e?.message ?? res.statusText,
      e?.fields ?? {},
      e?.requestId,
    )
  }

  return {
    /**
     * Remembers the session's CSRF token, the current organisation and (sign-in on AWS)
     * where the ID token for each request comes from.
     */
    configure(next: {
      csrfToken?: string | null
      orgId?: string | null
      bearer?: (() => Promise<string | null>) | null
    }) {
      if (next.csrfToken !== undefined) csrfToken = next.csrfToken
      if (next.orgId !== undefined) orgId = next.orgId
      if (next.bearer !== undefined) bearer = next.bearer
    },
    /** The authorization header for a request made without this client (file uploads). */
    authHeaders,
    /** Called when the session has ended (a 401 on anything but sign-in). */
    onUnauthenticated(fn: () => void) {
      onUnauthenticated = fn
    },
    get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
    /**
     * GETs a file (an export): the answer itself, to read as a blob with its headers;
     * a failure as an `ApiError`, as every other request.
     */
    async getFile(path: string, opts: RequestOptions = {}): Promise<Response> {
      const res = await send('GET', path, undefined, opts, '*/*')
      if (!res.ok) throw failure(res, await bodyOf(res), 'GET', path)
      return res
    },
    post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, body, opts),
    put: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
    patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
    delete: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, undefined, opts),
  }
}

/** The app's API client. */
export const api = createApi()
/** The client's type. */
export type Api = ReturnType<typeof createApi>
