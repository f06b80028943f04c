/** The review templates (`workflows/reviews/templates.json`), checked once, for the API. */
import templatesJson from '../../../../workflows/reviews/templates.json' with { type: 'json' }
import { parseReviewTemplates, type ReviewTemplate } from '../../../domain/schedules/templates.js'

let cached: ReviewTemplate[] | undefined

/** The templates in file order. */
export function reviewTemplates(): ReviewTemplate[] {
  cached ??= parseReviewTemplates(templatesJson)
  return cached
}
