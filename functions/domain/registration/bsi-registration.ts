/**
 * Registration with the BSI (§ 33 BSIG; the extra data of § 34 BSIG for certain digital entity
 * types): the pure rules. An organisation first found essential or important must register
 * within three months; the data the BSI asks for is pre-filled from the obligation decision and
 * the organisation; a later change of that data needs an update, and a decision that no longer
 * covers the organisation closes the registration. No I/O here: the sync module applies what
 * `planRegistration` answers.
 */
import { DateTime } from 'luxon'
import type { ObligationDecision, Text } from '../obligations/index.js'

/** Record type and its one id per organisation. */
export const REGISTRATION_RECORD = 'bsi-registration'
export const REGISTRATION_ID = 'bsi'
/** The workflow (`workflows/bsi-registration.asl.json`) and its form. */
export const REGISTRATION_WORKFLOW = 'bsi-registration'
export const REGISTRATION_FORM = 'bsi-registration'
/** Months the law gives from first falling under it (§ 33 Abs. 1 BSIG). */
export const REGISTRATION_MONTHS = 3

/** The categories that must register. */
export type RegisteredCategory = 'essential' | 'important'

/** What the obligation decision says the BSI needs to know. */
export interface RegistrationFacts {
  category: RegisteredCategory
  /** The German and English term of the category. */
  categoryTerm: Text
  /** Sector and type of entity, one line per activity counted (Anlage 1 or 2 BSIG). */
  activities: { id: string; sector: Text; title: Text }[]
  /** The entity types of § 34 BSIG give extra data (main establishment, public IP ranges). */
  section34: boolean
  decisionId: string
  decidedAt: string
}

/** What the ISO keeps current for the BSI (pre-filled into each registration or update task). */
export interface RegistrationDetails {
  name?: string
  legalForm?: string
  address?: string
  /** Contact point reachable at all times: names, telephone, e-mail. */
  contacts?: string
  /** EU member states where services are provided. */
  memberStates?: string
  /** Public IP ranges (§ 34 entity types). */
  ipRanges?: string
  /** Main establishment and representatives in the EU (§ 34 entity types). */
  mainEstablishment?: string
}

/** The detail fields, in form order. */
export const DETAIL_FIELDS = [
  'name',
  'legalForm',
  'address',
  'contacts',
  'memberStates',
  'ipRanges',
  'mainEstablishment',
] as const satisfies readonly (keyof RegistrationDetails)[]

/** One submission to the BSI as recorded (the evidence of it). */
export interface RegistrationSubmission {
  kind: 'registration' | 'update'
  round: number
  submittedOn: string
  channel: string
  reference: string
  evidence: unknown[]
  note?: string
  by: string
  byName?: string
  at: string
  /** What was submitted (facts and details). */
  fingerprint: string
}

export type RegistrationStatus = 'open' | 'registered' | 'update-due' | 'closed'

/** The stored registration of one organisation. */
export interface RegistrationData {
  status: RegistrationStatus
  /** When the organisation (again) fell under the law: the decision's date. */
  firstCoveredAt: string
  /** When the registration or the current update is due. */
  dueAt: string
  facts: RegistrationFacts
  details: RegistrationDetails
  /** Each registration, update or re-opening is a round with its own execution. */
  round: number
  executionName: string
  submissions: RegistrationSubmission[]
  /** The fingerprint of the data last submitted (none before the first submission). */
  submittedFingerprint?: string
  /** Why an update is due. */
  updateReason?: Text
  closedAt?: string
  closedReason?: Text
}

const t = (en: string, de: string): Text => ({ en, de })

/** `months` after an ISO instant, in UTC (the month's last day where the day does not exist). */
function plusMonths(iso: string, months: number): string {
  const out = DateTime.fromISO(iso, { zone: 'utc' }).plus({ months }).toUTC().toISO()
  if (!out) throw new RangeError(`not a date-time: ${iso}`)
  return out
}

/** A catalogue's activity titles, as far as the sync knows them. */
export interface ActivityTitles {
  activities: {
    id: string
    sector: { title?: Text }
    title?: Text
    flags: { registrationExtraData: boolean }
  }[]
}

/**
 * The registration facts of a decision, or undefined when it does not make the organisation
 * essential or important (then nothing is to register).
 */
export function registrationFacts(
  decision: ObligationDecision,
  ref: { decisionId: string; decidedAt: string },
  catalogue: ActivityTitles,
): RegistrationFacts | undefined {
  const category = decision.nis2.category
  if (category !== 'essential' && category !== 'important') return undefined
  const acts = decision.activitiesCounted.map((id) => catalogue.activities.find((a) => a.id === id))
  return {
    category,
    categoryTerm: { en: decision.nis2.en, de: decision.nis2.de },
    activities: decision.activitiesCounted.map((id, i) => ({
      id,
      sector: acts[i]?.sector.title ?? t(id.split('.')[0], id.split('.')[0]),
      title: acts[i]?.title ?? t(id, id),
    })),
    section34: acts.some((a) => a?.flags.registrationExtraData),
    decisionId: ref.decisionId,
    decidedAt: ref.decidedAt,
  }
}

/** Three months after `firstCoveredAt` (the month's last day where the day does not exist). */
export const registrationDueAt = (firstCoveredAt: string) => plusMonths(firstCoveredAt, REGISTRATION_MONTHS)

/** The execution name of a round: deterministic, so a repeated start starts nothing twice. */
export const registrationExecutionName = (orgId: string, round: number) => `bsireg-${orgId}-${round}`

/** A stable text of what the BSI holds: category, activities and the details (trimmed, in order). */
export function registrationFingerprint(facts: RegistrationFacts, details: RegistrationDetails): string {
  return JSON.stringify([
    facts.category,
    facts.activities.map((a) => a.id).sort(),
    DETAIL_FIELDS.map((k) => (details[k] ?? '').trim()),
  ])
}

/** What the sync does after a new decision or a change of the details. */
export type RegistrationPlan =
  | { action: 'none' }
  | { action: 'open'; next: RegistrationData }
  | { action: 'save'; next: RegistrationData }
  | { action: 'refresh'; next: RegistrationData }
  | { action: 'update'; next: RegistrationData }
  | { action: 'close'; next: RegistrationData }

/**
 * The registration's next state when the facts (a new decision) or the details (the ISO's
 * edit) change:
 * - nothing recorded and covered: `open` (round 1, due three months after the decision);
 * - closed and covered again: `open` a new round (the law counts from falling under it again);
 * - open or update due and the data changed: `refresh` the waiting task with the new data;
 * - registered and the data now differs from what was submitted: `update` (a new round, due
 *   in three months);
 * - not covered any more: `close`;
 * - otherwise `save` the newer facts (the decision they come from), or `none`.
 */
export function planRegistration(
  current: RegistrationData | undefined,
  change: { facts?: RegistrationFacts | null; details?: RegistrationDetails },
  orgId: string,
  now: Date,
): RegistrationPlan {
  const facts = change.facts === undefined ? current?.facts : (change.facts ?? undefined)
  if (!facts) {
    if (!current || current.status === 'closed' || change.facts !== null) return { action: 'none' }
    return {
      action: 'close',
      next: {
        ...current,
        status: 'closed',
        closedAt: now.toISOString(),
        closedReason: t(
          'The latest obligation decision no longer finds the organisation essential or important (§ 28 BSIG): no registration is due. If it was registered, tell the BSI.',
          'Die letzte Pflichtenentscheidung sieht die Organisation nicht mehr als besonders wichtige oder wichtige Einrichtung (§ 28 BSIG): keine Registrierung fällig. War sie registriert, teilen Sie es dem BSI mit.',
        ),
      },
    }
  }
  const details = { ...(current?.details ?? {}), ...(change.details ?? {}) }
  if (!current || current.status === 'closed') {
    const round = (current?.round ?? 0) + 1
    const firstCoveredAt = facts.decidedAt
    return {
      action: 'open',
      next: {
        status: 'open',
        firstCoveredAt,
        dueAt: registrationDueAt(firstCoveredAt),
        facts,
        details,
        round,
        executionName: registrationExecutionName(orgId, round),
        submissions: current?.submissions ?? [],
      },
    }
  }
  const before = registrationFingerprint(current.facts, current.details)
  const after = registrationFingerprint(facts, details)
  const next: RegistrationData = { ...current, facts, details }
  if (current.status === 'open' || current.status === 'update-due')
    return before === after ? { action: 'save', next } : { action: 'refresh', next }
  // Registered: an update is due when what the BSI holds differs from now.
  if (current.submittedFingerprint === after) return { action: 'save', next }
  const round = current.round + 1
  const categoryChanged = current.facts.category !== facts.category
  return {
    action: 'update',
    next: {
      ...next,
      status: 'update-due',
      dueAt: plusMonths(now.toISOString(), REGISTRATION_MONTHS),
      round,
      executionName: registrationExecutionName(orgId, round),
      updateReason: categoryChanged
        ? t(
            `The category changed from ${current.facts.categoryTerm.en} to ${facts.categoryTerm.en}: update the registration (§ 33 BSIG).`,
            `Die Kategorie hat sich von ${current.facts.categoryTerm.de} zu ${facts.categoryTerm.de} geändert: Registrierung aktualisieren (§ 33 BSIG).`,
          )
        : t(
            'The registered data changed: tell the BSI (§ 33 Abs. 1 BSIG).',
            'Die registrierten Angaben haben sich geändert: dem BSI mitteilen (§ 33 Abs. 1 BSIG).',
          ),
    },
  }
}

/** The task's answers pre-filled from the registration (facts read-only, details editable). */
export function registrationPrefill(data: RegistrationData, orgName: string): Record<string, unknown> {
  const d = data.details
  const out: Record<string, unknown> = {
    name: d.name ?? orgName,
    category: `${data.facts.categoryTerm.de} (${data.facts.categoryTerm.en})`,
    sectorType: data.facts.activities.map((a) => `${a.sector.de}: ${a.title.de}`).join('\n'),
    section34: data.facts.section34 ? 'yes' : 'no',
  }
  for (const k of DETAIL_FIELDS) if (k !== 'name' && d[k]) out[k] = d[k]
  return out
}

/** The details as the ISO submitted them in the task. */
export function detailsFromAnswers(answers: Record<string, unknown>): RegistrationDetails {
  const out: RegistrationDetails = {}
  for (const k of DETAIL_FIELDS) {
    const v = answers[k]
    if (typeof v === 'string' && v.trim()) out[k] = v.trim()
  }
  return out
}

/** The title of a round's task. */
export function registrationTaskTitle(data: RegistrationData): Text {
  return data.status === 'update-due'
    ? t(
        'Update the registration with the BSI (§ 33 BSIG)',
        'Registrierung beim BSI aktualisieren (§ 33 BSIG)',
      )
    : t(
        'Register with the BSI (§ 33 BSIG) within three months',
        'Beim BSI registrieren (§ 33 BSIG), binnen drei Monaten',
      )
}

/** The status in words (en/de), for pages and the management review. */
export function registrationStatusText(data: RegistrationData): Text {
  switch (data.status) {
    case 'open':
      return t('Registration due (§ 33 BSIG)', 'Registrierung fällig (§ 33 BSIG)')
    case 'update-due':
      return t(
        'Update of the registration due (§ 33 BSIG)',
        'Aktualisierung der Registrierung fällig (§ 33 BSIG)',
      )
    case 'registered':
      return t('Registered with the BSI (§ 33 BSIG)', 'Beim BSI registriert (§ 33 BSIG)')
    case 'closed':
      return t('No registration due', 'Keine Registrierung fällig')
  }
}
