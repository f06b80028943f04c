import { z } from 'zod'
import { TASK_ROLES } from '../domain/tasks.js'
import { notifyTaskAssigned, notifyTaskEscalated } from '../mail/index.js'
import { noteTaskOrg } from '../store/task-orgs.js'
import { notifyDeps } from './deps.js'
import { defineStep } from './step.js'

const localized = z.object({ en: z.string().min(1), de: z.string().min(1) })

/**
 * Input of the human-task step, as a definition passes it with
 * `arn:aws:states:::lambda:invoke.waitForTaskToken`.
 */
export const humanTaskInput = z
  .object({
    taskToken: z.string().min(1).max(1024),
    orgId: z.string().min(2),
    kind: z.string().min(1).max(60),
    title: localized,
    description: localized.optional(),
    formId: z.string().min(1),
    formVersion: z.number().int().positive().optional(),
    assignee: z.union([
      z.object({ userId: z.string().min(1) }).strict(),
      z.object({ role: z.enum(TASK_ROLES) }).strict(),
    ]),
    dueAt: z.string().datetime({ offset: true }).optional(),
    dueInDays: z.number().int().min(0).max(3650).optional(),
    priority: z.number().int().min(0).max(9).default(1),
    context: z.record(z.string(), z.unknown()).default({}),
    prefill: z.record(z.string(), z.unknown()).optional(),
    requestedBy: z.string().optional(),
    excludedUserIds: z.array(z.string()).default([]),
    subject: z.object({ type: z.string(), id: z.string(), title: z.string().optional() }).optional(),
    workflow: z.object({ name: z.string(), executionArn: z.string(), stateName: z.string() }),
  })
  .strict()

export type HumanTaskInput = z.input<typeof humanTaskInput>

/** An escalation task: its kind says so (`escalation-approval`) or its context is marked escalated. */
const isEscalation = (input: { kind: string; context: Record<string, unknown> }) =>
  input.kind.startsWith('escalation') || input.context.escalated === true

/**
 * Creates a human task from a workflow step and parks the token with it. Idempotent: the
 * engine may invoke a task more than once; the task id derives from the token.
 */
export const handler = defineStep({
  name: 'human-task',
  input: humanTaskInput,
  async run(input, deps) {
    const { taskStore: tasks, now, records } = deps
    // In UTC, so due dates sort as strings (the inbox's index orders and ranges by them).
    const dueAt =
      (input.dueAt && new Date(input.dueAt).toISOString()) ??
      (input.dueInDays !== undefined
        ? new Date(now().getTime() + input.dueInDays * 86_400_000).toISOString()
        : undefined)
    const rec = await tasks.createFromToken(
      {
        orgId: input.orgId,
        kind: input.kind,
        title: input.title,
        description: input.description,
        formId: input.formId,
        formVersion: input.formVersion,
        assigneeUserId: 'userId' in input.assignee ? input.assignee.userId : undefined,
        candidateRole: 'role' in input.assignee ? input.assignee.role : undefined,
        priority: input.priority,
        dueAt,
        context: input.context,
        prefill: input.prefill,
        requestedBy: input.requestedBy,
        excludedUserIds: input.excludedUserIds,
        subject: input.subject,
        workflow: input.workflow,
        delegations: [],
      },
      input.taskToken,
      { userId: 'system:workflow', name: input.workflow.name },
    )
    // The reminder sweep (task-reminders.ts) finds organisations with tasks by this marker.
    await noteTaskOrg(records, input.orgId)
    // A task for a named person: "a task was assigned to you", once (the outbox's dedup key);
    // an escalation (an overdue step handed on): "escalated" to whoever must act now.
    const mailing = notifyDeps(deps)
    const task = { id: rec.id, title: rec.data.title, dueAt: rec.data.dueAt }
    const sent = isEscalation(input)
      ? notifyTaskEscalated(mailing, input.orgId, task, input.assignee)
      : rec.data.assigneeUserId
        ? notifyTaskAssigned(mailing, input.orgId, task, rec.data.assigneeUserId)
        : undefined
    await sent?.catch((err) =>
      console.error(JSON.stringify({ level: 'error', msg: 'task mail failed', error: String(err) })),
    )
    return { taskId: rec.id }
  },
})
