import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '../../functions/domain/forms/evaluation.js'
import { Announcer, FormProblems, LiveEvaluation } from '../../web/src/lib/forms/form-state.svelte.js'
import { pause } from './support/server.js'

/**
 * The form renderer's reactive pieces (web/src/lib/forms/form-state.svelte.ts) with the
 * shared evaluator and a real definition: "What did you do?" is required.
 */
const definition: FormDefinition = JSON.parse(readFileSync('workflows/forms/review-action.json', 'utf8'))
const today = () => ({ today: '2027-03-01' })

describe('LiveEvaluation', () => {
  it('keeps the newest evaluation when answers change faster than they are evaluated', async () => {
    const live = new LiveEvaluation(definition, today)
    expect(live.current).toBeUndefined()
    const first = live.update({})
    const second = live.update({ done: 'Restored the backup and wrote down the time it took.' })
    const [a, b] = await Promise.all([first, second])
    expect(a.errors.done).toBeDefined()
    expect(b.errors.done).toBeUndefined()
    expect(live.current).toEqual(b)
    expect(live.current?.errors.done).toBeUndefined()
  })
})

describe('FormProblems', () => {
  it("the evaluator's problems go once fixed; the server's stay until the next attempt", async () => {
    const live = new LiveEvaluation(definition, today)
    const problems = new FormProblems(() => live.current)
    const empty = await live.update({})
    problems.show([{ key: 'done', message: empty.errors.done, href: '#f-done' }])
    expect(problems.current).toHaveLength(1)
    expect(problems.byKey.done).toEqual(empty.errors.done)

    await live.update({ done: 'Done.' })
    expect(problems.current).toEqual([])
    expect(problems.byKey).toEqual({})

    // The server refused the same field: its line stays whatever the evaluation says.
    const server = { code: 'too_short' as const, en: 'is too short', de: 'ist zu kurz' }
    problems.show([{ key: 'done', message: server }], false)
    expect(problems.current).toEqual([{ key: 'done', message: server }])
    problems.clear()
    expect(problems.current).toEqual([])
  })

  it("a live problem shows the evaluator's current message for its field", async () => {
    const live = new LiveEvaluation(definition, today)
    const problems = new FormProblems(() => live.current)
    await live.update({})
    problems.show([{ key: 'done', message: { code: 'required', en: 'old', de: 'alt' } }])
    expect(problems.current[0].message).toEqual(live.current?.errors.done)
  })
})

describe('Announcer', () => {
  it('announces a text after clearing the region, so the same text is read again', async () => {
    const announcer = new Announcer()
    announcer.announce('Saved')
    expect(announcer.message).toBe('')
    await pause(80)
    expect(announcer.message).toBe('Saved')
    announcer.announce('Saved')
    expect(announcer.message).toBe('')
    await pause(80)
    expect(announcer.message).toBe('Saved')
  })

  it('a newer text replaces one not yet announced', async () => {
    const announcer = new Announcer()
    announcer.announce('Page 1 of 3')
    announcer.announce('Page 2 of 3')
    await pause(80)
    expect(announcer.message).toBe('Page 2 of 3')
  })
})
