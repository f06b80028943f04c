/** What the API answers about human tasks: `GET /api/tasks` (the inbox) and one task. */
import { z } from 'zod'
import { TASK_ROLES, TASK_STATUSES } from '../tasks.js'
import { dateTimeSchema, localizedSchema } from './common.js'

const answers = z.record(z.string(), z.unknown())

/** A task as the browser sees it (never the token): the stored task, its version and due badge. */
export const taskViewSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  /** The organisation's name, in the inbox across organisations. */
  orgName: z.string().optional(),
  kind: z.string(),
  title: localizedSchema,
  description: localizedSchema.optional(),
  formId: z.string(),
  formVersion: z.number().int().optional(),
  assigneeUserId: z.string().optional(),
  candidateRole: z.enum(TASK_ROLES).optional(),
  claimedBy: z.string().optional(),
  status: z.enum(TASK_STATUSES),
  priority: z.number(),
  dueAt: dateTimeSchema.optional(),
  createdAt: dateTimeSchema,
  requestedBy: z.string().optional(),
  /** People who may not decide (four-eyes). */
  excludedUserIds: z.array(z.string()),
  /** What the task is about (e.g. a risk snapshot). */
  context: answers,
  prefill: answers.optional(),
  draft: z.object({ answers, savedAt: dateTimeSchema, savedBy: z.string() }).optional(),
  workflow: z.object({ name: z.string(), executionArn: z.string(), stateName: z.string() }),
  delegations: z.array(z.object({ from: z.string(), to: z.string(), at: dateTimeSchema })),
  result: z
    .object({
      answers,
      computed: answers.optional(),
      formVersion: z.number().int().optional(),
      completedBy: z.string(),
      completedByName: z.string().optional(),
      completedAt: dateTimeSchema,
      onBehalfOf: z.string().optional(),
    })
    .optional(),
  closedReason: z.string().optional(),
  /** While `completing`: the result being sent back. */
  pending: z.object({ result: z.looseObject({}), reopenAs: z.enum(['open', 'claimed']) }).optional(),
  /** The business record the task belongs to (risk, project, review). */
  subject: z.object({ type: z.string(), id: z.string(), title: z.string().optional() }).optional(),
  badge: z.enum(['overdue', 'due-soon']).optional(),
  version: z.number().int(),
})

/** A task as `GET /api/tasks/:id` and the task's actions answer it. */
export type TaskView = z.infer<typeof taskViewSchema>

/**
 * A row of the inbox (`GET /api/tasks`): the task as the list shows it (`TaskRow`: no context,
 * prefill, draft, answers, delegations or four-eyes list; those come with `GET /api/tasks/:id`),
 * its version and due badge.
 */
export const taskRowViewSchema = taskViewSchema
  .pick({
    id: true,
    orgId: true,
    orgName: true,
    kind: true,
    title: true,
    formId: true,
    assigneeUserId: true,
    candidateRole: true,
    claimedBy: true,
    status: true,
    priority: true,
    dueAt: true,
    createdAt: true,
    requestedBy: true,
    workflow: true,
    closedReason: true,
    subject: true,
    badge: true,
    version: true,
  })
  .extend({
    result: z
      .object({
        completedBy: z.string(),
        completedByName: z.string().optional(),
        completedAt: dateTimeSchema,
        onBehalfOf: z.string().optional(),
      })
      .optional(),
  })

/** A row of `GET /api/tasks`. */
export type TaskRowView = z.infer<typeof taskRowViewSchema>

/** `GET /api/tasks`: one page of the inbox. */
export const taskListSchema = z.object({
  items: z.array(taskRowViewSchema),
  /** Tasks in the view (with its filters). */
  total: z.number().int(),
  /** Present when there is a next page. */
  cursor: z.string().optional(),
})

/** `GET /api/tasks`. */
export type TaskList = z.infer<typeof taskListSchema>

/**
 * `GET /api/tasks/:id`: the task, its form definition (interpreted by `functions/domain/forms`)
 * with the catalogues its questions name, and whether the person may work on it.
 */
export const taskDetailSchema = z.object({
  task: taskViewSchema,
  form: z.looseObject({ id: z.string(), pages: z.array(z.looseObject({})) }),
  catalogues: z.record(z.string(), z.unknown()),
  mayWork: z.boolean(),
})

/** The answer of a task's actions (claim, hand back, draft, delegate, complete): the task as it is now. */
export const taskAnswerSchema = z.object({ task: taskViewSchema })

/** `POST /api/tasks/:id/draft`: when the draft was saved, and the task's version. */
export const taskDraftSavedSchema = z.object({
  savedAt: dateTimeSchema.optional(),
  version: z.number().int(),
})
