/**
 * The one shape of a step (DESIGN.md "Inside functions/"): `defineStep({ name, input, run })`.
 * The input schema is the contract with the state machine; `run` gets the parsed input and
 * the dependencies, which are passed in — never looked up from a module the composition set.
 */
import type { z } from 'zod'
import { AppError, type ErrorCode, type FieldErrors } from '../domain/errors.js'
import { zodFields } from '../domain/zod-fields.js'
import { containerDeps, type StepDeps } from './deps.js'

/**
 * An error a step throws. Its `name` is Lambda's error type, the name a definition catches
 * (`ErrorEquals: ["Risk.Closed"]`); a bad event is `Step.InvalidInput` with the code
 * `validation_failed` and the fields named.
 */
export class StepError extends AppError {
  /** The step that threw it (bad input only). */
  readonly step?: string
  /** Anything the catcher may want (kept out of the message). */
  readonly detail?: unknown
  constructor(
    name: `${string}.${string}`,
    message: string,
    options: {
      code?: ErrorCode
      fields?: FieldErrors
      step?: string
      detail?: unknown
      cause?: unknown
    } = {},
  ) {
    super(options.code ?? 'internal', message, { fields: options.fields, cause: options.cause })
    this.name = name
    this.step = options.step
    this.detail = options.detail
  }
}

/** Parses a step's event with its schema, or throws `Step.InvalidInput` naming the step and each field. */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown, step: string): z.output<S> {
  const parsed = schema.safeParse(event)
  if (parsed.success) return parsed.data
  const fields = zodFields(parsed.error)
  const list = Object.entries(fields).map(([k, v]) => `${k}: ${v}`)
  throw new StepError('Step.InvalidInput', `${step}: invalid input (${list.join('; ')})`, {
    code: 'validation_failed',
    fields,
    step,
  })
}

/** A step as `defineStep` answers it: the Lambda handler, which can also be run with given deps. */
export interface StepHandler<R> {
  /** The Lambda handler: the container's deps are built at the first invocation. */
  (event: unknown): Promise<R>
  /** The step's name (`ismsflow-<name>` on Lambda). */
  readonly stepName: string
  /** Runs the step with these deps (the local composition, tests). */
  invoke(event: unknown, deps: StepDeps): Promise<R>
}

/** What a step is made of. */
export interface StepDefinition<S extends z.ZodType, R> {
  /** The registry name (`functions/steps/registry.ts`), also in error messages. */
  name: string
  /** The event's schema: the contract with the state machine. */
  input: S
  run(input: z.output<S>, deps: StepDeps): Promise<R>
}

/**
 * Defines a step and answers its Lambda handler.
 *
 * @example
 * export const handler = defineStep({
 *   name: 'risk-freeze',
 *   input: z.strictObject({ orgId: orgIdSchema, riskId: z.string() }),
 *   async run(input, { records }) { ... },
 * })
 */
export function defineStep<S extends z.ZodType, R>(definition: StepDefinition<S, R>): StepHandler<R> {
  const invoke = async (event: unknown, deps: StepDeps) =>
    definition.run(parseEvent(definition.input, event, definition.name), deps)
  // A bad event is refused before anything is built.
  const handler = async (event: unknown) =>
    definition.run(parseEvent(definition.input, event, definition.name), containerDeps())
  return Object.assign(handler, { stepName: definition.name, invoke })
}

/** Whether a module's export is a step made by `defineStep`. */
export function isStepHandler(value: unknown): value is StepHandler<unknown> {
  return typeof value === 'function' && 'invoke' in value && typeof value.invoke === 'function'
}
