/**
 * The context of the organisation behind `/api/context`: interested parties (4.2), context
 * issues (4.1) and the climate decision (Amd 1:2024). The ISO keeps them; management and
 * auditors read everything; a member reads the parties they own.
 */
import type { z } from 'zod'
import type {
  ClimateDecision,
  ContextIssue,
  climateBody,
  InterestedParty,
  issueBody,
  partyBody,
} from '../../../domain/context/index.js'
import { ConflictError, notFound, validationError } from '../../../domain/errors.js'
import {
  CLIMATE,
  CLIMATE_ID,
  ISSUE,
  type IssueRecord,
  issueId,
  issueIndex,
  issuePage,
  PARTY,
  type PartyRecord,
  partyId,
  partyIndex,
  partyPage,
} from '../../../store/context.js'
import type { Deps, Principal } from '../../env.js'
import { orgPeople } from '../../people.js'
import { oversees } from '../workflows/executions.js'

const conflictName = (err: unknown, field: string, message: string) =>
  err instanceof ConflictError ? validationError({ [field]: message }) : err

const partyView = (r: PartyRecord) => ({ id: r.id, version: r.version, updatedAt: r.updatedAt, ...r.data })
const issueView = (r: IssueRecord) => ({ id: r.id, version: r.version, updatedAt: r.updatedAt, ...r.data })

async function ownerName(deps: Deps, p: Principal, userId: string) {
  const person = (await orgPeople(deps, p.orgId)).find((x) => x.userId === userId)
  if (!person) throw validationError({ ownerUserId: 'is not a member of this organisation' })
  return person.name
}

/** One page of the parties (a member: the ones they own). */
export async function listParties(deps: Deps, p: Principal, cursor?: string) {
  const page = await partyPage(deps.records.forOrg(p.orgId), { cursor })
  const mine = oversees(p) ? page.items : page.items.filter((r) => r.data.ownerUserId === p.userId)
  return { items: mine.map(partyView), ...(page.cursor ? { cursor: page.cursor } : {}) }
}

export async function getParty(deps: Deps, p: Principal, id: string) {
  const rec = await deps.records.forOrg(p.orgId).get<InterestedParty>(PARTY, id)
  if (!rec || (!oversees(p) && rec.data.ownerUserId !== p.userId)) throw notFound('Interested party')
  return partyView(rec)
}

/** Adds a party; the same name twice is refused at the name (a retry finds the first). */
export async function createParty(deps: Deps, p: Principal, body: z.infer<typeof partyBody>) {
  const data: InterestedParty = { ...body, ownerName: await ownerName(deps, p, body.ownerUserId) }
  const id = partyId(body.name)
  const org = deps.records.forOrg(p.orgId)
  const rec = await org
    .create<InterestedParty>(PARTY, id, data, {
      actor: p,
      action: 'party.create',
      index: partyIndex(p.orgId, body.name, id),
    })
    .catch((err) => {
      throw conflictName(err, 'name', 'is already in the register')
    })
  return partyView(rec)
}

export async function updateParty(
  deps: Deps,
  p: Principal,
  id: string,
  body: z.infer<typeof partyBody> & { version: number },
) {
  const org = deps.records.forOrg(p.orgId)
  const current = await org.get<InterestedParty>(PARTY, id)
  if (!current) throw notFound('Interested party')
  const { version, ...rest } = body
  const data: InterestedParty = { ...rest, ownerName: await ownerName(deps, p, rest.ownerUserId) }
  const rec = await org.update<InterestedParty>(PARTY, id, data, {
    actor: p,
    action: 'party.update',
    expectedVersion: version,
    index: partyIndex(p.orgId, rest.name, id),
  })
  return partyView(rec)
}

export async function deleteParty(deps: Deps, p: Principal, id: string) {
  const org = deps.records.forOrg(p.orgId)
  if (!(await org.get(PARTY, id))) throw notFound('Interested party')
  await org.remove(PARTY, id, { actor: p, action: 'party.delete' })
}

/** One page of the issues (ISO, management, auditors). */
export async function listIssues(deps: Deps, p: Principal, cursor?: string) {
  const page = await issuePage(deps.records.forOrg(p.orgId), { cursor })
  return { items: page.items.map(issueView), ...(page.cursor ? { cursor: page.cursor } : {}) }
}

export async function getIssue(deps: Deps, p: Principal, id: string) {
  const rec = await deps.records.forOrg(p.orgId).get<ContextIssue>(ISSUE, id)
  if (!rec) throw notFound('Issue')
  return issueView(rec)
}

export async function createIssue(deps: Deps, p: Principal, body: z.infer<typeof issueBody>) {
  const id = issueId(body.kind, body.title)
  const at = deps.now().toISOString()
  const rec = await deps.records
    .forOrg(p.orgId)
    .create<ContextIssue>(ISSUE, id, body, {
      actor: p,
      action: 'issue.create',
      index: issueIndex(p.orgId, body.kind, at, id),
    })
    .catch((err) => {
      throw conflictName(err, 'title', 'is already recorded')
    })
  return issueView(rec)
}

export async function updateIssue(
  deps: Deps,
  p: Principal,
  id: string,
  body: z.infer<typeof issueBody> & { version: number },
) {
  const org = deps.records.forOrg(p.orgId)
  const current = await org.get<ContextIssue>(ISSUE, id)
  if (!current) throw notFound('Issue')
  const { version, ...data } = body
  const rec = await org.update<ContextIssue>(ISSUE, id, data, {
    actor: p,
    action: 'issue.update',
    expectedVersion: version,
    index: issueIndex(p.orgId, data.kind, current.createdAt, id),
  })
  return issueView(rec)
}

export async function deleteIssue(deps: Deps, p: Principal, id: string) {
  const org = deps.records.forOrg(p.orgId)
  if (!(await org.get(ISSUE, id))) throw notFound('Issue')
  await org.remove(ISSUE, id, { actor: p, action: 'issue.delete' })
}

export async function getClimate(deps: Deps, p: Principal) {
  const rec = await deps.records.forOrg(p.orgId).get<ClimateDecision>(CLIMATE, CLIMATE_ID)
  return rec ? { ...rec.data, version: rec.version } : null
}

/** Records the climate decision (a retry of the same decision changes nothing). */
export async function setClimate(deps: Deps, p: Principal, body: z.infer<typeof climateBody>) {
  const org = deps.records.forOrg(p.orgId)
  const current = await org.get<ClimateDecision>(CLIMATE, CLIMATE_ID)
  if (current && current.data.relevant === body.relevant && current.data.reasoning === body.reasoning)
    return { ...current.data, version: current.version }
  const data: ClimateDecision = {
    ...body,
    decidedOn: deps.now().toISOString().slice(0, 10),
    decidedBy: p.userId,
    decidedByName: p.name,
  }
  const rec = current
    ? await org.update<ClimateDecision>(CLIMATE, CLIMATE_ID, data, {
        actor: p,
        action: 'climate.decide',
        expectedVersion: current.version,
      })
    : await org.create<ClimateDecision>(CLIMATE, CLIMATE_ID, data, { actor: p, action: 'climate.decide' })
  return { ...rec.data, version: rec.version }
}
