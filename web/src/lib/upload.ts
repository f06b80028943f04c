/**
 * The one upload of an evidence file from the browser: announced to the API (name, size,
 * type, SHA-256 and any fields the resource takes), POSTed straight to the bucket with the
 * presigned form the API answers (with progress), then confirmed at `<uploads path>/<fileId>`.
 * Too large, empty or of a type not accepted is refused before a byte is sent. Rejects with
 * `{status, message, fields}`.
 */
import {
  evidenceTypeOf,
  MAX_EVIDENCE_FILE_BYTES,
} from '../../../functions/domain/certification/evidence-files.js'

/** What the upload needs of the session: the CSRF token, the organisation, extra headers. */
export interface UploadSession {
  csrfToken: string | null
  orgId: string
  headers?: Record<string, string>
}

/** An upload error as a page shows it: an HTTP-like status and per-field messages. */
const uploadError = (status: number, message: string, fields: Record<string, string> = {}) =>
  Object.assign(new Error(message), { status, fields })

/** Hex SHA-256 of a file (the bucket checks the upload against it). */
async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer())
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** POSTs the form to the bucket with upload progress (fetch reports none). */
function postToBucket(
  url: string,
  fields: Record<string, string>,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    form.append('file', file)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText })
    xhr.onerror = () => resolve({ status: 0, body: '' })
    xhr.send(form)
  })
}

interface Presigned {
  fileId: string
  url: string
  fields: Record<string, string>
}
const isPresigned = (v: unknown): v is Presigned =>
  typeof v === 'object' && v !== null && 'fileId' in v && 'url' in v && 'fields' in v

/** Uploads `file` through `uploadsPath` (announce, bucket, confirm); resolves the confirmation's answer. */
export async function uploadFile(
  uploadsPath: string,
  file: File,
  extra: Record<string, unknown>,
  session: UploadSession,
  onProgress: (fraction: number) => void = () => {},
): Promise<unknown> {
  if (file.size > MAX_EVIDENCE_FILE_BYTES)
    throw uploadError(413, 'too large', { file: `must be at most ${MAX_EVIDENCE_FILE_BYTES} bytes` })
  if (file.size === 0) throw uploadError(400, 'empty', { file: 'the file is empty' })
  const contentType = evidenceTypeOf(file.name, file.type)
  if (!contentType)
    throw uploadError(400, 'type', { file: 'must be a PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT or CSV file' })
  const call = async (path: string, body: unknown) => {
    const res = await fetch(path, {
      method: 'POST',
      body: JSON.stringify(body),
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...session.headers,
        ...(session.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}),
        'x-org-id': session.orgId,
      },
    })
    const answer: unknown = await res.json().catch(() => ({}))
    if (!res.ok) {
      const e =
        typeof answer === 'object' && answer !== null && 'error' in answer && typeof answer.error === 'object'
          ? (answer.error ?? {})
          : {}
      const message = 'message' in e && typeof e.message === 'string' ? e.message : res.statusText
      const fields =
        'fields' in e && typeof e.fields === 'object' && e.fields !== null
          ? Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, String(v)]))
          : {}
      throw uploadError(res.status, message, fields)
    }
    return answer
  }
  const target = await call(uploadsPath, {
    name: file.name,
    size: file.size,
    contentType,
    sha256: await sha256Hex(file),
    ...extra,
  })
  if (!isPresigned(target)) throw uploadError(502, 'the API answered no upload form')
  const sent = await postToBucket(target.url, target.fields, file, onProgress)
  if (sent.status === 0) throw uploadError(0, 'network')
  if (sent.status >= 300) {
    if (sent.body.includes('<Code>EntityTooLarge</Code>'))
      throw uploadError(413, 'too large', { file: `must be at most ${MAX_EVIDENCE_FILE_BYTES} bytes` })
    throw uploadError(400, 'refused', { file: 'the upload was refused; try again' })
  }
  return call(`${uploadsPath}/${encodeURIComponent(target.fileId)}`, extra)
}
