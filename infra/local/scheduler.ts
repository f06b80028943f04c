/**
 * The durable local scheduler: EventBridge Scheduler's stand-in for `npm start` and tests.
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
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { ConflictError, conflict, validationError } from '../../functions/domain/errors.js'
import {
  compileSchedule,
  nextOccurrences,
  occurrenceId,
  occurrencesAfter,
  type ScheduleTiming,
} from '../../functions/domain/schedules/index.js'
import {
  type Actor,
  createRecords,
  type OrgRecords,
  type Records,
  type StoredRecord,
} from '../../functions/store/records.js'
import type { Clock } from './clock.js'

/** What the API hands to `upsert`: timing plus identity and what the target needs. */
export interface ScheduleDefinition extends ScheduleTiming {
  /** Unique within the organisation: letters, digits, dashes (≤ 64). */
  id: string
  orgId: string
  /** Default true; a disabled schedule keeps its record but does not fire (EventBridge `State: DISABLED`). */
  enabled?: boolean
  /** Passed to `fire` unchanged (review kind, form id, owner …). */
  payload?: Record<string, unknown>
}

/** A schedule as stored. */
export interface StoredSchedule extends ScheduleDefinition {
  timeZone: string
  enabled: boolean
  /** Occurrences at or before this instant are never fired (creation, re-enable, re-timing). */
  activeSince: string
}

/** A stored schedule with its record version and next due instant, for lists and the UI. */
export interface ScheduleView extends StoredSchedule {
  version: number
  updatedAt: string
  updatedBy: string
  /** Next occurrence after now (ISO), absent when none is left or the schedule is disabled. */
  nextDue?: string
}

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

/** Run statuses: claimed and being fired, fired, failed (retried up to maxAttempts), missed (recorded only). */
export type RunStatus = 'firing' | 'fired' | 'failed' | 'missed'

/** The record of one occurrence (`schedule-run`). */
export interface ScheduleRun {
  scheduleId: string
  occurrenceId: string
  scheduledAt: string
  status: RunStatus
  attempts: number
  /** When the last attempt was claimed (scheduler clock). */
  lastAttemptAt?: string
  firedAt?: string
  error?: string
  missedCount?: number
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

const SCHEDULE = 'schedule'
const RUN = 'schedule-run'
const INDEX_PK = 'SCHEDULES'
const ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/

const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z') // 20260401T070000Z
const runId = (scheduleId: string, scheduledAt: string) => `${scheduleId}@${stamp(scheduledAt)}`
const timingOf = (s: ScheduleTiming): ScheduleTiming => ({
  expression: s.expression,
  timeZone: s.timeZone,
  startDate: s.startDate,
  endDate: s.endDate,
  createdAt: s.createdAt,
})
const sameTiming = (a: ScheduleTiming, b: ScheduleTiming) =>
  JSON.stringify(timingOf(a)) === JSON.stringify(timingOf(b))

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
  const index = (orgId: string, id: string) => ({ gsi2pk: INDEX_PK, gsi2sk: `${orgId}#${id}` })

  const view = (rec: StoredRecord<StoredSchedule>, nowMs = clock.nowMs()): ScheduleView => {
    const s = rec.data
    let nextDue: string | undefined
    if (s.enabled)
      nextDue = nextOccurrences(s, Math.max(nowMs, Date.parse(s.activeSince)), 1)[0]?.toISOString()
    return { ...s, version: rec.version, updatedAt: rec.updatedAt, updatedBy: rec.updatedBy, nextDue }
  }

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

  const latestRun = async (org: OrgRecords, scheduleId: string) =>
    (await org.list<ScheduleRun>(RUN, { idPrefix: `${scheduleId}@`, reverse: true, limit: 1 })).items[0]

  let fired: Occurrence[] = []

  /** Calls `fire` for a claimed run and records the outcome; true when it fired. */
  const fireRun = async (
    s: StoredSchedule,
    run: StoredRecord<ScheduleRun>,
    extra: Pick<Occurrence, 'missed' | 'missedCount'>,
  ): Promise<boolean> => {
    const org = records.forOrg(s.orgId)
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
    const outcome: ScheduleRun = error
      ? { ...run.data, status: 'failed', error: String((error as Error)?.message ?? error).slice(0, 500) }
      : { ...run.data, status: 'fired', firedAt: clock.now().toISOString(), error: undefined }
    try {
      await org.update<ScheduleRun>(RUN, run.id, outcome, {
        actor,
        action: error ? 'schedule.fire-failed' : 'schedule.fired',
        expectedVersion: run.version,
      })
    } catch (err) {
      // Another process took the run over after our lease ran out; its record stands.
      if (!(err instanceof ConflictError)) throw err
    }
    return !error
  }

  /** Catches up, fires what is due, and arms the next timer. One schedule at a time. */
  async function tick(orgId: string, id: string): Promise<void> {
    const org = records.forOrg(orgId)
    const rec = await org.get<StoredSchedule>(SCHEDULE, id)
    if (!rec?.data.enabled) return cancel(key(orgId, id))
    const s = rec.data
    const compiled = compileSchedule(s)
    const nowMs = clock.nowMs()
    let retryAt: number | undefined

    // 1. A claimed occurrence that failed or was interrupted: fire it again (same id).
    const last = await latestRun(org, id)
    if (
      last &&
      (last.data.status === 'firing' || last.data.status === 'failed') &&
      last.data.attempts < maxAttempts
    ) {
      const wait = last.data.status === 'firing' ? leaseMs : retryDelayMs
      const dueAt = Date.parse(last.data.lastAttemptAt ?? last.updatedAt) + wait
      if (dueAt > nowMs) retryAt = dueAt
      else {
        let claimed: StoredRecord<ScheduleRun> | undefined
        try {
          claimed = await org.update<ScheduleRun>(
            RUN,
            last.id,
            {
              ...last.data,
              status: 'firing',
              attempts: last.data.attempts + 1,
              lastAttemptAt: clock.now().toISOString(),
            },
            { actor, action: 'schedule.retry', expectedVersion: last.version },
          )
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err // another process took the retry
        }
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
      for (const at of earlier) {
        try {
          await org.create<ScheduleRun>(
            RUN,
            runId(id, at),
            {
              scheduleId: id,
              occurrenceId: occurrenceId(id, at, orgId),
              scheduledAt: at,
              status: 'missed',
              attempts: 0,
            },
            { actor, action: 'schedule.missed' },
          )
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err
        }
      }
      const at = latest.toISOString()
      let claimed: StoredRecord<ScheduleRun> | undefined
      try {
        claimed = await org.create<ScheduleRun>(
          RUN,
          runId(id, at),
          {
            scheduleId: id,
            occurrenceId: occurrenceId(id, at, orgId),
            scheduledAt: at,
            status: 'firing',
            attempts: 1,
            lastAttemptAt: clock.now().toISOString(),
            missedCount,
          },
          { actor, action: 'schedule.fire' },
        )
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err // claimed by another process: it fires
      }
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

  const validate = (def: ScheduleDefinition) => {
    const fields: Record<string, string> = {}
    if (typeof def?.id !== 'string' || !ID.test(def.id)) fields.id = 'must be 1-64 letters, digits or dashes'
    if (def?.enabled !== undefined && typeof def.enabled !== 'boolean')
      fields.enabled = 'must be true or false'
    if (
      def?.payload !== undefined &&
      (typeof def.payload !== 'object' || def.payload === null || Array.isArray(def.payload))
    )
      fields.payload = 'must be an object'
    let timing: ScheduleTiming & { timeZone: string } = { expression: '', timeZone: '' }
    try {
      const c = compileSchedule(def)
      timing = { ...timingOf(def), expression: c.parsed.expression, timeZone: c.zone }
    } catch (err) {
      Object.assign(fields, (err as { fields?: Record<string, string> }).fields)
    }
    if (Object.keys(fields).length) throw validationError(fields, 'The schedule has invalid fields.')
    return timing
  }

  const checkCollision = async (org: OrgRecords, def: StoredSchedule) => {
    const k = options.collisionKey?.(def)
    if (!k || !def.enabled) return
    const others = (await org.all<StoredSchedule>(SCHEDULE))
      .map((r) => r.data)
      .filter((o) => o.id !== def.id && o.enabled && options.collisionKey?.(o) === k)
    const from = clock.nowMs()
    const mine = new Set(nextOccurrences(def, from, 24).map((d) => d.getTime()))
    for (const o of others) {
      const hit = nextOccurrences(o, from, 24).find((d) => mine.has(d.getTime()))
      if (hit)
        throw conflict(`Schedule ${o.id} already fires at ${hit.toISOString()}.`, {
          expression: `collides with schedule ${o.id} at ${hit.toISOString()}`,
        })
    }
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
      const timing = validate(def)
      const org = records.forOrg(def.orgId)
      const existing = await org.get<StoredSchedule>(SCHEDULE, def.id)
      const enabled = def.enabled ?? true
      const now = clock.now().toISOString()
      timing.createdAt = def.createdAt ?? existing?.data.createdAt ?? now
      const reactivated = !existing?.data.enabled || !sameTiming(existing.data, timing)
      const data: StoredSchedule = {
        id: def.id,
        orgId: def.orgId,
        ...timing,
        enabled,
        payload: def.payload,
        activeSince: reactivated || !existing ? now : existing.data.activeSince,
      }
      await checkCollision(org, data)
      const write = { actor: opts.actor ?? actor, index: index(def.orgId, def.id) }
      const rec = existing
        ? await org.update(SCHEDULE, def.id, data, {
            ...write,
            expectedVersion: opts.expectedVersion ?? existing.version,
          })
        : await org.create(SCHEDULE, def.id, data, write)
      if (running) await serial(key(def.orgId, def.id), () => tick(def.orgId, def.id))
      return view(rec)
    },

    /** Deletes a schedule; its run records stay as history. */
    async remove(
      orgId: string,
      id: string,
      opts: { actor?: Actor; expectedVersion?: number } = {},
    ): Promise<void> {
      cancel(key(orgId, id))
      await serial(key(orgId, id), async () => {
        await records
          .forOrg(orgId)
          .remove(SCHEDULE, id, { actor: opts.actor ?? actor, expectedVersion: opts.expectedVersion })
        cancel(key(orgId, id))
      })
    },

    /** One schedule of an organisation, or undefined. */
    async get(orgId: string, id: string): Promise<ScheduleView | undefined> {
      const rec = await records.forOrg(orgId).get<StoredSchedule>(SCHEDULE, id)
      return rec && view(rec)
    },

    /** The organisation's schedules with their next due instants. */
    async list(orgId: string): Promise<ScheduleView[]> {
      const nowMs = clock.nowMs()
      return (await records.forOrg(orgId).all<StoredSchedule>(SCHEDULE)).map((r) => view(r, nowMs))
    },

    /** The runs (fired, failed, missed) of one schedule, newest first. */
    async runs(orgId: string, scheduleId: string, opts: { limit?: number } = {}): Promise<ScheduleRun[]> {
      const page = await records
        .forOrg(orgId)
        .list<ScheduleRun>(RUN, { idPrefix: `${scheduleId}@`, reverse: true, limit: opts.limit ?? 50 })
      return page.items.map((r) => r.data)
    },

    /**
     * Loads every persisted schedule, fires once for occurrences missed while down (see
     * the module comment) and arms timers. Resolves when the catch-up is done.
     */
    async start(): Promise<StartSummary> {
      if (running) throw new Error('scheduler already started')
      running = true
      fired = []
      const all: { orgId: string; id: string }[] = []
      let ExclusiveStartKey: Record<string, unknown> | undefined
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :k',
            ExpressionAttributeValues: { ':k': INDEX_PK },
            ProjectionExpression: '#o, #i',
            ExpressionAttributeNames: { '#o': 'orgId', '#i': 'id' },
            ExclusiveStartKey,
          }),
        )
        for (const item of out.Items ?? []) all.push({ orgId: item.orgId as string, id: item.id as string })
        ExclusiveStartKey = out.LastEvaluatedKey
      } while (ExclusiveStartKey)
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
