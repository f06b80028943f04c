import { createHash } from 'node:crypto'
import type { Localized } from '../domain/tasks.js'
import type { Records } from './records.js'

/** A message for a person or a role: reminders, escalations; sent by e-mail once that channel exists. */
export interface Notification {
  kind: 'reminder' | 'due-today' | 'overdue' | 'escalation' | 'info'
  to: { userId?: string; role?: string }
  subject: Localized
  body: Localized
  /** What it is about (a task, a risk, a review). */
  ref?: { type: string; id: string }
  createdAt: string
  /** Delivery state; the local outbox keeps everything as `queued`. */
  status: 'queued' | 'sent'
}

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
      const id = createHash('sha256').update(dedupKey).digest('hex').slice(0, 24)
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
        if ((err as { code?: string }).code === 'conflict') return false
        throw err
      }
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
