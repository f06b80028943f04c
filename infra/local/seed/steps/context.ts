import type {
  ClimateDecision,
  ContextIssue,
  InterestedParty,
} from '../../../../functions/domain/context/index.js'
import {
  CLIMATE,
  CLIMATE_ID,
  ISSUE,
  issueId,
  issueIndex,
  PARTY,
  partyId,
  partyIndex,
} from '../../../../functions/store/context.js'
import type { SeedStep } from '../types.js'

const ORG = 'nordlicht'
const DAY = 86_400_000
const ISO = { userId: 'demo-iso', name: 'Ines Sommer' }
const MGMT = { userId: 'demo-management', name: 'Martin Brandt' }
const MEMBER = { userId: 'demo-member', name: 'Mia Keller' }

type Party = Omit<InterestedParty, 'nextReviewOn' | 'feedbackOn'> & {
  reviewInDays: number
  feedbackDaysAgo?: number
}

/** Nordlicht's interested parties (4.2): an automotive supplier with ~180 staff under NIS2. */
const PARTIES: Party[] = [
  {
    name: 'OEM customers (automotive)',
    category: 'customers',
    requirements:
      'TISAX assessment at AL3 (very high availability, prototype protection) per VDA ISA 6; information security clauses in the supply contracts; notification of security incidents affecting their data within 24 hours.',
    addressed: 'yes',
    how: 'ISMS scope covers design and manufacturing in Lübeck; TISAX AL3 assessment planned with the ISO 27001 certification; incident workflow notifies customers; prototype areas with access control.',
    feedback:
      'Supplier audit of one OEM: asked for evidence of photo restrictions and sight protection for test vehicles before the next model start.',
    feedbackDaysAgo: 40,
    ownerUserId: ISO.userId,
    ownerName: ISO.name,
    reviewInDays: 120,
  },
  {
    name: 'BSI (Federal Office for Information Security)',
    category: 'authorities',
    requirements:
      'As a wichtige Einrichtung under the BSIG: registration, risk management measures (§ 30 BSIG), reporting of significant incidents within 24 h / 72 h / one month (§ 32 BSIG), training of management (§ 38 Abs. 3 BSIG).',
    addressed: 'yes',
    how: 'The NIS2 obligations are checked again every year; measures in the risk treatment plan; incident workflow with the legal clocks; awareness campaigns include management.',
    ownerUserId: ISO.userId,
    ownerName: ISO.name,
    reviewInDays: 200,
  },
  {
    name: 'Staff',
    category: 'employees',
    requirements:
      'Clear rules for using IT and mobile devices, training they can follow, protection of their personal data, a way to report incidents without blame.',
    addressed: 'yes',
    how: 'Policies acknowledged through awareness campaigns; the incident report form on every page; data protection by the DPO.',
    feedback: 'Staff survey: the phishing lesson was useful; asked for a shorter policy summary.',
    feedbackDaysAgo: 75,
    ownerUserId: MEMBER.userId,
    ownerName: MEMBER.name,
    reviewInDays: 60,
  },
  {
    name: 'Works council',
    category: 'employees',
    requirements:
      'Co-determination before tools that can monitor performance or behaviour are introduced (§ 87 Abs. 1 Nr. 6 BetrVG), e.g. EDR and log analysis.',
    addressed: 'partly',
    how: 'Works agreement on e-mail filtering concluded; the agreement on EDR and log analysis is being negotiated.',
    ownerUserId: MGMT.userId,
    ownerName: MGMT.name,
    reviewInDays: 30,
  },
  {
    name: 'Cyber insurer',
    category: 'insurers',
    requirements:
      'Multi-factor authentication for remote access and administrators, offline backups tested every quarter, EDR on all endpoints, critical patches within 30 days.',
    addressed: 'partly',
    how: 'MFA and tested offline backups are in place; EDR on the shop-floor PCs is still open (risk treatment plan).',
    ownerUserId: ISO.userId,
    ownerName: ISO.name,
    reviewInDays: 90,
  },
  {
    name: 'Data protection authority (ULD Schleswig-Holstein)',
    category: 'authorities',
    requirements:
      'Security of processing (Art. 32 DSGVO), notification of personal data breaches within 72 hours (Art. 33 DSGVO), a designated data protection officer.',
    addressed: 'yes',
    how: 'DPO appointed; the incident workflow runs the GDPR clocks; technical and organisational measures in the SoA.',
    ownerUserId: ISO.userId,
    ownerName: ISO.name,
    reviewInDays: 250,
  },
  {
    name: 'Owners and managing directors',
    category: 'owners',
    requirements:
      'Production stays available, design know-how stays protected, the company meets NIS2 (management is liable, § 38 BSIG) and keeps its OEM approvals.',
    addressed: 'yes',
    how: 'Management review twice a year; risk acceptance by management; certification plan to ISO 27001 and TISAX.',
    ownerUserId: MGMT.userId,
    ownerName: MGMT.name,
    reviewInDays: 150,
  },
  {
    name: 'IT managed service provider',
    category: 'suppliers',
    requirements:
      'Defined remote access, named contacts for incidents, clear responsibilities for patching and backups.',
    addressed: 'partly',
    how: 'Contract with security annex; the yearly supplier review is due. Remote access still uses a shared account.',
    ownerUserId: ISO.userId,
    ownerName: ISO.name,
    reviewInDays: -5,
  },
  {
    name: 'Local community and neighbours',
    category: 'public',
    requirements: 'No information security requirements beyond the general law.',
    addressed: 'no',
    how: 'Not relevant for the ISMS; noted for completeness and looked at again in the yearly review.',
    ownerUserId: ISO.userId,
    ownerName: ISO.name,
    reviewInDays: 300,
  },
]

/** Nordlicht's internal and external issues (4.1). */
const ISSUES: ContextIssue[] = [
  {
    kind: 'external',
    title: 'NIS2 in Germany: Nordlicht is a wichtige Einrichtung',
    effect:
      'Risk management measures, reporting duties and management training become law; the BSI supervises.',
  },
  {
    kind: 'external',
    title: 'OEM customers require TISAX AL3 for prototype work',
    effect: 'Without the label no new prototype orders; prototype protection extends the scope.',
  },
  {
    kind: 'external',
    title: 'Ransomware attacks on mid-sized manufacturers',
    effect:
      'Production and design data are at risk; backups, segmentation and incident response are priorities.',
  },
  {
    kind: 'external',
    title: 'Heavy rain, storm surges and heat at the Lübeck site',
    effect:
      'The server room is on the ground floor near the Trave; cooling is stretched in heat waves (climate change).',
  },
  {
    kind: 'internal',
    title: 'Shop-floor machines with outdated operating systems',
    effect: 'Cannot be patched; they need network segmentation and compensating controls.',
  },
  {
    kind: 'internal',
    title: 'Small IT team (three people) with a managed service provider',
    effect: 'Little redundancy; supplier management and clear responsibilities matter.',
  },
]

const CLIMATE_DECISION: Omit<ClimateDecision, 'decidedOn'> = {
  relevant: 'yes',
  reasoning:
    'Heavy rain and storm surges threaten the ground-floor server room and the power supply in Lübeck; heat waves strain the cooling. Considered in business continuity (A.5.29, A.5.30) and the protection of equipment (A.7.5).',
  decidedBy: ISO.userId,
  decidedByName: ISO.name,
}

/**
 * Seed step: Nordlicht's context — nine interested parties with their requirements (OEM
 * customers with TISAX, the BSI, employees, the works council, the cyber insurer, the data
 * protection authority, the owners, the IT service provider, the neighbours), six internal and
 * external issues, and the decision that climate change is a relevant issue. Idempotent: what
 * exists is left alone.
 */
export const context: SeedStep = {
  name: 'context',
  async run({ deps, actor }) {
    const org = deps.records.forOrg(ORG)
    const now = deps.now()
    const day = (offset: number) => new Date(now.getTime() + offset * DAY).toISOString().slice(0, 10)
    let created = 0
    for (const { reviewInDays, feedbackDaysAgo, ...p } of PARTIES) {
      const id = partyId(p.name)
      if (await org.get(PARTY, id)) continue
      const data: InterestedParty = {
        ...p,
        nextReviewOn: day(reviewInDays),
        ...(feedbackDaysAgo ? { feedbackOn: day(-feedbackDaysAgo) } : {}),
      }
      await org.create(PARTY, id, data, { actor, action: 'party.create', index: partyIndex(ORG, p.name, id) })
      created++
    }
    for (const issue of ISSUES) {
      const id = issueId(issue.kind, issue.title)
      if (await org.get(ISSUE, id)) continue
      await org.create(ISSUE, id, issue, {
        actor,
        action: 'issue.create',
        index: issueIndex(ORG, issue.kind, now.toISOString(), id),
      })
      created++
    }
    if (!(await org.get(CLIMATE, CLIMATE_ID))) {
      await org.create(
        CLIMATE,
        CLIMATE_ID,
        { ...CLIMATE_DECISION, decidedOn: day(-30) },
        { actor, action: 'climate.decide' },
      )
      created++
    }
    return created
  },
}
