import type { Deps } from '../../../../functions/api/env.js'
import { INCIDENT_WORKFLOW } from '../../../../functions/api/routes/incidents.js'
import {
  applyClose,
  applySent,
  applyTriage,
  type IncidentData,
} from '../../../../functions/domain/incidents/index.js'
import { DEFAULT_TIME_ZONE } from '../../../../functions/domain/schedules/zone.js'
import { currentRegime, INCIDENT } from '../../../../functions/store/incidents.js'
import type { SeedStep } from '../types.js'

const HOUR = 3_600_000
const ISO = { userId: 'demo-iso', name: 'Ines Sommer' }
const MEMBER = { userId: 'demo-member', name: 'Mia Keller' }
const ORG = 'nordlicht'

const iso = (ms: number) => new Date(ms).toISOString()

/** A demo incident's record as it stands after `steps` were taken. */
async function demoIncident(
  deps: Deps,
  base: Pick<IncidentData, 'title' | 'description' | 'affected' | 'detectedBy' | 'awareAt'>,
): Promise<IncidentData> {
  return {
    ...base,
    reportedBy: MEMBER.userId,
    reportedByName: MEMBER.name,
    reportedAt: iso(Date.parse(base.awareAt) + 20 * 60_000),
    hints: { significant: true },
    classification: { significant: null, personalDataBreach: null, gdprRisk: null },
    regime: await currentRegime(deps.records.forOrg(ORG)),
    reportingEntity: {
      name: 'Nordlicht Maschinenbau GmbH',
      sector: 'Verarbeitendes Gewerbe / Maschinenbau (Anlage 2 BSIG)',
    },
    timeZone: DEFAULT_TIME_ZONE,
    reports: [],
    notes: [],
    tracked: {},
    assignees: [],
    timeline: [
      { at: base.awareAt, what: 'aware' },
      {
        at: iso(Date.parse(base.awareAt) + 20 * 60_000),
        what: 'reported',
        by: MEMBER.userId,
        byName: MEMBER.name,
      },
    ],
  }
}

const sign = (ms: number) => ({ by: ISO.userId, byName: ISO.name, at: iso(ms) })

/**
 * Seed step: Nordlicht's incidents. One closed significant incident (a phishing wave that took
 * over a mailbox) with every report sent in time and lessons learned; one open ransomware
 * incident whose early warning went out and whose 72 h notification is due in about six hours,
 * its task in the ISO's inbox with the draft pre-filled (a `clocks` run of the `incident`
 * workflow). Fixed ids: a second start finds them and writes nothing.
 */
export const incidents: SeedStep = {
  name: 'incidents',
  async run({ deps, log }) {
    const org = deps.records.forOrg(ORG)
    const now = deps.now().getTime()
    let created = 0

    if (!(await org.get(INCIDENT, 'INC-DEMO-001'))) {
      const aware = now - 40 * 24 * HOUR
      let d = await demoIncident(deps, {
        title: 'Phishing: mailbox of the purchasing department taken over',
        description:
          'A supplier-themed phishing mail led to a stolen password; the attacker sent 1,200 mails with fake bank details to customers from the purchasing mailbox.',
        affected: 'Microsoft 365 mail, purchasing department (Kiel site)',
        detectedBy: 'Customer called to check a changed bank account',
        awareAt: iso(aware),
      })
      d = applyTriage(
        d,
        {
          severeDisruption: 'no',
          financialLoss: 'no',
          harmToOthers: 'yes',
          malicious: 'yes',
          crossBorder: 'yes',
          usersAffected: 1200,
          durationHours: 9,
          significant: 'yes',
          personalDataBreach: 'no',
          assessment:
            'Account takeover through phishing; customers in DE and DK targeted with invoice fraud.',
        },
        sign(aware + 2 * HOUR),
      )
      const channel = 'bsi-portal'
      d = applySent(
        d,
        { kind: 'nis2-early-warning', sentAt: iso(aware + 6 * HOUR), channel, reference: 'BSI-2026-004711' },
        sign(aware + 6 * HOUR),
      )
      d = applySent(
        d,
        { kind: 'nis2-notification', sentAt: iso(aware + 40 * HOUR), channel, reference: 'BSI-2026-004711' },
        sign(aware + 40 * HOUR),
      )
      d = applyClose(
        d,
        {
          lessonsLearned:
            'MFA was missing on shared mailboxes. Now enforced for every mailbox; supplier bank changes are confirmed by phone; phishing training for purchasing repeated.',
          newRisk: true,
        },
        sign(aware + 10 * 24 * HOUR),
      )
      d = applySent(
        d,
        {
          kind: 'nis2-final-report',
          sentAt: iso(aware + 20 * 24 * HOUR),
          channel,
          reference: 'BSI-2026-004711',
        },
        sign(aware + 20 * 24 * HOUR),
      )
      await org.create<IncidentData>(INCIDENT, 'INC-DEMO-001', d, {
        actor: ISO,
        action: 'incident.report',
      })
      created++
    }

    if (!(await org.get(INCIDENT, 'INC-DEMO-002'))) {
      const aware = now - 66 * HOUR
      let d = await demoIncident(deps, {
        title: 'Ransomware on the CAD file server',
        description:
          'Files on the CAD file server fs-cad01 were encrypted overnight; a ransom note names LockBit. Production drawings for two customer projects are unavailable.',
        affected: 'CAD file server fs-cad01, engineering (Kiel), VPN gateway',
        detectedBy: 'Engineering team at 07:10',
        awareAt: iso(aware),
      })
      d = applyTriage(
        d,
        {
          severeDisruption: 'yes',
          financialLoss: 'not-sure',
          harmToOthers: 'no',
          malicious: 'yes',
          crossBorder: 'no',
          usersAffected: 85,
          durationHours: 66,
          significant: 'yes',
          personalDataBreach: 'no',
          assessment:
            'Severe: engineering cannot work; backups from the day before are intact. Entry through the VPN gateway (unpatched). IoC: 185.220.101.4, lockbit3.exe.',
        },
        sign(aware + 3 * HOUR),
      )
      d = applySent(
        d,
        {
          kind: 'nis2-early-warning',
          sentAt: iso(aware + 18 * HOUR),
          channel: 'bsi-portal',
          reference: 'BSI-2026-005102',
        },
        sign(aware + 18 * HOUR),
      )
      d.assignees = [MEMBER.userId]
      await org.create<IncidentData>(INCIDENT, 'INC-DEMO-002', d, {
        actor: ISO,
        action: 'incident.report',
      })
      created++
      try {
        const name = `${ORG}-INC-DEMO-002-seed`
        const run = await deps.workflows.start(
          INCIDENT_WORKFLOW,
          { orgId: ORG, incidentId: 'INC-DEMO-002', mode: 'clocks' },
          name,
        )
        await org.mutate<IncidentData>(
          INCIDENT,
          'INC-DEMO-002',
          (x) => ({ ...x, execution: { arn: run.executionArn, name } }),
          {
            actor: ISO,
            action: 'incident.start',
          },
        )
      } catch (err) {
        log(`seed: incident clocks skipped, the workflow engine is not reachable (${(err as Error).name})`)
      }
    }
    return created
  },
}
