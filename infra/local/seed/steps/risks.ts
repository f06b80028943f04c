import type { Deps } from '../../../../functions/api/env.js'
import { namesOf, orgPeople } from '../../../../functions/api/people.js'
import { startTreatment } from '../../../../functions/api/routes/risks/workflow.js'
import { completeTask } from '../../../../functions/api/task-completion.js'
import {
  addDays,
  type RiskFieldsInput,
  type TreatmentPlanInput,
  toIsoDate,
} from '../../../../functions/domain/risk/index.js'
import { isOpen, type TaskRole } from '../../../../functions/domain/tasks.js'
import { emptyRiskState, RISK, type RiskData } from '../../../../functions/store/risk-register.js'
import type { TaskRecord } from '../../../../functions/store/tasks.js'
import type { SeedStep } from '../types.js'

/** How far the demo drives a risk through `risk-treatment` (through the engine, like people would). */
type Target = 'pending' | 'approved' | 'accepted' | 'treated'

/** One demo risk: its register entry, its plan, and where its treatment stands. */
interface DemoRisk {
  orgId: string
  id: string
  risk: RiskFieldsInput
  /** Measure due dates are days from the seed day. */
  plan?: Omit<TreatmentPlanInput, 'measures'> & {
    measures?: (Omit<NonNullable<TreatmentPlanInput['measures']>[number], 'dueDate'> & {
      dueInDays: number
    })[]
  }
  target?: Target
  /** Management's comment when the demo decides. */
  comment?: string
}

const PEOPLE = {
  iso: { userId: 'demo-iso', name: 'Ines Sommer', roles: ['iso'] as TaskRole[] },
  management: { userId: 'demo-management', name: 'Martin Brandt', roles: ['management'] as TaskRole[] },
  member: { userId: 'demo-member', name: 'Mia Keller', roles: ['member'] as TaskRole[] },
}

/** Nordlicht's register (and a little for Hafenstadt): realistic risks of a machine builder supplying OEMs. */
export const DEMO_RISKS: DemoRisk[] = [
  {
    orgId: 'nordlicht',
    id: 'R-001',
    risk: {
      title: 'Ransomware on the OT network of the press shop',
      description:
        'Ransomware spreading from office IT into the production network encrypts HMI panels and the SCADA server; press lines 1–3 stand still and OEM call-offs cannot be delivered.',
      category: 'cyber',
      assets: ['Press lines 1–3', 'SCADA server', 'HMI panels', 'PLC programs'],
      threat: 'Ransomware brought in through phishing or the remote-maintenance access of machine suppliers',
      vulnerability: 'Flat network between office IT and OT; PLC backups only on the engineering laptop',
      ownerId: 'demo-management',
      likelihood: 4,
      impact: 5,
      status: 'assessed',
      controlIds: ['A.8.22', 'A.8.13', 'A.8.7', 'A.5.21'],
      obligationRefs: ['nis2.30.2.a', 'nis2.30.2.c'],
    },
    plan: {
      option: 'mitigate',
      targetLikelihood: 2,
      targetImpact: 4,
      justification:
        'Segmentation confines an infection to one cell; offline PLC backups cut the restart from weeks to two days.',
      measures: [
        {
          id: 'segmentation',
          description: 'Segment OT from office IT (firewall between the zones, allow-list)',
          ownerId: 'demo-member',
          dueInDays: 45,
          costEur: 48000,
          controlId: 'A.8.22',
        },
        {
          id: 'plc-backups',
          description: 'Offline backups of PLC programs and SCADA configuration, monthly restore test',
          ownerId: 'demo-member',
          dueInDays: 30,
          costEur: 8500,
          controlId: 'A.8.13',
        },
        {
          id: 'jump-host',
          description: 'Remote maintenance only through a jump host with MFA and session recording',
          ownerId: 'demo-iso',
          dueInDays: 60,
          costEur: 6000,
          controlId: 'A.8.5',
        },
      ],
    },
    target: 'approved',
    comment: 'Approved. Segmentation has priority; the budget comes from the 2026 IT plan.',
  },
  {
    orgId: 'nordlicht',
    id: 'R-002',
    risk: {
      title: 'Credential stuffing against the supplier portal',
      description:
        'Attackers sign in to the supplier portal with passwords leaked elsewhere, change bank details of suppliers and divert payments.',
      category: 'supplier',
      assets: ['Supplier portal', 'Accounts payable'],
      threat: 'Credential stuffing with leaked password lists',
      vulnerability: 'Password-only sign-in, no rate limiting',
      ownerId: 'demo-management',
      likelihood: 4,
      impact: 3,
      status: 'assessed',
      controlIds: ['A.8.5', 'A.5.19'],
      obligationRefs: [],
    },
    plan: {
      option: 'mitigate',
      targetLikelihood: 2,
      targetImpact: 3,
      justification: 'MFA makes leaked passwords useless; a call-back rule stops payment diversion.',
      measures: [
        {
          id: 'portal-mfa',
          description: 'Require MFA for all supplier portal accounts',
          ownerId: 'demo-member',
          dueInDays: 40,
          costEur: 9000,
          controlId: 'A.8.5',
        },
        {
          id: 'callback',
          description: 'Call-back to a known number before any change of bank details',
          ownerId: 'demo-member',
          dueInDays: 14,
          costEur: 0,
          controlId: 'A.5.19',
        },
      ],
    },
    target: 'pending',
  },
  {
    orgId: 'nordlicht',
    id: 'R-003',
    risk: {
      title: 'Loss of CAD data of OEM prototypes',
      description:
        'CAD models and drawings of OEM prototypes leave the company (lost laptop, wrong share link); the OEM can end the contract and claim damages.',
      category: 'information-security',
      assets: ['PDM system', 'Design office laptops', 'CAD models of prototypes'],
      threat: 'Loss or theft of laptops, misdirected share links',
      vulnerability: 'Local CAD copies; sharing links without expiry',
      ownerId: 'demo-management',
      likelihood: 3,
      impact: 5,
      status: 'assessed',
      controlIds: ['A.5.12', 'A.8.12', 'A.8.24'],
      obligationRefs: [],
    },
    plan: {
      option: 'mitigate',
      targetLikelihood: 2,
      targetImpact: 4,
      justification: 'TISAX prototype protection requires it; encryption and DLP address both paths.',
      measures: [
        {
          id: 'dlp',
          description: 'Data loss prevention rules for CAD file types in mail and cloud shares',
          ownerId: 'demo-member',
          dueInDays: 90,
          costEur: 22000,
          controlId: 'A.8.12',
        },
        {
          id: 'share-expiry',
          description: 'Share links expire after 14 days and need a named recipient',
          ownerId: 'demo-iso',
          dueInDays: 30,
          costEur: 0,
          controlId: 'A.5.14',
        },
      ],
    },
  },
  {
    orgId: 'nordlicht',
    id: 'R-004',
    risk: {
      title: 'Key-person dependency in IT',
      description:
        'Only one administrator knows the ERP interfaces and the Active Directory in depth; an absence of several weeks stops changes and slows incident response.',
      category: 'personnel',
      assets: ['ERP interfaces', 'Active Directory'],
      threat: 'Long absence or departure of the administrator',
      vulnerability: 'Little documentation, no deputy',
      ownerId: 'demo-management',
      likelihood: 3,
      impact: 3,
      status: 'assessed',
      controlIds: ['A.5.37', 'A.6.3'],
      obligationRefs: [],
    },
    plan: {
      option: 'accept',
      targetLikelihood: 3,
      targetImpact: 3,
      justification:
        'A second administrator is budgeted for next year; until then the service contract with the ERP partner covers emergencies.',
      measures: [],
    },
    target: 'accepted',
    comment: 'Accepted for twelve months; the second administrator is in next year’s budget.',
  },
  {
    orgId: 'nordlicht',
    id: 'R-005',
    risk: {
      title: 'Phishing leads to mailbox takeover',
      description:
        'A phishing mail captures a sales employee’s credentials; the attacker reads OEM correspondence and sends fake invoices.',
      category: 'cyber',
      assets: ['Microsoft 365 mailboxes'],
      threat: 'Targeted phishing',
      vulnerability: 'Password-only sign-in for some accounts',
      ownerId: 'demo-member',
      likelihood: 4,
      impact: 3,
      status: 'assessed',
      controlIds: ['A.6.3', 'A.8.5'],
      obligationRefs: ['nis2.30.2.g'],
    },
    plan: {
      option: 'mitigate',
      targetLikelihood: 2,
      targetImpact: 2,
      justification: 'MFA everywhere and awareness training with phishing simulations.',
      measures: [
        {
          id: 'mfa-all',
          description: 'MFA for all Microsoft 365 accounts, legacy protocols off',
          ownerId: 'demo-iso',
          dueInDays: 21,
          costEur: 3500,
          controlId: 'A.8.5',
        },
        {
          id: 'awareness',
          description: 'Awareness training and quarterly phishing simulation',
          ownerId: 'demo-member',
          dueInDays: 35,
          costEur: 4800,
          controlId: 'A.6.3',
        },
      ],
    },
    target: 'treated',
    comment: 'Approved.',
  },
  {
    orgId: 'nordlicht',
    id: 'R-006',
    risk: {
      title: 'Cloud storage misconfiguration exposes customer drawings',
      description:
        'A storage container for the service portal is reachable without sign-in; drawings and service reports become public.',
      category: 'cyber',
      assets: ['Service portal storage'],
      threat: 'Automated scans for open storage',
      vulnerability: 'No configuration baseline, manual changes',
      ownerId: 'demo-management',
      likelihood: 3,
      impact: 4,
      status: 'assessed',
      controlIds: ['A.5.23', 'A.8.9'],
      obligationRefs: [],
    },
  },
  {
    orgId: 'nordlicht',
    id: 'R-007',
    risk: {
      title: 'Unpatched ERP application server',
      description:
        'Security patches for the ERP application server are months behind because production fears downtime.',
      category: 'cyber',
      assets: ['ERP application server'],
      threat: 'Exploitation of known vulnerabilities',
      vulnerability: 'No agreed maintenance window',
      ownerId: 'demo-member',
      likelihood: 3,
      impact: 4,
      status: 'identified',
      controlIds: ['A.8.8'],
      obligationRefs: [],
    },
  },
  {
    orgId: 'nordlicht',
    id: 'R-008',
    risk: {
      title: 'Power failure in the server room',
      description:
        'The server room has one UPS for 20 minutes and no generator; a longer outage stops ERP and production planning.',
      category: 'physical',
      assets: ['Server room', 'ERP', 'MES'],
      threat: 'Grid outage of more than 20 minutes',
      vulnerability: 'Single UPS, no generator',
      ownerId: 'demo-management',
      likelihood: 2,
      impact: 4,
      status: 'assessed',
      controlIds: ['A.7.11'],
      obligationRefs: [],
    },
  },
  {
    orgId: 'nordlicht',
    id: 'R-009',
    risk: {
      title: 'Insider leak of strictly confidential OEM data',
      description: 'An employee leaving for a competitor takes strictly confidential OEM specifications.',
      category: 'information-security',
      assets: ['PDM system', 'OEM specifications'],
      threat: 'Deliberate disclosure by an insider',
      vulnerability: 'Broad read access in the PDM system',
      ownerId: 'demo-management',
      likelihood: 2,
      impact: 5,
      status: 'identified',
      controlIds: ['A.5.15', 'A.6.5'],
      obligationRefs: [],
    },
  },
  {
    orgId: 'nordlicht',
    id: 'R-010',
    risk: {
      title: 'Compromised firmware from a machine controller supplier',
      description: 'A supplier’s update server is compromised and ships manipulated controller firmware.',
      category: 'supplier',
      assets: ['Machine controllers'],
      threat: 'Supply-chain attack',
      vulnerability: 'Firmware installed without signature check',
      ownerId: 'demo-member',
      likelihood: 1,
      impact: 5,
      status: 'identified',
      controlIds: ['A.5.21'],
      obligationRefs: [],
    },
  },
  {
    orgId: 'hafenstadt',
    id: 'R-001',
    risk: {
      title: 'Outage of the yard management cloud service',
      description: 'The SaaS for yard and dock scheduling is unavailable; trucks queue at the gate.',
      category: 'supplier',
      assets: ['Yard management SaaS'],
      threat: 'Provider outage',
      vulnerability: 'No offline fallback for gate scheduling',
      ownerId: 'demo-iso',
      likelihood: 3,
      impact: 3,
      status: 'assessed',
      controlIds: ['A.5.30'],
      obligationRefs: [],
    },
  },
  {
    orgId: 'hafenstadt',
    id: 'R-002',
    risk: {
      title: 'Manipulated telematics data of the truck fleet',
      description: 'Spoofed GPS positions hide diverted loads.',
      category: 'cyber',
      assets: ['Telematics platform'],
      threat: 'GPS spoofing',
      vulnerability: 'No plausibility checks',
      ownerId: 'demo-iso',
      likelihood: 2,
      impact: 3,
      status: 'identified',
      controlIds: [],
      obligationRefs: [],
    },
  },
]

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Completes a task as a person would, through the one completion path (form validation included). */
const complete = (
  deps: Deps,
  rec: TaskRecord,
  answers: Record<string, unknown>,
  by: { userId: string; name: string; roles: TaskRole[] },
) => completeTask(deps, { ...by, orgId: rec.orgId }, rec, answers)

/**
 * Drives one demo risk through `risk-treatment` until it reaches its target: submitted
 * (waiting for management), approved with one measure done, accepted, or treated. Only a risk
 * without any round is started (deterministic execution name); one already started is left to
 * the people working on it. Answers 1 when it started an execution.
 */
async function drive(deps: Deps, d: DemoRisk, log: (line: string) => void): Promise<number> {
  const org = deps.records.forOrg(d.orgId)
  const rec = await org.require<RiskData>(RISK, d.id)
  // Only a run that starts the execution drives it: later, people may be working on the risk.
  if (rec.data.rounds.length > 0 || rec.data.execution) return 0
  const people = namesOf(await orgPeople(deps, d.orgId))
  const run = await startTreatment(
    deps,
    { orgId: d.orgId, riskId: d.id, requestedBy: PEOPLE.iso.userId, reason: 'submission', people },
    rec.version,
  )
  await org.mutate<RiskData>(
    RISK,
    d.id,
    (x) => ({
      ...x,
      execution: x.execution ?? {
        arn: run.executionArn,
        name: run.name,
        startedAt: deps.now().toISOString(),
        startedBy: PEOPLE.iso.userId,
      },
    }),
    { actor: { userId: PEOPLE.iso.userId, name: PEOPLE.iso.name }, action: 'risk.submit' },
  )
  // Each step waits until the engine has moved on: the target is reached or a task is open.
  const reached = (x: RiskData) => {
    const done = Object.values(x.measureProgress).filter((m) => m.status === 'done').length
    if (d.target === 'pending') return x.rounds.length > 0
    if (d.target === 'approved') return x.status === 'approved' && done >= 1
    return x.status === d.target
  }
  const handled = new Set<string>()
  let measuresDone = 0
  for (let i = 0; i < 400; i++) {
    if (reached((await org.require<RiskData>(RISK, d.id)).data)) return 1
    const open = (await deps.taskStore.list(d.orgId)).filter(
      (t) => t.data.subject?.id === d.id && isOpen(t.data) && !handled.has(t.id),
    )
    // Pending stays with management; an approved plan keeps its other measures open.
    const mayMeasure = d.target === 'treated' || measuresDone === 0
    const next =
      d.target === 'pending'
        ? undefined
        : (open.find((t) => t.data.kind === 'risk-approval') ??
          (mayMeasure ? open.find((t) => t.data.kind === 'risk-measure') : undefined))
    const verification = open.find((t) => t.data.kind === 'risk-verification')
    if (next?.data.kind === 'risk-approval') {
      handled.add(next.id)
      await complete(deps, next, { decision: { outcome: 'approve', comment: d.comment } }, PEOPLE.management)
    } else if (next) {
      handled.add(next.id)
      measuresDone++
      const owner = Object.values(PEOPLE).find((p) => p.userId === next.data.assigneeUserId) ?? PEOPLE.member
      const what =
        (next.data.context.measure as { description?: string } | undefined)?.description ?? 'measure'
      await complete(deps, next, { summary: `Done: ${what}. Evidence in the IT ticket system.` }, owner)
    } else if (verification && d.plan) {
      handled.add(verification.id)
      await complete(
        deps,
        verification,
        {
          residualLikelihood: d.plan.targetLikelihood,
          residualImpact: d.plan.targetImpact,
          effectiveness:
            'MFA enforced for all accounts (sign-in report checked); phishing simulation click rate down from 14 % to 3 %.',
        },
        PEOPLE.iso,
      )
    } else await wait(25)
  }
  log(`seed: risks: ${d.orgId}/${d.id} did not reach ${d.target} in time`)
  return 1
}

/**
 * Seed step: the demo risk registers. Creates the risks with their plans (a second start finds
 * them and writes nothing), then, when the engine is reachable, drives four Nordlicht risks
 * through `risk-treatment` with deterministic execution names: one waiting for management,
 * one approved with measures in progress, one accepted with an expiry, one treated.
 */
export const risks: SeedStep = {
  name: 'risks',
  async run({ deps, actor, log }) {
    let created = 0
    const today = toIsoDate(deps.now())
    for (const d of DEMO_RISKS) {
      const org = deps.records.forOrg(d.orgId)
      if (await org.get(RISK, d.id)) continue
      const plan = d.plan
        ? {
            option: d.plan.option,
            targetLikelihood: d.plan.targetLikelihood,
            targetImpact: d.plan.targetImpact,
            justification: d.plan.justification ?? '',
            measures: (d.plan.measures ?? []).map(({ dueInDays, ...m }) => ({
              ...m,
              dueDate: addDays(today, dueInDays),
            })),
          }
        : null
      const data: RiskData = {
        description: '',
        assets: [],
        threat: '',
        vulnerability: '',
        status: 'identified',
        controlIds: [],
        obligationRefs: [],
        ...d.risk,
        ...emptyRiskState(),
        plan,
      } as RiskData
      if (plan) data.status = 'treatment-planned'
      await org.create<RiskData>(RISK, d.id, data, { actor, action: 'risk.create' })
      created++
    }
    const driven = DEMO_RISKS.filter((d) => d.target)
    try {
      await deps.workflows.definition(deps.workflows.machineArn('risk-treatment'))
    } catch (err) {
      log(`seed: risk workflows skipped, the workflow engine is not reachable (${(err as Error).name})`)
      return created
    }
    // The four executions are independent: drive them side by side.
    for (const n of await Promise.all(driven.map((d) => drive(deps, d, log)))) created += n
    return created
  },
}
