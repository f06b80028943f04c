/**
 * Every download of the app goes through here, signed like every other API request (the
 * session cookie locally, `Authorization: Bearer` on AWS, where a plain link would answer
 * 401). The links stay real `<a href download>` (keyboard, a new tab or window with a
 * session cookie); a plain click is intercepted:
 *
 * - an **export** (CSV, XLSX, ICS…) is fetched with the API client's headers and saved as a
 *   blob under the server's file name (`Content-Disposition`);
 * - a **stored file** (evidence, a certificate) answers a short-lived presigned link
 *   (`…/link`) that the browser navigates to: it needs no sign-in and answers the file as an
 *   attachment (the page stays where it is).
 */
import { api } from './api.js'

/** Where the browser goes (tests pass their own). */
export type Navigate = (url: string) => void
/** How a fetched file is saved (tests pass their own). */
export type Save = (blob: Blob, name: string) => void

/** The part of the API client downloads use. */
export interface DownloadClient {
  /** A stored file's presigned link. */
  get(path: string): Promise<{ url: string }>
  getFile(path: string): Promise<Response>
}

/** What a download link holds. */
export interface DownloadOptions {
  /** A stored file answering a presigned link at `<path>/link`, not an export. */
  stored?: boolean
  navigate?: Navigate
  save?: Save
  client?: DownloadClient
}

// Path separators, control characters and what Windows refuses in a name.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const UNSAFE = /[\u0000-\u001f\u007f/\\:*?"<>|]+/g

/** A name safe to save under: no path, no control characters, not empty. */
function safeName(name: string): string {
  return name
    .replace(UNSAFE, '_')
    .replace(/^[.\s]+/, '')
    .trim()
}

/** The last segment of the path, without the query (`/api/risks/export.csv?lang=en` → `export.csv`). */
function lastSegment(path: string): string {
  const bare = path.split(/[?#]/)[0] ?? ''
  return decodeURIComponentOr(bare.slice(bare.lastIndexOf('/') + 1))
}

function decodeURIComponentOr(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/**
 * The file name a `Content-Disposition` header gives (RFC 6266): `filename*` (RFC 8187,
 * UTF-8, percent-encoded) before `filename` (quoted or a token), made safe to save; else
 * `fallback` (usually the link's last path segment).
 *
 * @example
 * fileNameOf(`attachment; filename="a.csv"; filename*=UTF-8''M%C3%A4rz.csv`, 'x') // 'März.csv'
 */
export function fileNameOf(disposition: string | null | undefined, fallback: string): string {
  const header = disposition ?? ''
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^';\s]+)'[^']*'([^;\s]*)/i.exec(header)
  if (extended) {
    const charset = (extended[1] ?? '').toLowerCase()
    const raw = extended[2] ?? ''
    const name =
      charset === 'utf-8'
        ? decodeURIComponentOr(raw)
        : raw.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)))
    const safe = safeName(name)
    if (safe) return safe
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header)
  const token = /(?:^|;)\s*filename\s*=\s*([^";\s]+)/i.exec(header)
  const plain = quoted ? (quoted[1] ?? '').replace(/\\(.)/g, '$1') : (token?.[1] ?? '')
  return safeName(plain) || safeName(fallback) || 'download'
}

/** Saves a blob as a file: a temporary object URL behind a `download` link, clicked once. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.hidden = true
  document.body.append(a)
  a.click()
  a.remove()
  // The download has started from the URL; release it once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/**
 * Downloads what `path` answers with the page's own sign-in: an export is fetched and saved
 * under the server's file name; a stored file (`stored`) opens its presigned link. Rejects
 * (an `ApiError`) when the server refuses or cannot be reached.
 */
export async function download(path: string, options: DownloadOptions = {}): Promise<void> {
  const client: DownloadClient = options.client ?? api
  if (options.stored) {
    const { url } = await client.get(`${path}/link`)
    ;(options.navigate ?? ((u) => location.assign(u)))(url)
    return
  }
  const res = await client.getFile(path)
  const blob = await res.blob()
  ;(options.save ?? saveBlob)(blob, fileNameOf(res.headers.get('content-disposition'), lastSegment(path)))
}

/**
 * A click handler for a download link: the signed download instead of the plain `href`.
 * A click with a modifier (new tab or window) or another button keeps the plain link.
 */
export function onDownloadClick(
  path: string,
  handlers: {
    stored?: boolean
    onStart?: () => void
    onError?: (err: unknown) => void
    onDone?: () => void
  } = {},
) {
  return (event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return
    event.preventDefault()
    handlers.onStart?.()
    download(path, { stored: handlers.stored }).then(handlers.onDone, handlers.onError)
  }
}
