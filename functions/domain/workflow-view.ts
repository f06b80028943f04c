/**
 * Turns a state machine definition and an execution's history into what people read on the
 * workflow page: a graph of states with the current and past ones marked, and the history
 * in plain words. Pure: the API feeds it the definition, the events and the tasks.
 */
import type { Localized } from './tasks.js'

export interface GraphNode {
  id: string
  /** What people read for the state (from the label map beside the definition). */
  label?: Localized
  type: string
  status: 'done' | 'current' | 'failed' | 'pending'
  /** Nested states of Map iterations and Parallel branches, drawn as groups. */
  children?: { nodes: GraphNode[]; edges: GraphEdge[] }[]
}
export interface GraphEdge {
  from: string
  to: string
  label?: string
}

export interface HistoryEventLike {
  id?: number
  type?: string
  timestamp?: Date | string
  stateEnteredEventDetails?: { name?: string }
  stateExitedEventDetails?: { name?: string }
  executionFailedEventDetails?: { error?: string; cause?: string }
  taskFailedEventDetails?: { error?: string; cause?: string }
  taskTimedOutEventDetails?: { error?: string; cause?: string }
}

type StateDef = {
  Type: string
  Next?: string
  Default?: string
  Choices?: { Next: string }[]
  Catch?: { Next: string; ErrorEquals?: string[] }[]
  Branches?: { StartAt: string; States: Record<string, StateDef> }[]
  ItemProcessor?: { StartAt: string; States: Record<string, StateDef> }
  Iterator?: { StartAt: string; States: Record<string, StateDef> }
}

/** State name → what people read for it, in English and German. */
export type StateLabels = Record<string, Localized>

/**
 * Builds the graph of a definition (nodes in definition order, edges for Next, Choice,
 * Default, Catch); each node carries its label from `labels` when there is one. Edges are
 * unique by (from, to, label), so the page can key them by that.
 */
export function buildGraph(
  def: { StartAt?: string; States?: Record<string, unknown> },
  visited: { entered: Set<string>; current: Set<string>; failed: Set<string> } = {
    entered: new Set(),
    current: new Set(),
    failed: new Set(),
  },
  labels: StateLabels = {},
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const states = (def.States ?? {}) as Record<string, StateDef>
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  for (const [id, s] of Object.entries(states)) {
    const status = visited.failed.has(id)
      ? 'failed'
      : visited.current.has(id)
        ? 'current'
        : visited.entered.has(id)
          ? 'done'
          : 'pending'
    const node: GraphNode = { id, type: s.Type, status, ...(labels[id] ? { label: labels[id] } : {}) }
    const inner = [
      ...(s.Branches ?? []),
      ...(s.ItemProcessor ? [s.ItemProcessor] : []),
      ...(s.Iterator ? [s.Iterator] : []),
    ]
    if (inner.length) node.children = inner.map((b) => buildGraph(b, visited, labels))
    nodes.push(node)
    // One edge per (from, to, label): two Choice rules leading to the same state are one arrow.
    const add = (e: GraphEdge) => {
      if (!edges.some((x) => x.from === e.from && x.to === e.to && x.label === e.label)) edges.push(e)
    }
    if (s.Next) add({ from: id, to: s.Next })
    for (const c of s.Choices ?? []) add({ from: id, to: c.Next, label: 'choice' })
    if (s.Default) add({ from: id, to: s.Default, label: 'default' })
    for (const c of s.Catch ?? []) add({ from: id, to: c.Next, label: (c.ErrorEquals ?? []).join(', ') })
  }
  return { nodes, edges }
}

/** Which states were entered, which are running now, which failed, from the history. */
export function visitedStates(events: HistoryEventLike[]) {
  const entered = new Set<string>()
  const open = new Map<string, number>()
  const failed = new Set<string>()
  let lastState: string | undefined
  for (const e of events) {
    const name = e.stateEnteredEventDetails?.name
    if (name) {
      entered.add(name)
      open.set(name, (open.get(name) ?? 0) + 1)
      lastState = name
    }
    const exited = e.stateExitedEventDetails?.name
    if (exited) open.set(exited, Math.max(0, (open.get(exited) ?? 1) - 1))
    if (e.type === 'ExecutionFailed' || e.type === 'ExecutionTimedOut' || e.type === 'FailStateEntered')
      if (lastState) failed.add(lastState)
  }
  const closed = events.some((e) => /^Execution(Succeeded|Failed|Aborted|TimedOut)$/.test(e.type ?? ''))
  const current = new Set(closed ? [] : [...open].filter(([, n]) => n > 0).map(([k]) => k))
  return { entered, current, failed }
}

export interface PlainLine {
  at: string
  text: Localized
}

/**
 * The history in plain words for management: started, each human step with who did it,
 * waits, and the outcome. `tasks` gives the people behind task states; `labels` the words
 * for state names.
 */
export function plainHistory(
  events: HistoryEventLike[],
  tasks: {
    stateName: string
    title: Localized
    status: string
    completedByName?: string
    completedAt?: string
    createdAt: string
  }[],
  labels: StateLabels = {},
): PlainLine[] {
  const at = (e: HistoryEventLike) =>
    e.timestamp instanceof Date ? e.timestamp.toISOString() : String(e.timestamp ?? '')
  const lines: PlainLine[] = []
  for (const e of events) {
    if (e.type === 'ExecutionStarted')
      lines.push({ at: at(e), text: { en: 'The workflow started.', de: 'Der Ablauf wurde gestartet.' } })
    else if (e.type === 'WaitStateEntered') {
      const name = e.stateEnteredEventDetails?.name ?? ''
      lines.push({
        at: at(e),
        text: {
          en: `Waiting (${labels[name]?.en ?? name}).`,
          de: `Wartet (${labels[name]?.de ?? name}).`,
        },
      })
    } else if (e.type === 'TaskTimedOut')
      lines.push({
        at: at(e),
        text: {
          en: 'A step was not done in time and was escalated.',
          de: 'Ein Schritt wurde nicht rechtzeitig erledigt und eskaliert.',
        },
      })
    else if (e.type === 'ExecutionSucceeded')
      lines.push({ at: at(e), text: { en: 'The workflow finished.', de: 'Der Ablauf ist abgeschlossen.' } })
    else if (e.type === 'ExecutionFailed')
      lines.push({
        at: at(e),
        text: {
          en: `The workflow failed (${e.executionFailedEventDetails?.error ?? 'error'}).`,
          de: `Der Ablauf ist fehlgeschlagen (${e.executionFailedEventDetails?.error ?? 'Fehler'}).`,
        },
      })
    else if (e.type === 'ExecutionAborted')
      lines.push({ at: at(e), text: { en: 'The workflow was stopped.', de: 'Der Ablauf wurde angehalten.' } })
  }
  for (const t of tasks) {
    lines.push({
      at: t.createdAt,
      text: { en: `Task opened: ${t.title.en}.`, de: `Aufgabe geöffnet: ${t.title.de}.` },
    })
    if (t.status === 'completed' && t.completedAt)
      lines.push({
        at: t.completedAt,
        text: {
          en: `${t.completedByName ?? 'Someone'} completed “${t.title.en}”.`,
          de: `${t.completedByName ?? 'Jemand'} hat „${t.title.de}“ erledigt.`,
        },
      })
    if (t.status === 'expired')
      lines.push({
        at: t.createdAt,
        text: { en: `“${t.title.en}” expired.`, de: `„${t.title.de}“ ist abgelaufen.` },
      })
  }
  return lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}
