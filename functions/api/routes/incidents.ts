import { Hono } from 'hono'
import { z } from 'zod'
import { ConflictError, conflict, notFound, validationError } from '../../domain/errors.js'
import { toCsv } from '../../domain/export/csv.js'
import {
  applyClose,
  applySent,
  type IncidentData,
  type IncidentEvidence,
  LESSONS_RISK_CLAIM_MS,
  lessonsRiskFields,
  NIS2_KINDS,
  validateNewIncident,
} from '../../domain/incidents/index.js'
import { validateRisk } from '../../domain/risk/index.js'
import { isOpen } from '../../domain/tasks.js'
import {
  currentRegime,
  INCIDENT,
  type IncidentRecord,
  incidentId,
  incidentRegisterPage,
} from '../../store/incidents.js'
import { createRisk, loadRiskSettings } from '../../store/risk-register.js'
import { isAlreadyStarted, isClosedToken } from '../../workflow-client.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv, Deps, Principal } from '../env.js'
import { exportPages } from '../export-pages.js'
import { orgTimeZone } from '../org-time-zone.js'
import { orgPeople } from '../people.js'
import {
  announceBody,
  announceEvidence,
  confirmEvidence,
  evidenceDownload,
  evidenceLink,
} from '../subject-evidence.js'
import { completeTask, workableTask } from '../task-completion.js'
import { jsonBody, queryParams } from '../validate.js'
import { type SheetColumn, tableXlsx, XLSX_TYPE } from '../xlsx.js'
import { incidentDetail, incidentRow, maySeeIncident, readsAllIncidents } from './incidents-views.js'

type RegisterRow = ReturnType<typeof incidentRow>

/** The state machine of an incident (`workflows/incident.asl.json`). */
export const INCIDENT_WORKFLOW = 'incident'

const actorOf = (p: Principal) => ({ userId: p.userId, name: p.name })
const flag = z.enum(['true', 'false'], 'must be true or false').optional()
/** Query of `GET /api/incidents` and its CSV export. */
export const registerQuery = z.strictObject({
  open: flag,
  significant: flag,
  personalData: flag,
  year: z.coerce
    .number('must be a year')
    .int('must be a year')
    .min(2000, 'must be a year')
    .max(2100, 'must be a year')
    .optional(),
  cursor: z.string().max(2000).optional(),
  lang: z.enum(['en', 'de'], 'must be en or de').default('en'),
})
const offsetDateTime = z.iso.datetime({ offset: true, error: 'must be a date-time with a time zone' })
/** Body of `POST /api/incidents/:id/classification`. */
export const classificationBody = z.strictObject({
  significant: z.boolean('must be true or false'),
  reason: z.string().trim().min(5, 'must be at least 5 characters').max(4000).optional(),
})
/** Body of `POST /api/incidents/:id/bsi-request`. */
export const bsiRequestBody = z.strictObject({
  dueAt: offsetDateTime,
  requestedAt: offsetDateTime.optional(),
})
/** Body of `POST /api/incidents/:id/notes`. */
export const noteBody = z.strictObject({
  text: z.string('is required').trim().min(1, 'is required').max(4000, 'must be at most 4000 characters'),
})
/** Body of `POST /api/incidents/:id/close`. */
export const closeBody = z.strictObject({
  lessonsLearned: z.string('is required').trim().min(10, 'must be at least 10 characters').max(10_000),
  newRisk: z.boolean('must be true or false').optional(),
})
/** Body of `POST /api/incidents/:id/corrections`. */
export const correctionBody = z.strictObject({
  correctionOf: z.string('is required').min(1, 'is required'),
  sentAt: offsetDateTime,
  channel: z.enum(['bsi-portal', 'authority-portal', 'email', 'letter', 'other'], 'must be a known channel'),
  reference: z.string().trim().max(200).optional(),
  note: z.string('is required').trim().min(5, 'must be at least 5 characters').max(10_000),
})
/** Body of `POST /api/incidents/:id/assignees`. */
export const assigneeBody = z.strictObject({ userId: z.string('is required').min(1, 'is required') })
/** Body of `POST /api/incidents/:id/risk`: the language of the draft's texts. */
export const riskFromLessonsBody = z.strictObject({
  lang: z.enum(['en', 'de'], 'must be en or de').default('en'),
})

const HOUR = 3_600_000
const yesNo = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'yes' : 'no')

async function readable(deps: Deps, p: Principal, id: string): Promise<IncidentRecord> {
  const rec = await deps.records.forOrg(p.orgId).get<IncidentData>(INCIDENT, id)
  if (!rec || !maySeeIncident(p, rec.data)) throw notFound('Incident')
  return rec
}

const mutate = (
  deps: Deps,
  p: Principal,
  id: string,
  fn: (d: IncidentData) => IncidentData,
  action: string,
) => deps.records.forOrg(p.orgId).mutate<IncidentData>(INCIDENT, id, fn, { actor: actorOf(p), action })

/** The open workflow tasks of an incident. */
async function openTasks(deps: Deps, orgId: string, id: string) {
  return (await deps.taskStore.forSubject(orgId, INCIDENT, id)).filter((t) => isOpen(t.data))
}

/** Starts the clocks-only run (reclassification, the BSI's request) under a name that makes a repeat harmless. */
async function startClocks(deps: Deps, orgId: string, id: string, suffix: string) {
  try {
    await deps.workflows.start(
      INCIDENT_WORKFLOW,
      { orgId, incidentId: id, mode: 'clocks' },
      `${orgId}-${id}-${suffix}`.slice(0, 80),
    )
  } catch (err) {
    if (!isAlreadyStarted(err)) throw err
  }
}

/** Register rows visible to the person, with the query's filters: one full page of the index. */
async function registerPage(deps: Deps, p: Principal, q: z.infer<typeof registerQuery>) {
  const flag = (v: 'true' | 'false' | undefined) => (v === undefined ? undefined : v === 'true')
  const page = await incidentRegisterPage(
    deps.records.forOrg(p.orgId),
    { userId: p.userId, readsAll: readsAllIncidents(p) },
    {
      open: flag(q.open),
      significant: flag(q.significant),
      personalData: flag(q.personalData),
      year: q.year,
      cursor: q.cursor,
    },
  )
  const now = deps.now()
  // The streams hold only what the person may see; checked again, as every read of an incident is.
  const rows = page.items.filter((r) => maySeeIncident(p, r.data)).map((r) => incidentRow(r, now))
  return { rows, cursor: page.cursor }
}

/** The register's columns, for the CSV and the workbook alike. */
function registerColumns(lang: 'en' | 'de'): SheetColumn<RegisterRow>[] {
  const de = lang === 'de'
  const yn = (v: boolean | null) => (v === null ? '' : v ? (de ? 'ja' : 'yes') : de ? 'nein' : 'no')
  return [
    { header: 'ID', value: (r) => r.id, width: 18 },
    { header: de ? 'Titel' : 'Title', value: (r) => r.title, width: 45, wrap: true },
    { header: de ? 'Kenntnis seit' : 'Aware at', value: (r) => r.awareAt, width: 22 },
    { header: 'Status', value: (r) => r.status },
    { header: de ? 'Erheblich' : 'Significant', value: (r) => yn(r.significant) },
    {
      header: de ? 'Personenbezogene Daten' : 'Personal data breach',
      value: (r) => yn(r.personalDataBreach),
    },
    { header: de ? 'Überfällige Meldungen' : 'Overdue reports', value: (r) => r.overdue },
    {
      header: de ? 'Nächste Frist' : 'Next deadline',
      value: (r) => (r.nextDeadline ? `${r.nextDeadline.kind} ${r.nextDeadline.dueAt}` : ''),
      width: 40,
    },
    { header: de ? 'Abgeschlossen' : 'Closed at', value: (r) => r.closedAt ?? '', width: 22 },
  ]
}

/** An export of the register, in the audit log. */
const auditExport = (deps: Deps, p: Principal, note: string) =>
  deps.records
    .forOrg(p.orgId)
    .audit({ actor: actorOf(p), action: 'incident.export', type: INCIDENT, id: 'register', note })

/** The evidence store's subject of an incident's files. */
const evidenceSubject = (id: string) => ({ type: INCIDENT, id })

/** A file the incident lists (404 otherwise). */
function incidentFile(rec: IncidentRecord, fileId: string): string {
  if (!(rec.data.evidence ?? []).some((e) => e.fileId === fileId)) throw notFound('File')
  return fileId
}

/**
 * The draft risk of a closed incident's lessons learned (`POST /:id/risk`): made once. The
 * incident is first marked `creating` by a write conditional on its version (of two requests
 * one wins; the other answers 409), then the risk is created in the register with its link
 * back, then the incident keeps the risk's id. A repeat answers the same risk.
 */
async function riskFromLessons(
  deps: Deps,
  p: Principal,
  rec: IncidentRecord,
  lang: 'en' | 'de',
): Promise<{ status: 200 | 201; body: { riskId: string; incident: ReturnType<typeof incidentDetail> } }> {
  const org = deps.records.forOrg(p.orgId)
  const done = (r: IncidentRecord, riskId: string, status: 200 | 201) => ({
    status,
    body: { riskId, incident: incidentDetail(r, deps.now()) },
  })
  if (rec.data.lessonsRisk?.riskId) return done(rec, rec.data.lessonsRisk.riskId, 200)
  if (!rec.data.closedAt || !rec.data.lessonsLearned)
    throw conflict('Close the incident with its lessons learned first.', {
      lessonsLearned: 'is not recorded yet',
    })
  const now = deps.now()
  const creating = rec.data.lessonsRisk?.creating
  if (creating && now.getTime() - Date.parse(creating) < LESSONS_RISK_CLAIM_MS)
    throw conflict('The risk is being created; reload the page in a moment.')
  const at = now.toISOString()
  let claimed: IncidentRecord
  try {
    claimed = await org.update<IncidentData>(
      INCIDENT,
      rec.id,
      { ...rec.data, lessonsRisk: { creating: at, at, by: p.userId } },
      { actor: actorOf(p), action: 'incident.risk-creating', expectedVersion: rec.version },
    )
  } catch (err) {
    if (err instanceof ConflictError)
      throw conflict('The risk is being created; reload the page in a moment.')
    throw err
  }
  const { settings } = await loadRiskSettings(org)
  const fields = validateRisk(
    lessonsRiskFields(rec.data, rec.id, {
      ownerId: p.userId,
      scale: { likelihood: settings.matrix.likelihood.length, impact: settings.matrix.impact.length },
      lang,
    }),
    settings.matrix,
  )
  const risk = await createRisk(
    org,
    { ...fields, fromIncident: { id: rec.id, title: rec.data.title } },
    actorOf(p),
  )
  const saved = await org.update<IncidentData>(
    INCIDENT,
    rec.id,
    {
      ...claimed.data,
      lessonsRisk: { riskId: risk.id, at, by: p.userId },
      timeline: [
        ...claimed.data.timeline,
        { at, what: 'risk-created', by: p.userId, byName: p.name, text: risk.id },
      ],
    },
    { actor: actorOf(p), action: 'incident.risk-created', expectedVersion: claimed.version },
  )
  return done(saved, risk.id, 201)
}

/**
 * `/api/incidents`: report an incident (any member; starts the `incident` workflow), the register
 * (one page of the index, filters open, significant, personal data, year; CSV), one incident with
 * its deadlines, timeline, reports and notes, and the ISO's actions: reclassify (significant
 * starts the NIS2 clocks from the original awareness, not significant stops them), record the
 * BSI's request for an intermediate report, add a correction (a new entry; a sent report is
 * never unsent), assign people and close with lessons learned. Triage and sending are tasks of
 * the workflow, completed through `/api/tasks`.
 */
export const incidents = new Hono<AppEnv>()
  .use(requireAuth)
  .post('/', requireRole('iso', 'management', 'member'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const now = deps.now()
    const body = validateNewIncident(await jsonBody(c, z.unknown()), now)
    const org = deps.records.forOrg(p.orgId)
    const id = incidentId(p.orgId, p.userId, body.title, body.awareAt)
    const existing = await org.get<IncidentData>(INCIDENT, id)
    if (!existing) {
      const at = now.toISOString()
      const orgName = p.memberships.find((m) => m.orgId === p.orgId)?.orgName ?? p.orgId
      const data: IncidentData = {
        title: body.title,
        ...(body.description ? { description: body.description } : {}),
        ...(body.detectedBy ? { detectedBy: body.detectedBy } : {}),
        ...(body.affected ? { affected: body.affected } : {}),
        awareAt: body.awareAt,
        reportedBy: p.userId,
        reportedByName: p.name,
        reportedAt: at,
        hints: {
          ...(body.significant !== undefined ? { significant: body.significant } : {}),
          ...(body.personalDataBreach !== undefined ? { personalDataBreach: body.personalDataBreach } : {}),
        },
        classification: {
          significant: null,
          personalDataBreach:
            body.personalDataBreach === undefined ? null : body.personalDataBreach ? true : null,
          gdprRisk: null,
        },
        regime: await currentRegime(org),
        reportingEntity: { name: orgName },
        // The organisation's zone when it was reported: the calendar-month periods are counted in it.
        timeZone: await orgTimeZone(deps, p.orgId),
        reports: [],
        notes: [],
        tracked: {},
        assignees: [],
        timeline: [
          { at: body.awareAt, what: 'aware' },
          { at, what: 'reported', by: p.userId, byName: p.name },
        ],
      }
      try {
        await org.create<IncidentData>(INCIDENT, id, data, {
          actor: actorOf(p),
          action: 'incident.report',
        })
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err
      }
    }
    if (existing?.data.execution) return c.json({ id }, 200)
    // Started by name: a repeated request finds the same execution.
    const name = `${p.orgId}-${id}`.slice(0, 80)
    const triageDueAt = new Date(
      Math.max(Date.parse(body.awareAt) + 24 * HOUR, now.getTime() + HOUR),
    ).toISOString()
    const prefill = Object.fromEntries(
      Object.entries({
        significant: yesNo(body.significant),
        personalDataBreach: yesNo(body.personalDataBreach),
      }).filter(([, v]) => v),
    )
    let executionArn: string
    try {
      executionArn = (
        await deps.workflows.start(
          INCIDENT_WORKFLOW,
          { orgId: p.orgId, incidentId: id, title: body.title, triageDueAt, prefill },
          name,
        )
      ).executionArn
    } catch (err) {
      if (!isAlreadyStarted(err)) throw err
      executionArn = `${deps.workflows.machineArn(INCIDENT_WORKFLOW).replace(':stateMachine:', ':execution:')}:${name}`
    }
    const rec = await org.require<IncidentData>(INCIDENT, id, 'Incident')
    if (!rec.data.execution)
      await mutate(
        deps,
        p,
        id,
        (d) => ({ ...d, execution: d.execution ?? { arn: executionArn, name } }),
        'incident.start',
      )
    return c.json({ id }, existing ? 200 : 201)
  })
  .get('/', async (c) => {
    const p = c.get('principal')
    const q = queryParams(c, registerQuery)
    const deps = c.get('deps')
    const [{ rows, cursor }, timeZone] = await Promise.all([
      registerPage(deps, p, q),
      orgTimeZone(deps, p.orgId),
    ])
    return c.json({ items: rows, timeZone, ...(cursor ? { cursor } : {}) })
  })
  .get('/export.csv', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const q = queryParams(c, registerQuery)
    const { rows } = await exportPages((cursor) => registerPage(deps, p, { ...q, cursor }))
    const columns = registerColumns(q.lang)
    const csv = toCsv(
      rows,
      columns.map((col) => ({ header: col.header, value: col.value })),
      { delimiter: q.lang === 'de' ? ';' : ',', bom: true },
    )
    await auditExport(deps, p, `csv, ${rows.length} incidents`)
    c.header('content-type', 'text/csv; charset=utf-8')
    c.header('content-disposition', `attachment; filename="incident-register-${p.orgId}.csv"`)
    return c.body(csv)
  })
  .get('/export.xlsx', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const q = queryParams(c, registerQuery)
    const { rows } = await exportPages((cursor) => registerPage(deps, p, { ...q, cursor }))
    const orgName = p.memberships.find((m) => m.orgId === p.orgId)?.orgName ?? p.orgId
    const sheet = q.lang === 'de' ? 'Sicherheitsvorfälle' : 'Security incidents'
    const bytes = await tableXlsx(rows, registerColumns(q.lang), {
      title: `${sheet} ${orgName}`,
      sheet,
      at: deps.now(),
    })
    await auditExport(deps, p, `xlsx, ${rows.length} incidents`)
    c.header('content-type', XLSX_TYPE)
    c.header('content-disposition', `attachment; filename="incident-register-${p.orgId}.xlsx"`)
    c.header('cache-control', 'private, no-store')
    return c.body(bytes.slice().buffer)
  })
  .get('/:id', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const tasks = (await openTasks(deps, p.orgId, rec.id)).map((t) => ({
      id: t.id,
      kind: t.data.kind,
      title: t.data.title,
      dueAt: t.data.dueAt ?? null,
      candidateRole: t.data.candidateRole ?? null,
      assigneeUserId: t.data.assigneeUserId ?? null,
    }))
    return c.json({ ...incidentDetail(rec, deps.now()), openTasks: tasks })
  })
  .post('/:id/notes', requireRole('iso', 'management', 'member'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const body = await jsonBody(c, noteBody)
    const at = deps.now().toISOString()
    const saved = await mutate(
      deps,
      p,
      rec.id,
      (d) => ({
        ...d,
        notes: [...d.notes, { at, by: p.userId, byName: p.name, text: body.text }],
        timeline: [
          ...d.timeline,
          { at, what: 'note', by: p.userId, byName: p.name, text: body.text.slice(0, 200) },
        ],
      }),
      'incident.note',
    )
    return c.json(incidentDetail(saved, deps.now()), 201)
  })
  .post('/:id/assignees', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const body = await jsonBody(c, assigneeBody)
    if (!(await orgPeople(deps, p.orgId)).some((x) => x.userId === body.userId))
      throw validationError({ userId: 'is not a member of this organisation' })
    const saved = await mutate(
      deps,
      p,
      rec.id,
      (d) => (d.assignees.includes(body.userId) ? d : { ...d, assignees: [...d.assignees, body.userId] }),
      'incident.assign',
    )
    return c.json(incidentDetail(saved, deps.now()))
  })
  .post('/:id/classification', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const body = await jsonBody(c, classificationBody)
    if (!rec.data.triage) throw conflict('Triage the incident first (its task is in your inbox).')
    if (!body.significant && !body.reason) throw validationError({ reason: 'is required to stop the clocks' })
    if (rec.data.classification.significant === body.significant)
      return c.json(incidentDetail(rec, deps.now()))
    const at = deps.now().toISOString()
    const saved = await mutate(
      deps,
      p,
      rec.id,
      (d) => ({
        ...d,
        classification: {
          ...d.classification,
          significant: body.significant,
          classifiedAt: at,
          ...(body.significant ? { notSignificantReason: undefined } : { notSignificantReason: body.reason }),
        },
        timeline: [
          ...d.timeline,
          {
            at,
            what: 'reclassified',
            by: p.userId,
            byName: p.name,
            text: `${body.significant ? 'significant' : 'not significant'}${body.reason ? `: ${body.reason}` : ''}`,
          },
        ],
      }),
      'incident.reclassify',
    )
    if (body.significant) await startClocks(deps, p.orgId, rec.id, `r${saved.version}`)
    else {
      // The stopped clocks' report tasks end: the workflow catches Clock.Stopped.
      const stopped = new Set<string>(
        [...NIS2_KINDS, 'dora-initial', 'dora-intermediate', 'dora-final'].map((k) => `incident-${k}`),
      )
      for (const t of await openTasks(deps, p.orgId, rec.id)) {
        if (!stopped.has(t.data.kind)) continue
        try {
          await deps.workflows.fail(
            await deps.taskStore.token(p.orgId, t.id),
            'Clock.Stopped',
            body.reason ?? 'not significant',
          )
        } catch (err) {
          if (!isClosedToken(err)) throw err
        }
        await deps.taskStore
          .transition(
            t,
            { status: 'cancelled', closedReason: `Not significant: ${body.reason}` },
            actorOf(p),
            'task.cancelled',
          )
          .catch((err) => {
            // Completed or closed meanwhile: nothing left to cancel.
            if (!(err instanceof ConflictError)) throw err
          })
      }
    }
    return c.json(incidentDetail(saved, deps.now()))
  })
  .post('/:id/bsi-request', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const body = await jsonBody(c, bsiRequestBody)
    const now = deps.now()
    const requestedAt = body.requestedAt ? new Date(body.requestedAt).toISOString() : now.toISOString()
    if (Date.parse(body.dueAt) <= Date.parse(requestedAt))
      throw validationError({ dueAt: 'must be after the request' })
    if (rec.data.bsiRequest) throw conflict('The BSI request is already recorded.')
    const saved = await mutate(
      deps,
      p,
      rec.id,
      (d) => ({
        ...d,
        bsiRequest: { requestedAt, dueAt: new Date(body.dueAt).toISOString(), by: p.userId },
        timeline: [...d.timeline, { at: requestedAt, what: 'bsi-request', by: p.userId, byName: p.name }],
      }),
      'incident.bsi-request',
    )
    await startClocks(deps, p.orgId, rec.id, 'bsi')
    return c.json(incidentDetail(saved, deps.now()), 201)
  })
  .post('/:id/corrections', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const body = await jsonBody(c, correctionBody)
    const original = rec.data.reports.find((r) => r.id === body.correctionOf)
    if (!original) throw validationError({ correctionOf: 'is not a report of this incident' })
    const at = deps.now().toISOString()
    const saved = await mutate(
      deps,
      p,
      rec.id,
      (d) =>
        applySent(
          d,
          {
            kind: original.kind,
            sentAt: new Date(body.sentAt).toISOString(),
            channel: body.channel,
            ...(body.reference ? { reference: body.reference } : {}),
            note: body.note,
            correctionOf: original.id,
          },
          { by: p.userId, byName: p.name, at },
        ),
      'incident.correction',
    )
    return c.json(incidentDetail(saved, deps.now()), 201)
  })
  .post('/:id/close', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const body = await jsonBody(c, closeBody)
    if (!rec.data.triage) throw conflict('Triage the incident before closing it.')
    if (rec.data.closedAt) throw conflict(`The incident was closed at ${rec.data.closedAt}.`)
    // Waiting for its closing task: complete that (the workflow records it and goes on).
    const closing = (await openTasks(deps, p.orgId, rec.id)).find((t) => t.data.kind === 'incident-close')
    if (closing)
      await completeTask(
        deps,
        p,
        await workableTask(deps, p, closing.id),
        {
          lessonsLearned: body.lessonsLearned,
          newRisk: body.newRisk ? 'yes' : 'no',
        },
        { requestId: c.get('requestId') },
      )
    const saved = await mutate(
      deps,
      p,
      rec.id,
      (d) => applyClose(d, body, { by: p.userId, byName: p.name, at: deps.now().toISOString() }),
      'incident.close',
    )
    return c.json(incidentDetail(saved, deps.now()))
  })
  .post('/:id/risk', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const { lang } = await jsonBody(c, riskFromLessonsBody)
    const out = await riskFromLessons(deps, p, rec, lang)
    return c.json(out.body, out.status)
  })
  .post('/:id/evidence/uploads', requireRole('iso', 'management', 'member'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const body = await jsonBody(c, announceBody)
    return c.json(await announceEvidence(deps, p.orgId, evidenceSubject(rec.id), body, actorOf(p)), 201)
  })
  .post('/:id/evidence/uploads/:fileId', requireRole('iso', 'management', 'member'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const rec = await readable(deps, p, c.req.param('id'))
    const meta = await confirmEvidence(
      deps,
      p.orgId,
      evidenceSubject(rec.id),
      c.req.param('fileId'),
      actorOf(p),
    )
    // Confirming twice keeps one entry.
    if ((rec.data.evidence ?? []).some((e) => e.fileId === meta.id))
      return c.json(incidentDetail(rec, deps.now()), 200)
    const at = deps.now().toISOString()
    const entry: IncidentEvidence = {
      fileId: meta.id,
      name: meta.name,
      size: meta.size,
      contentType: meta.contentType,
      ...(meta.sha256 ? { sha256: meta.sha256 } : {}),
      uploadedAt: at,
      by: p.userId,
      byName: p.name,
    }
    const saved = await mutate(
      deps,
      p,
      rec.id,
      (d) =>
        (d.evidence ?? []).some((e) => e.fileId === meta.id)
          ? d
          : {
              ...d,
              evidence: [...(d.evidence ?? []), entry],
              timeline: [
                ...d.timeline,
                { at, what: 'evidence', by: p.userId, byName: p.name, text: meta.name },
              ],
            },
      'incident.evidence',
    )
    return c.json(incidentDetail(saved, deps.now()), 201)
  })
  .get('/:id/evidence/:fileId', async (c) => {
    const p = c.get('principal')
    const rec = await readable(c.get('deps'), p, c.req.param('id'))
    return evidenceDownload(c, p.orgId, evidenceSubject(rec.id), incidentFile(rec, c.req.param('fileId')))
  })
  .get('/:id/evidence/:fileId/link', async (c) => {
    const p = c.get('principal')
    const rec = await readable(c.get('deps'), p, c.req.param('id'))
    return evidenceLink(c, p.orgId, evidenceSubject(rec.id), incidentFile(rec, c.req.param('fileId')))
  })
