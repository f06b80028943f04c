import { startWorkflow } from '../../../../functions/api/routes/awareness/campaigns.js'
import { executionIdOf } from '../../../../functions/api/routes/workflows/executions.js'
import { daysUntil } from '../../../../functions/api/routes/workflows/start.js'
import type { CampaignData, Participant } from '../../../../functions/domain/awareness/index.js'
import { CAMPAIGN, campaignIndex, REPORTING_LINE } from '../../../../functions/store/awareness.js'
import type { SeedStep } from '../types.js'

const ORG = 'nordlicht'
const DAY = 86_400_000
const ISO = { userId: 'demo-iso', name: 'Ines Sommer' }
const MANAGER = { userId: 'demo-management', name: 'Martin Brandt' }

/**
 * Nordlicht's staff beyond the demo sign-ins: members who take part in awareness campaigns
 * (no password: they cannot sign in to the demo).
 */
export const DEMO_STAFF = [
  { id: 'demo-staff-weber', name: 'Jonas Weber', email: 'jonas.weber@nordlicht.example' },
  { id: 'demo-staff-schulz', name: 'Sabine Schulz', email: 'sabine.schulz@nordlicht.example' },
  { id: 'demo-staff-yilmaz', name: 'Emre Yılmaz', email: 'emre.yilmaz@nordlicht.example' },
  { id: 'demo-staff-koch', name: 'Katrin Koch', email: 'katrin.koch@nordlicht.example' },
  { id: 'demo-staff-nowak', name: 'Piotr Nowak', email: 'piotr.nowak@nordlicht.example' },
  { id: 'demo-staff-becker', name: 'Laura Becker', email: 'laura.becker@nordlicht.example' },
  { id: 'demo-staff-hoffmann', name: 'Lukas Hoffmann', email: 'lukas.hoffmann@nordlicht.example' },
] as const

/** The demo campaigns' ids (fixed, so a second start finds them). */
export const DEMO_CAMPAIGNS = {
  previous: 'awareness-demo-policy-v2',
  running: 'awareness-demo-policy-v3',
} as const

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const title = (version: string) => ({
  en: `Acknowledge the information security policy ${version}`,
  de: `Informationssicherheitsleitlinie ${version} zur Kenntnis nehmen`,
})

/**
 * Seed step: Nordlicht's awareness programme. Seven staff members besides the demo sign-ins,
 * each reporting to Martin Brandt (management); last year's campaign for policy v2.1, closed
 * at 90 % (one acknowledgement escalated to the manager); and this year's campaign for policy
 * v3.0, running at 70 %: seven of ten acknowledged, Martin Brandt, Mia Keller and Lukas
 * Hoffmann still to go (their tasks wait in their inboxes). Idempotent: once the running
 * campaign exists, nothing is written.
 */
export const awareness: SeedStep = {
  name: 'awareness',
  async run({ deps, identity, actor, log }) {
    const org = deps.records.forOrg(ORG)
    if (await org.get(CAMPAIGN, DEMO_CAMPAIGNS.running)) return 0
    let created = 0
    for (const s of DEMO_STAFF) {
      if (await identity.createUser({ id: s.id, email: s.email, name: s.name, language: 'de' })) created++
      if (await identity.addMembership({ userId: s.id, orgId: ORG, roles: ['member'] })) created++
    }
    const staff = DEMO_STAFF.map((s) => ({ userId: s.id, name: s.name }))
    for (const p of [...staff, { userId: 'demo-member' }]) {
      if (await org.get(REPORTING_LINE, p.userId)) continue
      await org.create(
        REPORTING_LINE,
        p.userId,
        { managerUserId: MANAGER.userId },
        { actor, action: 'reporting-line.set' },
      )
      created++
    }
    const everyone = [ISO, MANAGER, { userId: 'demo-member', name: 'Mia Keller' }, ...staff]
    const person = (p: { userId: string; name: string }): Participant => ({
      ...p,
      ...(p.userId === ISO.userId || p.userId === MANAGER.userId
        ? {}
        : { managerUserId: MANAGER.userId, managerName: MANAGER.name }),
      status: 'open',
    })
    const now = deps.now().getTime()

    // Last year's campaign: closed at 90 %.
    const prevStart = now - 380 * DAY
    const previous: CampaignData = {
      kind: 'policy',
      title: title('v2.1'),
      reference: 'ISMS-LL-01 v2.1',
      audience: { type: 'all' },
      dueDate: day(prevStart + 21 * DAY),
      startedAt: new Date(prevStart).toISOString(),
      startedBy: ISO.userId,
      startedByName: ISO.name,
      status: 'closed',
      closedAt: new Date(prevStart + 28 * DAY).toISOString(),
      completionRate: 0.9,
      people: everyone.map((p, i) =>
        p.userId === 'demo-staff-nowak'
          ? {
              ...person(p),
              status: 'escalated',
              escalatedAt: new Date(prevStart + 24 * DAY).toISOString(),
              followUp: {
                answer: 'absent',
                at: new Date(prevStart + 26 * DAY).toISOString(),
                byName: MANAGER.name,
              },
            }
          : {
              ...person(p),
              status: 'acknowledged',
              acknowledgedAt: new Date(prevStart + (i + 1) * DAY).toISOString(),
            },
      ),
    }
    if (!(await org.get(CAMPAIGN, DEMO_CAMPAIGNS.previous))) {
      await org.create(CAMPAIGN, DEMO_CAMPAIGNS.previous, previous, {
        actor,
        action: 'awareness.start',
        index: campaignIndex(ORG, previous.startedAt, DEMO_CAMPAIGNS.previous),
      })
      created++
    }

    // This year's: 7 of 10 acknowledged; the workflow gives the three others their tasks.
    const start = now - 12 * DAY
    const open = new Set(['demo-management', 'demo-member', 'demo-staff-hoffmann'])
    const running: CampaignData = {
      kind: 'policy',
      title: title('v3.0'),
      reference: 'ISMS-LL-01 v3.0',
      audience: { type: 'all' },
      dueDate: day(now + 9 * DAY),
      startedAt: new Date(start).toISOString(),
      startedBy: ISO.userId,
      startedByName: ISO.name,
      follows: DEMO_CAMPAIGNS.previous,
      execution: executionIdOf(
        `${deps.workflows.machineArn('awareness-campaign')}:${DEMO_CAMPAIGNS.running}`,
      ),
      status: 'running',
      people: everyone.map((p, i) =>
        open.has(p.userId)
          ? person(p)
          : {
              ...person(p),
              status: 'acknowledged',
              acknowledgedAt: new Date(start + (i % 5) * DAY + 3_600_000).toISOString(),
            },
      ),
    }
    await org.create(CAMPAIGN, DEMO_CAMPAIGNS.running, running, {
      actor,
      action: 'awareness.start',
      index: campaignIndex(ORG, running.startedAt, DEMO_CAMPAIGNS.running),
    })
    created++
    try {
      await startWorkflow(
        deps,
        ORG,
        ISO,
        DEMO_CAMPAIGNS.running,
        running,
        daysUntil(running.dueDate, deps.now()) ?? 9,
      )
    } catch (err) {
      log(
        `seed: awareness campaign tasks skipped, the workflow engine is not reachable (${err instanceof Error ? err.name : String(err)})`,
      )
    }
    return created
  },
}
