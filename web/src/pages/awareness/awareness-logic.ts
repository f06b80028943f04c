/** The awareness pages' shapes, checks and words (shared by the register, the form and the campaign page). */
import { type MessageKey, t } from '../../lib/i18n/index.js'

export type Localized = { en: string; de: string }
export type CampaignKind = 'policy' | 'training' | 'phishing'
export const KINDS: CampaignKind[] = ['policy', 'training', 'phishing']

/** A register row (`GET /api/awareness/campaigns`). */
export interface CampaignRow {
  id: string
  kind: CampaignKind
  title: Localized
  reference?: string
  dueDate: string
  startedAt: string
  status: 'running' | 'closed'
  closedAt?: string
  total: number
  acknowledged: number
  overdue: number
  completionRate: number
}

/** One person's line on the campaign page. */
export interface PersonLine {
  userId: string
  name: string
  managerName?: string
  status: 'open' | 'acknowledged' | 'overdue' | 'escalated'
  acknowledgedAt?: string
  score?: { correct: number; of: number }
  escalatedAt?: string
  followUp?: { answer: string; at: string; byName?: string }
}

/** A campaign (`GET /api/awareness/campaigns/:id`). */
export interface Campaign extends CampaignRow {
  startedBy: string
  follows?: string
  execution?: string
  allPeople: boolean
  people: PersonLine[]
}

/** The start form's values. */
export interface CampaignForm {
  kind: CampaignKind | ''
  titleEn: string
  titleDe: string
  reference: string
  audience: 'all' | 'role' | 'people'
  role: 'iso' | 'management' | 'member'
  userIds: string[]
  dueDate: string
}

/** The form's fields and the ids of their inputs (the error summary links to them). */
export const FIELD_IDS: Record<string, string> = {
  kind: 'campaign-kind-policy',
  'title.en': 'campaign-title-en',
  'title.de': 'campaign-title-de',
  reference: 'campaign-reference',
  audience: 'campaign-audience-all',
  'audience.userIds': 'campaign-people',
  dueDate: 'campaign-due',
  follows: 'campaign-kind-policy',
}

const SERVER_KEYS: Record<string, MessageKey> = {
  kind: 'awareness.error.kind',
  'title.en': 'awareness.error.titleEn',
  'title.de': 'awareness.error.titleLong',
  reference: 'awareness.error.reference',
  audience: 'awareness.error.audience',
  'audience.userIds': 'awareness.error.people',
  dueDate: 'awareness.error.due',
  follows: 'awareness.error.follows',
}

/** The message of a field the server refused (unknown fields: generic, with the server's words). */
export const serverMessage = (field: string): MessageKey | undefined => SERVER_KEYS[field]

/** Days between two yyyy-mm-dd dates (UTC). */
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/** Checks the form as the server will; answers field → message key (empty when fine). */
export function checkCampaign(f: CampaignForm, today: string): Record<string, MessageKey> {
  const e: Record<string, MessageKey> = {}
  if (!f.kind) e.kind = 'awareness.error.kind'
  if (!f.titleEn.trim()) e['title.en'] = 'awareness.error.titleEn'
  else if (f.titleEn.trim().length > 200) e['title.en'] = 'awareness.error.titleLong'
  if (f.titleDe.trim().length > 200) e['title.de'] = 'awareness.error.titleLong'
  if (f.reference.trim().length > 200) e.reference = 'awareness.error.reference'
  if (f.audience === 'people' && f.userIds.length === 0) e['audience.userIds'] = 'awareness.error.people'
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(f.dueDate) && !Number.isNaN(Date.parse(`${f.dueDate}T00:00:00Z`))
  const days = valid ? daysBetween(today, f.dueDate) : 0
  if (!valid || days < 1 || days > 365) e.dueDate = 'awareness.error.due'
  return e
}

/** The request body of a checked form. */
export function campaignBody(f: CampaignForm, follows?: string) {
  return {
    kind: f.kind,
    title: { en: f.titleEn.trim(), ...(f.titleDe.trim() ? { de: f.titleDe.trim() } : {}) },
    ...(f.reference.trim() ? { reference: f.reference.trim() } : {}),
    audience:
      f.audience === 'all'
        ? { type: 'all' }
        : f.audience === 'role'
          ? { type: 'role', role: f.role }
          : { type: 'people', userIds: f.userIds },
    dueDate: f.dueDate,
    ...(follows ? { follows } : {}),
  }
}

/** A rate as a whole percentage. */
export const percentOf = (rate: number) => Math.round(rate * 100)

const PERSON_KEYS: Record<PersonLine['status'], MessageKey> = {
  open: 'awareness.person.open',
  acknowledged: 'awareness.person.acknowledged',
  overdue: 'awareness.person.overdue',
  escalated: 'awareness.person.escalated',
}
/** The status words of a person's line. */
export const personStatusKey = (s: PersonLine['status']) => PERSON_KEYS[s]

const FOLLOW_UP_KEYS: Record<string, MessageKey> = {
  reminded: 'awareness.followUp.reminded',
  absent: 'awareness.followUp.absent',
  left: 'awareness.followUp.left',
}
/** The words of a manager's follow-up answer (an unknown answer as it is). */
export const followUpText = (answer: string) => (FOLLOW_UP_KEYS[answer] ? t(FOLLOW_UP_KEYS[answer]) : answer)
