/**
 * Which evidence files are accepted, pure rules shared by the API and the browser: at most
 * 25 MB, of the listed types only, and the declared type must match the file's first bytes
 * (its "magic"), so a renamed HTML page is not stored as a PDF.
 */

/** The largest evidence file accepted (25 MB); the upload policy enforces it. */
export const MAX_EVIDENCE_FILE_BYTES = 25 * 1024 * 1024

/** How many leading bytes the type check reads. */
export const MAGIC_BYTES = 512

const ZIP = 'application/zip'
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** Accepted content types with the file extensions that stand for them. */
export const EVIDENCE_FILE_TYPES: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  [DOCX]: ['docx'],
  [XLSX]: ['xlsx'],
  [ZIP]: ['zip'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
}

/** The `accept` attribute of a file input. */
export const EVIDENCE_FILE_ACCEPT = Object.entries(EVIDENCE_FILE_TYPES)
  .flatMap(([type, exts]) => [type, ...exts.map((e) => `.${e}`)])
  .join(',')

/** The accepted type of a file, from its declared type or, when the browser gives none, its extension. */
export function evidenceTypeOf(name: string, declared: string): string | undefined {
  const type = declared.split(';')[0].trim().toLowerCase()
  if (type in EVIDENCE_FILE_TYPES) return type
  const ext = name.toLowerCase().split('.').pop() ?? ''
  // Browsers name CSV files variously (application/vnd.ms-excel…); the extension decides then.
  return Object.entries(EVIDENCE_FILE_TYPES).find(([, exts]) => exts.includes(ext))?.[0]
}

const starts = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b)

/** True when the first bytes can be text: UTF-8 (a character cut at the sample's end allowed) without binary control bytes. */
function looksLikeText(bytes: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut++) {
    try {
      const text = decoder.decode(bytes.subarray(0, bytes.length - cut))
      // biome-ignore lint/suspicious/noControlCharactersInRegex: binary control bytes are what is checked
      return !/[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/.test(text)
    } catch {
      // try without the last byte (the sample may end inside a character)
    }
  }
  return false
}

/** True when `bytes` (the file's start) fit the content type (one of `EVIDENCE_FILE_TYPES`). */
export function magicMatches(contentType: string, bytes: Uint8Array): boolean {
  switch (contentType) {
    case 'application/pdf':
      return starts(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d]) // %PDF-
    case 'image/png':
      return starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    case 'image/jpeg':
      return starts(bytes, [0xff, 0xd8, 0xff])
    case DOCX:
    case XLSX:
    case ZIP:
      // Office Open XML files are ZIP archives (local file header, or an empty archive's end record).
      return starts(bytes, [0x50, 0x4b, 0x03, 0x04]) || starts(bytes, [0x50, 0x4b, 0x05, 0x06])
    case 'text/plain':
    case 'text/csv':
      return bytes.length > 0 && looksLikeText(bytes)
    default:
      return false
  }
}
