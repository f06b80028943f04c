/**
 * The audit log in plain words, English and German: who did what to which record, as one
 * sentence (“Ines Sommer claimed the task “Risk review”.”), the record's kind in words, and
 * the groups the log can be filtered by. Pure: the API gives it the entry and the names.
 */
import type { Localized } from './tasks.js'

/** What an audit entry holds that the words need. */
export interface AuditEntryLike {
  actor: { userId: string; name?: string }
  action: string
  type: string
  id: string
  before?: unknown
  after?: unknown
}

/** The most entries one CSV export of the audit log holds (narrow the dates for more). */
export const AUDIT_EXPORT_MAX = 10_000

/** The groups of records the audit log can be filtered by ("what"), each by record-type prefixes. */
export const AUDIT_GROUPS = {
  tasks: ['task'],
  workflows: ['execution'],
  obligations: ['obligation'],
  risks: ['risk'],
  certification: ['cert-', 'evidence-file'],
  reviews: ['review', 'schedule'],
  people: ['user', 'organisation', 'membership', 'calendar-feed', 'notification'],
} as const satisfies Record<string, readonly string[]>
export type AuditGroup = keyof typeof AUDIT_GROUPS

/** The group names in words. */
export const AUDIT_GROUP_WORDS: Record<AuditGroup, Localized> = {
  tasks: { en: 'Tasks', de: 'Aufgaben' },
  workflows: { en: 'Workflows', de: 'Abläufe' },
  obligations: { en: 'Obligations', de: 'Pflichten' },
  risks: { en: 'Risks', de: 'Risiken' },
  certification: { en: 'Certification and evidence', de: 'Zertifizierung und Nachweise' },
  reviews: { en: 'Reviews', de: 'Überprüfungen' },
  people: { en: 'People and sign-in', de: 'Personen und Anmeldung' },
}

/** Record types in words (with the article the sentences need). */
const TYPE_WORDS: Record<string, Localized> = {
  task: { en: 'the task', de: 'die Aufgabe' },
  'task-token': { en: 'a task of a workflow step', de: 'eine Aufgabe eines Ablaufschritts' },
  'task-org': { en: 'a task', de: 'eine Aufgabe' },
  execution: { en: 'the workflow', de: 'den Ablauf' },
  risk: { en: 'the risk', de: 'das Risiko' },
  'risk-snapshot': { en: 'the risk', de: 'das Risiko' },
  'risk-settings': { en: 'the risk settings', de: 'die Risikoeinstellungen' },
  'obligation-decision': { en: 'the obligation decision', de: 'die Pflichtenentscheidung' },
  'obligation-assessment': { en: 'the obligation assessment', de: 'die Pflichtenbewertung' },
  'bsi-registration': { en: 'the registration with the BSI', de: 'die Registrierung beim BSI' },
  'cert-project': { en: 'the certification project', de: 'das Zertifizierungsprojekt' },
  'cert-soa': { en: 'the SoA entry', de: 'den SoA-Eintrag' },
  'cert-nc': { en: 'the nonconformity', de: 'die Nichtkonformität' },
  'cert-milestone': { en: 'the milestone', de: 'den Meilenstein' },
  'evidence-file': { en: 'the evidence file', de: 'die Nachweisdatei' },
  review: { en: 'the review', de: 'die Überprüfung' },
  'review-entry': { en: 'the review programme entry', de: 'den Eintrag im Überprüfungsprogramm' },
  schedule: { en: 'the schedule', de: 'den Zeitplan' },
  user: { en: 'a person', de: 'eine Person' },
  organisation: { en: 'the organisation', de: 'die Organisation' },
  'calendar-feed': { en: 'a calendar feed', de: 'einen Kalender-Feed' },
  notification: { en: 'the notification', de: 'die Benachrichtigung' },
}

/** Sentences by action: `{who}` the actor, `{what}` the record (kind and name). */
const ACTION_WORDS: Record<string, Localized> = {
  'task.create': { en: '{who} opened {what}.', de: '{who} hat {what} geöffnet.' },
  'organisation.time-zone': {
    en: '{who} changed the time zone of {what}.',
    de: '{who} hat die Zeitzone für {what} geändert.',
  },
  'incident.evidence': {
    en: '{who} added evidence to {what}.',
    de: '{who} hat {what} einen Nachweis hinzugefügt.',
  },
  'incident.risk-created': {
    en: '{who} drafted a risk from the lessons learned of {what}.',
    de: '{who} hat aus den Erkenntnissen von {what} ein Risiko entworfen.',
  },
  'notification.sending': { en: '{who} is e-mailing {what}.', de: '{who} versendet {what} per E-Mail.' },
  'notification.sent': { en: '{who} e-mailed {what}.', de: '{who} hat {what} per E-Mail versendet.' },
  'notification.retrying': {
    en: '{who} could not e-mail {what} to everyone and will try again.',
    de: '{who} konnte {what} nicht an alle versenden und versucht es erneut.',
  },
  'notification.failed': {
    en: '{who} gave up e-mailing {what}.',
    de: '{who} hat den E-Mail-Versand für {what} aufgegeben.',
  },
  'task.token': {
    en: '{who} prepared a task for a workflow step.',
    de: '{who} hat eine Aufgabe für einen Ablaufschritt vorbereitet.',
  },
  'task.claim': { en: '{who} claimed {what}.', de: '{who} hat {what} übernommen.' },
  'task.unclaim': {
    en: '{who} handed {what} back to the role.',
    de: '{who} hat {what} an die Rolle zurückgegeben.',
  },
  'task.delegate': { en: '{who} handed {what} to someone else.', de: '{who} hat {what} weitergegeben.' },
  'task.draft': {
    en: '{who} saved a draft of {what}.',
    de: '{who} hat einen Entwurf für {what} gespeichert.',
  },
  'task.completing': { en: '{who} submitted {what}.', de: '{who} hat {what} abgeschickt.' },
  'task.complete': { en: '{who} completed {what}.', de: '{who} hat {what} erledigt.' },
  'task.cancelled': { en: '{who} cancelled {what}.', de: '{who} hat {what} abgebrochen.' },
  'task.expired': {
    en: '{who} closed {what} as expired.',
    de: '{who} hat {what} als abgelaufen geschlossen.',
  },
  'task.reopen': { en: '{who} reopened {what}.', de: '{who} hat {what} wieder geöffnet.' },
  'task.due-moved': {
    en: '{who} moved the due date of {what}.',
    de: '{who} hat das Fälligkeitsdatum von {what} verschoben.',
  },
  'task-org.note': {
    en: '{who} noted which organisation a task belongs to.',
    de: '{who} hat vermerkt, zu welcher Organisation eine Aufgabe gehört.',
  },
  'workflow.start': { en: '{who} started {what}.', de: '{who} hat {what} gestartet.' },
  'risk.create': { en: '{who} added {what}.', de: '{who} hat {what} angelegt.' },
  'risk.update': { en: '{who} changed {what}.', de: '{who} hat {what} geändert.' },
  'risk.plan': {
    en: '{who} changed the treatment plan of {what}.',
    de: '{who} hat den Behandlungsplan für {what} geändert.',
  },
  'risk.submit': {
    en: '{who} submitted {what} for approval.',
    de: '{who} hat {what} zur Freigabe eingereicht.',
  },
  'risk.snapshot': {
    en: '{who} froze a snapshot of {what} for the decision.',
    de: '{who} hat einen Stand von {what} für die Entscheidung eingefroren.',
  },
  'risk.round': {
    en: '{who} opened a new approval round for {what}.',
    de: '{who} hat eine neue Freigaberunde für {what} eröffnet.',
  },
  'risk.decision': {
    en: '{who} recorded the management decision on {what}.',
    de: '{who} hat die Entscheidung der Geschäftsleitung zu {what} festgehalten.',
  },
  'risk.measure': {
    en: '{who} recorded progress on a measure of {what}.',
    de: '{who} hat den Fortschritt einer Maßnahme zu {what} festgehalten.',
  },
  'risk.verify': {
    en: '{who} verified the treatment of {what}.',
    de: '{who} hat die Behandlung von {what} geprüft.',
  },
  'risk.close': { en: '{who} closed {what}.', de: '{who} hat {what} geschlossen.' },
  'risk.export': { en: '{who} exported the risk register.', de: '{who} hat das Risikoregister exportiert.' },
  'obligation-assessment.start': {
    en: '{who} started an obligation assessment.',
    de: '{who} hat eine Pflichtenbewertung gestartet.',
  },
  'obligation-decision.record': { en: '{who} recorded {what}.', de: '{who} hat {what} festgehalten.' },
  'obligation-decision.supersede': {
    en: '{who} marked {what} as superseded.',
    de: '{who} hat {what} als ersetzt markiert.',
  },
  'review.open': { en: '{who} opened {what}.', de: '{who} hat {what} eröffnet.' },
  'review.start': { en: '{who} started {what}.', de: '{who} hat {what} begonnen.' },
  'review.performed': {
    en: '{who} recorded the answers of {what}.',
    de: '{who} hat die Antworten zu {what} festgehalten.',
  },
  'review.signed-off': { en: '{who} signed off {what}.', de: '{who} hat {what} abgenommen.' },
  'review.completed': {
    en: '{who} recorded {what} as completed.',
    de: '{who} hat {what} als abgeschlossen festgehalten.',
  },
  'review.missed': {
    en: '{who} recorded {what} as missed.',
    de: '{who} hat {what} als versäumt festgehalten.',
  },
  'review.overdue': {
    en: '{who} marked {what} as overdue.',
    de: '{who} hat {what} als überfällig markiert.',
  },
  'review.escalated': {
    en: '{who} escalated {what} to management.',
    de: '{who} hat {what} an die Geschäftsleitung eskaliert.',
  },
  'review.action-done': {
    en: '{who} recorded an action of {what} as done.',
    de: '{who} hat eine Maßnahme aus {what} als erledigt festgehalten.',
  },
  'cert-soa.decide': { en: '{who} decided on {what}.', de: '{who} hat über {what} entschieden.' },
  'cert-soa.justification-flagged': {
    en: '{who} marked {what} as included without a justification.',
    de: '{who} hat {what} als ohne Begründung aufgenommen markiert.',
  },
  'cert-soa.status': {
    en: '{who} changed the implementation status of {what}.',
    de: '{who} hat den Umsetzungsstand von {what} geändert.',
  },
  'cert-soa.evidence-link': {
    en: '{who} linked evidence to {what}.',
    de: '{who} hat einen Nachweis mit {what} verknüpft.',
  },
  'cert-soa.evidence-file': {
    en: '{who} attached an evidence file to {what}.',
    de: '{who} hat eine Nachweisdatei an {what} angehängt.',
  },
  'cert-soa.evidence-remove': {
    en: '{who} removed evidence from {what}.',
    de: '{who} hat einen Nachweis von {what} entfernt.',
  },
  'cert-project.audit-date-moved': {
    en: '{who} moved the audit date of {what}.',
    de: '{who} hat den Audittermin von {what} verschoben.',
  },
  'cert-project.milestone-done': {
    en: '{who} recorded a milestone of {what} as done.',
    de: '{who} hat einen Meilenstein von {what} als erledigt festgehalten.',
  },
  'cert-project.workflow-started': {
    en: '{who} started the workflow of {what}.',
    de: '{who} hat den Ablauf von {what} gestartet.',
  },
  'cert-project.evidence-confirmed': {
    en: '{who} confirmed evidence of {what}.',
    de: '{who} hat Nachweise von {what} bestätigt.',
  },
  'cert-nc.closed': { en: '{who} closed {what}.', de: '{who} hat {what} geschlossen.' },
  'evidence-file.upload': { en: '{who} uploaded {what}.', de: '{who} hat {what} hochgeladen.' },
  'evidence-file.remove': { en: '{who} removed {what}.', de: '{who} hat {what} entfernt.' },
  'session.sign-in': { en: '{who} signed in.', de: '{who} hat sich angemeldet.' },
  'membership.create': {
    en: '{who} added {what} to the organisation.',
    de: '{who} hat {what} zur Organisation hinzugefügt.',
  },
  'calendar-feed.create': {
    en: '{who} created a personal calendar feed.',
    de: '{who} hat einen persönlichen Kalender-Feed angelegt.',
  },
  'calendar-feed.revoke': {
    en: '{who} revoked a personal calendar feed.',
    de: '{who} hat einen persönlichen Kalender-Feed widerrufen.',
  },
  'audit.export': { en: '{who} exported the audit log.', de: '{who} hat das Protokoll exportiert.' },
}

/** Sentences by the last part of an action (`.create`, `.seed`, …) when the action has none of its own. */
const VERB_WORDS: Record<string, Localized> = {
  create: { en: '{who} created {what}.', de: '{who} hat {what} angelegt.' },
  update: { en: '{who} changed {what}.', de: '{who} hat {what} geändert.' },
  delete: { en: '{who} deleted {what}.', de: '{who} hat {what} gelöscht.' },
  rollback: {
    en: '{who} undid a change to {what}.',
    de: '{who} hat eine Änderung an {what} zurückgenommen.',
  },
  seed: { en: '{who} added {what}.', de: '{who} hat {what} angelegt.' },
}
const SOMETHING: Localized = { en: '{who} changed {what}.', de: '{who} hat {what} geändert.' }

/** ismsflow's own processes (`system:<name>`) in words. */
const SYSTEM_WORDS: Record<string, Localized> = {
  workflow: { en: 'ismsflow (workflow)', de: 'ismsflow (Ablauf)' },
  seed: { en: 'ismsflow (demo data)', de: 'ismsflow (Demodaten)' },
  scheduler: { en: 'ismsflow (schedule)', de: 'ismsflow (Zeitplan)' },
  notifications: { en: 'ismsflow (notifications)', de: 'ismsflow (Benachrichtigungen)' },
  tasks: { en: 'ismsflow (tasks)', de: 'ismsflow (Aufgaben)' },
}

/** Who acted, in words: a person's current name, else the recorded one; ismsflow's processes by what they are. */
export function actorWords(actor: AuditEntryLike['actor'], names: Record<string, string> = {}): Localized {
  if (actor.userId.startsWith('system:'))
    return SYSTEM_WORDS[actor.userId.slice('system:'.length)] ?? { en: 'ismsflow', de: 'ismsflow' }
  const name = names[actor.userId] ?? actor.name ?? actor.userId
  return { en: name, de: name }
}

const textOf = (v: unknown, lang: 'en' | 'de'): string | undefined => {
  if (typeof v === 'string' && v.trim()) return v.trim()
  if (v && typeof v === 'object' && typeof (v as Localized)[lang] === 'string') return (v as Localized)[lang]
  return undefined
}

/** The record's name from its data (title, name, file name), if it has one. */
function recordName(entry: AuditEntryLike, lang: 'en' | 'de'): string | undefined {
  for (const data of [entry.after, entry.before]) {
    if (!data || typeof data !== 'object') continue
    const d = data as Record<string, unknown>
    const name = textOf(d.title, lang) ?? textOf(d.name, lang) ?? textOf(d.fileName, lang)
    if (name) return name
  }
  return undefined
}

/** The record in words: its kind and its name (“the risk R-002 “Credential stuffing…””). */
function recordWords(entry: AuditEntryLike, lang: 'en' | 'de'): string {
  const kind =
    TYPE_WORDS[entry.type]?.[lang] ?? (lang === 'en' ? `the ${entry.type.replace(/-/g, ' ')}` : entry.type)
  const name = recordName(entry, lang)
  const quoted = name ? (lang === 'en' ? `“${name}”` : `„${name}“`) : undefined
  // Risks and SoA entries are known by their id (R-002, A.5.1); other ids mean nothing to a reader.
  const id = /^risk|^cert-soa/.test(entry.type) ? entry.id : undefined
  return [kind, id, quoted].filter(Boolean).join(' ')
}

/**
 * The entry as one sentence in English and German.
 *
 * @example
 * auditSentence({ actor: { userId: 'demo-iso', name: 'Ines Sommer' }, action: 'task.claim', type: 'task', id: 't-1', after: { title: { en: 'Risk review', de: 'Risikoüberprüfung' } } })
 * // → { en: 'Ines Sommer claimed the task “Risk review”.', de: 'Ines Sommer hat die Aufgabe „Risikoüberprüfung“ übernommen.' }
 */
export function auditSentence(entry: AuditEntryLike, names: Record<string, string> = {}): Localized {
  const who = actorWords(entry.actor, names)
  const template = ACTION_WORDS[entry.action] ?? VERB_WORDS[entry.action.split('.').pop() ?? ''] ?? SOMETHING
  const fill = (lang: 'en' | 'de') => {
    const what = recordWords(entry, lang)
    return template[lang].replace('{who}', who[lang]).replace('{what}', what)
  }
  return { en: fill('en'), de: fill('de') }
}
