import { describe, expect, it } from 'vitest'
import {
  type CertificationTemplate,
  type PlannedMilestone,
  planMilestones,
} from '../../../functions/domain/certification/index.js'
import { AppError } from '../../../functions/domain/errors.js'
import { addDays } from '../../../functions/domain/risk/index.js'
import iso from '../../../workflows/certification/iso27001.json' with { type: 'json' }

const m = (id: string, leadDays: number, durationDays: number, dependsOn: string[] = []) => ({
  id,
  title: { en: id, de: id },
  clause: '',
  phase: 'preparation' as const,
  leadDays,
  durationDays,
  dependsOn,
  completes: { kind: 'task' as const },
  performerRole: 'iso' as const,
})

/** a → b → audit, a → c → audit, p → q → audit (p is pulled earlier by q). */
const template: CertificationTemplate = {
  id: 'small',
  version: 1,
  standard: 'iso27001',
  title: { en: 'Small', de: 'Klein' },
  anchorId: 'audit',
  milestones: [
    m('a', 30, 10),
    m('b', 5, 20, ['a']),
    m('c', 2, 3, ['a']),
    m('p', 3, 2),
    m('q', 10, 15, ['p']),
    { ...m('audit', 0, 1, ['b', 'c', 'q']), completes: { kind: 'audit' as const } },
  ],
}
const D = '2026-06-30'
const daysBefore = (days: number) => addDays(D, -days)
const byId = (plan: PlannedMilestone[]) => Object.fromEntries(plan.map((x) => [x.id, x]))

function fieldsOf(fn: () => unknown) {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError) return err.fields
    throw err
  }
  throw new Error('expected an AppError')
}

describe('planMilestones: backward planning', () => {
  const plan = byId(planMilestones(template, D, {}, daysBefore(90)))

  it('plans due dates back from the audit date with lead times', () => {
    expect(plan.audit).toMatchObject({ due: D, start: daysBefore(1) })
    expect(plan.a).toMatchObject({ due: daysBefore(30), start: daysBefore(40) })
    expect(plan.b).toMatchObject({ due: daysBefore(5), start: daysBefore(25) })
    expect(plan.c).toMatchObject({ due: daysBefore(2), start: daysBefore(5) })
  })

  it('makes a milestone due no later than the start of what depends on it', () => {
    expect(plan.p!.due).toBe(daysBefore(25))
    for (const x of Object.values(plan))
      for (const dep of x.dependsOn) expect(plan[dep]!.due <= x.start).toBe(true)
  })

  it('knows which milestones can start', () => {
    expect(plan.a!.status).toBe('ready')
    expect(plan.b!.status).toBe('waiting')
  })

  it('computes earliest finish and slack from today through unfinished dependencies', () => {
    expect(plan.a).toMatchObject({ earliestFinish: daysBefore(80), slackDays: 50 })
    expect(plan.b).toMatchObject({ earliestFinish: daysBefore(60), slackDays: 55 })
    expect(plan.audit).toMatchObject({ earliestFinish: daysBefore(59), slackDays: 59 })
  })

  it('marks the zero-slack chain to the audit as critical', () => {
    expect(
      Object.values(plan)
        .filter((x) => x.critical)
        .map((x) => x.id),
    ).toEqual(['a', 'b', 'audit'])
  })
})

describe('planMilestones: moving the audit date', () => {
  it('moves every milestone that is not done and keeps the recorded due date of what is done', () => {
    const today = daysBefore(60)
    const first = byId(
      planMilestones(template, D, { done: { a: { on: daysBefore(65), due: daysBefore(30) } } }, today),
    )
    const moved = byId(
      planMilestones(
        template,
        addDays(D, 30),
        { done: { a: { on: daysBefore(65), due: daysBefore(30) } } },
        today,
      ),
    )
    for (const id of ['b', 'c', 'p', 'q', 'audit']) expect(moved[id]!.due).toBe(addDays(first[id]!.due, 30))
    expect(moved.a).toMatchObject({
      status: 'done',
      doneOn: daysBefore(65),
      due: daysBefore(30),
      late: false,
    })
    expect(moved.b!.status).toBe('ready')
  })

  it('moves done milestones too when only their date is recorded', () => {
    const onTime = byId(planMilestones(template, D, { done: { a: daysBefore(45) } }, daysBefore(40)))
    expect(onTime.a).toMatchObject({ due: daysBefore(30), late: false })
    const moved = byId(
      planMilestones(template, addDays(D, -20), { done: { a: daysBefore(45) } }, daysBefore(40)),
    )
    expect(moved.a).toMatchObject({ due: daysBefore(50), late: true })
  })
})

describe('planMilestones: flags before and after the due date', () => {
  it('flags a milestone that can no longer make its date before it is late', () => {
    const plan = byId(planMilestones(template, D, {}, daysBefore(35)))
    expect(plan.a).toMatchObject({ late: false, atRisk: true, slackDays: -5, critical: true })
    expect(plan.c).toMatchObject({ atRisk: false })
  })

  it('flags a late milestone once today is past its due date', () => {
    const plan = byId(planMilestones(template, D, {}, daysBefore(28)))
    expect(plan.a).toMatchObject({ late: true, atRisk: false })
    expect(plan.audit!.atRisk).toBe(true)
  })

  it('flags work done after its due date as late', () => {
    const plan = byId(planMilestones(template, D, { done: { a: daysBefore(29) } }, daysBefore(20)))
    expect(plan.a).toMatchObject({ status: 'done', late: true, critical: false, slackDays: null })
  })
})

describe('planMilestones: bad input', () => {
  it('refuses an audit date in the past, naming the field', () => {
    expect(fieldsOf(() => planMilestones(template, '2026-01-01', {}, '2026-02-01'))).toEqual({
      auditDate: 'must not be in the past',
    })
  })

  it('allows a past audit date once the audit is done, and plans the next one', () => {
    const iso27001 = iso as CertificationTemplate
    const done = Object.fromEntries(
      [
        'scope-context',
        'policy-approved',
        'roles',
        'risk-assessment',
        'risk-treatment',
        'soa',
        'objectives',
        'awareness',
        'controls-evidence',
        'internal-audit',
        'management-review',
        'stage-1',
        'nonconformities-closed',
        'stage-2',
        'certificate',
      ].map((id) => [id, '2026-01-20']),
    )
    const plan = byId(planMilestones(iso27001, '2026-01-15', { done }, '2026-03-01'))
    expect(plan['surveillance-1']).toMatchObject({ due: '2027-01-15', critical: true })
    expect(plan['surveillance-2']!.critical).toBe(false)
  })

  it('names bad dates and unknown or future done records', () => {
    expect(fieldsOf(() => planMilestones(template, '2026-13-01', {}, '2026-02-01'))).toEqual({
      auditDate: 'must be a date written YYYY-MM-DD',
    })
    expect(
      fieldsOf(() =>
        planMilestones(template, D, { done: { zz: '2026-01-01', a: '2026-05-01' } }, '2026-04-01'),
      ),
    ).toEqual({
      'done.zz': 'is not a milestone of this template',
      'done.a': 'must not be in the future',
    })
  })

  it('refuses a template with a loop', () => {
    const loop = {
      ...template,
      milestones: [m('x', 5, 1, ['y']), m('y', 5, 1, ['x']), m('audit', 0, 1, ['x'])],
    }
    expect(fieldsOf(() => planMilestones(loop, D, {}, daysBefore(90)))).toEqual({
      'milestones.0.dependsOn': 'forms a loop: x → y → x',
    })
  })
})

describe('planMilestones on the ISO 27001 template', () => {
  const plan = planMilestones(iso as CertificationTemplate, '2027-03-15', {}, '2026-06-01')

  it('puts the longest chain of work on the critical path', () => {
    expect(plan.filter((x) => x.critical).map((x) => x.id)).toEqual([
      'scope-context',
      'policy-approved',
      'roles',
      'risk-assessment',
      'risk-treatment',
      'soa',
      'controls-evidence',
      'internal-audit',
      'management-review',
      'stage-1',
      'nonconformities-closed',
      'stage-2',
    ])
  })

  it('plans surveillance after the audit and keeps every dependency before its dependent', () => {
    const at = byId(plan)
    expect(at['stage-2']!.due).toBe('2027-03-15')
    expect(at['surveillance-1']!.due).toBe('2028-03-14')
    expect(at.recertification!.due > at['surveillance-2']!.due).toBe(true)
    for (const x of plan) for (const dep of x.dependsOn) expect(at[dep]!.due <= x.start).toBe(true)
    expect(plan.every((x) => !x.late && !x.atRisk)).toBe(true)
  })
})
