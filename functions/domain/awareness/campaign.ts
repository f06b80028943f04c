/**
 * Awareness and training campaigns (ISO/IEC 27001:2022 A.6.3, A.5.1; BSIG §38(3) training of
 * management): the campaign record and its rules. The record is the register's source of
 * truth; the `awareness-campaign` workflow gives each person still to acknowledge a task and
 * reports back what happened (acknowledged, overdue and escalated, followed up, closed).
 * Pure: no I/O.
 */

/** English and German. */
export type Localized = { en: string; de: string }

/** What a campaign asks: a policy version to acknowledge, a training with a quiz, a phishing lesson. */
export const CAMPAIGN_KINDS = ['policy', 'training', 'phishing'] as const
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number]

/** Who a campaign reaches. */
export type Audience =
  | { type: 'all' }
  | { type: 'role'; role: 'iso' | 'management' | 'member' }
  | { type: 'people' }

/**
 * Where one person stands: `open` (their task waits), `acknowledged`, `overdue` (not
 * acknowledged in time; escalated to their manager, whose answer is awaited) or `escalated`
 * (the manager followed up; the person did not acknowledge in this campaign).
 */
export const PARTICIPANT_STATUSES = ['open', 'acknowledged', 'overdue', 'escalated'] as const
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number]

/** One person of a campaign. */
export interface Participant {
  userId: string
  name: string
  /** Who an overdue acknowledgement is escalated to (else the ISO). */
  managerUserId?: string
  managerName?: string
  status: ParticipantStatus
  acknowledgedAt?: string
  /** Training quiz: correct answers of `of`. */
  score?: { correct: number; of: number }
  escalatedAt?: string
  /** The manager's follow-up (`reminded`, `exempt`, …) and when. */
  followUp?: { answer: string; at: string; byName?: string }
}

/** A campaign as stored (record type `awareness-campaign`). */
export interface CampaignData {
  kind: CampaignKind
  title: Localized
  /** The policy version, course or lesson, e.g. "ISMS-LL-01 v3.0". */
  reference?: string
  audience: Audience
  /** Last day to acknowledge (yyyy-mm-dd). */
  dueDate: string
  startedAt: string
  startedBy: string
  startedByName?: string
  /** The campaign this one follows (a new policy version starts a new campaign). */
  follows?: string
  /** The workflow execution's id (`/workflows/:id`). */
  execution?: string
  status: 'running' | 'closed'
  closedAt?: string
  /** Fixed when the campaign closes; while running, see `completion`. */
  completionRate?: number
  people: Participant[]
}

/** The answers of the training quiz that are right (workflows/forms/awareness-training.json). */
export const QUIZ_KEY: Readonly<Record<string, string>> = { phishing: 'report', incident: 'now' }

/** The quiz score of a training's answers; undefined when the form had no quiz. */
export function quizScore(answers: Record<string, unknown>): Participant['score'] {
  const asked = Object.keys(QUIZ_KEY).filter((q) => q in answers)
  if (asked.length === 0) return undefined
  return { correct: asked.filter((q) => answers[q] === QUIZ_KEY[q]).length, of: Object.keys(QUIZ_KEY).length }
}

/** Counts and the completion rate (acknowledged of everyone; an empty campaign is complete). */
export function completion(people: readonly Pick<Participant, 'status'>[]) {
  const count = (s: ParticipantStatus) => people.filter((p) => p.status === s).length
  const total = people.length
  const acknowledged = count('acknowledged')
  return {
    total,
    acknowledged,
    open: count('open'),
    overdue: count('overdue'),
    escalated: count('escalated'),
    rate: total === 0 ? 1 : Math.round((acknowledged / total) * 10_000) / 10_000,
  }
}

/** The rate as a whole percentage for people ("70 %"). */
export const percent = (rate: number) => Math.round(rate * 100)

const withPerson = (c: CampaignData, userId: string, change: (p: Participant) => Participant) => ({
  ...c,
  people: c.people.map((p) => (p.userId === userId ? change(p) : p)),
})

/** The person acknowledged (idempotent: a second report changes nothing). */
export function applyAcknowledged(
  c: CampaignData,
  userId: string,
  at: string,
  answers: Record<string, unknown>,
): CampaignData {
  return withPerson(c, userId, (p) =>
    p.status === 'acknowledged'
      ? p
      : {
          ...p,
          status: 'acknowledged',
          acknowledgedAt: at,
          ...(c.kind === 'training' && quizScore(answers) ? { score: quizScore(answers) } : {}),
        },
  )
}

/** Not acknowledged in time: escalated to the manager (idempotent). */
export function applyOverdue(c: CampaignData, userId: string, at: string): CampaignData {
  return withPerson(c, userId, (p) =>
    p.status === 'open' ? { ...p, status: 'overdue', escalatedAt: at } : p,
  )
}

/** The manager followed up an overdue acknowledgement. */
export function applyFollowedUp(
  c: CampaignData,
  userId: string,
  followUp: NonNullable<Participant['followUp']>,
): CampaignData {
  return withPerson(c, userId, (p) =>
    p.status === 'acknowledged' || p.followUp ? p : { ...p, status: 'escalated', followUp },
  )
}

/** Closes the campaign with its completion rate (idempotent). */
export function applyClosed(c: CampaignData, at: string): CampaignData {
  if (c.status === 'closed') return c
  return { ...c, status: 'closed', closedAt: at, completionRate: completion(c.people).rate }
}

/** The people the workflow gives a task: everyone still open (the demo seeds earlier acknowledgements). */
export const stillOpen = (c: CampaignData) => c.people.filter((p) => p.status === 'open')
