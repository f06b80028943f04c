/**
 * Management duties under § 38 BSIG, as pure rules: the management approves the
 * risk-management measures (§ 30 BSIG; § 38 Abs. 1 BSIG) — the measure set it approves is a
 * snapshot of the organisation's risk-treatment measures with a hash, so the record says
 * exactly what was approved and whether it is still the current set — and each manager takes
 * part in training regularly (§ 38 Abs. 3 BSIG): a record per manager with the last training,
 * the next due date and the certificate.
 */
import { DateTime } from 'luxon'
import { z } from 'zod'
import type { Text } from '../obligations/index.js'
import { sha256Hex } from '../risk/sha256.js'

/** Record types. */
export const MEASURE_APPROVAL = 'measure-approval'
export const MANAGEMENT_TRAINING = 'management-training'
/** How many days before the due date a manager is reminded of the training. */
export const TRAINING_REMINDER_DAYS = 30
/** Default months between two trainings when the record names no due date. */
export const TRAINING_INTERVAL_MONTHS = 12

const t = (en: string, de: string): Text => ({ en, de })

/** A yyyy-mm-dd date moved by whole months or days. */
function shiftDate(date: string, by: { months?: number; days?: number }): string {
  const out = DateTime.fromISO(date, { zone: 'utc' }).plus(by).toISODate()
  if (!out) throw new RangeError(`not a date: ${date}`)
  return out
}

/** One measure of the set management approves. */
export interface MeasureItem {
  riskId: string
  riskTitle: string
  measureId: string
  description: string
  ownerId: string
  dueDate: string
  status: 'open' | 'done'
  controlId?: string
}

/** What the measure set is made from: the risks with their plans and progress. */
export interface RiskWithMeasures {
  id: string
  title: string
  status: string
  plan: {
    measures: { id: string; description: string; ownerId: string; dueDate: string; controlId?: string }[]
  } | null
  measureProgress: Record<string, { status: 'open' | 'done' }>
}

/** The current measure set: every measure of every risk's plan (closed risks left out), in a stable order. */
export function measureSet(risks: RiskWithMeasures[]): MeasureItem[] {
  return risks
    .flatMap((r) =>
      (r.status === 'closed' ? [] : (r.plan?.measures ?? [])).map((m) => ({
        riskId: r.id,
        riskTitle: r.title,
        measureId: m.id,
        description: m.description,
        ownerId: m.ownerId,
        dueDate: m.dueDate,
        status: r.measureProgress[m.id]?.status ?? ('open' as const),
        ...(m.controlId ? { controlId: m.controlId } : {}),
      })),
    )
    .sort((a, b) => (a.riskId + a.measureId < b.riskId + b.measureId ? -1 : 1))
}

/** The hash of what is approved: the measures themselves, not their progress. */
export function measureSetHash(items: MeasureItem[]): string {
  return sha256Hex(
    JSON.stringify(
      items.map((i) => [i.riskId, i.measureId, i.description, i.ownerId, i.dueDate, i.controlId ?? '']),
    ),
  )
}

/** A request for management's approval of a measure set, as stored. */
export interface MeasureApprovalData {
  hash: string
  items: MeasureItem[]
  requestedBy: string
  requestedByName: string
  requestedAt: string
  executionArn: string
  executionId: string
}

/** The approval's title (the approval task's title). */
export const measureApprovalTitle = (count: number): Text =>
  t(
    `Approve the risk-management measures (§ 38 Abs. 1 BSIG, § 30 BSIG): ${count} measure(s)`,
    `Risikomanagementmaßnahmen billigen (§ 38 Abs. 1 BSIG, § 30 BSIG): ${count} Maßnahme(n)`,
  )

/** A manager's training record. */
export interface TrainingData {
  userId: string
  name: string
  /** The training taken (title, provider). */
  title: string
  provider?: string
  lastTrainingOn: string
  nextDueOn: string
  certificate?: { fileId: string; name: string; size: number; contentType: string; uploadedAt: string }
  updatedBy: string
  updatedByName: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const realDate = (v: string) => DATE.test(v) && DateTime.fromISO(v).isValid

/** Body of a training record (the API's contract). */
export const trainingBody = z.strictObject({
  title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  provider: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  lastTrainingOn: z.string().refine(realDate, 'must be a date (yyyy-mm-dd)'),
  nextDueOn: z.string().refine(realDate, 'must be a date (yyyy-mm-dd)').optional(),
})

/** The next due date: the one given, else the interval after the last training. */
export const nextTrainingDue = (lastTrainingOn: string, nextDueOn?: string) =>
  nextDueOn ?? shiftDate(lastTrainingOn, { months: TRAINING_INTERVAL_MONTHS })

/** Problems of a training body beyond its shape (dates in order, not in the future). */
export function trainingProblems(body: z.infer<typeof trainingBody>, today: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (body.lastTrainingOn > today) out.lastTrainingOn = 'may not be in the future'
  if (body.nextDueOn && body.nextDueOn <= body.lastTrainingOn)
    out.nextDueOn = 'must be after the last training'
  return out
}

export type TrainingState = 'current' | 'due-soon' | 'overdue' | 'missing'

/** A manager's training state on `today`: missing, overdue, due within the reminder days, or current. */
export function trainingState(
  rec: Pick<TrainingData, 'nextDueOn'> | undefined,
  today: string,
): TrainingState {
  if (!rec) return 'missing'
  if (rec.nextDueOn < today) return 'overdue'
  const soon = shiftDate(today, { days: TRAINING_REMINDER_DAYS })
  return rec.nextDueOn <= soon ? 'due-soon' : 'current'
}

/** The state in words, naming the paragraph. */
export const trainingStateText = (s: TrainingState): Text =>
  ({
    current: t('Training current (§ 38 Abs. 3 BSIG)', 'Schulung aktuell (§ 38 Abs. 3 BSIG)'),
    'due-soon': t('Training due soon (§ 38 Abs. 3 BSIG)', 'Schulung bald fällig (§ 38 Abs. 3 BSIG)'),
    overdue: t('Training overdue (§ 38 Abs. 3 BSIG)', 'Schulung überfällig (§ 38 Abs. 3 BSIG)'),
    missing: t('No training recorded (§ 38 Abs. 3 BSIG)', 'Keine Schulung erfasst (§ 38 Abs. 3 BSIG)'),
  })[s]

/** A reminder the hourly sweep writes once (its dedup key) before a training is due, and once overdue. */
export interface TrainingReminder {
  userId: string
  kind: 'reminder' | 'overdue'
  dedupKey: string
  subject: Text
  body: Text
}

/** Reminders due now for the organisation's training records. */
export function trainingReminders(orgId: string, records: TrainingData[], today: string): TrainingReminder[] {
  const out: TrainingReminder[] = []
  for (const r of records) {
    const state = trainingState(r, today)
    if (state === 'overdue')
      out.push({
        userId: r.userId,
        kind: 'overdue',
        dedupKey: `${orgId}:training:${r.userId}:${r.nextDueOn}:overdue`,
        subject: t(
          'Overdue: your management training (§ 38 Abs. 3 BSIG)',
          'Überfällig: Ihre Schulung für die Geschäftsleitung (§ 38 Abs. 3 BSIG)',
        ),
        body: t(`Your training was due on ${r.nextDueOn}.`, `Ihre Schulung war am ${r.nextDueOn} fällig.`),
      })
    else if (state === 'due-soon')
      out.push({
        userId: r.userId,
        kind: 'reminder',
        dedupKey: `${orgId}:training:${r.userId}:${r.nextDueOn}:before-${TRAINING_REMINDER_DAYS}`,
        subject: t(
          'Reminder: your management training is due (§ 38 Abs. 3 BSIG)',
          'Erinnerung: Ihre Schulung für die Geschäftsleitung ist fällig (§ 38 Abs. 3 BSIG)',
        ),
        body: t(
          `Your next training is due on ${r.nextDueOn}.`,
          `Ihre nächste Schulung ist am ${r.nextDueOn} fällig.`,
        ),
      })
  }
  return out
}
