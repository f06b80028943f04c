/**
 * What the obligation-assessment steps share: input parsing with named errors, the task
 * result shape the engine hands back, and errors the state machine catches by name.
 */
import { z } from 'zod'

/** The actor written to the audit log for changes an assessment step makes. */
export const STEP_ACTOR = { userId: 'system:workflow', name: 'Obligation assessment workflow' }

/** An error the state machine catches by name (`ErrorEquals: ["Obligation.InvalidAnswers"]`). */
export class ObligationStepError extends Error {
  readonly detail?: unknown
  constructor(name: 'Obligation.InvalidAnswers' | 'Obligation.NotFound', message: string, detail?: unknown) {
    super(message)
    this.name = name
    this.detail = detail
  }
}

/** Parses a step's event, throwing a validation error naming the step and each field. */
export { parseStepInput as parseEvent } from './step-input.js'

/** A human task's result as the engine passes it on (`POST /api/tasks/:id/complete`). */
export const taskResult = z.object({
  taskId: z.string().min(1),
  answers: z.record(z.string(), z.unknown()),
  computed: z.record(z.string(), z.unknown()).optional(),
  formVersion: z.number().int().positive(),
  completedBy: z.string().min(1),
  completedByName: z.string().optional(),
  completedAt: z.string().min(1),
  onBehalfOf: z.string().optional(),
})

/** A task result as parsed. */
export type TaskResult = z.infer<typeof taskResult>

/** The signature of whoever completed a task. */
export const signatureOf = (r: TaskResult) => ({
  userId: r.completedBy,
  name: r.completedByName ?? r.completedBy,
  at: r.completedAt,
})

/** Whole seconds from `now` until `at`, at least 60 (a timeout must be positive). */
export const secondsUntil = (now: Date, at: string) =>
  Math.max(60, Math.ceil((Date.parse(at) - now.getTime()) / 1000))

/** An organisation id as the store accepts it. */
export const orgIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be an organisation id')
