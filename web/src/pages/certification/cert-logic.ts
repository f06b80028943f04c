/**
 * Pure helpers of the certification pages: what the API answers (types), the state words of a
 * milestone, timeline positions, German wording of the server's field messages, and the upload
 * of an evidence file (straight to the bucket with a presigned POST).
 */
import {
  evidenceTypeOf,
  MAX_EVIDENCE_FILE_BYTES,
} from '../../../../functions/domain/certification/evidence-files.js'
import type { Text } from '../../../../functions/domain/risk/text.js'

/** A planned milestone as the API answers it (`PlannedMilestone`). */
export interface MilestoneView {
  id: string
  title: Text
  clause: string
  phase: 'preparation' | 'certification' | 'surveillance'
  performerRole: 'iso' | 'management' | 'member'
  start: string
  due: string
  status: 'done' | 'ready' | 'waiting'
  doneOn?: string
  slackDays: number | null
  critical: boolean
  late: boolean
  atRisk: boolean
}

/** `GET /api/certification/projects/:id`. */
export interface ProjectView {
  project: {
    id: string
    title: string
    standard: 'iso27001' | 'tisax'
    assessmentLevel?: 'AL2' | 'AL3'
    levelSource?: 'obligation-decision' | 'chosen'
    auditDate: string
    stage1Threshold: number
    version: number
    gate?: {
      outcome: 'passed' | 'override'
      score: number
      threshold: number
      byName?: string
      acknowledgedName?: string
    }
    certificate?: { number: string; issuedOn: string; validUntil: string; body: string }
    completions: Record<string, { byName?: string; by: string }>
  }
  templateTitle: Text
  anchorId: string
  phase: 'preparation' | 'certification' | 'certified'
  plan: { milestones: MilestoneView[]; auditPassed: boolean }
  next: MilestoneView | null
}

/** One control row of the SoA task list. */
export interface ControlRow {
  controlId: string
  theme: string
  title: Text
  status: 'not-started' | 'in-progress' | 'completed'
  decided: boolean
  applicable: boolean | null
  implementation: string | null
  ownerId: string | null
  ownerName: string | null
  evidenceCount: number
  freshEvidence: number
  staleEvidence: number
}

/** `GET /api/certification/projects/:id/soa`. */
export interface SoaView {
  projectId: string
  scope: 'all' | 'own'
  counts: { controls: number; decided: number; excluded: number; completed: number }
  themes: {
    id: string
    title: Text
    clause: string
    status: ControlRow['status']
    counts: { controls: number; completed: number; inProgress: number; notStarted: number }
    controls: ControlRow[]
  }[]
}

/** `GET /api/certification/projects/:id/readiness`. */
export interface ReadinessView {
  score: number
  parts: { controls: number; milestones: number; nonconformities: number; risks: number }
  counts: Record<string, number>
  perTheme: {
    theme: string
    title: Text
    clause: string
    applicable: number
    undecided: number
    implementedFresh: number
    percent: number
  }[]
  blockers: { kind: string; id: string; text: Text }[]
  gate: { threshold: number; passes: boolean }
  timeline: {
    today: string
    auditDate: string
    from: string
    milestones: MilestoneView[]
    auditPassed: boolean
  }
}

/** Message keys (without the `certification.` prefix) describing a milestone's state, in order of weight. */
export function milestoneStates(m: MilestoneView): { key: string; params?: Record<string, string> }[] {
  if (m.status === 'done')
    return [{ key: m.late ? 'state.doneLate' : 'state.done', params: { date: m.doneOn ?? '' } }]
  const out: { key: string }[] = []
  if (m.late) out.push({ key: 'state.late' })
  else if (m.atRisk) out.push({ key: 'state.atRisk' })
  if (m.critical) out.push({ key: 'state.critical' })
  out.push({ key: m.status === 'ready' ? 'state.ready' : 'state.waiting' })
  return out
}

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000

/** Where a date sits between `from` and `to`, in per cent (clamped to 0–100). */
export function position(date: string, from: string, to: string): number {
  const span = day(to) - day(from)
  if (span <= 0) return 0
  return Math.min(100, Math.max(0, ((day(date) - day(from)) / span) * 100))
}

/** The timeline's range: from the earliest start (or today) to the audit date, surveillance left out. */
export function timelineRange(milestones: MilestoneView[], today: string, auditDate: string) {
  const shown = milestones.filter((m) => m.phase !== 'surveillance')
  const dates = [today, auditDate, ...shown.map((m) => m.start), ...shown.map((m) => m.due)].sort()
  return { from: dates[0], to: dates[dates.length - 1], shown }
}

/** A server field message in the reader's language where it is one of the known rules. */
export function fieldMessage(message: string, lang: 'en' | 'de'): string {
  if (lang === 'en') return message
  const rules: [RegExp, (m: RegExpExecArray) => string][] = [
    [/^is required$/, () => 'ist erforderlich'],
    [/^must be a date written YYYY-MM-DD$/, () => 'muss ein Datum im Format JJJJ-MM-TT sein'],
    [/^must not be in the past$/, () => 'darf nicht in der Vergangenheit liegen'],
    [/^must not be in the future$/, () => 'darf nicht in der Zukunft liegen'],
    [/^explain why the control is excluded$/, () => 'begründen Sie, warum das Control ausgeschlossen wird'],
    [
      /^must be not-applicable for an excluded control$/,
      () => 'muss bei einem ausgeschlossenen Control „Nicht anwendbar“ sein',
    ],
    [
      /^an excluded control has no inclusion reasons$/,
      () => 'ein ausgeschlossenes Control hat keinen Grund der Aufnahme',
    ],
    [/^give at least one reason/, () => 'geben Sie mindestens einen Grund an'],
    [
      /^an applicable control cannot be not-applicable$/,
      () => 'ein anwendbares Control kann nicht „Nicht anwendbar“ sein',
    ],
    [
      /^an applicable control needs an owner$/,
      () => 'ein anwendbares Control braucht eine verantwortliche Person',
    ],
    [
      /^link the risks this control treats$/,
      () => 'verknüpfen Sie die Risiken, die dieses Control behandelt',
    ],
    [/^is not a member of this organisation$/, () => 'ist kein Mitglied dieser Organisation'],
    [/^"(.+)" is not a risk of this organisation$/, (m) => `„${m[1]}“ ist kein Risiko dieser Organisation`],
    [/^must be an http\(s\) link$/, () => 'muss ein http(s)-Link sein'],
    [/^give a link or a file$/, () => 'geben Sie einen Link oder eine Datei an'],
    [/^choose a file to upload$/, () => 'wählen Sie eine Datei aus'],
    [/^the file is empty$/, () => 'die Datei ist leer'],
    [/^must be at most (\d+) bytes$/, (m) => `darf höchstens ${m[1]} Bytes groß sein`],
    [
      /^choose AL2 or AL3/,
      () =>
        'wählen Sie AL2 oder AL3: keine Pflichtenbewertung dieser Organisation nennt bisher ein TISAX-Niveau',
    ],
    [/^must be at least (\d+)$/, (m) => `muss mindestens ${m[1]} sein`],
    [/^must be at most (\d+)$/, (m) => `darf höchstens ${m[1]} sein`],
    [/^must be a whole number$/, () => 'muss eine ganze Zahl sein'],
    [/^must not be before the finding$/, () => 'darf nicht vor der Feststellung liegen'],
    [
      /^must be a milestone of the plan/,
      () => 'muss ein Meilenstein des Plans oder „Internes Audit“, „Selbstbewertung“ oder „Sonstiges“ sein',
    ],
    [/^the audit is done$/, () => 'das Audit ist bereits erfolgt'],
    [
      /^must be a PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT or CSV file$/,
      () => 'muss eine PDF-, PNG-, JPEG-, DOCX-, XLSX-, ZIP-, TXT- oder CSV-Datei sein',
    ],
    [
      /^the file content does not match its type/,
      () => 'der Inhalt der Datei passt nicht zu ihrem Typ (PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT oder CSV)',
    ],
    [/^the upload was refused/, () => 'das Hochladen wurde abgelehnt; versuchen Sie es erneut'],
  ]
  for (const [re, fn] of rules) {
    const m = re.exec(message)
    if (m) return fn(m)
  }
  return message
}

/** An upload error as the page shows it: an HTTP-like status and per-field messages. */
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

/**
 * Uploads an evidence file straight to the evidence bucket: announces it to the API (name,
 * size, type, SHA-256 and the evidence fields), POSTs it to the presigned URL the API answers
 * (reporting progress), then confirms it. Too large or wrong type is refused before any byte
 * is sent. Resolves the control view; rejects with `{status, message, fields}`.
 */
export async function uploadEvidence(
  base: string,
  file: File,
  fields: { title: string; date: string; freshnessMonths: string },
  session: { csrfToken: string | null; orgId: string; headers?: Record<string, string> },
  onProgress: (fraction: number) => void = () => {},
): Promise<unknown> {
  if (file.size > MAX_EVIDENCE_FILE_BYTES)
    throw uploadError(413, 'too large', { file: `must be at most ${MAX_EVIDENCE_FILE_BYTES} bytes` })
  if (file.size === 0) throw uploadError(400, 'empty', { file: 'the file is empty' })
  const contentType = evidenceTypeOf(file.name, file.type)
  if (!contentType)
    throw uploadError(400, 'type', { file: 'must be a PDF, PNG, JPEG, DOCX, XLSX, ZIP, TXT or CSV file' })
  const item = {
    ...(fields.title.trim() ? { title: fields.title.trim() } : {}),
    ...(fields.date ? { date: fields.date } : {}),
    ...(/^\d+$/.test(fields.freshnessMonths.trim())
      ? { freshnessMonths: Number(fields.freshnessMonths) }
      : {}),
  }
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
    const answer = await res.json().catch(() => ({}))
    if (!res.ok) {
      const e = (answer as { error?: { message?: string; fields?: Record<string, string> } }).error
      throw uploadError(res.status, e?.message ?? res.statusText, e?.fields ?? {})
    }
    return answer
  }
  const target = (await call(`${base}/evidence/uploads`, {
    name: file.name,
    size: file.size,
    contentType,
    sha256: await sha256Hex(file),
    ...item,
  })) as { fileId: string; url: string; fields: Record<string, string> }
  const sent = await postToBucket(target.url, target.fields, file, onProgress)
  if (sent.status === 0) throw uploadError(0, 'network')
  if (sent.status >= 300) {
    if (sent.body.includes('<Code>EntityTooLarge</Code>'))
      throw uploadError(413, 'too large', { file: `must be at most ${MAX_EVIDENCE_FILE_BYTES} bytes` })
    throw uploadError(400, 'refused', { file: 'the upload was refused; try again' })
  }
  return call(`${base}/evidence/uploads/${encodeURIComponent(target.fileId)}`, item)
}
