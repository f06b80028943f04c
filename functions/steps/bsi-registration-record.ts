/**
 * The `bsi-registration` workflow's own steps: `prepare` answers what the round's task shows
 * (or that nothing is due: the round was superseded, the registration closed or done), and
 * `record` keeps the submission to the BSI as evidence (when, how, the reference, the
 * evidence items, what was submitted) and marks the organisation registered.
 */
import { z } from 'zod'
import { orgIdSchema } from '../domain/org-id.js'
import {
  detailsFromAnswers,
  REGISTRATION_ID,
  REGISTRATION_RECORD,
  type RegistrationData,
  registrationFingerprint,
  registrationPrefill,
  registrationTaskTitle,
} from '../domain/registration/index.js'
import { REGISTRATION_ACTOR } from './bsi-registration-sync.js'
import { taskResult } from './obligation-common.js'
import { defineStep } from './step.js'

const base = { orgId: orgIdSchema, executionName: z.string().min(1).max(80) }

/** Input of the step, by action. */
export const registrationInput = z.discriminatedUnion('action', [
  z.strictObject({ ...base, action: z.literal('prepare') }),
  z.strictObject({ ...base, action: z.literal('record'), result: taskResult }),
])

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined)
const due = (d: RegistrationData) => d.status === 'open' || d.status === 'update-due'

/** Step handler (Lambda `ismsflow-bsi-registration-record`). */
export const handler = defineStep({
  name: 'bsi-registration-record',
  input: registrationInput,
  async run(input, deps) {
    const { records, identity } = deps
    const org = records.forOrg(input.orgId)
    const rec = await org.get<RegistrationData>(REGISTRATION_RECORD, REGISTRATION_ID)
    const current = rec && rec.data.executionName === input.executionName ? rec : undefined

    if (input.action === 'prepare') {
      if (!current || !due(current.data)) return { next: 'end' }
      const d = current.data
      const orgName = (await identity.getOrg(input.orgId))?.name ?? input.orgId
      return {
        next: 'submit',
        kind: d.status === 'update-due' ? 'bsi-registration-update' : 'bsi-registration',
        title: registrationTaskTitle(d),
        dueAt: d.dueAt,
        prefill: registrationPrefill(d, orgName),
        context: {
          category: d.facts.categoryTerm,
          firstCoveredAt: d.firstCoveredAt,
          dueAt: d.dueAt,
          decisionId: d.facts.decisionId,
          ...(d.updateReason ? { updateReason: d.updateReason } : {}),
        },
      }
    }

    // record: a superseded round's answer is kept out (its task was cancelled already).
    if (!current) return { recorded: false }
    const d = current.data
    if (!due(d) && d.submissions.some((s) => s.round === d.round)) return { recorded: true, status: d.status }
    const a = input.result.answers
    const details = { ...d.details, ...detailsFromAnswers(a) }
    const fingerprint = registrationFingerprint(d.facts, details)
    const saved = await org.update<RegistrationData>(
      REGISTRATION_RECORD,
      REGISTRATION_ID,
      {
        ...d,
        status: 'registered',
        details,
        submittedFingerprint: fingerprint,
        updateReason: undefined,
        submissions: [
          ...d.submissions,
          {
            kind: d.status === 'update-due' ? 'update' : 'registration',
            round: d.round,
            submittedOn: str(a.submittedOn) ?? input.result.completedAt.slice(0, 10),
            channel: str(a.channel) ?? 'bsi-portal',
            reference: str(a.reference) ?? '',
            evidence: Array.isArray(a.evidence) ? a.evidence : [],
            ...(str(a.note) ? { note: str(a.note) } : {}),
            by: input.result.completedBy,
            byName: input.result.completedByName,
            at: input.result.completedAt,
            fingerprint,
          },
        ],
      },
      { actor: REGISTRATION_ACTOR, action: 'bsi-registration.submitted', expectedVersion: current.version },
    )
    return { recorded: true, status: saved.data.status }
  },
})
