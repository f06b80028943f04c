/**
 * The API's port to a scheduler: one schedule per review programme entry. Two adapters:
 * locally the durable scheduler of `infra/local/scheduler.ts` (handed in by the local
 * composition, so `functions/` never imports `infra/`); on AWS, EventBridge Scheduler
 * (`schedules-aws.ts`). Without either, writes are refused with a clear error and nothing
 * is written (see `unavailableSchedulePort`).
 */
import { AppError } from '../domain/errors.js'
import type { Deps } from './env.js'
import { awsSchedulePort, awsSchedulerConfig } from './schedules-aws.js'

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
  /** Why writes are refused (`unavailable` only). */
  readonly reason?: string
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
  const refuse = async () => {
    throw new AppError('internal', `Schedules cannot be changed here: ${reason}`)
  }
  return { kind: 'unavailable', reason, upsert: refuse, remove: refuse }
}

/** The port, or the error an unavailable one answers (checked before anything is written). */
export function writableSchedules(deps: Deps): SchedulePort {
  const port = schedulesFor(deps)
  if (port.kind === 'unavailable')
    throw new AppError('internal', `Schedules cannot be changed here: ${port.reason}`)
  return port
}

const ports = new WeakMap<Deps, SchedulePort>()

/** Attaches a schedule port to the API's dependencies (the local composition does this). */
export function attachSchedulePort(deps: Deps, port: SchedulePort): void {
  ports.set(deps, port)
}

/**
 * The schedule port of these dependencies: the attached one (local), else EventBridge
 * Scheduler when the CDK app configured it, else `unavailable` with the reason.
 */
export function schedulesFor(deps: Deps): SchedulePort {
  const attached = ports.get(deps)
  if (attached) return attached
  const aws = awsSchedulerConfig()
  if (!aws)
    return unavailableSchedulePort(
      'no scheduler is configured (SCHEDULE_GROUP_NAME, SCHEDULE_TARGET_ARN and SCHEDULER_ROLE_ARN are not set).',
    )
  const port = awsSchedulePort(aws)
  ports.set(deps, port)
  return port
}
