/**
 * The durable local scheduler: EventBridge Scheduler's stand-in for `npm start` and tests.
 * This module decides when to fire (timers, catch-up, retries); `scheduler-store.ts` keeps
 * the schedules and their runs.
 *
 * - Schedules live in the store, per organisation (`schedule` records), with a global
 *   index entry (`gsi2pk = SCHEDULES`) so `start()` finds them all.
 * - Each occurrence is claimed with a conditional write (a `schedule-run` record whose id
 *   is derived from the occurrence) before `fire` is called, so two processes, or a
 *   restart, never fire one occurrence twice. `fire` receives the occurrence id, which the
 *   real callback uses as the execution name: the engine refuses a duplicate as well.
 * - Missed occurrences (process down, or the clock jumped): EventBridge never catches up,
 *   but a review programme must not lose a cycle. The scheduler fires the LATEST missed
 *   occurrence once (marked `late`, listing the earlier ones) and records each earlier one
 *   as a `missed` run, so the miss stays visible and nobody gets three stale reviews at once.
 * - A claimed occurrence whose `fire` failed, or never finished (process killed; noticed once
 *   its lease runs out), is fired again with the same occurrence id, up to `maxAttempts`
 *   (EventBridge retries too). Delivery to `fire` is thus at least once; the execution name
 *   makes the effect exactly once.
 * - Occurrences before a schedule became active (created, re-enabled or re-timed) are not
 *   fired: like EventBridge, a past start date does not back-fill.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { compileSchedule, nextOccurrences, occurrencesAfter } from '../../functions/domain/schedules/index.js'
import { type Actor, createRecords, type Records, type StoredRecord } from '../../functions/store/records.js'
import type { Clock } from './clock.js'
import {
  createScheduleStore,
  type ScheduleDefinition,
  type ScheduleRun,
  type ScheduleView,
  type StoredSchedule,
} from './scheduler-store.js'

export type {
  RunStatus,
  ScheduleDefinition,
  ScheduleRun,
  ScheduleView,
  StoredSchedule,
} from './scheduler-store.js'

/** One occurrence handed to `fire`. */
export interface Occurrence {
  /** Stable id = execution name: `<orgId>_<scheduleId>_<yyyymmddThhmmZ>`. */
  id: string
  orgId: string
  scheduleId: string
  /** When it was due (ISO). */
  scheduledAt: string
  /** Fired after its time (process was down, clock jumped, retry). */
  late: boolean
  /** Earlier occurrences that were missed and recorded, not fired (ISO, oldest first). */
  missed: string[]
  /** How many were missed in all (may exceed `missed.length` when capped). */
  missedCount: number
  /** 1 for the first try, more for retries after a failed or interrupted fire. */
  attempt: number
}

/** What `start()` did. */
export interface StartSummary {
  schedules: number
  fired: Occurrence[]
}

export interface SchedulerOptions {
  /** Document client and table of the store (the global index is queried directly). */
  doc: DynamoDBDocumentClient
  tableName: string
  /** Tenant records; built from `doc`/`tableName` on the scheduler's clock when absent. */
  records?: Records
  clock: Clock
  /** The target: on AWS StartExecution with `name = occurrence.id`. */
  fire: (schedule: StoredSchedule, occurrence: Occurrence) => Promise<void>
  /** Who the audit log names; default the scheduler itself. */
  actor?: Actor
  /** Earlier missed occurrences recorded one by one before the rest are only counted. Default 100. */
  maxMissedRecorded?: number
  /** Tries per occurrence, counting the first. Default 3. */
  maxAttempts?: number
  /** Wait before retrying a failed fire. Default 60 s. */
  retryDelayMs?: number
  /**
   * A run still `firing` this long after its claim is taken to be interrupted (process
   * killed mid-fire) and fired again. Default 5 min.
   */
  leaseMs?: number
  /** An occurrence fired this much after its time counts as late. Default 60 s. */
  lateAfterMs?: number
  /**
   * Schedules of one organisation with the same key must not share an occurrence
   * (e.g. two risk reviews at the same moment): `upsert` answers 409 naming `expression`.
   */
  collisionKey?: (schedule: ScheduleDefinition) => string | undefined
  /** Called when a background tick fails (store down …); default logs. */
  onError?: (err: unknown, schedule: { orgId: string; id: string }) => void
}

/**
 * Creates the scheduler. Nothing fires until `start()`; `upsert`/`remove`/`list` work
 * before that too (the API may run without a scheduler in the same process).
 *
 * @example
 * const scheduler = createScheduler({ doc, tableName, clock, fire: async (s, o) => startReview(s, o) })
 * await scheduler.start()
 */
export function createScheduler(options: SchedulerOptions) {
  const { doc, tableName, clock, fire } = options
  const records = options.records ?? createRecords({ doc, tableName, now: () => clock.now() })
  const actor = options.actor ?? { userId: 'system:scheduler', name: 'Scheduler' }
  const store = createScheduleStore({
    doc,
    tableName,
    records,
    clock,
    actor,
    collisionKey: options.collisionKey,
  })
  const maxMissed = options.maxMissedRecorded ?? 100
  const maxAttempts = options.maxAttempts ?? 3
  const retryDelayMs = options.retryDelayMs ?? 60_000
  const leaseMs = options.leaseMs ?? 300_000
  const lateAfterMs = options.lateAfterMs ?? 60_000
  const onError =
    options.onError ?? ((err, s) => console.error(`scheduler: schedule ${s.orgId}/${s.id} failed`, err))

  const timers = new Map<string, () => void>()
  const chains = new Map<string, Promise<void>>()
  const inflight = new Set<Promise<unknown>>()
  let running = false
  const key = (orgId: string, id: string) => `${orgId}/${id}`

  /** Runs `fn` after the previous work on the same schedule, and tracks it for `idle()`. */
  const serial = (k: string, fn: () => Promise<void>): Promise<void> => {
    const next = (chains.get(k) ?? Promise.resolve()).then(fn)
    // The chain goes on after a failure; the failure itself is the caller's (`next`).
    const settled = next.catch(() => {})
    chains.set(k, settled)
    inflight.add(settled)
    settled.finally(() => {
      inflight.delete(settled)
      if (chains.get(k) === settled) chains.delete(k)
    })
    return next
  }

  const cancel = (k: string) => {
    timers.get(k)?.()
    timers.delete(k)
  }

  const arm = (orgId: string, id: string, atMs: number) => {
    const k = key(orgId, id)
    cancel(k)
    if (!running) return
    timers.set(
      k,
      clock.at(atMs, () => {
        timers.delete(k)
        serial(k, () => tick(orgId, id)).catch((err) => onError(err, { orgId, id }))
      }),
    )
  }

  let fired: Occurrence[] = []

  /** Calls `fire` for a claimed run and records the outcome; true when it fired. */
  const fireRun = async (
    s: StoredSchedule,
    run: StoredRecord<ScheduleRun>,
    extra: Pick<Occurrence, 'missed' | 'missedCount'>,
  ): Promise<boolean> => {
    const occurrence: Occurrence = {
      id: run.data.occurrenceId,
      orgId: s.orgId,
      scheduleId: s.id,
      scheduledAt: run.data.scheduledAt,
      late: clock.nowMs() - Date.parse(run.data.scheduledAt) > lateAfterMs,
      attempt: run.data.attempts,
      ...extra,
    }
    let error: unknown
    try {
      await fire(s, occurrence)
      fired.push(occurrence)
    } catch (err) {
      error = err ?? 'failed'
    }
    await store.recordOutcome(s.orgId, run, error)
    return !error
  }

  /** Catches up, fires what is due, and arms the next timer. One schedule at a time. */
  async function tick(orgId: string, id: string): Promise<void> {
    const rec = await store.get(orgId, id)
    if (!rec?.data.enabled) return cancel(key(orgId, id))
    const s = rec.data
    const compiled = compileSchedule(s)
    const nowMs = clock.nowMs()
    let retryAt: number | undefined

    // 1. A claimed occurrence that failed or was interrupted: fire it again (same id).
    const last = await store.latestRun(orgId, id)
    if (
      last &&
      (last.data.status === 'firing' || last.data.status === 'failed') &&
      last.data.attempts < maxAttempts
    ) {
      const wait = last.data.status === 'firing' ? leaseMs : retryDelayMs
      const dueAt = Date.parse(last.data.lastAttemptAt ?? last.updatedAt) + wait
      if (dueAt > nowMs) retryAt = dueAt
      else {
        // Undefined: another process took the retry.
        const claimed = await store.claimRetry(orgId, last)
        if (claimed) {
          const ok = await fireRun(s, claimed, { missed: [], missedCount: last.data.missedCount ?? 0 })
          if (!ok && claimed.data.attempts < maxAttempts) retryAt = clock.nowMs() + retryDelayMs
        }
      }
    }

    // 2. Occurrences since the last handled one (or since the schedule became active).
    const cursor = Math.max(
      Date.parse(s.activeSince),
      last ? Date.parse(last.data.scheduledAt) : Number.NEGATIVE_INFINITY,
    )
    const earlier: string[] = []
    let missedCount = 0
    let latest: Date | undefined
    for (const d of occurrencesAfter(compiled, cursor)) {
      if (d.getTime() > nowMs) break
      if (latest) {
        missedCount++
        if (earlier.length < maxMissed) earlier.push(latest.toISOString())
      }
      latest = d
    }
    if (latest) {
      for (const at of earlier) await store.recordMissed(orgId, id, at)
      // Undefined: claimed by another process, which fires it.
      const claimed = await store.claim(orgId, id, latest.toISOString(), missedCount)
      if (claimed) {
        const ok = await fireRun(s, claimed, { missed: earlier, missedCount })
        if (!ok && maxAttempts > 1) retryAt = clock.nowMs() + retryDelayMs
      }
    }

    // 3. Next timer: the next occurrence, or an earlier retry.
    const next = nextOccurrences(compiled, Math.max(clock.nowMs(), cursor), 1)[0]?.getTime()
    const wake = [next, retryAt].filter((x): x is number => x !== undefined)
    if (wake.length) arm(orgId, id, Math.min(...wake))
    else cancel(key(orgId, id))
  }

  return {
    /**
     * Creates or replaces a schedule (validated; a bad field is a 400 naming it, and
     * nothing is written). With `expectedVersion` a stale edit is a 409.
     */
    async upsert(
      def: ScheduleDefinition,
      opts: { actor?: Actor; expectedVersion?: number } = {},
    ): Promise<ScheduleView> {
      const rec = await store.save(def, opts)
      if (running) await serial(key(def.orgId, def.id), () => tick(def.orgId, def.id))
      return store.view(rec)
    },

    /** Deletes a schedule; its run records stay as history. */
    async remove(
      orgId: string,
      id: string,
      opts: { actor?: Actor; expectedVersion?: number } = {},
    ): Promise<void> {
      cancel(key(orgId, id))
      await serial(key(orgId, id), async () => {
        await store.remove(orgId, id, opts)
        cancel(key(orgId, id))
      })
    },

    /** One schedule of an organisation, or undefined. */
    async get(orgId: string, id: string): Promise<ScheduleView | undefined> {
      const rec = await store.get(orgId, id)
      return rec && store.view(rec)
    },

    /** The organisation's schedules with their next due instants. */
    async list(orgId: string): Promise<ScheduleView[]> {
      const nowMs = clock.nowMs()
      return (await store.all(orgId)).map((r) => store.view(r, nowMs))
    },

    /** The runs (fired, failed, missed) of one schedule, newest first. */
    async runs(orgId: string, scheduleId: string, opts: { limit?: number } = {}): Promise<ScheduleRun[]> {
      return (await store.runs(orgId, scheduleId, opts.limit ?? 50)).map((r) => r.data)
    },

    /**
     * Loads every persisted schedule, fires once for occurrences missed while down (see
     * the module comment) and arms timers. Resolves when the catch-up is done.
     */
    async start(): Promise<StartSummary> {
      if (running) throw new Error('scheduler already started')
      running = true
      fired = []
      const all = await store.everySchedule()
      await Promise.all(
        all.map(({ orgId, id }) =>
          serial(key(orgId, id), () => tick(orgId, id)).catch((err) => onError(err, { orgId, id })),
        ),
      )
      return { schedules: all.length, fired: [...fired] }
    },

    /** Cancels all timers and waits for fires under way. Persisted state is kept. */
    async stop(): Promise<void> {
      running = false
      for (const k of [...timers.keys()]) cancel(k)
      await this.idle()
    },

    /** Resolves when no schedule work is under way (tests: after `clock.advance`). */
    async idle(): Promise<void> {
      while (inflight.size) await Promise.allSettled([...inflight])
    },

    /** Occurrences fired since `start()` (newest last). */
    fired(): Occurrence[] {
      return [...fired]
    },
  }
}

/** The scheduler's interface. */
export type Scheduler = ReturnType<typeof createScheduler>
