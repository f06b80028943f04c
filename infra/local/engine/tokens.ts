import { randomBytes } from 'node:crypto'
import type { Failure } from './types.js'

/**
 * Task tokens. A token names its execution (so a late call can be told apart from a
 * forged one) and carries 24 random bytes; it is base64 (it may contain `+ / =`). While a
 * task waits, its token has a waiter here; the store records how each token was closed
 * (see `Persistence.closeToken`), written once with a condition, so exactly one of two
 * concurrent callers wins.
 */

const PREFIX = 'isfl1:'

/** Creates a token for a task of `executionArn`. */
export function newToken(executionArn: string): string {
  return Buffer.from(`${PREFIX}${randomBytes(24).toString('base64')}|${executionArn}`).toString('base64')
}

/** The execution a token belongs to, or undefined when it is not one of ours (malformed). */
export function tokenExecution(token: string): string | undefined {
  if (
    typeof token !== 'string' ||
    token.length < 1 ||
    token.length > 1024 ||
    !/^[A-Za-z0-9+/=]+$/.test(token)
  )
    return undefined
  const text = Buffer.from(token, 'base64').toString('utf8')
  if (!text.startsWith(PREFIX)) return undefined
  const bar = text.indexOf('|')
  const arn = text.slice(bar + 1)
  return bar > 0 && arn.startsWith('arn:') ? arn : undefined
}

/** How a waiting task ends from the outside. */
export type TokenOutcome = { ok: true; output: unknown } | { ok: false; failure: Failure; timedOut?: boolean }

/** A task parked on a token. */
export interface Waiter {
  token: string
  executionArn: string
  threadId: string
  stateName: string
  promise: Promise<TokenOutcome>
  settle(outcome: TokenOutcome): void
  /** Called on SendTaskHeartbeat (re-arms the heartbeat timeout). */
  onHeartbeat?: (atMs: number) => void
  /** The last SendTaskHeartbeat (also one that came before the task armed its timer). */
  heartbeatAt?: number
  settled: boolean
}

/** The waiters of this process, by token. */
export class TokenHub {
  private readonly waiters = new Map<string, Waiter>()

  /**
   * Parks a task on a token (idempotent: the same token returns the same waiter, settled or
   * not, until the task releases it).
   */
  park(token: string, executionArn: string, threadId: string, stateName: string): Waiter {
    const existing = this.waiters.get(token)
    if (existing) return existing
    let settle!: (o: TokenOutcome) => void
    const promise = new Promise<TokenOutcome>((r) => {
      settle = r
    })
    const w: Waiter = {
      token,
      executionArn,
      threadId,
      stateName,
      promise,
      settled: false,
      settle: (o) => {
        if (w.settled) return
        w.settled = true
        settle(o)
      },
    }
    this.waiters.set(token, w)
    return w
  }

  /** The open (not yet settled) waiter of a token. */
  get(token: string): Waiter | undefined {
    const w = this.waiters.get(token)
    return w && !w.settled ? w : undefined
  }

  /**
   * Forgets a waiter (its task has ended, or its execution left memory). Only that waiter: an
   * execution resumed meanwhile may have parked the same token again.
   */
  release(token: string, waiter: Waiter) {
    if (this.waiters.get(token) === waiter) this.waiters.delete(token)
  }

  /** Number of parked tokens (for tests and the benchmark). */
  get size() {
    return this.waiters.size
  }
}
