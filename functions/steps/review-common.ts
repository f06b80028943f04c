import templatesJson from '../../workflows/reviews/templates.json' with { type: 'json' }
import { config } from '../config.js'
import { parseReviewTemplates, type ReviewTemplate } from '../domain/schedules/templates.js'
import { createDynamoClient } from '../store/client.js'
import { createIdentity, type Identity } from '../store/identity.js'
import { createNotifications, type NotificationStore } from '../store/notifications.js'
import { type StepDeps, stepDeps } from './deps.js'

/** The actor written to the audit log for changes a review step makes. */
export const REVIEW_ACTOR = { userId: 'system:workflow', name: 'Periodic review workflow' }

/** What the review steps need beyond the common step deps. */
export interface ReviewStepDeps extends StepDeps {
  identity: Pick<Identity, 'orgMembers' | 'getUser'>
  notifications: NotificationStore
}

let extra: Pick<ReviewStepDeps, 'identity' | 'notifications'> | undefined

/** The local process shares its identity store and outbox with the review steps. */
export function setReviewStepDeps(
  deps: Pick<ReviewStepDeps, 'identity' | 'notifications'> | undefined,
): void {
  extra = deps
}

/** The review steps' dependencies (built from configuration on Lambda). */
export function reviewStepDeps(): ReviewStepDeps {
  const base = stepDeps()
  if (!extra) {
    const cfg = config()
    const { doc } = createDynamoClient(cfg)
    extra = {
      identity: createIdentity({ doc, tableName: cfg.tableName, now: base.now }),
      notifications: createNotifications(base.records, base.now),
    }
  }
  return { ...base, ...extra }
}

let templates: ReviewTemplate[] | undefined
/** The review templates, checked once. */
export function reviewTemplates(): ReviewTemplate[] {
  templates ??= parseReviewTemplates(templatesJson)
  return templates
}

/** An error the state machine catches by name (`ErrorEquals: ["Review.EntryGone"]`). */
export class ReviewStepError extends Error {
  constructor(name: 'Review.EntryGone' | 'Review.NotFound', message: string) {
    super(message)
    this.name = name
  }
}

/** Parses a step's event, throwing a validation error naming the step and each field. */
export { parseStepInput as parseEvent } from './step-input.js'
