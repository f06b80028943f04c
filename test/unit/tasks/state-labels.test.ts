import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { stateLabels } from '../../../functions/api/state-labels.js'
import { buildGraph, plainHistory } from '../../../functions/domain/workflow-view.js'

type States = Record<
  string,
  { Branches?: { States: States }[]; ItemProcessor?: { States: States }; Iterator?: { States: States } }
>

/** Every state name of a definition, nested ones included. */
function stateNames(states: States): string[] {
  return Object.entries(states).flatMap(([name, s]) => [
    name,
    ...(s.Branches ?? []).flatMap((b) => stateNames(b.States)),
    ...(s.ItemProcessor ? stateNames(s.ItemProcessor.States) : []),
    ...(s.Iterator ? stateNames(s.Iterator.States) : []),
  ])
}

const definitions = readdirSync('workflows').filter((f) => f.endsWith('.asl.json'))

describe('state labels beside each workflow definition', () => {
  it.each(definitions)(
    '%s: every state has English and German words, and no label names a missing state',
    (file) => {
      const workflow = file.replace(/\.asl\.json$/, '')
      const def = JSON.parse(readFileSync(`workflows/${file}`, 'utf8')) as { States: States }
      const names = stateNames(def.States)
      const labels = stateLabels(workflow)
      expect(Object.keys(labels).sort()).toEqual([...new Set(names)].sort())
      for (const name of names) {
        expect(labels[name].en.trim(), `${workflow} ${name} en`).not.toBe('')
        expect(labels[name].de.trim(), `${workflow} ${name} de`).not.toBe('')
        // Words, not a CamelCase state name.
        expect(labels[name].en, `${workflow} ${name}`).not.toMatch(/^[A-Z][a-z0-9]+[A-Z]/)
      }
    },
  )

  it('puts the words on the graph, nested states included, and in the history of a wait', () => {
    const def = JSON.parse(readFileSync('workflows/periodic-review.asl.json', 'utf8'))
    const labels = stateLabels('periodic-review')
    const graph = buildGraph(def, undefined, labels)
    expect(graph.nodes.find((n) => n.id === 'MarkOverdue')?.label).toEqual({
      en: 'Marked overdue',
      de: 'Als überfällig markiert',
    })
    const actions = graph.nodes.find((n) => n.id === 'Actions')!
    expect(actions.children?.[0].nodes.find((n) => n.id === 'DoAction')?.label?.de).toBe('Maßnahme erledigen')
    const lines = plainHistory(
      [
        {
          type: 'WaitStateEntered',
          timestamp: '2026-01-01T00:00:00Z',
          stateEnteredEventDetails: { name: 'WaitForReassessment' },
        },
      ],
      [],
      stateLabels('obligation-assessment'),
    )
    expect(lines[0].text).toEqual({
      en: 'Waiting (Waiting for the yearly re-assessment).',
      de: 'Wartet (Warten auf die jährliche Neubewertung).',
    })
  })
})
