import { z } from 'zod'
import type { ObligationDecision } from './decision.js'

const text = z.looseObject({ en: z.string(), de: z.string() })
const part = z.looseObject({})

/**
 * The parts every decision of the rules has (`evaluateObligations`), each of its kind. A
 * decision in workflow state was made by the rules and is only carried by the state machine,
 * so its parts are checked by kind, not field by field.
 */
const decisionParts = z.looseObject({
  basis: z.looseObject({ rulesVersion: z.string(), law: text }),
  activitiesCounted: z.array(z.string()),
  nis2: z.looseObject({ category: z.string() }),
  kritis: part,
  dpo: part,
  tisax: part,
  iso27001: part,
  informationSecurityOfficer: part,
  size: part,
  duties: z.array(part),
  judgements: z.array(z.looseObject({ id: z.string() })),
  missingFacts: z.array(part),
})

/** An obligation decision as a workflow passes it between steps. */
export const obligationDecisionSchema = z.custom<ObligationDecision>(
  (value) => decisionParts.safeParse(value).success,
  'must be an obligation decision',
)
