import {
  ASSESSMENT_WORKFLOW,
  addMonthsIso,
  applyReview,
  DECISION_RECORD,
  type DecisionRecord,
  decisionTitle,
  followUpsFor,
  outcomeOf,
  REASSESS_AFTER_MONTHS,
  summaryLine,
} from '../../../../functions/domain/assessments/index.js'
import { evaluateForm, type FormRegistry } from '../../../../functions/domain/forms/index.js'
import {
  answersToProfile,
  evaluateObligations,
  QUESTIONNAIRE_FORM_ID,
} from '../../../../functions/domain/obligations/index.js'
import { formCatalogues, obligationCatalogue } from '../../../../functions/forms/catalogues.js'
import { isMissingExecution } from '../../../../functions/workflow-client.js'
import type { SeedContext, SeedStep } from '../types.js'

const DAY = 86_400_000
const ISO = { userId: 'demo-iso', name: 'Ines Sommer' }
const MANAGEMENT = { userId: 'demo-management', name: 'Martin Brandt' }
const MEMBER = { userId: 'demo-member', name: 'Mia Keller' }

/**
 * Nordlicht's answers to the obligation questionnaire last year: a machine builder
 * (C28) that also makes vehicle parts (C29), about 180 staff, no group, strictly
 * confidential OEM drawings, 40 people handling personal data.
 */
export const NORDLICHT_ANSWERS = {
  sectors: ['manufacturing'],
  actManufacturing: ['manufacturing.machinery', 'manufacturing.vehicles'],
  hasNegligible: 'no',
  employees: 182,
  annualTurnover: 41_500_000,
  balanceSheet: 27_800_000,
  linkedExists: 'no',
  partnerExists: 'no',
  publicAdministration: 'no',
  personsProcessing: 40,
  otherPublicBody: 'no',
  monitoring: 'no',
  specialCategories: 'no',
  dpia: 'no',
  commercialTransfer: 'no',
  automotiveBusiness: 'yes',
  autoConfidentiality: 'strictly-confidential',
  autoAvailability: 'high',
  autoPrototypes: 'no',
  autoPersonalData: 'no',
}

/** Days before the demo's start when last year's decision was acknowledged. */
const DECIDED_DAYS_AGO = 340

const at = (base: number, days: number) => new Date(base + days * DAY).toISOString()

/** Last year's decision of Nordlicht as the workflow would have recorded it. */
async function lastYearsDecision(now: Date, forms: FormRegistry) {
  const decided = now.getTime() - DECIDED_DAYS_AGO * DAY
  const definition = forms.require(QUESTIONNAIRE_FORM_ID)
  const filled = await evaluateForm(definition, NORDLICHT_ANSWERS, { catalogues: formCatalogues() })
  if (!filled.valid)
    throw new Error(`seed: Nordlicht's questionnaire answers are invalid: ${JSON.stringify(filled.errors)}`)
  const profile = answersToProfile(filled.cleanedAnswers)
  const evaluated = evaluateObligations(profile, obligationCatalogue())
  const reviewed = applyReview({
    profile,
    evaluated,
    answers: { outcome: 'confirm' },
    catalogue: obligationCatalogue(),
  })
  if (reviewed.status !== 'ok') throw new Error('seed: the review of Nordlicht’s decision did not pass')
  const decidedAt = at(decided, 0)
  const outcome = outcomeOf(reviewed.decision)
  const followUps = followUpsFor(reviewed.decision, decidedAt).map((f) => {
    const done = (by: typeof ISO, days: number, note: string) => ({
      ...f,
      status: 'done' as const,
      completed: { ...by, at: at(decided, days), note },
    })
    if (f.id === 'incident-reporting')
      return done(
        ISO,
        26,
        'Reporting procedure ISMS-PR-04 with 24 h / 72 h / 1 month deadlines; on-call rota set up.',
      )
    if (f.id === 'management-duties')
      return done(MANAGEMENT, 73, 'Management board attended the NIS2 training for managing directors (4 h).')
    if (f.id === 'dpo-appointment')
      return done(
        MANAGEMENT,
        18,
        'External DPO appointed (Datenschutz Nord GmbH); notified to the supervisory authority.',
      )
    return f
  })
  const data: DecisionRecord = {
    title: decisionTitle(1, decidedAt),
    summary: summaryLine(outcome),
    sequence: 1,
    decidedAt,
    rulesVersion: reviewed.decision.basis.rulesVersion,
    execution: { arn: '', name: '' },
    previousDecisionId: null,
    inputs: {
      formId: QUESTIONNAIRE_FORM_ID,
      formVersion: definition.version,
      answers: filled.cleanedAnswers,
      filledBy: { ...MEMBER, at: at(decided, -9) },
    },
    profile,
    evaluated,
    decision: reviewed.decision,
    outcome,
    judgements: reviewed.judgements,
    adjustments: reviewed.adjustments,
    review: {
      outcome: 'confirm',
      comment:
        'Both activities (C28 machinery, C29 vehicle parts) are core business; figures from the 2024 annual accounts.',
      by: { ...ISO, at: at(decided, -4) },
    },
    acknowledgement: {
      typedName: MANAGEMENT.name,
      statement: {
        en: 'Acknowledged on behalf of the management, including the duties of §38 BSIG.',
        de: 'Für die Geschäftsleitung zur Kenntnis genommen, einschließlich der Pflichten nach §38 BSIG.',
      },
      by: { ...MANAGEMENT, at: decidedAt },
    },
    changes: null,
    followUps,
    reassessAt: addMonthsIso(decidedAt, REASSESS_AFTER_MONTHS),
  }
  return data
}

/** Nordlicht's record of last year's decision, written once (none when it has any decision). */
async function writeLastYearsDecision({ deps, actor }: SeedContext, arn: string) {
  const org = deps.records.forOrg('nordlicht')
  const decisions = await org.all<DecisionRecord>(DECISION_RECORD)
  const rec = decisions.find((r) => r.id.startsWith('nordlicht-oa-seed-'))
  if (rec || decisions.length > 0) return { rec, created: 0 }
  const data = await lastYearsDecision(deps.now(), await deps.forms())
  const name = `nordlicht-oa-seed-${data.decidedAt.slice(0, 10).replaceAll('-', '')}`
  data.execution = { arn: `${arn.replace(':stateMachine:', ':execution:')}:${name}`, name }
  const created = await org.create<DecisionRecord>(DECISION_RECORD, name, data, {
    actor,
    action: 'obligation-decision.record',
  })
  return { rec: created, created: 1 }
}

/**
 * Seed step: Nordlicht's obligation decision from last year (wichtige Einrichtung, TISAX AL3,
 * DPO required) with its follow-ups (four done, two open), run by the assessment workflow
 * from its follow-ups on: the open follow-ups become tasks and, the 11 months being over,
 * this year's re-assessment opens pre-filled in the ISO's inbox. Without a reachable engine
 * (in-process API tests) it writes nothing.
 */
export const obligations: SeedStep = {
  name: 'obligations',
  async run(ctx) {
    const { deps, log } = ctx
    const arn = deps.workflows.machineArn(ASSESSMENT_WORKFLOW)
    try {
      await deps.workflows.definition(arn)
    } catch (err) {
      log(`seed: obligations skipped, the workflow engine is not reachable (${(err as Error).name})`)
      return 0
    }
    const { rec, created } = await writeLastYearsDecision(ctx, arn)
    if (!rec) return created
    try {
      await deps.workflows.describe(rec.data.execution.arn)
      return created
    } catch (err) {
      if (!isMissingExecution(err)) throw err
    }
    await deps.workflows.start(ASSESSMENT_WORKFLOW, { orgId: 'nordlicht', adoptDecisionId: rec.id }, rec.id)
    return created + 1
  },
}

/**
 * Seed step for tests: Nordlicht's decision of last year only (its reporting regime: NIS2,
 * important entity), without the assessment workflow, its follow-up tasks and their timers.
 */
export const obligationDecisionOnly: SeedStep = {
  name: 'obligation-decision',
  async run(ctx) {
    return (await writeLastYearsDecision(ctx, ctx.deps.workflows.machineArn(ASSESSMENT_WORKFLOW))).created
  },
}
