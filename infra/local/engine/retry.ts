/**
 * Retry and Catch as AWS applies them: retriers and catchers are scanned in order, the first
 * whose ErrorEquals matches wins; `States.ALL` matches everything except `States.Runtime`
 * and `States.DataLimitExceeded`; `States.TaskFailed` everything except `States.Timeout`;
 * `States.Runtime` is never caught or retried (recorded). A retrier that matches but is
 * exhausted hands over to the catchers.
 */

type Rule = Record<string, any>

const UNCATCHABLE_BY_ALL = new Set(['States.Runtime', 'States.DataLimitExceeded'])

/**
 * True when an error name (possibly absent) matches one entry of ErrorEquals. A missed
 * heartbeat is reported as `States.Timeout` but also answers to `States.HeartbeatTimeout`
 * (AWS: "HeartbeatTimeout is only available inside the Catch and Retry fields"), so pass
 * `heartbeat` for it.
 */
export function errorMatches(names: unknown, error: string | undefined, heartbeat = false): boolean {
  if (!Array.isArray(names)) return false
  if (error === 'States.Runtime') return false
  for (const n of names) {
    if (n === 'States.ALL' && !UNCATCHABLE_BY_ALL.has(error ?? '')) return true
    if (n === 'States.TaskFailed' && error !== 'States.Timeout' && !UNCATCHABLE_BY_ALL.has(error ?? ''))
      return true
    if (n === error) return true
    if (heartbeat && n === HEARTBEAT_TIMEOUT && error === 'States.Timeout') return true
  }
  return false
}

/** The name a Catch or Retry may use for a missed heartbeat (never reported as an error). */
export const HEARTBEAT_TIMEOUT = 'States.HeartbeatTimeout'

/** The error a Retry or Catch sees: its reported name, and whether it was a missed heartbeat. */
export interface MatchedError {
  error?: string
  heartbeat?: boolean
}

/** Delay before retry number `attempt` (1-based) of a retrier, in ms. */
export function retryDelayMs(r: Rule, attempt: number, random = Math.random): number {
  const interval = typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1
  const rate = typeof r.BackoffRate === 'number' ? r.BackoffRate : 2
  let delay = interval * rate ** (attempt - 1)
  if (typeof r.MaxDelaySeconds === 'number') delay = Math.min(delay, r.MaxDelaySeconds)
  if (r.JitterStrategy === 'FULL') delay = random() * delay
  return Math.round(delay * 1000)
}

/** The outcome of looking for a retrier: retry after `delayMs`, or go to the catchers. */
export type RetryDecision = { retry: true; index: number; delayMs: number } | { retry: false }

/** Picks the retrier for an error given the per-retrier counts of this state visit. */
export function decideRetry(retriers: unknown, failure: MatchedError, counts: number[]): RetryDecision {
  if (!Array.isArray(retriers)) return { retry: false }
  for (let i = 0; i < retriers.length; i++) {
    const r = retriers[i] as Rule
    if (!errorMatches(r.ErrorEquals, failure.error, failure.heartbeat)) continue
    const max = typeof r.MaxAttempts === 'number' ? r.MaxAttempts : 3
    const done = counts[i] ?? 0
    if (done >= max) return { retry: false }
    return { retry: true, index: i, delayMs: retryDelayMs(r, done + 1) }
  }
  return { retry: false }
}

/** The first catcher matching the error, if any. */
export function findCatcher(catchers: unknown, failure: MatchedError): Rule | undefined {
  if (!Array.isArray(catchers)) return undefined
  return catchers.find((c: Rule) => errorMatches(c.ErrorEquals, failure.error, failure.heartbeat))
}
