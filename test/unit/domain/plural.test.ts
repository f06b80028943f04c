import { describe, expect, it } from 'vitest'
import { plural } from '../../../functions/domain/plural.js'

describe('plural', () => {
  const tasks = { one: '# task', other: '# tasks' }
  const aufgaben = { one: '# Aufgabe', other: '# Aufgaben' }

  it('says 1 task and 0, 2 or 1.5 tasks in English, the same in German', () => {
    expect([0, 1, 2, 1.5].map((n) => plural('en', n, tasks))).toEqual([
      '0 tasks',
      '1 task',
      '2 tasks',
      '1.5 tasks',
    ])
    expect([0, 1, 2].map((n) => plural('de', n, aufgaben))).toEqual(['0 Aufgaben', '1 Aufgabe', '2 Aufgaben'])
  })

  it('takes an exact form first and falls back to other', () => {
    expect(plural('en', 0, { '=0': 'none', ...tasks })).toBe('none')
    expect(plural('en', 1, { other: '# items' })).toBe('1 items')
  })
})
