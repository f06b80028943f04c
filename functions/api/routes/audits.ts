/**
 * `/api/audits`: the internal audit programme (ISO/IEC 27001:2022 9.2) — the cycle with the
 * owner of each area and the coverage, the planned audits with their checklist from the SoA,
 * findings, and corrective actions (10.2) with their effectiveness check.
 *
 * Roles: the ISO plans, records findings and checks effectiveness; management and the auditor
 * read; a member sees and records only the corrective actions they own. Every id is looked up
 * in the caller's organisation (another organisation's id answers 404).
 */
import { type Context, Hono } from 'hono'
import {
  AUDIT_PROGRAMME,
  type AuditProgramme,
  actionOverdue,
  auditBody,
  auditChecklist,
  auditProblems,
  auditUpdateBody,
  auditYearPrefix,
  checkEffectiveness,
  completionProblems,
  coverage,
  effectivenessBody,
  effectivenessProblems,
  type Finding,
  findingBody,
  findingProblems,
  INTERNAL_AUDIT,
  type InternalAudit,
  implement,
  implementationBody,
  implementationProblems,
  newFinding,
  nextAuditId,
  PROGRAMME_ID,
  programmeBody,
  programmeProblems,
} from '../../domain/audits/index.js'
import { ConflictError, forbidden, notFound, validationError } from '../../domain/errors.js'
import { toIsoDate } from '../../domain/risk/calendar.js'
import { throwIfInvalid } from '../../domain/risk/fields.js'
import { certificationRecords, controlCatalogue } from '../../store/certification.js'
import type { StoredRecord } from '../../store/records.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv, Principal } from '../env.js'
import { orgPeople } from '../people.js'
import { jsonBody } from '../validate.js'

const iso = requireRole('iso')
const readers = requireRole('iso', 'management', 'auditor')
const anyone = requireRole('iso', 'management', 'auditor', 'member')

function ctxOf(c: Context<AppEnv>) {
  const p = c.get('principal')
  const deps = c.get('deps')
  return {
    p,
    deps,
    org: deps.records.forOrg(p.orgId),
    today: toIsoDate(deps.now()),
    actor: { userId: p.userId, name: p.name },
  }
}

const membersOf = async (c: Context<AppEnv>) => {
  const people = await orgPeople(c.get('deps'), c.get('principal').orgId)
  return { people, roles: new Map(people.map((x) => [x.userId, x.roles])) }
}

const actorOf = (p: Principal) => ({ userId: p.userId, name: p.name, isIso: p.roles.includes('iso') })

/** An audit in lists: no findings text, counts only. */
function auditSummary(rec: StoredRecord<InternalAudit>, today: string) {
  const a = rec.data
  const actions = a.findings.flatMap((f) => (f.correctiveAction ? [f.correctiveAction] : []))
  return {
    id: a.id,
    version: rec.version,
    title: a.title,
    plannedOn: a.plannedOn,
    areas: a.areas,
    auditorId: a.auditorId ?? null,
    auditorName: a.auditorName ?? null,
    status: a.status,
    heldOn: a.heldOn ?? null,
    findings: {
      total: a.findings.length,
      nonconformities: a.findings.filter((f) => f.type === 'nonconformity').length,
      openActions: actions.filter((x) => x.status !== 'closed').length,
      overdueActions: actions.filter((x) => actionOverdue(x, today)).length,
    },
  }
}

/** A corrective action with where it comes from (for the actions list). */
const actionLine = (a: InternalAudit, f: Finding, today: string) =>
  f.correctiveAction
    ? {
        auditId: a.id,
        auditTitle: a.title,
        findingId: f.id,
        type: f.type,
        severity: f.severity ?? null,
        area: f.area,
        reference: f.reference ?? null,
        finding: f.description,
        ...f.correctiveAction,
        overdue: actionOverdue(f.correctiveAction, today),
      }
    : null

async function loadAudit(c: Context<AppEnv>, id: string) {
  const rec = await ctxOf(c).org.get<InternalAudit>(INTERNAL_AUDIT, id)
  if (!rec) throw notFound('Internal audit')
  return rec
}

/** The programme, or a 404 telling the ISO to set it up first. */
async function requireProgramme(c: Context<AppEnv>) {
  const rec = await ctxOf(c).org.get<AuditProgramme>(AUDIT_PROGRAMME, PROGRAMME_ID)
  if (!rec)
    throw validationError({ programme: 'set up the audit programme first (PUT /api/audits/programme)' })
  return rec
}

/** Changes one finding of an audit in one conditional write; `fn` may throw to refuse. */
async function changeFinding(
  c: Context<AppEnv>,
  findingId: string,
  action: string,
  fn: (f: Finding) => Finding | undefined,
) {
  const { org, actor } = ctxOf(c)
  const id = c.req.param('id') ?? ''
  await loadAudit(c, id)
  let changed = false
  const rec = await org.mutate<InternalAudit>(
    INTERNAL_AUDIT,
    id,
    (a) => {
      const i = a.findings.findIndex((f) => f.id === findingId)
      const f = a.findings[i]
      if (!f) throw notFound('Finding')
      const next = fn(f)
      if (next) {
        a.findings[i] = next
        changed = true
      }
      return a
    },
    { actor, action },
  )
  return { rec, changed }
}

/** The sub-app mounted at `/api/audits`. */
export const audits = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/programme', readers, async (c) => {
    // Every internal audit: the programme page shows the whole history with the cycle's
    // coverage. A small register by nature (a few audits a year); paging it needs the page to page.
    const { org, today } = ctxOf(c)
    const [programme, all, { people }] = await Promise.all([
      org.get<AuditProgramme>(AUDIT_PROGRAMME, PROGRAMME_ID),
      org.all<InternalAudit>(INTERNAL_AUDIT),
      membersOf(c),
    ])
    const list = all.sort((a, b) => a.data.plannedOn.localeCompare(b.data.plannedOn))
    return c.json({
      programme: programme ? { ...programme.data, version: programme.version } : null,
      coverage: programme
        ? coverage(
            programme.data,
            list.map((r) => r.data),
          )
        : null,
      audits: list.map((r) => auditSummary(r, today)),
      people: people.filter((x) => !(x.roles.length === 1 && x.roles[0] === 'auditor')),
    })
  })
  .put('/programme', iso, async (c) => {
    const { org, actor } = ctxOf(c)
    const body = await jsonBody(c, programmeBody)
    throwIfInvalid(
      programmeProblems(body, (await membersOf(c)).roles),
      'The audit programme has invalid fields.',
    )
    const data: AuditProgramme = { cycleStart: body.cycleStart, years: body.years, owners: body.owners }
    const existing = await org.get<AuditProgramme>(AUDIT_PROGRAMME, PROGRAMME_ID)
    if (!existing) {
      const rec = await org.create(AUDIT_PROGRAMME, PROGRAMME_ID, data, { actor })
      return c.json({ ...rec.data, version: rec.version }, 201)
    }
    if (body.version === undefined) throw validationError({ version: 'give the version you saw' })
    const rec = await org.update(AUDIT_PROGRAMME, PROGRAMME_ID, data, {
      actor,
      expectedVersion: body.version,
    })
    return c.json({ ...rec.data, version: rec.version })
  })
  .get('/actions', anyone, async (c) => {
    const { p, org, today } = ctxOf(c)
    // The corrective actions live inside their audits (a few audits a year, see `/programme`).
    const all = await org.all<InternalAudit>(INTERNAL_AUDIT)
    const readsAll = p.roles.some((r) => r === 'iso' || r === 'management' || r === 'auditor')
    const items = all
      .flatMap((r) => r.data.findings.map((f) => actionLine(r.data, f, today)))
      .filter((x) => x !== null)
      .filter((x) => readsAll || x.ownerId === p.userId)
      .sort(
        (a, b) =>
          Number(a.status === 'closed') - Number(b.status === 'closed') || a.dueOn.localeCompare(b.dueOn),
      )
    return c.json({ items })
  })
  .post('/', iso, async (c) => {
    const { org, actor } = ctxOf(c)
    const programme = await requireProgramme(c)
    const body = await jsonBody(c, auditBody)
    throwIfInvalid(
      auditProblems(body, { programme: programme.data, members: (await membersOf(c)).roles }),
      'The audit has invalid fields.',
    )
    // The audits of the planned year only (ids `IA-<year>-<n>`, a key condition): where the
    // next id is found, and the same request made twice (same title and date, same year).
    const all = await org.all<InternalAudit>(INTERNAL_AUDIT, {
      idPrefix: auditYearPrefix(Number(body.plannedOn.slice(0, 4))),
    })
    // The same request twice plans one audit.
    const same = all.find(
      (r) =>
        r.data.status !== 'cancelled' && r.data.title === body.title && r.data.plannedOn === body.plannedOn,
    )
    if (same) return c.json(auditSummary(same, ctxOf(c).today), 200)
    const taken = new Set(all.map((r) => r.id))
    for (let attempt = 0; ; attempt++) {
      const id = nextAuditId(Number(body.plannedOn.slice(0, 4)), taken)
      const data: InternalAudit = {
        id,
        title: body.title,
        plannedOn: body.plannedOn,
        areas: body.areas,
        ...(body.auditorId ? { auditorId: body.auditorId } : {}),
        ...(body.auditorName ? { auditorName: body.auditorName } : {}),
        status: 'planned',
        findings: [],
      }
      try {
        const rec = await org.create(INTERNAL_AUDIT, id, data, { actor, action: 'internal-audit.plan' })
        return c.json(auditSummary(rec, ctxOf(c).today), 201)
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt > 20) throw err
        taken.add(id)
      }
    }
  })
  .get('/:id', readers, async (c) => {
    const { p, deps, today } = ctxOf(c)
    const rec = await loadAudit(c, c.req.param('id'))
    const recs = certificationRecords(deps.records.forOrg(p.orgId))
    const project = (await recs.projects()).find((x) => x.data.standard === 'iso27001')
    let controls = null
    if (project) {
      const catalogue = controlCatalogue(project.data)
      const soa = new Map((await recs.soa(project.id)).map((r) => [r.data.controlId, r.data]))
      controls = catalogue.controls.map((x) => {
        const e = soa.get(x.id)
        return {
          controlId: x.id,
          theme: x.theme,
          title: x.title,
          applicable: e?.applicable ?? true,
          status: e?.status ?? 'undecided',
          ...(e?.ownerId ? { ownerId: e.ownerId } : {}),
          ...(e?.justification ? { justification: e.justification } : {}),
        }
      })
    }
    const { people } = await membersOf(c)
    return c.json({
      audit: {
        ...auditSummary(rec, today),
        summary: rec.data.summary ?? null,
        completedBy: rec.data.completedBy ?? null,
      },
      findings: rec.data.findings.map((f) => ({
        ...f,
        correctiveAction: f.correctiveAction
          ? { ...f.correctiveAction, overdue: actionOverdue(f.correctiveAction, today) }
          : null,
      })),
      checklist: auditChecklist(rec.data.areas, controls),
      soaProject: project ? { id: project.id, title: project.data.title } : null,
      people: people.map((x) => ({ userId: x.userId, name: x.name, roles: x.roles })),
    })
  })
  .patch('/:id', iso, async (c) => {
    const { p, org, actor, today } = ctxOf(c)
    const body = await jsonBody(c, auditUpdateBody)
    const rec = await loadAudit(c, c.req.param('id'))
    throwIfInvalid(completionProblems(rec.data, body, today), 'The audit cannot be recorded like this.')
    const next: InternalAudit = {
      ...rec.data,
      status: body.status,
      ...(body.heldOn ? { heldOn: body.heldOn } : {}),
      ...(body.summary ? { summary: body.summary } : {}),
      completedBy: p.userId,
    }
    const saved = await org.update(INTERNAL_AUDIT, rec.id, next, {
      actor,
      expectedVersion: body.version,
      action: `internal-audit.${body.status}`,
    })
    return c.json(auditSummary(saved, today))
  })
  .post('/:id/findings', iso, async (c) => {
    const { p, org, actor, today } = ctxOf(c)
    const body = await jsonBody(c, findingBody)
    const rec = await loadAudit(c, c.req.param('id'))
    if (rec.data.status === 'cancelled') throw validationError({ status: 'the audit is cancelled' })
    throwIfInvalid(
      findingProblems(body, { auditAreas: rec.data.areas, members: (await membersOf(c)).roles, today }),
      'The finding has invalid fields.',
    )
    let created: Finding | undefined
    const saved = await org.mutate<InternalAudit>(
      INTERNAL_AUDIT,
      rec.id,
      (a) => {
        // The same finding twice is recorded once.
        created = a.findings.find((f) => f.description === body.description && f.area === body.area)
        if (created) return a
        const id = `F${a.findings.length + 1}`
        created = newFinding(body, id, p.userId, today)
        a.findings.push(created)
        return a
      },
      { actor, action: 'internal-audit.finding' },
    )
    return c.json({ finding: created, audit: auditSummary(saved, today) }, 201)
  })
  .post('/:id/findings/:findingId/implementation', anyone, async (c) => {
    const { p, today } = ctxOf(c)
    const body = await jsonBody(c, implementationBody)
    const who = actorOf(p)
    // A member who owns no action here learns nothing about the audit.
    const audit = await loadAudit(c, c.req.param('id'))
    const target = audit.data.findings.find((f) => f.id === c.req.param('findingId'))
    if (!target?.correctiveAction || (!who.isIso && target.correctiveAction.ownerId !== p.userId))
      throw notFound('Corrective action')
    const { rec } = await changeFinding(c, target.id, 'internal-audit.action-implemented', (f) => {
      const ca = f.correctiveAction
      if (!ca) throw notFound('Corrective action')
      const same = ca.implementation?.actionTaken === body.actionTaken && ca.implementation.by === p.userId
      if (ca.status === 'implemented' && same) return undefined
      const problems = implementationProblems(ca, who)
      if (problems.forbidden) throw forbidden(problems.forbidden)
      throwIfInvalid(problems.fields)
      return { ...f, correctiveAction: implement(ca, body, who, today) }
    })
    return c.json({ finding: rec.data.findings.find((f) => f.id === target.id) })
  })
  .post('/:id/findings/:findingId/effectiveness', iso, async (c) => {
    const { p, today } = ctxOf(c)
    const body = await jsonBody(c, effectivenessBody)
    const who = actorOf(p)
    const findingId = c.req.param('findingId')
    const { rec } = await changeFinding(c, findingId, 'internal-audit.action-checked', (f) => {
      const ca = f.correctiveAction
      if (!ca) throw notFound('Corrective action')
      const last = ca.checks.at(-1)
      if (last && last.by === p.userId && last.note === body.note && last.effective === body.effective)
        return undefined
      const problems = effectivenessProblems(ca, body, who, today)
      if (problems.forbidden) throw forbidden(problems.forbidden)
      throwIfInvalid(problems.fields)
      return { ...f, correctiveAction: checkEffectiveness(ca, body, who, today) }
    })
    return c.json({ finding: rec.data.findings.find((f) => f.id === findingId) })
  })
