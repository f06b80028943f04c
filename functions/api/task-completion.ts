import { ConflictError, forbidden, notFound } from '../domain/errors.js'
import { findDecision, localToday, validateSubmission } from '../domain/forms/index.js'
import { assertFourEyes, isOpen, mayView, mayWork, type Task, type TaskRole } from '../domain/tasks.js'
import { formCatalogues } from '../forms/catalogues.js'
import { notify } from '../mail/index.js'
import { recoveredTask } from '../steps/task-recovery.js'
import { RecordChangedError } from '../store/records.js'
import { notOpen, type TaskRecord } from '../store/tasks.js'
import { isClosedToken } from '../workflow-client.js'
import type { Deps } from './env.js'

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
  /** The request this completion serves (for the log lines of a failure). */
  requestId?: string
}

/**
 * The task `id` of the actor's organisation when the actor may see it (404 otherwise, also for
 * another organisation's), recovered first when a crash left it `completing` longer than the
 * lease (`recoveredTask`): the person finds it open again for another try, or completed.
 */
export async function viewableTask(
  deps: Pick<Deps, 'taskStore' | 'workflows' | 'now'>,
  who: Pick<TaskActor, 'userId' | 'orgId' | 'roles'>,
  id: string,
): Promise<TaskRecord> {
  const rec = await deps.taskStore.get(who.orgId, id)
  if (!rec || !mayView(rec.data, who)) throw notFound('Task')
  return recoveredTask(deps, rec)
}

/**
 * The task `id` of the actor's organisation when the actor may work on it: 404 when they may
 * not even see it (or it belongs to another organisation), 403 when it is someone else's.
 */
export async function workableTask(
  deps: Pick<Deps, 'taskStore' | 'workflows' | 'now'>,
  who: TaskActor,
  id: string,
) {
  const rec = await viewableTask(deps, who, id)
  if (!mayWork(rec.data, who)) throw forbidden('This task is assigned to someone else or to another role.')
  return rec
}

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
  const completing = await startCompleting(taskStore, rec, who, result, actor)
  try {
    const token = await taskStore.token(rec.orgId, rec.id)
    await workflows.succeed(token, { taskId: rec.id, ...result })
  } catch (err) {
    if (isClosedToken(err)) {
      await taskStore.transition(
        completing,
        { status: 'expired', closedReason: err.name, pending: undefined },
        actor,
        'task.expired',
      )
      throw notOpen({ ...completing.data, status: 'expired' }, err)
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
            requestId: opts.requestId,
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
      {
        identity: deps.identity,
        mail: deps.mail,
        notifications: deps.notifications,
        publicUrl: deps.config.publicUrl,
        now,
      },
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
    ).catch((err) =>
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'decision mail failed',
          requestId: opts.requestId,
          taskId: rec.id,
          error: String(err),
        }),
      ),
    )
  return done
}

/** Tasks left `completing` are recovered by the sweep (functions/steps/task-recovery.ts). */
export { COMPLETING_LEASE_MS, type RecoveryReport, recoverCompletingTasks } from '../steps/task-recovery.js'

/**
 * Moves the task open → completing under its version. A write that changed the task in the
 * meantime without closing it (the form's own draft save, sent as the person presses
 * "Submit", a claim by the same person) does not refuse the completion: the task is read as
 * it is now and the move is tried again while the actor may still work on it. A task that
 * someone else closed, claimed or is completing answers 409 with what happened.
 */
async function startCompleting(
  taskStore: Deps['taskStore'],
  rec: TaskRecord,
  who: TaskActor,
  result: NonNullable<Task['result']>,
  actor: { userId: string; name: string },
): Promise<TaskRecord> {
  let current = rec
  for (let attempt = 0; ; attempt++) {
    try {
      return await taskStore.transition(
        current,
        { status: 'completing', pending: { result, reopenAs: current.data.status as 'open' | 'claimed' } },
        actor,
        'task.completing',
      )
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
      // The refused write read the task as it is now.
      const now =
        (err instanceof RecordChangedError && err.stored<Task>()) ||
        (await taskStore.require(rec.orgId, rec.id))
      if (attempt >= 4 || !isOpen(now.data) || !mayWork(now.data, who)) throw notOpen(now.data, err)
      current = now
    }
  }
}
