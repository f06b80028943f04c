/**
 * The context of the organisation (ISO/IEC 27001:2022 clause 4): the internal and external
 * issues (4.1, with Amendment 1:2024's question whether climate change is a relevant issue)
 * and the interested parties with their requirements and how the ISMS addresses them (4.2).
 * Pure: types, validation schemas and the words the management review package uses.
 */
import { z } from 'zod'

export type Localized = { en: string; de: string }

/** Kinds of interested parties. */
export const PARTY_CATEGORIES = [
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
export type PartyCategory = (typeof PARTY_CATEGORIES)[number]

/** Whether a party's requirements are addressed through the ISMS. */
export const ADDRESSED = ['yes', 'partly', 'no'] as const
export type Addressed = (typeof ADDRESSED)[number]

/** An interested party (record type `interested-party`). */
export interface InterestedParty {
  name: string
  category: PartyCategory
  /** Their requirements relevant to information security (laws, contracts, expectations). */
  requirements: string
  addressed: Addressed
  /** How the ISMS addresses them (controls, policies, certificates), or why not. */
  how: string
  /** Latest feedback from the party on information security (9.3.2 e), with its date. */
  feedback?: string
  feedbackOn?: string
  ownerUserId: string
  ownerName?: string
  /** The next yearly review of this entry (yyyy-mm-dd). */
  nextReviewOn: string
}

/** Internal or external issue. */
export const ISSUE_KINDS = ['internal', 'external'] as const
export type IssueKind = (typeof ISSUE_KINDS)[number]

/** A context issue (record type `context-issue`). */
export interface ContextIssue {
  kind: IssueKind
  title: string
  /** What it means for the ISMS and its intended outcomes. */
  effect: string
}

/** Amendment 1:2024 to ISO/IEC 27001: "The organization shall determine whether climate change is a relevant issue." */
export interface ClimateDecision {
  relevant: 'yes' | 'no'
  reasoning: string
  decidedOn: string
  decidedBy: string
  decidedByName?: string
}

const text = (max: number, required = 'is required') =>
  z.string().trim().min(1, required).max(max, `must be at most ${max} characters`)
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (yyyy-mm-dd)')

/** Body of a new or changed interested party. */
export const partyBody = z
  .object({
    name: text(120),
    category: z.enum(PARTY_CATEGORIES, `must be one of ${PARTY_CATEGORIES.join(', ')}`),
    requirements: text(4000),
    addressed: z.enum(ADDRESSED, 'must be yes, partly or no'),
    how: text(4000, 'say how the ISMS addresses them, or why not'),
    feedback: z.string().trim().max(4000, 'must be at most 4000 characters').optional(),
    feedbackOn: date.optional(),
    ownerUserId: z.string().min(1, 'choose an owner').max(100),
    nextReviewOn: date,
  })
  .strict()

/** Body of a new or changed context issue. */
export const issueBody = z
  .object({
    kind: z.enum(ISSUE_KINDS, 'must be internal or external'),
    title: text(200),
    effect: text(4000, 'say what it means for the ISMS'),
  })
  .strict()

/** Body of the climate decision. */
export const climateBody = z
  .object({
    relevant: z.enum(['yes', 'no'], 'answer yes or no'),
    reasoning: text(4000, 'give the reasoning'),
  })
  .strict()

/** A party's review is due when its next review date is today or past. */
export const reviewDue = (p: Pick<InterestedParty, 'nextReviewOn'>, today: string) => p.nextReviewOn <= today

/** The words of "addressed". */
export const ADDRESSED_WORDS: Record<Addressed, Localized> = {
  yes: { en: 'addressed', de: 'berücksichtigt' },
  partly: { en: 'partly addressed', de: 'teilweise berücksichtigt' },
  no: { en: 'not addressed', de: 'nicht berücksichtigt' },
}
