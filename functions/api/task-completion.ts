import { forbidden, notFound } from '../domain/errors.js'
import { findDecision, localToday, validateSubmission } from '../domain/forms/index.js'
import { assertFourEyes, isOpen, mayView, mayWork, type Task, type TaskRole } from '../domain/tasks.js'
import { formCatalogues } from '../forms/catalogues.js'
import { notify } from '../mail/index.js'
import { notOpen, type TaskRecord } from '../store/tasks.js'
import type { Deps } from './env.js'
import { CLOSED_TOKEN_ERRORS } from './workflows.js'

/** The person completing a task, acting in one organisation. */
export interface TaskActor {
  userId: string
  name: string
  orgId: string
  roles: readonly TaskRole[]
}

export interface CompleteOptions {
  /** Language of field messages in a validation error. */
  lang?: 'en' | 'de'
}

/**
 * The task `id` of the actor's organisation when the actor may work on it: 404 when they may
 * not even see it (or it belongs to another organisation), 403 when it is someone else's.
 */
export async function workableTask(deps: Pick<Deps, 'taskStore'>, who: TaskActor, id: string) {
  const rec = await deps.taskStore.get(who.orgId, id)
  if (!rec || !mayView(rec.data, who)) throw notFound('Task')
  if (!mayWork(rec.data, who)) throw forbidden('This task is assigned to someone else or to another role.')
  return rec
}

/** How long a task may stay `completing` before the sweep recovers it. */
export const COMPLETING_LEASE_MS = 60_000

const isClosedToken = (err: unknown) => CLOSED_TOKEN_ERRORS.has((err as { name?: string }).name ?? '')
const isConflict = (err: unknown) => (err as { code?: string }).code === 'conflict'

/**
 * Completes a human task: validates the answers with the form module (and the four-eyes
 * rule for decision forms), moves the task open → completing under its version — holding
 * the result, so a crash in between can be recovered — sends the result back through the
 * task token exactly once, and records it. A token the engine already closed marks the task
 * expired; an engine that did not take the answer reopens the task for another try.
 *
 * The one way a task is completed: the task route, the risk routes and the demo seed call it,
 * with a record from `workableTask` (or the seed's own, acting as the person).
 */
export async function completeTask(
  deps: Pick<Deps, 'taskStore' | 'forms' | 'workflows' | 'now'> &
    Partial<Pick<Deps, 'identity' | 'mail' | 'notifications' | 'config'>>,
  who: TaskActor,
  rec: TaskRecord,
  rawAnswers: Record<string, unknown>,
  opts: CompleteOptions = {},
): Promise<TaskRecord> {
  const { taskStore, forms, workflows, now } = deps
  if (!isOpen(rec.data)) throw notOpen(rec.data)
  const form = (await forms()).require(rec.data.formId, rec.data.formVersion)
  if (findDecision(form, {})) assertFourEyes(rec.data, who.userId)
  const submission = await validateSubmission(form, rawAnswers, {
    lang: opts.lang ?? 'en',
    acknowledgedAt: now(),
    // The server's clock decides what "today" is (the local stack's clock can be jumped).
    today: localToday(now()),
    catalogues: formCatalogues(),
    // Whoever signs an acknowledgement signs with their own name.
    signerName: who.name,
  })
  const actor = { userId: who.userId, name: who.name }
  const result: NonNullable<Task['result']> = {
    answers: submission.answers,
    computed: submission.computed,
    formVersion: form.version,
    completedBy: who.userId,
    completedByName: who.name,
    completedAt: now().toISOString(),
    onBehalfOf: rec.data.delegations.at(-1)?.from,
  }
  let completing: TaskRecord
  try {
    completing = await taskStore.transition(
      rec,
      { status: 'completing', pending: { result, reopenAs: rec.data.status as 'open' | 'claimed' } },
      actor,
      'task.completing',
    )
  } catch (err) {
    if (isConflict(err)) throw notOpen((await taskStore.require(rec.orgId, rec.id)).data)
    throw err
  }
  try {
    const token = await taskStore.token(rec.orgId, rec.id)
    await workflows.succeed(token, { taskId: rec.id, ...result })
  } catch (err) {
    if (isClosedToken(err)) {
      await taskStore.transition(
        completing,
        { status: 'expired', closedReason: (err as Error).name, pending: undefined },
        actor,
        'task.expired',
      )
      throw notOpen({ ...completing.data, status: 'expired' })
    }
    // The engine did not take it: reopen so the person can try again. Should the reopen
    // fail too, the sweep finds the task in `completing` and recovers it.
    await taskStore
      .transition(completing, { status: rec.data.status, pending: undefined }, actor, 'task.reopen')
      .catch((reopenErr) =>
        console.error(
          JSON.stringify({
            level: 'error',
            msg: 'task reopen failed',
            taskId: rec.id,
            error: String(reopenErr),
          }),
        ),
      )
    throw err
  }
  const done = await taskStore.transition(
    completing,
    { status: 'completed', result, draft: undefined, pending: undefined },
    actor,
    'task.complete',
  )
  // A decision goes back to whoever asked for it, by e-mail (titles and links only).
  const outcome = findDecision(form, result.answers)?.answer?.outcome
  if (outcome && rec.data.requestedBy && deps.identity && deps.mail && deps.notifications && deps.config)
    await notify(
      { identity: deps.identity, mail: deps.mail, notifications: deps.notifications, publicUrl: deps.config.publicUrl, now },
      rec.orgId,
      `${rec.orgId}:${rec.id}:decided`,
      {
        kind: 'decided',
        to: { userId: rec.data.requestedBy },
        subject: { en: `Decided: ${rec.data.title.en}`, de: `Entschieden: ${rec.data.title.de}` },
        body: { en: `Decision: ${outcome}`, de: `Entscheidung: ${outcome}` },
        ref: { type: 'task', id: rec.id },
        data: { title: rec.data.title, decision: String(outcome) },
      },
    ).catch((err) => console.error(JSON.stringify({ level: 'error', msg: 'decision mail failed', error: String(err) })))
  return done
}

export interface RecoveryReport {
  /** The engine had taken the answer: recorded as completed. */
  completed: string[]
  /** The engine had not: open (or claimed) again, for the person to submit again. */
  reopened: string[]
  /** The token was closed without the answer (timed out, stopped). */
  expired: string[]
}

/**
 * Recovers tasks left in `completing` by a crash between "token sent" and "recorded": a task
 * whose lease ran out is completed if the execution's history shows the engine took this
 * task's answer, and reopened otherwise (or expired when the token closed meanwhile). Runs at
 * start and by the periodic sweep; safe to run twice or concurrently (version conditions).
 */
export async function recoverCompletingTasks(
  deps: Pick<Deps, 'taskStore' | 'workflows' | 'now'>,
  orgIds: readonly string[],
  opts: { leaseMs?: number } = {},
): Promise<RecoveryReport> {
  const leaseMs = opts.leaseMs ?? COMPLETING_LEASE_MS
  const report: RecoveryReport = { completed: [], reopened: [], expired: [] }
  const system = { userId: 'system:recovery' }
  const cutoff = deps.now().getTime() - leaseMs
  for (const orgId of orgIds) {
    for (const rec of await deps.taskStore.listByStatus(orgId, 'completing')) {
      if (Date.parse(rec.updatedAt) > cutoff) continue
      try {
        const outcome = await engineOutcome(deps, rec)
        if (outcome === 'taken' && rec.data.pending) {
          await deps.taskStore.transition(
            rec,
            { status: 'completed', result: rec.data.pending.result, draft: undefined, pending: undefined },
            system,
            'task.recovered-complete',
          )
          report.completed.push(rec.id)
        } else if (outcome === 'closed') {
          await deps.taskStore.transition(
            rec,
            { status: 'expired', closedReason: 'TaskTimedOut', pending: undefined },
            system,
            'task.expired',
          )
          report.expired.push(rec.id)
        } else {
          await deps.taskStore.transition(
            rec,
            { status: rec.data.pending?.reopenAs ?? 'open', pending: undefined },
            system,
            'task.recovered-reopen',
          )
          report.reopened.push(rec.id)
        }
      } catch (err) {
        // Another sweep or the person got there first; anything else waits for the next sweep.
        if (!isConflict(err))
          console.error(
            JSON.stringify({
              level: 'error',
              msg: 'task recovery failed',
              taskId: rec.id,
              error: String(err),
            }),
          )
      }
    }
  }
  return report
}

/**
 * Whether the engine took this task's answer: a `TaskSucceeded` event in the execution's
 * history whose output names the task; `closed` when the execution ended without it.
 */
async function engineOutcome(
  deps: Pick<Deps, 'workflows'>,
  rec: TaskRecord,
): Promise<'taken' | 'closed' | 'waiting'> {
  const arn = rec.data.workflow.executionArn
  const events = await deps.workflows.history(arn)
  const taken = events.some((e) => {
    const output = e.taskSucceededEventDetails?.output
    if (!output) return false
    try {
      return (JSON.parse(output) as { taskId?: string }).taskId === rec.id
    } catch {
      return false
    }
  })
  if (taken) return 'taken'
  const { status } = await deps.workflows.describe(arn)
  return status === 'RUNNING' ? 'waiting' : 'closed'
}
