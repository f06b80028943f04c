/**
 * `/api/bsi-registration`: the organisation's registration with the BSI (§ 33 BSIG, § 34 BSIG
 * for certain digital entity types). The ISO, management and auditors read it; the ISO keeps
 * its details current — a change after the registration opens an update task (the one
 * `syncRegistration` the obligation workflow uses too). Each organisation sees only its own.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { conflict } from '../../domain/errors.js'
import {
  DETAIL_FIELDS,
  REGISTRATION_ID,
  REGISTRATION_RECORD,
  type RegistrationData,
  registrationStatusText,
} from '../../domain/registration/index.js'
import { isOpen } from '../../domain/tasks.js'
import { syncRegistration } from '../../steps/bsi-registration-sync.js'
import type { StoredRecord } from '../../store/records.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv, Deps } from '../env.js'
import { jsonBody } from '../validate.js'

const line = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional()

/** Body of `PUT /api/bsi-registration/details`: the data the ISO keeps for the BSI. */
export const detailsBody = z.strictObject({
  name: line(200),
  legalForm: line(200),
  address: line(1000),
  contacts: line(2000),
  memberStates: line(500),
  ipRanges: line(4000),
  mainEstablishment: line(2000),
})

/** The registration as the API answers it, with the open task of its round (if any). */
export async function registrationView(
  deps: Deps,
  orgId: string,
  rec: StoredRecord<RegistrationData> | undefined,
) {
  if (!rec) return null
  const d = rec.data
  const task = (await deps.taskStore.forSubject(orgId, REGISTRATION_RECORD, REGISTRATION_ID)).find((t) =>
    isOpen(t.data),
  )
  return {
    status: d.status,
    statusText: registrationStatusText(d),
    firstCoveredAt: d.firstCoveredAt,
    dueAt: d.dueAt,
    overdue: (d.status === 'open' || d.status === 'update-due') && Date.parse(d.dueAt) < deps.now().getTime(),
    category: d.facts.category,
    categoryTerm: d.facts.categoryTerm,
    activities: d.facts.activities,
    section34: d.facts.section34,
    decisionId: d.facts.decisionId,
    details: d.details,
    round: d.round,
    updateReason: d.updateReason,
    closedAt: d.closedAt,
    closedReason: d.closedReason,
    submissions: d.submissions.map(({ fingerprint: _f, ...s }) => s),
    taskId: task?.id,
    version: rec.version,
  }
}

export const bsiRegistration = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', requireRole('iso', 'management', 'auditor'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await deps.records.forOrg(p.orgId).get<RegistrationData>(REGISTRATION_RECORD, REGISTRATION_ID)
    return c.json({ registration: await registrationView(deps, p.orgId, rec) })
  })
  .put('/details', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const body = await jsonBody(c, detailsBody)
    const org = deps.records.forOrg(p.orgId)
    const rec = await org.get<RegistrationData>(REGISTRATION_RECORD, REGISTRATION_ID)
    if (!rec || rec.data.status === 'closed')
      throw conflict(
        'No registration with the BSI is due: the current obligation decision does not find the organisation essential or important (§ 33 BSIG).',
        { registration: 'is not due' },
      )
    const details = Object.fromEntries(DETAIL_FIELDS.map((k) => [k, body[k] ?? rec.data.details[k]]))
    const out = await syncRegistration(deps, p.orgId, { details }, { userId: p.userId, name: p.name })
    return c.json({
      action: out.action,
      registration: await registrationView(deps, p.orgId, out.registration),
    })
  })
