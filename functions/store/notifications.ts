import { createHash } from 'node:crypto'
import type { Localized } from '../domain/tasks.js'
import { listPage } from './list-index.js'
import { RecordChangedError, RecordExistsError, type Records, type StoredRecord } from './records.js'

/**
 * Delivery state of a notification's e-mail:
 * - `queued`: written, not (yet) e-mailed (no e-mail for its kind, or a step that may not send);
 * - `sending`: one process has claimed it and is sending now (until `leaseUntil`);
 * - `sent`: every recipient got it;
 * - `retrying`: an attempt failed for someone; the hourly sweep tries again at `nextAttemptAt`;
 * - `failed`: given up after `MAX_DELIVERY_ATTEMPTS` (or a send cut off by a crash): the ISO sees it.
 */
export type NotificationStatus = 'queued' | 'sending' | 'sent' | 'retrying' | 'failed'

/** A message for a person or a role: reminders, escalations, e-mailed through `functions/mail/deliver.ts`. */
export interface Notification {
  kind: 'reminder' | 'due-today' | 'overdue' | 'escalation' | 'info' | 'assigned' | 'decided' | 'digest'
  to: { userId?: string; role?: string }
  subject: Localized
  body: Localized
  /** What it is about (a task, a risk, a review). */
  ref?: { type: string; id: string }
  createdAt: string
  status: NotificationStatus
  /** What the e-mail needs besides the texts (titles, dates, counts: never answers or details). */
  data?: { title?: Localized; dueAt?: string; decision?: string; open?: number; overdue?: number }
  /** How many recipients the e-mail reached. */
  mailed?: number
  /** The people it reached (a retry never writes to them again). */
  sentTo?: string[]
  /** Delivery attempts so far (each claimed once, by one process). */
  attempts?: number
  /** Why the last attempt failed, for the ISO. */
  lastError?: string
  lastAttemptAt?: string
  /** When the sweep tries again (`retrying`). */
  nextAttemptAt?: string
  /** Until when the claim of the process sending it holds (`sending`). */
  leaseUntil?: string
}

/** Where one delivery attempt leaves a notification. */
export type SettledStatus = Exclude<NotificationStatus, 'sending'>

/** Attempts before a notification's e-mail is given up (`failed`). */
export const MAX_DELIVERY_ATTEMPTS = 5
/** The wait after a failed attempt: 30 min, doubled each time (30 min, 1 h, 2 h, 4 h). */
export const retryDelayMs = (attempts: number) => 30 * 60_000 * 2 ** Math.max(0, attempts - 1)
/** How long one process may take to send before its claim runs out. */
const LEASE_MS = 15 * 60_000

const TYPE = 'notification'
/** The outbox index: `OUTBOX#<when it is due>#<id>` while a notification is `retrying` or `sending`. */
const OUTBOX = 'OUTBOX#'
const ACTOR = { userId: 'system:notifications' }

/** The outbox id of a dedup key. */
export const notificationId = (dedupKey: string) =>
  createHash('sha256').update(dedupKey).digest('hex').slice(0, 24)

/** A text field of stored data (the side writes see the data untyped). */
const field = (data: unknown, key: keyof Notification): string | undefined => {
  if (typeof data !== 'object' || data === null || !(key in data)) return undefined
  const value: unknown = Reflect.get(data, key)
  return typeof value === 'string' ? value : undefined
}

/** The outbox entry a notification keeps beside it while the sweep must look at it again. */
function outboxKeys(id: string, data: unknown): string[] {
  const status = field(data, 'status')
  const at =
    status === 'retrying'
      ? field(data, 'nextAttemptAt')
      : status === 'sending'
        ? field(data, 'leaseUntil')
        : undefined
  return at ? [`${OUTBOX}${at}#${id}`] : []
}

/** The side writes keeping the outbox index with the record, in its transaction. */
function outboxSide(id: string) {
  return (before: unknown, after: StoredRecord<unknown>) => {
    const old = outboxKeys(id, before)
    const next = outboxKeys(id, after.data)
    return {
      puts: next.filter((k) => !old.includes(k)).map((sk) => ({ sk, item: { kind: 'outbox', id } })),
      deletes: old.filter((k) => !next.includes(k)),
    }
  }
}

/** A claimed notification: its data and the version the claim wrote (the settle is conditional on it). */
export interface ClaimedNotification {
  id: string
  version: number
  data: Notification
}

/** The outcome of one delivery attempt. */
export interface AttemptOutcome {
  /** Everyone it has reached so far, this attempt included. */
  sentTo: string[]
  /** Why someone was not reached (none: delivered). */
  error?: string
}

/**
 * The notification outbox, per organisation. The id is derived from a dedup key, so a
 * reminder sweep that runs twice writes one notification. Every state change is a write
 * conditional on the record's version: of two processes claiming the same notification,
 * one gets it and the other leaves it, so nobody is e-mailed twice.
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
            TYPE,
            id,
            { ...n, createdAt: now().toISOString(), status: 'queued' },
            { actor: ACTOR },
          )
        return true
      } catch (err) {
        if (err instanceof RecordExistsError) return false
        throw err
      }
    },

    /**
     * Claims a notification for one delivery attempt: a `queued` one not tried yet, or a
     * `retrying` one whose time has come. Answers nothing when it is not due or another
     * process claimed it first (a conditional write).
     */
    async claim(orgId: string, id: string): Promise<ClaimedNotification | undefined> {
      const org = records.forOrg(orgId)
      const cur = await org.get<Notification>(TYPE, id)
      if (!cur) return undefined
      const at = now()
      const n = cur.data
      const due =
        (n.status === 'queued' && !n.attempts) ||
        (n.status === 'retrying' && (!n.nextAttemptAt || Date.parse(n.nextAttemptAt) <= at.getTime()))
      if (!due) return undefined
      const { nextAttemptAt: _, ...rest } = n
      const claimed: Notification = {
        ...rest,
        status: 'sending',
        attempts: (n.attempts ?? 0) + 1,
        lastAttemptAt: at.toISOString(),
        leaseUntil: new Date(at.getTime() + LEASE_MS).toISOString(),
      }
      try {
        const saved = await org.update<Notification>(TYPE, id, claimed, {
          actor: ACTOR,
          action: 'notification.sending',
          expectedVersion: cur.version,
          side: outboxSide(id),
        })
        return { id, version: saved.version, data: saved.data }
      } catch (err) {
        if (err instanceof RecordChangedError) return undefined
        throw err
      }
    },

    /**
     * Records the outcome of a claimed attempt: `sent` when nobody is left, else `retrying`
     * with the next time (backoff), or `failed` after the last attempt.
     */
    async settle(
      orgId: string,
      claimed: ClaimedNotification,
      outcome: AttemptOutcome,
    ): Promise<SettledStatus> {
      const attempts = claimed.data.attempts ?? 1
      const { leaseUntil: _, lastError: _e, nextAttemptAt: _n, ...rest } = claimed.data
      // Nobody to e-mail (a role without members, a digest turned off): it stays as written.
      const status: SettledStatus =
        outcome.error === undefined
          ? outcome.sentTo.length
            ? 'sent'
            : 'queued'
          : attempts >= MAX_DELIVERY_ATTEMPTS
            ? 'failed'
            : 'retrying'
      const next: Notification = {
        ...rest,
        status,
        sentTo: outcome.sentTo,
        mailed: outcome.sentTo.length,
        ...(outcome.error === undefined ? {} : { lastError: outcome.error }),
        ...(status === 'retrying'
          ? { nextAttemptAt: new Date(now().getTime() + retryDelayMs(attempts)).toISOString() }
          : {}),
      }
      await records.forOrg(orgId).update<Notification>(TYPE, claimed.id, next, {
        actor: ACTOR,
        action: `notification.${status}`,
        expectedVersion: claimed.version,
        side: outboxSide(claimed.id),
      })
      return status
    },

    /**
     * Gives up a notification whose sending process did not finish in its lease (a crash):
     * it may have reached someone, so it is not sent again; the ISO sees it as failed.
     */
    async abandon(orgId: string, id: string): Promise<boolean> {
      const org = records.forOrg(orgId)
      const cur = await org.get<Notification>(TYPE, id)
      const n = cur?.data
      if (!cur || n?.status !== 'sending' || !n.leaseUntil || Date.parse(n.leaseUntil) > now().getTime())
        return false
      const { leaseUntil: _, ...rest } = n
      try {
        await org.update<Notification>(
          TYPE,
          id,
          {
            ...rest,
            status: 'failed',
            lastError: 'Sending was interrupted; it is not sent again, so nobody gets it twice.',
          },
          { actor: ACTOR, action: 'notification.failed', expectedVersion: cur.version, side: outboxSide(id) },
        )
        return true
      } catch (err) {
        if (err instanceof RecordChangedError) return false
        throw err
      }
    },

    /** Ids of the organisation's notifications the sweep must look at now (one page of the outbox index). */
    async due(orgId: string, limit = 50): Promise<string[]> {
      const { items } = await records
        .forOrg(orgId)
        .sideRange({ from: OUTBOX, to: `${OUTBOX}${now().toISOString()}~`, limit })
      return items.map((i) => String(i.id))
    },

    /**
     * One page of the organisation's notifications, newest first, with their number: a
     * key-condition read of the list index (`list-specs.ts`), never the whole outbox.
     */
    async page(orgId: string, opts: { limit: number; cursor?: string }) {
      const page = await listPage<Notification>(records.forOrg(orgId), TYPE, {
        streams: ['ALL'],
        limit: opts.limit,
        cursor: opts.cursor,
        reverse: true,
      })
      return {
        items: page.items.map((r) => ({ id: r.id, ...r.data })),
        cursor: page.cursor,
        total: page.total,
      }
    },

    /** The newest `limit` notifications, following the pages (for sweeps and tests). */
    async list(orgId: string, limit = 100) {
      const out: (Notification & { id: string })[] = []
      let cursor: string | undefined
      do {
        const page = await this.page(orgId, { limit: Math.min(100, limit - out.length), cursor })
        out.push(...page.items)
        cursor = page.cursor
      } while (cursor && out.length < limit)
      return out
    },
  }
}

export type NotificationStore = ReturnType<typeof createNotifications>
