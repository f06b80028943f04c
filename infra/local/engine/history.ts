import type { HistoryEvent } from './types.js'

/**
 * History events as AWS names them. Each event carries its details under AWS's key
 * (`stateEnteredEventDetails`, `taskScheduledEventDetails`, …); payloads are JSON strings.
 */

const STATE_ENTERED = /StateEntered$/
const STATE_EXITED = /StateExited$/

/** The AWS details key of an event type (`TaskScheduled` → `taskScheduledEventDetails`). */
export function detailsKey(type: string): string {
  if (STATE_ENTERED.test(type)) return 'stateEnteredEventDetails'
  if (STATE_EXITED.test(type)) return 'stateExitedEventDetails'
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`
}

/** Payload details as AWS writes them: a JSON string and whether it was truncated. */
export const payload = (json: string) => ({ truncated: false as const, json })

/** The AWS wire shape of a stored event (timestamps as Date; the server renders epoch seconds). */
export function toWire(e: HistoryEvent, includeData = true): Record<string, unknown> {
  const out: Record<string, unknown> = {
    timestamp: new Date(e.timestamp),
    type: e.type,
    id: e.id,
    previousEventId: e.previousEventId,
  }
  for (const [k, v] of Object.entries(e)) {
    if (k === 'id' || k === 'previousEventId' || k === 'timestamp' || k === 'type') continue
    if (!includeData && v && typeof v === 'object') {
      const { input, output, parameters, ...rest } = v as Record<string, unknown>
      void input
      void output
      void parameters
      out[k] = rest
    } else out[k] = v
  }
  return out
}
