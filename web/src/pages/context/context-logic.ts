/** The context pages' shapes and checks (issues, climate, interested parties). */
import { ApiError } from '../../lib/api.js'
import type { MessageKey } from '../../lib/i18n/index.js'

export const CATEGORIES = [
  'customers',
  'regulators',
  'authorities',
  'employees',
  'owners',
  'suppliers',
  'insurers',
  'partners',
  'public',
] as const
export const ADDRESSED = ['yes', 'partly', 'no'] as const

export interface Party {
  id: string
  version: number
  name: string
  category: (typeof CATEGORIES)[number]
  requirements: string
  addressed: (typeof ADDRESSED)[number]
  how: string
  feedback?: string
  feedbackOn?: string
  ownerUserId: string
  ownerName?: string
  nextReviewOn: string
}

export interface Issue {
  id: string
  version: number
  kind: 'internal' | 'external'
  title: string
  effect: string
}

export interface Climate {
  relevant: 'yes' | 'no'
  reasoning: string
  decidedOn: string
  decidedByName?: string
  decidedBy: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** The party form's values. */
export interface PartyForm {
  name: string
  category: string
  requirements: string
  addressed: string
  how: string
  feedback: string
  feedbackOn: string
  ownerUserId: string
  nextReviewOn: string
}

/** Checks a party as the server will: field → message key. */
export function checkParty(f: PartyForm): Record<string, MessageKey> {
  const e: Record<string, MessageKey> = {}
  if (!f.name.trim()) e.name = 'context.error.name'
  else if (f.name.trim().length > 120) e.name = 'context.error.tooLong'
  if (!f.category) e.category = 'context.error.category'
  if (!f.requirements.trim()) e.requirements = 'context.error.requirements'
  if (!f.addressed) e.addressed = 'context.error.addressed'
  if (!f.how.trim()) e.how = 'context.error.how'
  if (!f.ownerUserId) e.ownerUserId = 'context.error.owner'
  if (!DATE.test(f.nextReviewOn)) e.nextReviewOn = 'context.error.date'
  if (f.feedbackOn && !DATE.test(f.feedbackOn)) e.feedbackOn = 'context.error.date'
  return e
}

/** The request body of a checked party form. */
export const partyBody = (f: PartyForm) => ({
  name: f.name.trim(),
  category: f.category,
  requirements: f.requirements.trim(),
  addressed: f.addressed,
  how: f.how.trim(),
  ...(f.feedback.trim() ? { feedback: f.feedback.trim() } : {}),
  ...(f.feedbackOn ? { feedbackOn: f.feedbackOn } : {}),
  ownerUserId: f.ownerUserId,
  nextReviewOn: f.nextReviewOn,
})

/** Checks an issue: field → message key. */
export function checkIssue(f: { kind: string; title: string; effect: string }): Record<string, MessageKey> {
  const e: Record<string, MessageKey> = {}
  if (!f.kind) e.kind = 'context.error.kind'
  if (!f.title.trim()) e.title = 'context.error.title'
  else if (f.title.trim().length > 200) e.title = 'context.error.tooLong'
  if (!f.effect.trim()) e.effect = 'context.error.effect'
  return e
}

const SERVER: Record<string, MessageKey> = {
  name: 'context.error.name',
  category: 'context.error.category',
  requirements: 'context.error.requirements',
  addressed: 'context.error.addressed',
  how: 'context.error.how',
  ownerUserId: 'context.error.owner',
  nextReviewOn: 'context.error.date',
  feedbackOn: 'context.error.date',
  kind: 'context.error.kind',
  title: 'context.error.title',
  effect: 'context.error.effect',
  relevant: 'context.error.relevant',
  reasoning: 'context.error.reasoning',
}

/** A refused request as field → message key (a taken name or title, a stale version, others by field). */
export function serverErrors(err: unknown): Record<string, MessageKey> | undefined {
  if (!(err instanceof ApiError)) return undefined
  if (err.status === 409) return { form: 'context.error.stale' }
  const out: Record<string, MessageKey> = {}
  for (const [field, message] of Object.entries(err.fields)) {
    if (field === 'name' && message.includes('already')) out.name = 'context.error.nameTaken'
    else if (field === 'title' && message.includes('already')) out.title = 'context.error.titleTaken'
    else out[field] = SERVER[field] ?? 'common.error.generic'
  }
  return Object.keys(out).length ? out : undefined
}

/** A year from today (yyyy-mm-dd). */
export const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10)
