import type { Deps } from '../../../../functions/api/env.js'
import type {
  ImplementationStatus,
  InclusionReason,
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
import { s3EvidenceFiles } from '../../../../functions/store/evidence-files.js'
import type { OrgRecords, Page } from '../../../../functions/store/records.js'
import type { SeedStep } from '../types.js'

/** The demo projects' ids (fixed, so a second start finds them). */
export const DEMO_CERT_PROJECTS = {
  nordlicht: 'cp-nordlicht-iso27001',
  hafenstadt: 'cp-hafenstadt-tisax',
} as const

const WORKFLOW = 'certification'

interface DemoControl {
  id: string
  status: ImplementationStatus
  owner: string
  reasons?: InclusionReason[]
  /** Why the control is included, in the ISO's words (found by the search). */
  justification: string
  /** TISAX: maturity 0–5 and the additional requirements for high / very high protection needs. */
  maturity?: number
  additionalRequirements?: SoaRecord['additionalRequirements']
  /** Evidence: title, age in days, link or file name, freshness in months. */
  evidence?: {
    title: string
    ageDays: number
    url?: string
    file?: { name: string; type: string; body: string }
    months?: number
  }[]
}

const DMS = 'https://dms.nordlicht-maschinenbau.example/isms'
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

/** Nordlicht's Statement of Applicability so far: 42 applicable controls (2 more excluded below), evidence on 17, 4 of them stale. */
const NORDLICHT_CONTROLS: DemoControl[] = [
  {
    id: 'A.5.1',
    justification:
      'Top management sets the direction for information security; OEM customers and the TISAX label require a signed policy.',
    status: 'implemented',
    owner: MARTIN,
    evidence: [
      {
        title: 'Information security policy v2.1 (signed)',
        ageDays: 95,
        url: `${DMS}/policies/is-policy-v2.1.pdf`,
      },
    ],
  },
  {
    id: 'A.5.2',
    justification:
      'Clear ISMS roles (ISO, control owners, plant IT and OT) are needed so every control has someone accountable.',
    status: 'implemented',
    owner: MARTIN,
    evidence: [
      { title: 'ISMS roles and responsibilities (RACI)', ageDays: 60, url: `${DMS}/org/isms-raci.xlsx` },
    ],
  },
  {
    id: 'A.5.3',
    status: 'partial',
    owner: INES,
    justification:
      'ERP purchasing and payment approvals and admin rights on the OT network must not sit with one person (fraud and sabotage risk).',
  },
  {
    id: 'A.5.7',
    status: 'not-started',
    owner: INES,
    justification:
      'Threat information on attacks against machine builders and their OEM customers informs the risk assessment and patch priorities.',
  },
  {
    id: 'A.5.9',
    status: 'partial',
    owner: MIA,
    justification:
      'Risk assessment and protection of CAD data, PLC programs and customer drawings start from knowing which assets exist and who owns them.',
  },
  {
    id: 'A.5.10',
    justification:
      'Staff and contractors use IT and shop-floor systems daily; written rules for acceptable use are part of every employment contract.',
    status: 'implemented',
    owner: INES,
    evidence: [
      {
        title: 'Acceptable use rules for IT and OT',
        ageDays: 430,
        url: `${DMS}/policies/acceptable-use.pdf`,
      },
    ],
  },
  {
    id: 'A.5.12',
    status: 'partial',
    owner: INES,
    justification:
      'Customer drawings and prototype data must be classified to apply the protection OEM contracts require.',
  },
  {
    id: 'A.5.15',
    justification:
      'Access to ERP, CAD and MES follows roles; the customers’ TISAX requirements ask for need-to-know access to their data.',
    status: 'implemented',
    owner: MIA,
    evidence: [
      {
        title: 'Access control policy and role matrix (ERP, CAD, MES)',
        ageDays: 40,
        url: `${DMS}/policies/access-control.pdf`,
      },
    ],
  },
  {
    id: 'A.5.17',
    status: 'implemented',
    owner: MIA,
    justification:
      'Passwords and tokens protect remote access and the supplier portal; credential stuffing was seen last year.',
  },
  {
    id: 'A.5.19',
    status: 'partial',
    owner: INES,
    reasons: ['contractual'],
    justification:
      'IT service provider, cloud ERP host and remote maintenance partners handle our data and systems; OEM contracts demand supplier controls.',
  },
  {
    id: 'A.5.20',
    status: 'partial',
    owner: INES,
    reasons: ['contractual'],
    justification:
      'Security clauses (confidentiality, incident notice, audit rights) must be in every contract with suppliers who access our systems or data.',
  },
  {
    id: 'A.5.21',
    status: 'partial',
    owner: MIA,
    justification:
      'Machine controllers and firmware from third parties reach the OT network; their supply chain is a known ransomware path.',
  },
  {
    id: 'A.5.23',
    status: 'partial',
    owner: MIA,
    justification:
      'Engineering uses cloud services (CAD collaboration, file exchange with OEMs); their security must be chosen and managed.',
  },
  {
    id: 'A.5.24',
    justification:
      'NIS2 (§ 32 BSIG) requires incident reporting within 24 hours; that needs a prepared plan, roles and contacts.',
    status: 'implemented',
    owner: INES,
    evidence: [
      {
        title: 'Incident response plan incl. OT playbook',
        ageDays: 120,
        url: `${DMS}/incident/response-plan.pdf`,
      },
    ],
  },
  {
    id: 'A.5.26',
    status: 'implemented',
    owner: INES,
    justification:
      'The incident response plan and its ransomware playbook are exercised once a year with IT, OT and the plant manager.',
    evidence: [
      {
        title: 'Incident exercise report (tabletop, ransomware)',
        ageDays: 410,
        url: `${DMS}/incident/exercise-report.pdf`,
      },
    ],
  },
  {
    id: 'A.5.29',
    status: 'partial',
    owner: MIA,
    justification:
      'Production must continue or restart quickly after a cyber attack; the NIS2 business continuity duty (§ 30 BSIG) applies.',
  },
  {
    id: 'A.5.30',
    status: 'not-started',
    owner: MIA,
    justification:
      'ERP, MES and the OT network must be recoverable within the times production planning needs; ICT readiness has not been tested yet.',
  },
  {
    id: 'A.5.31',
    justification:
      'As an important entity under NIS2, with GDPR and export control duties, the legal and contractual requirements must be known and tracked.',
    status: 'implemented',
    owner: INES,
    reasons: ['legal'],
    evidence: [
      {
        title: 'Register of legal and contractual requirements',
        ageDays: 30,
        url: `${DMS}/compliance/requirements-register.xlsx`,
      },
    ],
  },
  {
    id: 'A.5.34',
    justification:
      'Personal data of staff, applicants and customer contacts is processed; the GDPR applies and a DPO is appointed.',
    status: 'implemented',
    owner: INES,
    reasons: ['legal'],
    evidence: [
      {
        title: 'Record of processing activities (Art. 30 GDPR)',
        ageDays: 75,
        url: `${DMS}/privacy/ropa.xlsx`,
      },
    ],
  },
  {
    id: 'A.5.36',
    status: 'partial',
    owner: INES,
    justification:
      'Compliance with the policies and the OEM security requirements is checked regularly before the customers audit us.',
  },
  {
    id: 'A.6.1',
    justification:
      'Staff with access to prototype data and customer drawings are screened before hiring, as OEM contracts require.',
    status: 'implemented',
    owner: MARTIN,
    evidence: [
      {
        title: 'Screening procedure for new staff',
        ageDays: 150,
        file: {
          name: 'screening-procedure.pdf',
          type: 'application/pdf',
          body: tinyPdf('Nordlicht Maschinenbau - screening procedure for new staff, HR-07'),
        },
      },
    ],
  },
  {
    id: 'A.6.2',
    status: 'implemented',
    owner: MARTIN,
    justification:
      'Employment contracts bind staff to confidentiality and the security rules; works council agreement in place.',
  },
  {
    id: 'A.6.3',
    status: 'partial',
    owner: INES,
    justification:
      'Phishing and social engineering are the most likely way into the company; staff and management need regular awareness training.',
  },
  {
    id: 'A.6.6',
    justification:
      'Every OEM project starts with a non-disclosure agreement; staff and subcontractors sign them too.',
    status: 'implemented',
    owner: MARTIN,
    reasons: ['contractual'],
    evidence: [{ title: 'NDA template (OEM projects)', ageDays: 200, url: `${DMS}/legal/nda-template.docx` }],
  },
  {
    id: 'A.6.7',
    justification:
      'Engineers and office staff work from home two days a week over VPN; remote working needs its own rules.',
    status: 'implemented',
    owner: MIA,
    evidence: [
      {
        title: 'Remote working rules and VPN set-up',
        ageDays: 395,
        url: `${DMS}/policies/remote-working.pdf`,
      },
    ],
  },
  {
    id: 'A.7.1',
    status: 'implemented',
    owner: MARTIN,
    justification:
      'The Lübeck site with design office, machine hall and server room needs a defined physical perimeter.',
  },
  {
    id: 'A.7.2',
    justification:
      'Drivers, service technicians and customer visitors enter the site daily; entry must be controlled and logged.',
    status: 'implemented',
    owner: MIA,
    evidence: [{ title: 'Visitor management procedure', ageDays: 90, url: `${DMS}/facility/visitors.pdf` }],
  },
  {
    id: 'A.7.4',
    status: 'partial',
    owner: MIA,
    justification: 'Prototype parts and the server room must be watched for intrusion outside working hours.',
  },
  {
    id: 'A.7.8',
    status: 'implemented',
    owner: MIA,
    justification:
      'Servers and OT control cabinets must be placed and protected against damage, dust and unauthorised access.',
  },
  {
    id: 'A.8.1',
    justification:
      'Laptops and engineering workstations hold CAD data and customer drawings; they must be managed and encrypted.',
    status: 'implemented',
    owner: MIA,
    evidence: [
      {
        title: 'Endpoint baseline (Intune compliance report)',
        ageDays: 20,
        url: `${DMS}/it/intune-compliance.pdf`,
      },
    ],
  },
  {
    id: 'A.8.2',
    status: 'partial',
    owner: MIA,
    justification:
      'Administrator rights on domain, ERP and PLC engineering stations are the key to ransomware spreading; they must be limited.',
  },
  {
    id: 'A.8.5',
    justification:
      'Remote access, e-mail and the supplier portal are exposed to the internet; multi-factor authentication protects them.',
    status: 'implemented',
    owner: MIA,
    evidence: [{ title: 'MFA roll-out report', ageDays: 65, url: `${DMS}/it/mfa-rollout.pdf` }],
  },
  {
    id: 'A.8.7',
    justification:
      'Malware is the main threat to office IT and the engineering network; EDR protects the clients, allow-listing the OT HMIs.',
    status: 'implemented',
    owner: MIA,
    evidence: [
      {
        title: 'EDR coverage export (office and engineering clients)',
        ageDays: 12,
        file: {
          name: 'edr-coverage.csv',
          type: 'text/csv',
          body: 'host,group,edr,last_seen\nNL-ENG-014,Engineering,active,2 h\nNL-OFF-102,Office,active,1 h\nNL-OT-HMI-03,OT,exempt (allow-listing),n/a\n',
        },
      },
    ],
  },
  {
    id: 'A.8.8',
    status: 'partial',
    owner: MIA,
    justification:
      'Known vulnerabilities in VPN gateways and OT components are exploited quickly; they must be found and patched by priority.',
  },
  {
    id: 'A.8.9',
    status: 'not-started',
    owner: MIA,
    justification:
      'Firewalls, switches and OT controllers need defined, documented configurations so changes can be reviewed.',
  },
  {
    id: 'A.8.12',
    status: 'not-started',
    owner: MIA,
    justification:
      'Customer drawings and prototype data must not leave the company by e-mail, cloud shares or USB sticks.',
  },
  {
    id: 'A.8.13',
    status: 'implemented',
    owner: MIA,
    justification:
      'Daily backups of ERP and CAD data and monthly offline backups of PLC programs keep production able to restart after ransomware (R-001).',
    evidence: [
      {
        title: 'Restore test protocol (ERP and PLC programs)',
        ageDays: 380,
        url: `${DMS}/it/restore-test.pdf`,
        months: 12,
      },
    ],
  },
  {
    id: 'A.8.15',
    status: 'partial',
    owner: MIA,
    justification:
      'Logs of domain, VPN and firewall are needed to detect attacks and to report incidents within NIS2 deadlines.',
  },
  {
    id: 'A.8.16',
    status: 'partial',
    owner: MIA,
    justification:
      'Unusual traffic between office IT and the OT network must be noticed before ransomware reaches production.',
  },
  {
    id: 'A.8.20',
    status: 'partial',
    owner: MIA,
    justification:
      'The office network, the engineering network and the OT network must be protected and monitored at their borders.',
  },
  {
    id: 'A.8.22',
    status: 'not-started',
    owner: MIA,
    justification:
      'Segmenting the OT network from office IT limits how far an attack can spread (top risk in the register).',
  },
  {
    id: 'A.8.24',
    justification:
      'Laptops, backups and data exchange with OEMs must be encrypted; customers require it for confidential data.',
    status: 'implemented',
    owner: MIA,
    evidence: [
      {
        title: 'Cryptography standard (TLS, disk encryption)',
        ageDays: 160,
        url: `${DMS}/policies/crypto.pdf`,
        months: 24,
      },
    ],
  },
]

const NORDLICHT_EXCLUDED: { id: string; justification: string }[] = [
  {
    id: 'A.8.30',
    justification:
      'All software (ERP extensions, PLC programs, MES scripts) is developed in-house; no development is outsourced.',
  },
  {
    id: 'A.8.11',
    justification:
      'Test and training systems use synthetic data only; production personal data never leaves production systems.',
  },
]

/** Hafenstadt's TISAX AL3 start: a few ISA controls decided. */
const HAFENSTADT_CONTROLS: DemoControl[] = [
  {
    id: '1.1.1',
    status: 'implemented',
    owner: INES,
    maturity: 3,
    additionalRequirements: { high: 'met', 'very-high': 'partly' },
    justification:
      'The OEMs whose prototypes we transport require a TISAX AL3 label; the information security policy is its base.',
  },
  {
    id: '1.2.1',
    status: 'partial',
    owner: INES,
    maturity: 2,
    additionalRequirements: { high: 'partly' },
    justification:
      'The ISMS scope covers the Hamburg depot and the transport planning office named in the TISAX scope.',
  },
  {
    id: '5.2.1',
    status: 'partial',
    owner: 'demo-hafenstadt-member',
    maturity: 2,
    justification:
      'Changes to the tracking and dispatch systems must not expose shipment data of prototype transports.',
  },
  {
    id: '8.1.1',
    status: 'not-started',
    owner: 'demo-hafenstadt-member',
    maturity: 0,
    justification:
      'Prototype vehicles and parts wait in the depot between transports; a physical security concept is required for the label.',
  },
]

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
  const files = s3EvidenceFiles({
    s3: deps.s3,
    bucket: deps.config.evidenceBucket,
    records: deps.records,
    now: deps.now,
  })
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
            bytes: new TextEncoder().encode(e.file.body),
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
    created += await seedControls(deps, nl, nlId, NORDLICHT_CONTROLS, today, actor)
    for (const x of NORDLICHT_EXCLUDED)
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
    created += await seedControls(deps, hs, hsId, HAFENSTADT_CONTROLS, today, actor)
    created += await startWorkflow(deps, hs, hsId, actor)
    return created
  },
}
