import { z } from 'zod'
import type { Deps } from '../../../../functions/api/env.js'
import {
  IMPLEMENTATION_STATUSES,
  INCLUSION_REASONS,
  type InclusionReason,
  soaEntrySchema,
} from '../../../../functions/domain/certification/index.js'
import { ConflictError } from '../../../../functions/domain/errors.js'
import { addDays, type IsoDate, toIsoDate } from '../../../../functions/domain/risk/calendar.js'
import {
  CERT_TYPES,
  type CertProject,
  certificationTemplate,
  type NonconformityRecord,
  projectPlan,
  type SoaRecord,
} from '../../../../functions/store/certification.js'
import type { OrgRecords, Page } from '../../../../functions/store/records.js'
import demoSoaData from '../data/certification.json' with { type: 'json' }
import type { SeedStep } from '../types.js'

/** The demo projects' ids (fixed, so a second start finds them). */
export const DEMO_CERT_PROJECTS = {
  nordlicht: 'cp-nordlicht-iso27001',
  hafenstadt: 'cp-hafenstadt-tisax',
} as const

const WORKFLOW = 'certification'

/** One piece of evidence: title, age in days, a link or a file (a text body, or a one-page PDF of `pdfText`), freshness in months. */
const demoEvidence = z.strictObject({
  title: z.string(),
  ageDays: z.int(),
  url: z.string().optional(),
  file: z
    .strictObject({
      name: z.string(),
      type: z.string(),
      body: z.string().optional(),
      pdfText: z.string().optional(),
    })
    .optional(),
  months: z.int().optional(),
})

/**
 * One decided control of a demo SoA: `justification` says why it is included, in the ISO's
 * words (found by the search); TISAX controls carry their maturity 0–5 and the additional
 * requirements for high / very high protection needs.
 */
const demoControl = z.strictObject({
  id: z.string(),
  status: z.enum(IMPLEMENTATION_STATUSES),
  owner: z.string(),
  reasons: z.array(z.enum(INCLUSION_REASONS)).optional(),
  justification: z.string(),
  maturity: soaEntrySchema.shape.maturity,
  additionalRequirements: soaEntrySchema.shape.additionalRequirements,
  evidence: z.array(demoEvidence).optional(),
})
type DemoControl = z.infer<typeof demoControl>

/**
 * The demo SoAs (`../data/certification.json`): Nordlicht's so far (42 applicable controls, 2
 * excluded, evidence on 17, 4 of them stale) and Hafenstadt's TISAX AL3 start (a few ISA controls).
 */
const DEMO_SOA = z
  .strictObject({
    nordlicht: z.strictObject({
      controls: z.array(demoControl),
      excluded: z.array(z.strictObject({ id: z.string(), justification: z.string() })),
    }),
    hafenstadt: z.strictObject({ controls: z.array(demoControl) }),
  })
  .parse(demoSoaData)

const MIA = 'demo-member'
const INES = 'demo-iso'
const MARTIN = 'demo-management'

/** A minimal one-page PDF (valid enough for viewers) holding one line of text. */
export function tinyPdf(text: string): string {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return out
}

async function riskLinks(org: OrgRecords) {
  const risks = await org.all<{ controlIds?: string[]; status?: string }>('risk')
  return (controlId: string) =>
    risks.filter((r) => r.data.status !== 'closed' && r.data.controlIds?.includes(controlId)).map((r) => r.id)
}

async function ensure<T>(
  org: OrgRecords,
  type: string,
  id: string,
  data: () => Promise<T> | T,
  actor: { userId: string; name: string },
) {
  if (await org.get(type, id)) return 0
  try {
    await org.create(type, id, await data(), { actor, action: `${type}.seed` })
    return 1
  } catch (err) {
    if (err instanceof ConflictError) return 0
    throw err
  }
}

async function seedControls(
  deps: Deps,
  org: OrgRecords,
  projectId: string,
  controls: DemoControl[],
  today: IsoDate,
  actor: { userId: string; name: string },
) {
  const links = await riskLinks(org)
  const files = deps.evidenceFiles
  let created = 0
  for (const c of controls) {
    const id = `${projectId}#${c.id}`
    if (await org.get(CERT_TYPES.soa, id)) continue
    const riskIds = links(c.id)
    const reasons: InclusionReason[] = [
      ...(c.reasons ?? []),
      ...(riskIds.length ? (['risk-treatment'] as const) : []),
    ]
    const evidence: SoaRecord['evidence'] = []
    for (const [n, e] of (c.evidence ?? []).entries()) {
      const date = addDays(today, -e.ageDays)
      let fileRef: string | undefined
      if (e.file) {
        const meta = await files.put(
          org.orgId,
          {
            projectId,
            controlId: c.id,
            name: e.file.name,
            contentType: e.file.type,
            bytes: new TextEncoder().encode(
              e.file.pdfText === undefined ? (e.file.body ?? '') : tinyPdf(e.file.pdfText),
            ),
          },
          { userId: c.owner, name: 'Demo seed' },
        )
        fileRef = meta.id
      }
      evidence.push({
        id: `ev-seed-${c.id.replaceAll('.', '-')}-${n + 1}`,
        title: e.title,
        date,
        freshnessMonths: e.months ?? 12,
        ...(fileRef ? { fileRef } : { url: e.url! }),
      })
    }
    const data: SoaRecord = {
      projectId,
      controlId: c.id,
      applicable: true,
      justification: c.justification,
      inclusionReasons: reasons.length ? reasons : ['business'],
      status: c.status,
      ownerId: c.owner,
      riskIds,
      evidence,
      ...(c.maturity !== undefined ? { maturity: c.maturity } : {}),
      ...(c.additionalRequirements ? { additionalRequirements: c.additionalRequirements } : {}),
    }
    created += await ensure(org, CERT_TYPES.soa, id, () => data, actor)
  }
  return created
}

/** Starts the project's workflow once (fixed execution name) and notes it on the project. */
async function startWorkflow(
  deps: Deps,
  org: OrgRecords,
  projectId: string,
  actor: { userId: string; name: string },
) {
  const rec = await org.require<CertProject>(CERT_TYPES.project, projectId)
  if (rec.data.workflow) return 0
  const started = await deps.workflows.start(
    WORKFLOW,
    { orgId: org.orgId, projectId },
    `cert-${org.orgId}-${projectId}`,
  )
  await org.update(
    CERT_TYPES.project,
    projectId,
    { ...rec.data, workflow: { executionArn: started.executionArn, startedAt: deps.now().toISOString() } },
    { actor, expectedVersion: rec.version, action: 'cert-project.workflow-started' },
  )
  return 1
}

/**
 * Seed step: Nordlicht runs an ISO/IEC 27001 project with Stage 2 in about five months: the
 * first five milestones done (one late), the SoA partly filled (44 controls decided, 2 of them excluded
 * with a justification, evidence on 17, 4 stale, 2 as stored files), one minor
 * nonconformity from a first internal audit round, and its workflow running (the next
 * milestones are tasks in the inbox). Hafenstadt starts a TISAX AL3 assessment. Without a
 * reachable engine (in-process API tests) it writes nothing; a second start creates nothing.
 */
export const certification: SeedStep = {
  name: 'certification',
  async run({ deps, actor, log }) {
    try {
      await deps.workflows.definition(deps.workflows.machineArn(WORKFLOW))
    } catch (err) {
      log(`seed: certification skipped, the workflow engine is not reachable (${(err as Error).name})`)
      return 0
    }
    const today = toIsoDate(deps.now())
    let created = 0

    // Nordlicht: ISO/IEC 27001, Stage 2 in about five months.
    const nl = deps.records.forOrg('nordlicht')
    const nlId = DEMO_CERT_PROJECTS.nordlicht
    const auditDate = addDays(today, 152)
    created += await ensure(
      nl,
      CERT_TYPES.project,
      nlId,
      () => {
        const template = certificationTemplate('iso27001')
        const donePlan: Record<string, number> = {
          'scope-context': -100,
          'policy-approved': -81,
          roles: -58,
          'risk-assessment': -22,
          objectives: -9,
        }
        const fresh: CertProject = {
          id: nlId,
          title: 'ISO/IEC 27001 certification, Lübeck site',
          standard: 'iso27001',
          templateId: template.id,
          templateVersion: template.version,
          auditDate,
          auditDateMoves: [
            {
              from: addDays(auditDate, -28),
              to: auditDate,
              at: `${addDays(today, -40)}T10:12:00.000Z`,
              by: INES,
              reason: 'Certification body moved Stage 2 by four weeks.',
            },
          ],
          done: {},
          completions: {},
          stage1Threshold: 75,
          audits: {},
          evidenceConfirmations: {},
          createdByName: 'Ines Sommer',
        }
        const plan = projectPlan(fresh, today).milestones
        for (const [id, offset] of Object.entries(donePlan)) {
          const due = plan.find((m) => m.id === id)!.due
          fresh.done[id] = { on: addDays(today, offset), due }
          fresh.completions[id] = {
            by: id === 'policy-approved' || id === 'roles' ? MARTIN : INES,
            byName: id === 'policy-approved' || id === 'roles' ? 'Martin Brandt' : 'Ines Sommer',
            at: `${addDays(today, offset)}T15:30:00.000Z`,
          }
        }
        return fresh
      },
      actor,
    )
    created += await seedControls(deps, nl, nlId, DEMO_SOA.nordlicht.controls, today, actor)
    for (const x of DEMO_SOA.nordlicht.excluded)
      created += await ensure(
        nl,
        CERT_TYPES.soa,
        `${nlId}#${x.id}`,
        (): SoaRecord => ({
          projectId: nlId,
          controlId: x.id,
          applicable: false,
          justification: x.justification,
          inclusionReasons: [],
          status: 'not-applicable',
          riskIds: [],
          evidence: [],
        }),
        actor,
      )
    created += await ensure(
      nl,
      CERT_TYPES.nc,
      `${nlId}#nc-001`,
      (): NonconformityRecord => ({
        id: 'nc-001',
        projectId: nlId,
        severity: 'minor',
        status: 'open',
        title: 'Visitor log at the side entrance not kept consistently',
        description:
          'First internal audit round (facility and HR): on 3 of 10 sampled days the visitor log at gate 2 had no entries although deliveries with drivers entering the hall were booked.',
        source: 'internal-audit',
        controlId: 'A.7.2',
        foundOn: addDays(today, -12),
        ownerId: MIA,
        dueOn: addDays(today, 30),
        correctiveAction: 'Gate 2 reception keeps the log; facility management checks it weekly.',
      }),
      actor,
    )
    created += await startWorkflow(deps, nl, nlId, actor)

    // Hafenstadt: TISAX AL3 (prototype transports), assessment in about eight months.
    const hs = deps.records.forOrg('hafenstadt')
    const hsId = DEMO_CERT_PROJECTS.hafenstadt
    created += await ensure(
      hs,
      CERT_TYPES.project,
      hsId,
      (): CertProject => {
        const template = certificationTemplate('tisax')
        return {
          id: hsId,
          title: 'TISAX AL3 label (prototype transports)',
          standard: 'tisax',
          assessmentLevel: 'AL3',
          levelSource: 'chosen',
          tisaxModules: ['information-security', 'prototype-protection'],
          prototypeLabels: ['parts', 'vehicles'],
          templateId: template.id,
          templateVersion: template.version,
          auditDate: addDays(today, 240),
          auditDateMoves: [],
          done: {},
          completions: {},
          stage1Threshold: 75,
          audits: {},
          evidenceConfirmations: {},
          createdByName: 'Ines Sommer',
        }
      },
      actor,
    )
    created += await seedControls(deps, hs, hsId, DEMO_SOA.hafenstadt.controls, today, actor)
    created += await startWorkflow(deps, hs, hsId, actor)
    return created
  },
}
