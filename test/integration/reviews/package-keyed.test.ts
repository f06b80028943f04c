import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { everyRecordSource, loadManagementPackage } from '../../../functions/domain/reviews/package.js'
import { type ManagementPackage, REVIEW, type ReviewCycle } from '../../../functions/domain/reviews/types.js'
import { packageSource } from '../../../functions/store/package-source.js'
import { emptyRiskState, RISK } from '../../../functions/store/risk-register.js'
import { MINIMAL_SEED } from '../../../infra/local/seed/index.js'
import { startTestStack } from '../../support/stack.js'

const DAY = 86_400_000
/** More risks than one read of a stream (200). */
const RISKS = 240
const ACTOR = { actor: { userId: 'demo-iso' }, action: 'probe.create' }

/**
 * The management review package reads what grows with the work by key and period (the
 * management reviews by kind, the cycles scheduled or due in the periods it compares, the risks
 * it names with the register's counters and tallies, the nonconformities open or changed in its
 * periods): the package is exactly the one built from every record, past one read's page, and
 * each organisation's from its own records only.
 */
describe('the management review package reads by key and period', () => {
  let t: Awaited<ReturnType<typeof startTestStack>>

  const iso = (ms: number) => new Date(ms).toISOString()

  async function write(orgId: string, phase: 0 | 1) {
    const org = t.stack.deps.records.forOrg(orgId)
    const now = t.stack.clock.nowMs()
    const tag = orgId === 'nordlicht' ? 'N' : 'H'
    const risks = orgId === 'nordlicht' ? RISKS / 2 : 4
    const base = phase * risks
    for (let n = 0; n < risks; n += 20)
      await Promise.all(
        Array.from({ length: Math.min(20, risks - n) }, async (_, i) => {
          const k = base + n + i
          const measures = Object.fromEntries(
            Array.from({ length: k % 4 }, (_, m) => [`m${m}`, { status: m % 2 ? 'done' : 'open' }]),
          )
          await org.create(
            RISK,
            `R-${300 + k}`,
            {
              title: `${tag} package risk ${k}`,
              category: 'cyber',
              status: ['identified', 'assessed', 'treated', 'accepted', 'closed'][k % 5],
              ownerId: 'demo-iso',
              assets: [],
              likelihood: 1 + (k % 5),
              impact: 1 + ((k * 7) % 5),
              ...emptyRiskState(),
              measureProgress: measures,
              ...(k % 5 === 3
                ? { acceptance: { status: 'active', expiresOn: iso(now + k * DAY).slice(0, 10) } }
                : {}),
            },
            ACTOR,
          )
          if (k % 6 === 0)
            await org.create(
              'cert-nc',
              `P1#NC-${tag}${k}`,
              {
                projectId: 'P1',
                title: `${tag} finding ${k}`,
                description: 'Probe',
                source: 'internal-audit',
                foundOn: iso(now).slice(0, 10),
                severity: k % 12 === 0 ? 'major' : 'minor',
                ...(k % 4 === 0
                  ? {
                      closure: {
                        rootCause: 'r',
                        actionTaken: 'a',
                        effectiveOn: iso(now).slice(0, 10),
                        by: 'demo-iso',
                        at: iso(now),
                      },
                    }
                  : {}),
              },
              ACTOR,
            )
          // Review cycles spread over two years before now, some management reviews among them.
          const at = now - (k * 3 + 1) * DAY
          const management = k % 40 === 7
          const cycle: ReviewCycle = {
            entryId: management ? 'mr' : `entry-${k % 3}`,
            kind: management ? 'management-review' : 'access-review',
            title: { en: `${tag} cycle ${k}`, de: `${tag} Durchlauf ${k}` },
            formId: 'access-review',
            occurrenceId: `${tag}-${k}`,
            trigger: 'schedule',
            scheduledAt: iso(at),
            dueAt: iso(at + 14 * DAY),
            period: { from: iso(at - 90 * DAY), to: iso(at) },
            status: k % 7 === 0 ? 'missed' : k % 3 ? 'completed' : 'open',
            ...(k % 3 && k % 7
              ? {
                  completedAt: iso(at + 10 * DAY),
                  answers: { outcome: k % 2 ? 'effective' : 'changes-needed', improvements: `Improve ${k}` },
                }
              : {}),
            ...(k % 11 === 0 ? { overdue: { at: iso(at + 15 * DAY) } } : {}),
            performer: { role: 'iso' },
            rounds: 1,
            signOff: { required: false, history: [] },
            actions: management
              ? [
                  {
                    id: 'a1',
                    title: `${tag} action ${k}`,
                    assignee: { role: 'iso' },
                    dueAt: iso(at + 60 * DAY),
                    status: k % 2 ? 'done' : 'open',
                  },
                ]
              : [],
          }
          await org.create(REVIEW, `${tag}-cycle-${k}`, cycle, ACTOR)
        }),
      )
    // Changes in the later period: some risks and findings change.
    if (phase === 1)
      for (const id of [`R-${300 + 2}`, `R-${300 + 9}`]) {
        const rec = await org.get<Record<string, unknown>>(RISK, id)
        if (rec)
          await org.update(
            RISK,
            id,
            { ...rec.data, title: `${rec.data.title} (changed)` },
            { ...ACTOR, expectedVersion: rec.version },
          )
      }
  }

  const packages = async (orgId: string): Promise<[ManagementPackage, ManagementPackage]> => {
    const org = t.stack.deps.records.forOrg(orgId)
    const keyed = packageSource(t.stack.deps.taskStore, org)
    const now = new Date(t.stack.clock.nowMs())
    return Promise.all([
      loadManagementPackage(org, keyed, now),
      loadManagementPackage(org, everyRecordSource(org, keyed), now),
    ])
  }

  beforeAll(async () => {
    t = await startTestStack({ seedSteps: MINIMAL_SEED })
    await Promise.all([write('nordlicht', 0), write('hafenstadt', 0)])
    await t.stack.clock.advance(120 * DAY)
    await Promise.all([write('nordlicht', 1), write('hafenstadt', 1)])
  }, 600_000)
  afterAll(async () => t?.close())

  it('is the package every record gives, past one read of each stream', async () => {
    const [keyed, every] = await packages('nordlicht')
    expect(keyed).toEqual(every)
    const section = (id: string) => keyed.sections.find((s) => s.id === id)
    expect(section('risks')?.counts?.total).toBe(RISKS)
    expect(section('risks')?.counts?.measures).toBeGreaterThan(0)
    expect(section('risks')?.lines.some((l) => l.en.startsWith('Highest:'))).toBe(true)
    expect(section('risks')?.lines.some((l) => l.en.startsWith('Accepted:'))).toBe(true)
    expect(section('nonconformities')?.counts?.open).toBeGreaterThan(0)
    expect(section('previous-actions')?.counts?.total).toBeGreaterThan(0)
    expect(section('monitoring')?.counts?.completed).toBeGreaterThan(0)
    expect(section('trends')?.empty).toBe(false)
  })

  it("builds each organisation's package from its own records", async () => {
    const [keyed, every] = await packages('hafenstadt')
    expect(keyed).toEqual(every)
    expect(keyed.sections.find((s) => s.id === 'risks')?.counts?.total).toBe(8)
    expect(JSON.stringify(keyed)).not.toContain('N package risk')
  })
})
