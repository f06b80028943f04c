import { describe, expect, it } from 'vitest'
import {
  type AreaId,
  type AuditProgramme,
  areaOf,
  auditProblems,
  type CorrectiveAction,
  checkEffectiveness,
  coverage,
  effectivenessProblems,
  findingProblems,
  type InternalAudit,
  implementationProblems,
  nextAuditId,
} from '../../../functions/domain/audits/index.js'

const programme: AuditProgramme = { cycleStart: 2026, years: 3, owners: { 'A.8': 'it-lead', '9': 'iso' } }
const members = new Map<string, string[]>([
  ['iso', ['iso']],
  ['it-lead', ['member']],
  ['boss', ['management']],
  ['ext', ['auditor']],
])
const audit = (
  id: string,
  plannedOn: string,
  areas: string[],
  status: InternalAudit['status'] = 'planned',
) => ({
  id,
  title: id,
  plannedOn,
  areas,
  status,
  findings: [],
})

describe('audit programme: cycle, independence, coverage', () => {
  it('refuses a date outside the cycle and an auditor who owns an area in scope', () => {
    const areas: AreaId[] = ['A.8', '9']
    const base = { title: 'A', plannedOn: '2026-05-01', areas }
    expect(
      auditProblems({ ...base, plannedOn: '2029-01-01', auditorName: 'X' }, { programme, members }),
    ).toEqual({
      plannedOn: "must be within the programme's cycle, 2026-01-01 to 2028-12-31",
    })
    expect(auditProblems({ ...base, auditorId: 'it-lead' }, { programme, members }).auditorId).toMatch(
      /may not audit their own area \(A\.8\)/,
    )
    expect(auditProblems({ ...base, auditorId: 'iso' }, { programme, members }).auditorId).toMatch(/\(9\)/)
    expect(auditProblems({ ...base, auditorId: 'boss' }, { programme, members })).toEqual({})
    expect(auditProblems({ ...base, auditorId: 'ext' }, { programme, members }).auditorId).toMatch(
      /read only/,
    )
    expect(
      auditProblems({ ...base, auditorId: 'boss', auditorName: 'X' }, { programme, members }),
    ).toHaveProperty('auditorName')
  })

  it('covers every clause and Annex A theme over the cycle; cancelled audits and years outside do not count', () => {
    const c = coverage(programme, [
      audit('IA-2026-01', '2026-03-01', ['4', '5', '6', '7', '8']),
      audit('IA-2027-01', '2027-03-01', ['9', '10', 'A.5', 'A.6']),
      audit('IA-2027-02', '2027-06-01', ['A.7'], 'cancelled'),
      audit('IA-2030-01', '2030-06-01', ['A.8']),
    ])
    expect(c.years).toEqual([2026, 2027, 2028])
    expect(c.uncovered).toEqual(['A.7', 'A.8'])
    expect(c.areas.find((a) => a.id === '9')).toMatchObject({
      ownerId: 'iso',
      byYear: { 2027: ['IA-2027-01'] },
    })
  })

  it('numbers audits per year and maps references to their area', () => {
    expect(nextAuditId(2026, new Set(['IA-2026-01']))).toBe('IA-2026-02')
    expect([areaOf('A.8.13'), areaOf('9.1'), areaOf('10'), areaOf('A.9.1'), areaOf('11.2')]).toEqual([
      'A.8',
      '9',
      '10',
      undefined,
      undefined,
    ])
  })
})

describe('findings and corrective actions (10.2)', () => {
  const ctx = { auditAreas: ['A.8'], members, today: '2026-05-01' }
  it('a nonconformity has a severity and a corrective action with a member as owner; an opportunity neither', () => {
    expect(findingProblems({ type: 'nonconformity', area: 'A.8', description: 'x' }, ctx)).toEqual({
      severity: 'a nonconformity is major or minor',
      correctiveAction: 'a nonconformity needs a corrective action with an owner and a due date',
    })
    expect(
      findingProblems(
        {
          type: 'opportunity',
          area: 'A.8',
          severity: 'minor',
          description: 'x',
          correctiveAction: { description: 'y', ownerId: 'it-lead', dueOn: '2026-06-01' },
        },
        ctx,
      ),
    ).toEqual({
      severity: 'only a nonconformity has a severity',
      correctiveAction: 'only a nonconformity gets a corrective action',
    })
  })

  const ca: CorrectiveAction = {
    description: 'Patch',
    ownerId: 'it-lead',
    dueOn: '2026-06-01',
    status: 'open',
    checks: [],
  }
  const iso = { userId: 'iso', isIso: true }
  it('only the owner or the ISO records the implementation', () => {
    expect(implementationProblems(ca, { userId: 'boss', isIso: false }).forbidden).toBeTruthy()
    expect(implementationProblems(ca, { userId: 'it-lead', isIso: false })).toEqual({ fields: {} })
    expect(implementationProblems({ ...ca, status: 'closed' }, iso).fields).toHaveProperty('status')
  })

  it('the effectiveness check is the ISO’s, never the implementer’s; not effective reopens with a new date', () => {
    const implemented: CorrectiveAction = {
      ...ca,
      status: 'implemented',
      implementation: { rootCause: 'r', actionTaken: 'a', on: '2026-05-10', by: 'iso' },
    }
    expect(
      effectivenessProblems(implemented, { effective: true, note: 'n' }, iso, '2026-05-20').forbidden,
    ).toMatch(/implemented/)
    const other = { userId: 'iso-2', isIso: true }
    expect(
      effectivenessProblems(implemented, { effective: false, note: 'n' }, other, '2026-05-20').fields,
    ).toEqual({
      dueOn: 'give a new due date for the rework',
    })
    const reopened = checkEffectiveness(
      implemented,
      { effective: false, note: 'n', dueOn: '2026-07-01' },
      other,
      '2026-05-20',
    )
    expect(reopened).toMatchObject({ status: 'open', dueOn: '2026-07-01', checks: [{ effective: false }] })
    const closed = checkEffectiveness(implemented, { effective: true, note: 'ok' }, other, '2026-05-20')
    expect(closed).toMatchObject({ status: 'closed', closedOn: '2026-05-20' })
  })
})
