import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import {
  AppError,
  ConflictError,
  conflict,
  messageOf,
  validationError,
} from '../../functions/domain/errors.js'
import {
  compileSchedule,
  nextOccurrences,
  occurrenceId,
  type ScheduleTiming,
} from '../../functions/domain/schedules/index.js'
import { queryPages } from '../../functions/store/pages.js'
import type { Actor, OrgRecords, Records, StoredRecord } from '../../functions/store/records.js'
import type { Clock } from './clock.js'

/**
 * Where the local scheduler keeps its state: schedules per organisation (`schedule` records
 * with a global index entry, `gsi2pk = SCHEDULES`, so a start finds them all) and one
 * `schedule-run` record per handled occurrence, written with conditional writes so that two
 * processes never claim one occurrence. `scheduler.ts` decides when to fire; this module
 * only reads and writes.
 */

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

/** Options of the schedule store (see `SchedulerOptions`). */
export interface ScheduleStoreOptions {
  doc: DynamoDBDocumentClient
  tableName: string
  records: Records
  clock: Clock
  /** Who the audit log names. */
  actor: Actor
  /** Schedules of one organisation with the same key must not share an occurrence. */
  collisionKey?: (schedule: ScheduleDefinition) => string | undefined
}

/** The scheduler's storage: schedules, their runs and the claims on occurrences. */
export function createScheduleStore(options: ScheduleStoreOptions) {
  const { doc, tableName, records, clock, actor } = options
  const index = (orgId: string, id: string) => ({ gsi2pk: INDEX_PK, gsi2sk: `${orgId}#${id}` })

  const view = (rec: StoredRecord<StoredSchedule>, nowMs = clock.nowMs()): ScheduleView => {
    const s = rec.data
    let nextDue: string | undefined
    if (s.enabled)
      nextDue = nextOccurrences(s, Math.max(nowMs, Date.parse(s.activeSince)), 1)[0]?.toISOString()
    return { ...s, version: rec.version, updatedAt: rec.updatedAt, updatedBy: rec.updatedBy, nextDue }
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
      if (err instanceof AppError) Object.assign(fields, err.fields)
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

  /** Writes a claim (`create`/`update` of a run); false when another process holds it. */
  const claimed = async <T>(write: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await write()
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      return undefined
    }
  }

  /** Writes the first record of an occurrence's run; undefined when one exists (another process claimed it). */
  const firstRun = (
    orgId: string,
    scheduleId: string,
    at: string,
    state: Omit<ScheduleRun, 'scheduleId' | 'occurrenceId' | 'scheduledAt'>,
    action: string,
  ) =>
    claimed(() =>
      records
        .forOrg(orgId)
        .create<ScheduleRun>(
          RUN,
          runId(scheduleId, at),
          { scheduleId, occurrenceId: occurrenceId(scheduleId, at, orgId), scheduledAt: at, ...state },
          { actor, action },
        ),
    )

  return {
    view,

    /** One schedule's record, or undefined. */
    get: (orgId: string, id: string) => records.forOrg(orgId).get<StoredSchedule>(SCHEDULE, id),

    /** Every schedule of an organisation. */
    all: (orgId: string) => records.forOrg(orgId).all<StoredSchedule>(SCHEDULE),

    /**
     * Validates and writes a schedule (a bad field is a 400 naming it, and nothing is
     * written; a collision a 409; with `expectedVersion` a stale edit a 409).
     */
    async save(
      def: ScheduleDefinition,
      opts: { actor?: Actor; expectedVersion?: number } = {},
    ): Promise<StoredRecord<StoredSchedule>> {
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
      return existing
        ? await org.update(SCHEDULE, def.id, data, {
            ...write,
            expectedVersion: opts.expectedVersion ?? existing.version,
          })
        : await org.create(SCHEDULE, def.id, data, write)
    },

    /** Deletes a schedule; its run records stay as history. */
    remove: (orgId: string, id: string, opts: { actor?: Actor; expectedVersion?: number } = {}) =>
      records
        .forOrg(orgId)
        .remove(SCHEDULE, id, { actor: opts.actor ?? actor, expectedVersion: opts.expectedVersion }),

    /** The runs of one schedule, newest first, one page. */
    async runs(orgId: string, scheduleId: string, limit: number): Promise<StoredRecord<ScheduleRun>[]> {
      const page = await records
        .forOrg(orgId)
        .list<ScheduleRun>(RUN, { idPrefix: `${scheduleId}@`, reverse: true, limit })
      return page.items
    },

    /** The latest run of one schedule (the last occurrence handled). */
    latestRun: async (orgId: string, scheduleId: string) =>
      (
        await records
          .forOrg(orgId)
          .list<ScheduleRun>(RUN, { idPrefix: `${scheduleId}@`, reverse: true, limit: 1 })
      ).items[0],

    /** Claims a failed or interrupted run for another attempt; undefined when another process took it. */
    claimRetry: (orgId: string, last: StoredRecord<ScheduleRun>) =>
      claimed(() =>
        records.forOrg(orgId).update<ScheduleRun>(
          RUN,
          last.id,
          {
            ...last.data,
            status: 'firing',
            attempts: last.data.attempts + 1,
            lastAttemptAt: clock.now().toISOString(),
          },
          { actor, action: 'schedule.retry', expectedVersion: last.version },
        ),
      ),

    /** Records an occurrence as missed (not fired); a second record of it is no change. */
    async recordMissed(orgId: string, scheduleId: string, at: string): Promise<void> {
      await firstRun(orgId, scheduleId, at, { status: 'missed', attempts: 0 }, 'schedule.missed')
    },

    /** Claims an occurrence for its first attempt; undefined when another process claimed it (it fires). */
    claim: (orgId: string, scheduleId: string, at: string, missedCount: number) =>
      firstRun(
        orgId,
        scheduleId,
        at,
        { status: 'firing', attempts: 1, lastAttemptAt: clock.now().toISOString(), missedCount },
        'schedule.fire',
      ),

    /**
     * Records how a claimed run's attempt ended. Another process that took the run over
     * after the lease ran out wins: its record stands.
     */
    async recordOutcome(orgId: string, run: StoredRecord<ScheduleRun>, error: unknown): Promise<void> {
      const outcome: ScheduleRun = error
        ? {
            ...run.data,
            status: 'failed',
            error: messageOf(error).slice(0, 500),
          }
        : { ...run.data, status: 'fired', firedAt: clock.now().toISOString(), error: undefined }
      await claimed(() =>
        records.forOrg(orgId).update<ScheduleRun>(RUN, run.id, outcome, {
          actor,
          action: error ? 'schedule.fire-failed' : 'schedule.fired',
          expectedVersion: run.version,
        }),
      )
    },

    /** Every schedule of every organisation (orgId and id), from the global index. */
    async everySchedule(): Promise<{ orgId: string; id: string }[]> {
      const all: { orgId: string; id: string }[] = []
      const pages = queryPages(doc, {
        TableName: tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :k',
        ExpressionAttributeValues: { ':k': INDEX_PK },
        ProjectionExpression: '#o, #i',
        ExpressionAttributeNames: { '#o': 'orgId', '#i': 'id' },
      })
      for await (const items of pages)
        for (const item of items) all.push({ orgId: String(item.orgId), id: String(item.id) })
      return all
    },
  }
}

/** The scheduler's storage. */
export type ScheduleStore = ReturnType<typeof createScheduleStore>
