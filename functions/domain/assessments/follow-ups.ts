import { DateTime } from 'luxon'
import type { Duty, ObligationDecision, Text } from '../obligations/index.js'
import type { FollowUp } from './types.js'

/** How a duty becomes a task: title, who, and when it is due. */
interface FollowUpPlan {
  title: Text
  assignee: FollowUp['assignee']
  /** Months after the decision; the duty's own deadline wins where the law sets one. */
  months: number
}

/**
 * Duties with a workflow of their own instead of a follow-up task: the registration with the
 * BSI and its additional data (§§ 33, 34 BSIG) are the `bsi-registration` workflow's, started
 * from the same decision (`steps/bsi-registration-sync.ts`); one path, no second task.
 */
export const DUTIES_WITH_OWN_WORKFLOW: ReadonlySet<Duty['id']> = new Set([
  'bsi-registration',
  'registration-extra-data',
])

/** Tasks for the other duties of obligations.md; their deadlines are our defaults. */
const DUTY_PLANS: Partial<Record<Duty['id'], FollowUpPlan>> = {
  'incident-reporting': {
    title: {
      en: 'Establish incident reporting (24 h / 72 h / 1 month)',
      de: 'Meldeprozess für Sicherheitsvorfälle einrichten (24 h / 72 h / 1 Monat)',
    },
    assignee: 'iso',
    months: 1,
  },
  'management-duties': {
    title: {
      en: 'Management training and supervision of the measures (§38)',
      de: 'Schulung der Geschäftsleitung und Überwachung der Maßnahmen (§38)',
    },
    assignee: 'management',
    months: 3,
  },
  'risk-measures': {
    title: {
      en: 'Implement the ten risk-management measures (§30)',
      de: 'Die zehn Risikomanagementmaßnahmen umsetzen (§30)',
    },
    assignee: 'iso',
    months: 12,
  },
  'attack-detection': {
    title: { en: 'Set up attack detection (§31)', de: 'Systeme zur Angriffserkennung einsetzen (§31)' },
    assignee: 'iso',
    months: 12,
  },
  'kritis-audit': {
    title: {
      en: 'Prepare the proof of the KRITIS measures (§39)',
      de: 'Nachweis der KRITIS-Maßnahmen vorbereiten (§39)',
    },
    assignee: 'iso',
    months: 12,
  },
}

/** `months` after an ISO timestamp (UTC; the 31st becomes the last day of a shorter month). */
export const addMonthsIso = (iso: string, months: number) =>
  DateTime.fromISO(iso, { zone: 'utc' }).plus({ months }).toUTC().toISO()!

/**
 * The follow-up tasks of a decision, due from `decidedAt`: one per duty (none for a duty
 * another law sets instead, e.g. under DORA, nor for the registration with the BSI, which is
 * its own workflow), the appointment of a data protection officer, and the TISAX assessment
 * at its level.
 *
 * @example
 * followUpsFor(decision, '2026-03-14T10:00:00.000Z')[0] // { id: 'risk-measures', dueAt: '2027-03-14T…', … }
 */
export function followUpsFor(decision: ObligationDecision, decidedAt: string): FollowUp[] {
  const out: FollowUp[] = []
  const add = (f: Omit<FollowUp, 'dueAt' | 'status'>) =>
    out.push({ ...f, dueAt: addMonthsIso(decidedAt, f.dueWithinMonths), status: 'open' })
  for (const duty of decision.duties) {
    if (duty.replacedBy || DUTIES_WITH_OWN_WORKFLOW.has(duty.id)) continue
    const plan = DUTY_PLANS[duty.id]
    if (!plan) continue
    const legal = duty.dueWithin?.months !== undefined
    add({
      id: duty.id,
      title: plan.title,
      detail: duty.detail,
      ref: duty.ref,
      dueWithinMonths: duty.dueWithin?.months ?? plan.months,
      legalDeadline: legal,
      assignee: plan.assignee,
    })
  }
  if (decision.dpo.required)
    add({
      id: 'dpo-appointment',
      title: {
        en: 'Appoint a data protection officer and notify the supervisory authority',
        de: 'Datenschutzbeauftragten benennen und der Aufsichtsbehörde mitteilen',
      },
      detail: {
        en: 'Appoint a DPO with the expert knowledge required, publish the contact details and tell the supervisory authority.',
        de: 'Einen Datenschutzbeauftragten mit der nötigen Fachkunde benennen, die Kontaktdaten veröffentlichen und der Aufsichtsbehörde mitteilen.',
      },
      ref: 'GDPR Art. 37(1), (7); BDSG §38',
      dueWithinMonths: 1,
      legalDeadline: false,
      assignee: 'management',
    })
  if (decision.tisax.relevant && decision.tisax.assessmentLevel)
    add({
      id: 'tisax-assessment',
      title: {
        en: `Prepare the TISAX assessment at ${decision.tisax.assessmentLevel}`,
        de: `TISAX-Assessment auf ${decision.tisax.assessmentLevel} vorbereiten`,
      },
      detail: {
        en: 'Register on the ENX portal, agree the scope and objectives with the customers, run the VDA ISA self-assessment and book the audit provider.',
        de: 'Im ENX-Portal registrieren, Umfang und Prüfziele mit den Kunden abstimmen, die VDA-ISA-Selbstbewertung durchführen und den Prüfdienstleister beauftragen.',
      },
      ref: 'VDA ISA / TISAX',
      dueWithinMonths: 12,
      legalDeadline: false,
      assignee: 'iso',
    })
  return out
}

/**
 * Follow-ups already settled (or still open) under the previous decision are carried over
 * instead of opening a second task for the same duty.
 */
export function carryOver(next: FollowUp[], previous: FollowUp[] | undefined, previousId: string | null) {
  if (!previous || !previousId) return next
  return next.map((f) => {
    const before = previous.find((p) => p.id === f.id)
    if (!before) return f
    return {
      ...f,
      status: before.status,
      ...(before.completed ? { completed: before.completed } : {}),
      carriedFrom: before.carriedFrom ?? previousId,
    }
  })
}

/** Whether a follow-up needs a task in this execution. */
export const needsTask = (f: FollowUp) => f.status === 'open' && !f.carriedFrom
