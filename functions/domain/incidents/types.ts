/**
 * Security incidents and their reporting clocks: the shapes the domain rules, the store, the
 * steps, the API and the web app share.
 */
import type { Localized } from '../tasks.js'

/** The reporting clocks, by the law they come from. */
export const CLOCK_KINDS = [
  'nis2-early-warning',
  'nis2-notification',
  'nis2-intermediate',
  'nis2-progress-report',
  'nis2-final-report',
  'gdpr-authority',
  'gdpr-data-subjects',
  'dora-initial',
  'dora-intermediate',
  'dora-final',
] as const
export type ClockKind = (typeof CLOCK_KINDS)[number]

/** Which NIS2 kinds a "not significant" classification stops. */
export const NIS2_KINDS: readonly ClockKind[] = CLOCK_KINDS.filter((k) => k.startsWith('nis2-'))

/** Where a clock stands. */
export type ClockStatus = 'open' | 'done' | 'overdue' | 'stopped'

/**
 * What the law makes of the organisation, from its current obligation decision: the NIS2
 * category (KRITIS operators count as essential), whether it is a trust service provider
 * (24 h notification) and whether DORA replaces the NIS2 reporting (financial entities).
 */
export interface ReportingRegime {
  category: 'essential' | 'important' | 'kritis' | 'none'
  trustServiceProvider: boolean
  doraFinancialEntity: boolean
}

/** Exceptions of Art. 34(3) GDPR: no communication to the data subjects needed. */
export const ART34_EXCEPTIONS = ['none', 'protected', 'measures', 'disproportionate'] as const
export type Art34Exception = (typeof ART34_EXCEPTIONS)[number]

/** How the incident is classified: by the reporter's hints until triage, then by the ISO. */
export interface Classification {
  /** Significant (BSIG §2 no. 11; DORA: major); `null` until triaged. */
  significant: boolean | null
  /** Why it is not significant (stops the NIS2 clocks). */
  notSignificantReason?: string
  personalDataBreach: boolean | null
  /** Risk to people's rights and freedoms (Art. 33(1), 34(1) GDPR). */
  gdprRisk: 'unlikely' | 'risk' | 'high' | null
  /** Why the authority is not notified (Art. 33(5): every breach is documented). */
  notNotifyingReason?: string
  art34Exception?: Art34Exception
  art34Reason?: string
  /** When the ISO classified it (DORA: classification as major starts the 4 h). */
  classifiedAt?: string
}

/** A report marked sent: evidence, never changed; a correction is a new entry. */
export interface SentReport {
  id: string
  kind: ClockKind
  sentAt: string
  channel: string
  reference?: string
  by: string
  byName?: string
  recordedAt: string
  /** The report this one corrects (a new entry; the first stays). */
  correctionOf?: string
  note?: string
}

/** One deadline as the API and the page show it. */
export interface Deadline {
  kind: ClockKind
  /** The clock's slot (final and progress report share the one-month slot). */
  slot: string
  /** When the clock started (awareness, classification, a report sent, the BSI's request). */
  startAt: string
  dueAt: string
  status: ClockStatus
  doneAt?: string
  /** The ISO's reason for stopping, when one was given. */
  stoppedReason?: string
  /** The rule that stops it, naming its paragraph. */
  stoppedRule?: Localized
  /** Computed from hints before triage: it may stop once the ISO classifies. */
  provisional?: boolean
  title: Localized
}

/** What the clock rules read. */
export interface ClockInput {
  awareAt: string
  regime: ReportingRegime
  classification: Classification
  reports: readonly SentReport[]
  bsiRequest?: { requestedAt: string; dueAt: string }
  closedAt?: string
  /** Organisation's time zone (months are counted on its wall clock). */
  timeZone: string
}
