/** The actor written to the audit log for changes a risk-treatment step makes. */
export const STEP_ACTOR = { userId: 'system:workflow', name: 'Risk treatment workflow' }

/** An error the state machine can catch by name (`ErrorEquals: ["Risk.Closed"]`). */
export class RiskStepError extends Error {
  constructor(name: 'Risk.Closed' | 'Risk.NotSubmittable' | 'Risk.NotFound', message: string) {
    super(message)
    this.name = name
  }
}

/** Parses a step's event, throwing a validation error naming the step and each field. */
export { parseStepInput as parseEvent } from './step-input.js'

const DAY_MS = 86_400_000

/** `days` after `now`, as an ISO timestamp. */
export const inDays = (now: Date, days: number) => new Date(now.getTime() + days * DAY_MS).toISOString()

/** Whole seconds from `now` until `at`, at least 60 (a timeout must be positive). */
export const secondsUntil = (now: Date, at: string) =>
  Math.max(60, Math.ceil((Date.parse(at) - now.getTime()) / 1000))
