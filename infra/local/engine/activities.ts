import type { Clock } from '../clock.js'
import { checkArn, checkMaxResults, checkName, checkString } from './checks.js'
import { ApiError } from './errors.js'
import type { Persistence } from './persistence.js'
import type { ActivityRec } from './types.js'

/**
 * Activities (AWS: "Learn about Activities in Step Functions"): a Task whose Resource is an
 * activity ARN schedules a task that a worker takes with GetActivityTask (long poll, up to
 * 60 s) and closes with SendTaskSuccess/Failure/Heartbeat using the task token.
 *
 * The activities themselves are durable records; the queue of scheduled tasks is in memory
 * and rebuilt on restart, because every queued task belongs to a RUNNING execution whose
 * Task re-enqueues it when it resumes (a task a worker had taken is not handed out again).
 */

/** A scheduled activity task waiting for a worker. */
export interface ActivityTask {
  token: string
  input: string
  /** Called when a worker takes it (writes ActivityStarted); false when the task is gone. */
  take(workerName: string | undefined): boolean
}

const ACTIVITY = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:activity:[^:]+$/

/** True for an activity ARN. */
export const isActivityArn = (arn: string) => ACTIVITY.test(arn)

/** Longest wait of GetActivityTask (AWS: "the maximum time the service holds on to the request is 60 seconds"). */
export const POLL_MS = 60_000

interface Poller {
  workerName?: string
  resolve(task: ActivityTask | undefined): void
}

/** What the activities API needs. */
export interface ActivitiesContext {
  persistence: Persistence
  clock: Clock
  region: string
  accountId: string
  /** Tags given to CreateActivity. */
  tag(resourceArn: string, tags: unknown): Promise<void>
  untagAll(resourceArn: string): Promise<void>
  /** Longest wait of GetActivityTask (default 60 s, as AWS). */
  pollMs?: number
}

/** The activities operations and the in-memory queue of scheduled activity tasks. */
export function createActivities(ctx: ActivitiesContext) {
  const { persistence: db } = ctx
  const queues = new Map<string, ActivityTask[]>()
  const pollers = new Map<string, Poller[]>()

  const notFound = (arn: string) => new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`)

  async function activity(arnValue: unknown): Promise<ActivityRec> {
    const arn = checkArn(arnValue, 'activityArn', ['activity'])
    const rec = await db.getRecord<ActivityRec>('activity', arn)
    if (!rec) throw notFound(arn)
    return rec
  }

  /** Hands a task to a waiting worker, or queues it. */
  function offer(activityArn: string, task: ActivityTask) {
    const waiting = pollers.get(activityArn)
    if (waiting?.length) {
      const p = waiting.shift()!
      if (task.take(p.workerName)) p.resolve(task)
      return // else the task is gone (aborted, timed out) before anyone took it
    }
    const q = queues.get(activityArn) ?? []
    q.push(task)
    queues.set(activityArn, q)
  }

  return {
    offer,

    /** Removes a queued task (its Task state closed before a worker took it). */
    withdraw(activityArn: string, token: string) {
      const q = queues.get(activityArn)
      if (q)
        queues.set(
          activityArn,
          q.filter((t) => t.token !== token),
        )
    },

    /** CreateActivity: idempotent by name. */
    async createActivity(input: { name?: unknown; tags?: unknown }) {
      const name = checkName(input.name, 'name')
      const arn = `arn:aws:states:${ctx.region}:${ctx.accountId}:activity:${name}`
      const rec: ActivityRec = { activityArn: arn, name, createdMs: ctx.clock.nowMs() }
      if (!(await db.createRecord('activity', arn, rec))) {
        const existing = (await db.getRecord<ActivityRec>('activity', arn))!
        return { activityArn: arn, creationDate: new Date(existing.createdMs) }
      }
      if (input.tags !== undefined) await ctx.tag(arn, input.tags)
      return { activityArn: arn, creationDate: new Date(rec.createdMs) }
    },

    /** DescribeActivity. */
    async describeActivity(input: { activityArn?: unknown }) {
      const rec = await activity(input.activityArn)
      return { activityArn: rec.activityArn, name: rec.name, creationDate: new Date(rec.createdMs) }
    },

    /** ListActivities (by ARN, paged). */
    async listActivities(input: { maxResults?: unknown; nextToken?: unknown } = {}) {
      const page = await db.listRecords<ActivityRec>('activity', {
        limit: checkMaxResults(input.maxResults),
        cursor: typeof input.nextToken === 'string' ? input.nextToken : undefined,
      })
      return {
        activities: page.items.map((a) => ({
          activityArn: a.activityArn,
          name: a.name,
          creationDate: new Date(a.createdMs),
        })),
        nextToken: page.cursor,
      }
    },

    /** DeleteActivity (idempotent). */
    async deleteActivity(input: { activityArn?: unknown }) {
      const arn = checkArn(input.activityArn, 'activityArn', ['activity'])
      await db.deleteRecord('activity', arn)
      await ctx.untagAll(arn)
      return {}
    },

    /**
     * GetActivityTask: a scheduled task of the activity, waiting up to 60 s for one; an empty
     * answer (no taskToken) when none came. `signal` ends the wait early (client gone).
     */
    async getActivityTask(input: { activityArn?: unknown; workerName?: unknown }, signal?: AbortSignal) {
      const rec = await activity(input.activityArn)
      const workerName =
        input.workerName === undefined || input.workerName === null
          ? undefined
          : checkString(input.workerName, 'workerName', 80)
      const q = queues.get(rec.activityArn) ?? []
      while (q.length) {
        const task = q.shift()!
        if (task.take(workerName)) return { taskToken: task.token, input: task.input }
      }
      const task = await new Promise<ActivityTask | undefined>((resolve) => {
        const list = pollers.get(rec.activityArn) ?? []
        let done = false
        const finish = (t: ActivityTask | undefined) => {
          if (done) return
          done = true
          clearTimeout(timer)
          const l = pollers.get(rec.activityArn)
          if (l)
            pollers.set(
              rec.activityArn,
              l.filter((p) => p !== poller),
            )
          resolve(t)
        }
        const poller: Poller = { workerName, resolve: finish }
        const timer = setTimeout(() => finish(undefined), ctx.pollMs ?? POLL_MS)
        timer.unref?.()
        signal?.addEventListener('abort', () => finish(undefined))
        list.push(poller)
        pollers.set(rec.activityArn, list)
      })
      if (!task) return {}
      return { taskToken: task.token, input: task.input }
    },
  }
}

/** The activities API of an engine. */
export type Activities = ReturnType<typeof createActivities>
