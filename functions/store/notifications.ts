import { createHash } from 'node:crypto'
import type { Localized } from '../domain/tasks.js'
import { RecordExistsError, type Records } from './records.js'

/** A message for a person or a role: reminders, escalations; sent by e-mail once that channel exists. */
export interface Notification {
  kind: 'reminder' | 'due-today' | 'overdue' | 'escalation' | 'info' | 'assigned' | 'decided' | 'digest'
  to: { userId?: string; role?: string }
  subject: Localized
  body: Localized
  /** What it is about (a task, a risk, a review). */
  ref?: { type: string; id: string }
  createdAt: string
  /** Delivery state: `sent` once the e-mail went to at least one recipient (`functions/mail/deliver.ts`). */
  status: 'queued' | 'sent'
  /** What the e-mail needs besides the texts (titles, dates, counts: never answers or details). */
  data?: { title?: Localized; dueAt?: string; decision?: string; open?: number; overdue?: number }
  /** How many recipients the e-mail reached. */
  mailed?: number
}

/** The outbox id of a dedup key. */
export const notificationId = (dedupKey: string) =>
  createHash('sha256').update(dedupKey).digest('hex').slice(0, 24)

/**
 * The notification outbox, per organisation. The id is derived from a dedup key, so a
 * reminder sweep that runs twice writes one notification.
 */
export function createNotifications(records: Records, now: () => Date) {
  return {
    async enqueue(
      orgId: string,
      dedupKey: string,
      n: Omit<Notification, 'createdAt' | 'status'>,
    ): Promise<boolean> {
      const id = notificationId(dedupKey)
      try {
        await records
          .forOrg(orgId)
          .create<Notification>(
            'notification',
            id,
            { ...n, createdAt: now().toISOString(), status: 'queued' },
            { actor: { userId: 'system:notifications' } },
          )
        return true
      } catch (err) {
        if (err instanceof RecordExistsError) return false
        throw err
      }
    },
    /** Records that the e-mail reached `mailed` recipients. */
    async markSent(orgId: string, dedupKey: string, mailed: number) {
      await records
        .forOrg(orgId)
        .mutate<Notification>(
          'notification',
          notificationId(dedupKey),
          (n) => ({ ...n, status: 'sent', mailed }),
          {
            actor: { userId: 'system:notifications' },
            action: 'notification.sent',
          },
        )
    },
    async list(orgId: string, limit = 100) {
      const all = await records.forOrg(orgId).all<Notification>('notification')
      return all
        .map((r) => ({ id: r.id, ...r.data }))
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
        .slice(0, limit)
    },
  }
}

export type NotificationStore = ReturnType<typeof createNotifications>
