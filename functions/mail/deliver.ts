import type { Identity, UserProfile } from '../store/identity.js'
import { type Notification, type NotificationStore, notificationId } from '../store/notifications.js'
import type { Mailer } from './mailer.js'
import type { MailKind, MailParams } from './templates.js'

/** What delivering notifications needs. */
export interface NotifyDeps {
  identity: Identity
  mail: Mailer
  notifications: NotificationStore
  publicUrl: string
  now: () => Date
}

type Outgoing = Omit<Notification, 'createdAt' | 'status'>

const DAY = 86_400_000

/** The people a notification is for: the named person, or every member holding the role. */
async function recipients(deps: NotifyDeps, orgId: string, to: Outgoing['to']): Promise<UserProfile[]> {
  const ids = to.userId
    ? [to.userId]
    : (await deps.identity.orgMembers(orgId))
        .filter((m) => to.role && m.roles.includes(to.role))
        .map((m) => m.userId)
  const users = await Promise.all(ids.map((id) => deps.identity.getUser(id)))
  return users.filter((u): u is UserProfile => u !== undefined)
}

/** The page a notification is about: the task, the review, the incident; else the inbox. */
export function linkFor(publicUrl: string, ref: Outgoing['ref']): string {
  const id = (s: string) => encodeURIComponent(s)
  switch (ref?.type) {
    case 'task':
      return `${publicUrl}/tasks/${id(ref.id)}`
    case 'review':
      return `${publicUrl}/reviews/${id(ref.id)}`
    // `<incidentId>/<clock>/<mark>`: the incident's page shows its clocks.
    case 'incident-clock':
      return `${publicUrl}/incidents/${id(ref.id.split('/')[0])}`
    default:
      return `${publicUrl}/`
  }
}

/** The e-mail for an outbox entry: template and parameters (titles and links only). */
function mailFor(
  deps: NotifyDeps,
  orgName: string,
  n: Outgoing,
): { kind: MailKind; params: MailParams[MailKind] } | undefined {
  const title = n.data?.title ?? n.subject
  const link = linkFor(deps.publicUrl, n.ref)
  const dueOn = n.data?.dueAt?.slice(0, 10)
  switch (n.kind) {
    case 'assigned':
      return { kind: 'task-assigned', params: { orgName, title, link, dueOn } }
    case 'reminder':
    case 'due-today': {
      if (!dueOn) return undefined
      const tomorrow = new Date(deps.now().getTime() + DAY).toISOString().slice(0, 10) === dueOn
      return { kind: 'task-due', params: { orgName, title, link, dueOn, tomorrow } }
    }
    case 'overdue':
    case 'escalation':
      return {
        kind: 'task-overdue',
        params: { orgName, title, link, dueOn, escalated: n.kind === 'escalation' },
      }
    case 'decided':
      return { kind: 'approval-decided', params: { orgName, title, link, decision: n.data?.decision ?? '' } }
    case 'digest':
      return {
        kind: 'weekly-digest',
        params: {
          orgName,
          open: n.data?.open ?? 0,
          overdue: n.data?.overdue ?? 0,
          link: `${deps.publicUrl}/`,
          accountLink: `${deps.publicUrl}/account`,
        },
      }
    default:
      return undefined
  }
}

/**
 * The one path from the outbox to people: writes the notification once (its dedup key),
 * and only the first time tries to e-mail it (`deliverNotification`). A failed e-mail is
 * tried again by the hourly sweep (`retryNotifications`). Returns whether it was new.
 */
export async function notify(
  deps: NotifyDeps,
  orgId: string,
  dedupKey: string,
  n: Outgoing,
): Promise<boolean> {
  if (!(await deps.notifications.enqueue(orgId, dedupKey, n))) return false
  // A kind without an e-mail (or a reminder without a due date) stays in the outbox only.
  if (mailFor(deps, orgId, n)) await deliverNotification(deps, orgId, notificationId(dedupKey))
  return true
}

/**
 * One delivery attempt of a notification: claims it (a write conditional on its version,
 * so of two processes only one sends), e-mails each recipient it has not reached yet in
 * their language (a person who turned the weekly digest off gets no digest), and records
 * the outcome: `sent`, or `retrying` with a backoff, or `failed` after the last attempt.
 * Answers what happened, or nothing when it was not due or someone else has it.
 */
export async function deliverNotification(
  deps: NotifyDeps,
  orgId: string,
  id: string,
): Promise<'sent' | 'queued' | 'retrying' | 'failed' | undefined> {
  const claimed = await deps.notifications.claim(orgId, id)
  if (!claimed) return undefined
  const n = claimed.data
  const org = await deps.identity.getOrg(orgId)
  const mail = mailFor(deps, org?.name ?? orgId, n)
  const sentTo = [...(n.sentTo ?? [])]
  const errors: string[] = []
  if (mail)
    for (const u of await recipients(deps, orgId, n.to)) {
      if (sentTo.includes(u.id) || (n.kind === 'digest' && u.digestOptOut)) continue
      // A transport failure is an answer (`ok: false`); anything else leaves the claim to run out.
      const sent = await deps.mail.send(
        mail.kind,
        { email: u.email, name: u.name, language: u.language },
        mail.params as never,
        { orgId },
      )
      if (sent.ok) sentTo.push(u.id)
      else errors.push(sent.error)
    }
  const error = errors.length ? errors.join('; ').slice(0, 500) : undefined
  return deps.notifications.settle(orgId, claimed, { sentTo, error })
}

/** What one retry pass over an organisation's outbox did. */
export interface RetryReport {
  sent: number
  queued: number
  retrying: number
  failed: number
}

/**
 * The hourly sweep's retry of e-mails that failed: every notification of the organisation
 * whose next attempt is due (one page of the outbox index), tried once more; one cut off by
 * a crash while sending is given up (it may have reached someone), never sent twice.
 */
export async function retryNotifications(deps: NotifyDeps, orgId: string): Promise<RetryReport> {
  const report: RetryReport = { sent: 0, queued: 0, retrying: 0, failed: 0 }
  for (const id of await deps.notifications.due(orgId)) {
    if (await deps.notifications.abandon(orgId, id)) {
      report.failed++
      continue
    }
    const outcome = await deliverNotification(deps, orgId, id)
    if (outcome) report[outcome]++
  }
  return report
}

/** What a task is, for its messages: id and title (never its answers), and when it is due. */
export interface TaskRef {
  id: string
  title: { en: string; de: string }
  dueAt?: string
}

/**
 * "A task was assigned to you" (or delegated to you), once per `occasion`: the workflow's
 * named assignee when the task is made, the new person of each delegation.
 */
export function notifyTaskAssigned(
  deps: NotifyDeps,
  orgId: string,
  task: TaskRef,
  userId: string,
  occasion = 'assigned',
) {
  return notify(deps, orgId, `${orgId}:${task.id}:${occasion}:${userId}`, {
    kind: 'assigned',
    to: { userId },
    subject: { en: `New task: ${task.title.en}`, de: `Neue Aufgabe: ${task.title.de}` },
    body: { en: 'A task was assigned to you.', de: 'Ihnen wurde eine Aufgabe zugewiesen.' },
    ref: { type: 'task', id: task.id },
    data: { title: task.title, dueAt: task.dueAt },
  })
}

/**
 * "Escalated": an escalation task (an overdue step handed to management) is announced to
 * the people who must act on it now, once.
 */
export function notifyTaskEscalated(
  deps: NotifyDeps,
  orgId: string,
  task: TaskRef,
  to: { userId?: string; role?: string },
) {
  return notify(deps, orgId, `${orgId}:${task.id}:escalated`, {
    kind: 'escalation',
    to,
    subject: { en: `Escalated: ${task.title.en}`, de: `Eskaliert: ${task.title.de}` },
    body: {
      en: 'An overdue task was escalated to you.',
      de: 'Eine überfällige Aufgabe wurde an Sie eskaliert.',
    },
    ref: { type: 'task', id: task.id },
    data: { title: task.title, dueAt: task.dueAt },
  })
}
