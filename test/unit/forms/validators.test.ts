import { describe, expect, it } from 'vitest'
import { evaluateForm } from '../../../functions/domain/forms/index.js'
import { form, page, q, TODAY, t } from './helpers.js'

describe('cross-field validators', () => {
  const def = form([
    page('dates', [
      q('start', 'date'),
      q('end', 'date', {
        validators: [
          {
            rule: '$value >= start',
            message: t(
              'The end date must be on or after the start date',
              'Das Enddatum muss am oder nach dem Startdatum liegen',
            ),
          },
        ],
      }),
    ]),
    page('money', [
      q('budget', 'money'),
      q('spent', 'money', {
        validators: [
          {
            rule: '$value <= budget',
            message: t('Spent cannot exceed the budget', 'Ausgaben dürfen das Budget nicht übersteigen'),
          },
        ],
      }),
    ]),
  ])

  it('passes when the rule holds', async () => {
    const r = await evaluateForm(
      def,
      { start: '2025-01-01', end: '2025-02-01', budget: 100, spent: 100 },
      TODAY,
    )
    expect(r.errors).toEqual({})
  })

  it('fails with its message in both languages when the rule is false', async () => {
    const r = await evaluateForm(
      def,
      { start: '2025-03-01', end: '2025-02-01', budget: 100, spent: 150 },
      TODAY,
    )
    expect(r.errors.end).toEqual({
      code: 'rule',
      en: 'The end date must be on or after the start date',
      de: 'Das Enddatum muss am oder nach dem Startdatum liegen',
    })
    expect(r.errors.spent.de).toBe('Ausgaben dürfen das Budget nicht übersteigen')
    expect(r.questions.end.answered).toBe(false)
    expect(r.pages.dates.errors).toBe(1)
  })

  it('passes when an answer the rule reads is missing (that is what required is for)', async () => {
    const r = await evaluateForm(def, { end: '2025-02-01' }, TODAY)
    expect(r.errors.end).toBeUndefined()
    expect(r.errors.start?.code).toBe('required')
  })

  it('does not run on answers that already failed their type check', async () => {
    const r = await evaluateForm(def, { start: '2025-03-01', end: 'soon' }, TODAY)
    expect(r.errors.end.code).toBe('invalid_date')
  })

  it('may read answers after the question and computed values', async () => {
    const d = form(
      [
        page('one', [
          q('first', 'number', { validators: [{ rule: '$value < limit', message: t('Too high') }] }),
          q('second', 'number'),
        ]),
      ],
      { computed: [{ id: 'limit', expression: 'second * 2' }] },
    )
    expect((await evaluateForm(d, { first: 10, second: 4 }, TODAY)).errors.first?.en).toBe('Too high')
    expect((await evaluateForm(d, { first: 7, second: 4 }, TODAY)).valid).toBe(true)
  })

  it('a validator that breaks at run time fails closed and is reported', async () => {
    const d = form([
      page('one', [q('a', 'text', { validators: [{ rule: '$value > 5', message: t('Broken rule') }] })]),
    ])
    const r = await evaluateForm(d, { a: 'abc' }, TODAY)
    expect(r.errors.a.en).toBe('Broken rule')
    expect(r.expressionFailures[0].path).toBe('pages[0].questions[0].validators[0].rule')
  })
})
