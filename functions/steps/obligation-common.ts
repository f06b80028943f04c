/** What the obligation-assessment steps share: the task result shape the engine hands back, the actor. */
import { z } from 'zod'

/** The actor written to the audit log for changes an assessment step makes. */
export const STEP_ACTOR = { userId: 'system:workflow', name: 'Obligation assessment workflow' }

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
