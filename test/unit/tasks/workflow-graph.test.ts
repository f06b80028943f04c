import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildGraph, type GraphNode } from '../../../functions/domain/workflow-view.js'

const definitions = readdirSync('workflows')
  .filter((f) => f.endsWith('.asl.json'))
  .map((f) => [f, JSON.parse(readFileSync(`workflows/${f}`, 'utf8'))] as const)

const duplicates = (keys: string[]) => keys.filter((k, i) => keys.indexOf(k) !== i)

describe('workflow graph of every definition', () => {
  it('covers every workflow type', () => {
    expect(definitions.map(([f]) => f)).toEqual(
      expect.arrayContaining([
        'approval.asl.json',
        'certification.asl.json',
        'obligation-assessment.asl.json',
        'periodic-review.asl.json',
        'questionnaire.asl.json',
        'risk-treatment.asl.json',
      ]),
    )
  })

  for (const [file, definition] of definitions)
    it(`${file}: one edge per (from, to, label), so the page can key its arrows (no each_key_duplicate)`, () => {
      const walk = (g: { nodes: GraphNode[]; edges: { from: string; to: string; label?: string }[] }) => {
        expect(duplicates(g.edges.map((e) => `${e.from}>${e.to}:${e.label ?? ''}`))).toEqual([])
        expect(duplicates(g.nodes.map((n) => n.id))).toEqual([])
        for (const n of g.nodes) for (const child of n.children ?? []) walk(child)
      }
      const graph = buildGraph(definition)
      expect(graph.edges.length).toBeGreaterThan(0)
      walk(graph)
    })

  it('merges two Choice rules that lead to the same state (risk treatment: Route → Revise)', () => {
    const g = buildGraph({
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [
            { Condition: '{% $a %}', Next: 'Revise' },
            { Condition: '{% $b %}', Next: 'Revise' },
          ],
          Default: 'Done',
        },
        Revise: { Type: 'Pass', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    })
    expect(g.edges).toEqual([
      { from: 'Route', to: 'Revise', label: 'choice' },
      { from: 'Route', to: 'Done', label: 'default' },
      { from: 'Revise', to: 'Done' },
    ])
  })
})
