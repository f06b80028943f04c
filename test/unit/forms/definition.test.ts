import { describe, expect, it } from 'vitest'
import { ValidationError } from '../../../functions/domain/errors.js'
import {
  checkFormDefinition,
  createFormRegistry,
  evaluateForm,
  FormDefinitionError,
  parseFormDefinition,
} from '../../../functions/domain/forms/index.js'
import { loadFormDefinitions } from '../../../functions/forms/load.js'
import { form, opts, page, q, t } from './helpers.js'

/** The issues of a definition that must fail, as "path: message" lines. */
function issuesOf(def: unknown): string[] {
  const r = checkFormDefinition(def)
  if (r.ok) throw new Error('expected the definition to be rejected')
  return r.issues.map((i) => `${i.path}: ${i.message}`)
}

describe('parseFormDefinition', () => {
  it('accepts a valid definition and returns it checked', () => {
    const def = parseFormDefinition(form([page('one', [q('a', 'text')])]))
    expect(def.pages[0].questions?.[0].id).toBe('a')
  })

  it('accepts JSON text and reports text that is not JSON', () => {
    expect(parseFormDefinition(JSON.stringify(form([page('one', [q('a', 'text')])]))).id).toBe('test-form')
    expect(issuesOf('{ not json')[0]).toMatch(/^: not valid JSON/)
  })

  it('names the path of an expression that does not parse', () => {
    const def = form([
      page('one', [q('a', 'text')]),
      page('two', [q('b', 'text')]),
      page('three', [q('c', 'text', { visibleIf: 'a >' })]),
    ])
    expect(issuesOf(def)).toEqual([
      'pages[2].questions[0].visibleIf: expression does not parse: Unexpected end of expression (at character 3)',
    ])
  })

  it('throws a FormDefinitionError whose fields are keyed by path', () => {
    const def = form([page('one', [q('a', 'text', { requiredIf: '(' })])])
    try {
      parseFormDefinition(def, 'broken.json')
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(FormDefinitionError)
      const e = err as FormDefinitionError
      expect(e.code).toBe('validation_failed')
      expect(e).toBeInstanceOf(ValidationError)
      expect(e.message).toContain('Invalid broken.json')
      expect(Object.keys(e.fields ?? {})).toEqual(['pages[0].questions[0].requiredIf'])
    }
  })

  it('rejects references to unknown answers (typos) in conditions, computed values and validators', () => {
    const def = form(
      [
        page('one', [
          q('employees', 'number'),
          q('b', 'text', {
            visibleIf: 'emploees > 50',
            validators: [{ rule: '$value != nme', message: t('x') }],
          }),
        ]),
      ],
      { computed: [{ id: 'big', expression: 'employes > 250' }] },
    )
    expect(issuesOf(def)).toEqual([
      "computed[0].expression: refers to 'employes', which is not a question or computed value on this form",
      "pages[0].questions[1].visibleIf: refers to 'emploees', which is not a question or computed value on this form",
      "pages[0].questions[1].validators[0].rule: refers to 'nme', which is not a question or computed value on this form",
    ])
  })

  it('does not mistake fields inside answers (predicates, paths) for answer ids', () => {
    const def = form([
      page('one', [
        q('ev', 'evidence'),
        q('m', 'matrix', { rows: [{ id: 'r1', label: t('r1') }], scale: opts('lo', 'hi') }),
        q('b', 'text', { visibleIf: "$count(ev[kind = 'file']) > 0 or m.r1 = 'hi'" }),
      ]),
    ])
    expect(checkFormDefinition(def).ok).toBe(true)
  })

  it('rejects conditions that read later answers, on questions and on pages', () => {
    const def = form([
      page('one', [q('a', 'text', { visibleIf: "b = 'x'" }), q('b', 'text')]),
      page('two', [q('c', 'text')], { visibleIf: "c = 'y'" }),
    ])
    expect(issuesOf(def)).toEqual([
      "pages[0].questions[0].visibleIf: refers to 'b', which is not answered before this point (conditions may only read earlier answers)",
      "pages[1].visibleIf: refers to 'c', which is not answered before this point (conditions may only read earlier answers)",
    ])
  })

  it('rejects a condition on a computed value that depends on later answers', () => {
    const def = form([page('one', [q('a', 'number', { visibleIf: 'total > 1' }), q('b', 'number')])], {
      computed: [{ id: 'total', expression: 'b + 1' }],
    })
    expect(issuesOf(def)).toEqual([
      "pages[0].questions[0].visibleIf: refers to computed value 'total', which depends on answers after this point",
    ])
  })

  it('rejects computed values that read computed values declared after them', () => {
    const def = form([page('one', [q('a', 'number')])], {
      computed: [
        { id: 'x', expression: 'y + 1' },
        { id: 'y', expression: 'a' },
      ],
    })
    expect(issuesOf(def)).toEqual([
      "computed[0].expression: refers to computed value 'y', which is declared after it",
    ])
  })

  it('names duplicate ids, duplicate options, bad ranges, bad patterns and required with requiredIf', () => {
    const def = form([
      page('one', [
        q('a', 'text', { pattern: { regex: '([', message: t('m') } }),
        q('a', 'number', { min: 5, max: 1 }),
        q('c', 'single-choice', { options: opts('x', 'x') }),
        q('d', 'text', { required: true, requiredIf: 'a' }),
        q('e', 'date', { min: '2025-02-30' }),
      ]),
      page('one', [q('f', 'text')]),
    ])
    const issues = issuesOf(def)
    expect(issues).toContain(
      "pages[0].questions[1].id: question id 'a' is already used at pages[0].questions[0].id",
    )
    expect(issues).toContain('pages[0].questions[1].min: min is greater than max')
    expect(issues).toContain("pages[0].questions[2].options[1]: option value 'x' appears twice")
    expect(issues).toContain('pages[0].questions[3].requiredIf: use either required or requiredIf, not both')
    expect(issues).toContain('pages[0].questions[4].min: is not a real date')
    expect(issues).toContain("pages[1].id: page id 'one' is already used at pages[0].id")
    expect(
      issues.find((i) =>
        i.startsWith('pages[0].questions[0].pattern.regex: is not a valid regular expression'),
      ),
    ).toBeTruthy()
  })

  it('reports shape errors by path: missing German text, unknown keys, unknown types, bad ids', () => {
    const def = {
      id: 'Bad Id',
      version: 0,
      title: { en: 'x' },
      pages: [
        {
          id: 'one',
          title: t('one'),
          questions: [{ ...q('a', 'text'), visibileIf: 'true' }, q('b', 'slider'), q('c-d', 'text')],
        },
      ],
    }
    const issues = issuesOf(def)
    expect(issues).toContain('id: must be lower-case letters, digits and -')
    expect(issues).toContain('version: Too small: expected number to be >=1')
    expect(issues).toContain('title.de: Invalid input: expected string, received undefined')
    expect(issues).toContain('pages[0].questions[0]: Unrecognized key: "visibileIf"')
    expect(issues.some((i) => i.startsWith('pages[0].questions[1].type: Invalid discriminator value'))).toBe(
      true,
    )
    expect(issues).toContain(
      'pages[0].questions[2].id: must start with a letter and hold only letters, digits and _',
    )
  })

  it('requires a page to have either questions or sections', () => {
    const def = form([{ id: 'one', title: t('one') }])
    expect(issuesOf(def)).toEqual(['pages[0]: a page has either questions or sections (exactly one of them)'])
  })

  it('evaluateForm refuses a broken definition with the same error', async () => {
    await expect(evaluateForm(form([page('one', [q('a', 'text', { enableIf: ')' })])]), {})).rejects.toThrow(
      /pages\[0\]\.questions\[0\]\.enableIf: expression does not parse/,
    )
  })
})

describe('form registry', () => {
  it('keeps every version and returns the latest by default', () => {
    const v1 = form([page('one', [q('a', 'text')])])
    const v2 = { ...form([page('one', [q('a', 'text'), q('b', 'text')])]), version: 2 }
    const registry = createFormRegistry([v2, v1])
    expect(registry.versions('test-form')).toEqual([1, 2])
    expect(registry.get('test-form')?.version).toBe(2)
    expect(registry.get('test-form', 1)?.pages[0].questions).toHaveLength(1)
    expect(registry.get('nope')).toBeUndefined()
    expect(() => registry.require('test-form', 3)).toThrow('Form test-form version 3 was not found.')
    expect(registry.list().map((d) => d.version)).toEqual([2])
  })

  it('refuses the same id and version twice, naming the file', () => {
    const v1 = form([page('one', [q('a', 'text')])])
    expect(() => createFormRegistry([v1, v1], ['a.json', 'b.json'])).toThrow(
      /Invalid b\.json:\nversion: test-form version 1/,
    )
  })

  it('loads the definitions in workflows/forms', async () => {
    const registry = await loadFormDefinitions()
    expect(registry.get('approval')?.pages[0].questions?.[0].type).toBe('decision')
    expect(registry.get('sample-onboarding')?.pages.map((p) => p.id)).toEqual([
      'organisation',
      'nis2',
      'contact',
      'confirm',
    ])
  })
})
