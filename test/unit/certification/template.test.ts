import { describe, expect, it } from 'vitest'
import {
  type CertificationTemplate,
  findDependencyCycle,
  parseCertificationTemplate,
  severityProblem,
  templateProblems,
} from '../../../functions/domain/certification/index.js'
import { type AppError, ValidationError } from '../../../functions/domain/errors.js'
import iso from '../../../workflows/certification/iso27001.json' with { type: 'json' }
import tisax from '../../../workflows/certification/tisax.json' with { type: 'json' }

const ms = (id: string, dependsOn: string[] = [], leadDays = 10) => ({
  id,
  title: { en: id, de: id },
  leadDays,
  durationDays: 1,
  dependsOn,
  completes: { kind: 'task' },
  performerRole: 'iso',
})
const tpl = (milestones: object[], anchorId = 'audit') => ({
  id: 't',
  version: 1,
  standard: 'iso27001',
  title: { en: 'T', de: 'T' },
  anchorId,
  milestones,
})

describe('milestone templates in workflows/certification', () => {
  it('parse, with the ISO 27001 steps in order of the standard', () => {
    const t = parseCertificationTemplate(iso)
    expect(t.milestones.map((m) => m.id)).toEqual([
      'scope-context',
      'policy-approved',
      'roles',
      'risk-assessment',
      'risk-treatment',
      'soa',
      'objectives',
      'awareness',
      'controls-evidence',
      'monitoring-measurement',
      'internal-audit',
      'management-review',
      'stage-1',
      'nonconformities-closed',
      'stage-2',
      'certificate',
      'internal-audit-s1',
      'management-review-s1',
      'surveillance-1',
      'internal-audit-s2',
      'management-review-s2',
      'surveillance-2',
      'internal-audit-r',
      'management-review-r',
      'recertification',
    ])
    expect(t.milestones.find((m) => m.id === 'soa')!.clause).toBe('6.1.3 d')
    const byId = new Map(t.milestones.map((m) => [m.id, m]))
    // 9.1: a first round of metrics before the internal audit, hence before Stage 1.
    expect(byId.get('monitoring-measurement')).toMatchObject({ clause: '9.1', completes: { kind: 'form' } })
    expect(byId.get('internal-audit')?.dependsOn).toContain('monitoring-measurement')
    // Before each surveillance audit and the recertification: an internal audit, then a management review.
    for (const [audit, sfx] of [
      ['surveillance-1', 's1'],
      ['surveillance-2', 's2'],
      ['recertification', 'r'],
    ] as const) {
      expect(byId.get(audit)?.dependsOn).toEqual([`management-review-${sfx}`])
      expect(byId.get(`management-review-${sfx}`)).toMatchObject({
        clause: '9.3',
        dependsOn: [`internal-audit-${sfx}`],
      })
      expect(byId.get(`internal-audit-${sfx}`)?.clause).toBe('9.2')
    }
    // Stage 1 finds areas of concern (ISO/IEC 17021-1), named so; other audits find nonconformities.
    expect(byId.get('stage-1')?.findings).toBe('areas-of-concern')
    expect(byId.get('stage-2')?.findings).toBeUndefined()
    expect(byId.get('nonconformities-closed')?.title.en).toBe('Areas of concern from Stage 1 addressed')
    expect(severityProblem(t, 'stage-1', 'minor')).toMatch(/areas of concern, not nonconformities/)
    expect(severityProblem(t, 'stage-1', 'area-of-concern')).toBeUndefined()
    expect(severityProblem(t, 'stage-2', 'area-of-concern')).toMatch(/only a Stage 1 audit/)
    expect(severityProblem(t, 'internal-audit', 'major')).toBeUndefined()
    const tx = parseCertificationTemplate(tisax)
    expect(tx.anchorId).toBe('assessment')
    expect(tx.milestones.map((m) => m.id)).toContain('enx-registration')
  })
})

describe('templateProblems', () => {
  it('names the loop', () => {
    const fields = templateProblems(
      tpl([ms('a', ['c']), ms('b', ['a']), ms('c', ['b']), ms('audit', ['c'], 0)]),
    )
    expect(fields).toEqual({ 'milestones.0.dependsOn': 'forms a loop: a → c → b → a' })
  })

  it('refuses unknown and self dependencies, duplicate ids and a bad anchor', () => {
    const fields = templateProblems(tpl([ms('a', ['a']), ms('a'), ms('b', ['zz']), ms('audit', [], 5)]))
    expect(fields).toEqual({
      'milestones.0.dependsOn.0': 'a milestone cannot depend on itself',
      'milestones.1.id': '"a" is used by another milestone',
      'milestones.2.dependsOn.0': '"zz" is not a milestone of this template',
      'milestones.3.leadDays': 'must be 0 for the anchor (the audit itself)',
    })
    expect(templateProblems(tpl([ms('audit', [], 0)], 'stage-9'))).toEqual({
      anchorId: '"stage-9" is not a milestone of this template',
    })
  })

  it('requires a formId for form milestones', () => {
    const m = { ...ms('audit', [], 0), completes: { kind: 'form' } }
    expect(templateProblems(tpl([m]))).toEqual({
      'milestones.0.completes.formId': 'is required for kind "form"',
    })
  })

  it('throws a 400 from parseCertificationTemplate', () => {
    try {
      parseCertificationTemplate(
        tpl([ms('a', ['b']), ms('b', ['a']), ms('audit', [], 0)]) as unknown as CertificationTemplate,
      )
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError)
      expect((err as AppError).fields).toEqual({ 'milestones.0.dependsOn': 'forms a loop: a → b → a' })
    }
  })
})

describe('findDependencyCycle', () => {
  it('returns null for a DAG with shared dependencies', () => {
    expect(
      findDependencyCycle([ms('a'), ms('b', ['a']), ms('c', ['a', 'b']), ms('d', ['b', 'c'])]),
    ).toBeNull()
  })
})
