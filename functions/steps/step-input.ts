import type { z } from 'zod'
import { AppError, type FieldErrors } from '../domain/errors.js'
import { zodFields } from '../domain/zod-fields.js'

/**
 * A step's event does not match its input schema: a validation error (`validation_failed`)
 * naming the step and each field, never an HTTP answer. On Lambda its error type is
 * `Step.InvalidInput`, the name a definition could catch.
 */
export class StepInputError extends AppError {
  readonly step: string
  constructor(step: string, fields: FieldErrors) {
    const list = Object.entries(fields).map(([k, v]) => `${k}: ${v}`)
    super('validation_failed', `${step}: invalid input (${list.join('; ')})`, { fields })
    this.name = 'Step.InvalidInput'
    this.step = step
  }
}

/** Parses a step's event with its schema (the contract with the state machine), or throws `StepInputError`. */
export function parseStepInput<S extends z.ZodType>(schema: S, event: unknown, step: string): z.infer<S> {
  const parsed = schema.safeParse(event)
  if (!parsed.success) throw new StepInputError(step, zodFields(parsed.error))
  return parsed.data
}
