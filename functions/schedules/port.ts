/**
 * The port to a scheduler: one schedule per review programme entry, `deps.schedules`.
 * `createDeps` chooses the adapter: the durable scheduler of `infra/local/scheduler.ts`
 * when the local composition hands it in (so `functions/` never imports `infra/`),
 * EventBridge Scheduler (`aws.ts`) when the CDK app configured it, else one that
 * refuses every write with a clear error before anything is written.
 */
import { AppError } from '../domain/errors.js'

/** One schedule as the API hands it over (the entry id is the schedule id). */
export interface ScheduleSpec {
  orgId: string
  id: string
  expression: string
  timeZone: string
  startDate?: string
  createdAt?: string
  enabled: boolean
  /** What the target needs (review kind, entry id). */
  payload: Record<string, unknown>
}

/** Creates, replaces and deletes schedules. Errors are `AppError`s naming the field. */
export interface SchedulePort {
  /** `local`, `aws` or `unavailable` (shown by the API so the UI can say so). */
  readonly kind: 'local' | 'aws' | 'unavailable'
  /** Throws why schedules cannot be changed here (nothing when they can): call it before writing anything. */
  assertWritable(): void
  upsert(spec: ScheduleSpec, actor?: { userId: string; name?: string }): Promise<void>
  remove(orgId: string, id: string, actor?: { userId: string; name?: string }): Promise<void>
}

/** The part of the local durable scheduler the port uses (structural: no import from `infra/`). */
export interface LocalSchedulerLike {
  upsert(
    def: ScheduleSpec,
    opts?: { actor?: { userId: string; name?: string }; expectedVersion?: number },
  ): Promise<unknown>
  remove(orgId: string, id: string, opts?: { actor?: { userId: string; name?: string } }): Promise<void>
  get(orgId: string, id: string): Promise<unknown | undefined>
}

/** The local adapter: the durable scheduler keeps the schedule in the store and fires it. */
export function localSchedulePort(scheduler: LocalSchedulerLike): SchedulePort {
  return {
    kind: 'local',
    assertWritable() {},
    async upsert(spec, actor) {
      await scheduler.upsert(spec, { actor })
    },
    async remove(orgId, id, actor) {
      if (await scheduler.get(orgId, id)) await scheduler.remove(orgId, id, { actor })
    },
  }
}

/**
 * The port when no scheduler is configured for this process: every write is refused before
 * anything is stored.
 */
export function unavailableSchedulePort(reason: string): SchedulePort {
  const refusal = () => new AppError('internal', `Schedules cannot be changed here: ${reason}`)
  return {
    kind: 'unavailable',
    assertWritable() {
      throw refusal()
    },
    async upsert() {
      throw refusal()
    },
    async remove() {
      throw refusal()
    },
  }
}
