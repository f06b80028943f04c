import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { detectCadence } from '../../../functions/domain/schedules/presets.js'
import { parseReviewTemplates, reviewTemplate } from '../../../functions/domain/schedules/templates.js'

const file = () =>
  JSON.parse(readFileSync(new URL('../../../workflows/reviews/templates.json', import.meta.url), 'utf8'))

const fieldsOf = (data: unknown) => {
  try {
    parseReviewTemplates(data)
  } catch (err) {
    return (err as { fields: Record<string, string> }).fields
  }
  throw new Error('expected the templates to be refused')
}

describe('review templates file', () => {
  const templates = parseReviewTemplates(file())

  it('holds the review kinds, exercises and technical checks with their cadences', () => {
    expect(Object.fromEntries(templates.map((t) => [t.kind, t.cadence]))).toEqual({
      'risk-review': 'quarterly',
      'policy-review': 'yearly',
      'access-review': 'half-yearly',
      'management-review': 'yearly',
      'obligation-reassessment': 'yearly',
      'supplier-review': 'yearly',
      'bcdr-exercise': 'yearly',
      'backup-restore-test': 'quarterly',
      'vulnerability-scan': 'monthly',
      'penetration-test': 'yearly',
      'asset-inventory-review': 'yearly',
    })
  })

  it('names a form review-<kind> for each, in both languages, with a matching expression', () => {
    for (const t of templates) {
      expect(t.formId).toBe(`review-${t.kind}`)
      expect(t.title.de).not.toBe(t.title.en)
      expect(detectCadence(t.expression)?.cadence).toBe(t.cadence)
      expect(Math.max(...t.reminderDaysBefore)).toBeLessThan(t.dueAfterDays)
    }
  })

  it('has management sign off the management review (ISO 27001 9.3)', () => {
    const mr = reviewTemplate(templates, 'management-review')
    expect(mr.managementSignOff).toBe(true)
    expect(mr.references).toContain('ISO/IEC 27001:2022 9.3')
  })

  it('answers an unknown kind with a validation error naming the field', () => {
    expect(() => reviewTemplate(templates, 'coffee-review', 'programme.kind')).toThrow(
      expect.objectContaining({
        fields: { 'programme.kind': expect.stringMatching(/unknown review kind coffee-review/) },
      }),
    )
  })
})

describe('parseReviewTemplates', () => {
  it('names the path of a missing translation and an unknown key', () => {
    const data = file()
    delete data.templates[2].title.de
    data.templates[4].colour = 'red'
    expect(fieldsOf(data)).toMatchObject({
      'templates[2].title.de': expect.any(String),
      'templates[4]': expect.stringMatching(/colour/),
    })
  })

  it('names the path of a bad expression, one not matching the cadence, and a late reminder', () => {
    const data = file()
    data.templates[0].expression = 'cron(0 9 * * * *)'
    data.templates[1].expression = 'cron(0 9 1 * ? *)'
    data.templates[3].reminderDaysBefore = [14, 60]
    expect(fieldsOf(data)).toEqual({
      'templates[0].expression': expect.stringMatching(/exactly one of them must be \?/),
      'templates[1].expression': 'is not a yearly cadence, e.g. cron(0 9 1 1 ? *)',
      'templates[3].reminderDaysBefore[1]': 'must be less than dueAfterDays (45)',
    })
  })

  it('refuses a duplicate kind and a wrong role', () => {
    const data = file()
    data.templates[5].kind = 'risk-review'
    expect(fieldsOf(data)).toEqual({ 'templates[5].kind': 'duplicates templates[0]' })
    const roles = file()
    roles.templates[0].performerRole = 'auditor'
    expect(Object.keys(fieldsOf(roles))).toEqual(['templates[0].performerRole'])
  })

  it('refuses something that is not a templates file', () => {
    expect(Object.keys(fieldsOf([]))).toEqual(['(root)'])
    expect(Object.keys(fieldsOf({ version: 1, templates: [] }))).toEqual(['templates'])
  })
})
