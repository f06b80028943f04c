/**
 * What people read for the states of each workflow: the label maps beside the definitions
 * (`workflows/<name>.labels.json`, English and German), by the workflow's short name.
 */
import approval from '../../workflows/approval.labels.json' with { type: 'json' }
import awarenessCampaign from '../../workflows/awareness-campaign.labels.json' with { type: 'json' }
import bsiRegistration from '../../workflows/bsi-registration.labels.json' with { type: 'json' }
import certification from '../../workflows/certification.labels.json' with { type: 'json' }
import incident from '../../workflows/incident.labels.json' with { type: 'json' }
import obligationAssessment from '../../workflows/obligation-assessment.labels.json' with { type: 'json' }
import periodicReview from '../../workflows/periodic-review.labels.json' with { type: 'json' }
import questionnaire from '../../workflows/questionnaire.labels.json' with { type: 'json' }
import reindex from '../../workflows/reindex.labels.json' with { type: 'json' }
import riskTreatment from '../../workflows/risk-treatment.labels.json' with { type: 'json' }
import type { StateLabels } from '../domain/workflow-view.js'

const MAPS: Record<string, { states: StateLabels }> = {
  approval,
  'awareness-campaign': awarenessCampaign,
  'bsi-registration': bsiRegistration,
  certification,
  incident,
  'obligation-assessment': obligationAssessment,
  'periodic-review': periodicReview,
  questionnaire,
  reindex,
  'risk-treatment': riskTreatment,
}

/** The state labels of a workflow (`approval`, `risk-treatment`, …); none for an unknown one. */
export const stateLabels = (workflow: string): StateLabels => MAPS[workflow]?.states ?? {}
