/**
 * Pure helpers of the certification pages: what the API answers (types), the state words of a
 * milestone, timeline positions, German wording of the server's field messages, and the upload
 * of an evidence file (straight to the bucket with a presigned POST).
 */
import type { Text } from '../../../../functions/domain/risk/text.js'
import { type UploadSession, uploadFile } from '../../lib/upload.js'

/** One control row of the SoA task list, and `GET /api/certification/projects/:id/soa` (the API's contracts). */
export type { ControlRow, SoaView } from '../../../../functions/domain/contracts/certification.js'

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
    tisaxModules?: ('information-security' | 'prototype-protection' | 'data-protection')[]
    prototypeLabels?: ('parts' | 'vehicles' | 'test-vehicles' | 'events')[]
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
      /^explain why the control is included/,
      () =>
        'begründen Sie, warum das Control aufgenommen wird (behandelte Risiken, Anforderung oder geschäftlicher Bedarf)',
    ],
    [/^must be 0 to 5$/, () => 'muss zwischen 0 und 5 liegen'],
    [
      /^is below the target maturity (\d+)/,
      (m) => `liegt unter dem Ziel-Reifegrad ${m[1]}: das Control ist noch nicht umgesetzt`,
    ],
    [/^an excluded control has no maturity$/, () => 'ein ausgeschlossenes Control hat keinen Reifegrad'],
    [/^applies to TISAX controls only$/, () => 'gilt nur für TISAX-Controls'],
    [
      /^applies to very high protection needs \(AL3\) only$/,
      () => 'gilt nur bei sehr hohem Schutzbedarf (AL3)',
    ],
    [
      /^applies to high protection needs \(AL2 or AL3\) only$/,
      () => 'gilt nur bei hohem Schutzbedarf (AL2 oder AL3)',
    ],
    [
      /^Stage 1 finds areas of concern/,
      () =>
        'Stufe 1 ergibt Feststellungen (Areas of Concern), keine Nichtkonformitäten: wählen Sie „Feststellung“',
    ],
    [
      /^only a Stage 1 audit finds areas of concern/,
      () =>
        'nur das Audit der Stufe 1 ergibt Feststellungen; eine Nichtkonformität ist eine Haupt- oder Nebenabweichung',
    ],
    [
      /^applies when the prototype-protection module is in scope$/,
      () => 'gilt nur, wenn das Modul Prototypenschutz gewählt ist',
    ],
    [/^names a label twice$/, () => 'nennt ein Label doppelt'],
    [/^must be at most (\d+) characters$/, (m) => `darf höchstens ${m[1]} Zeichen lang sein`],
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

/**
 * Uploads an evidence file of a control straight to the evidence bucket (`uploadFile`):
 * announced with the evidence fields, confirmed with them. Resolves the control view; rejects
 * with `{status, message, fields}`.
 */
export async function uploadEvidence(
  base: string,
  file: File,
  fields: { title: string; date: string; freshnessMonths: string },
  session: UploadSession,
  onProgress: (fraction: number) => void = () => {},
): Promise<unknown> {
  const item = {
    ...(fields.title.trim() ? { title: fields.title.trim() } : {}),
    ...(fields.date ? { date: fields.date } : {}),
    ...(/^\d+$/.test(fields.freshnessMonths.trim())
      ? { freshnessMonths: Number(fields.freshnessMonths) }
      : {}),
  }
  return uploadFile(`${base}/evidence/uploads`, file, item, session, onProgress)
}
