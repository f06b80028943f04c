import templatesJson from '../../workflows/reviews/templates.json' with { type: 'json' }
import { parseReviewTemplates, type ReviewTemplate } from '../domain/schedules/templates.js'

/** The actor written to the audit log for changes a review step makes. */
export const REVIEW_ACTOR = { userId: 'system:workflow', name: 'Periodic review workflow' }

let templates: ReviewTemplate[] | undefined
/** The review templates, checked once. */
export function reviewTemplates(): ReviewTemplate[] {
  templates ??= parseReviewTemplates(templatesJson)
  return templates
}
