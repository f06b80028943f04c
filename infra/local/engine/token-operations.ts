import type { Clock } from '../clock.js'
import { checkJson, checkString } from './checks.js'
import { ApiError } from './errors.js'
import type { Persistence } from './persistence.js'
import { type TokenHub, type TokenOutcome, tokenExecution } from './tokens.js'
import type { Failure } from './types.js'

/**
 * The task token operations of the API: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.
 * Exactly one caller closes a token (the conditional write in the persistence); a token
 * closed already answers why (timed out, task or execution closed, unknown).
 */

/** What the token operations need from the engine. */
export interface TokenOperationsContext {
  /** The waiters of the tokens parked in this process. */
  tokens: TokenHub
  persistence: Persistence
  clock: Clock
  /** Brings an execution that left memory back (see `unload.ts`); nothing when it is in memory or not running. */
  load(executionArn: string): Promise<void>
  /** Keeps an execution in memory while an answer is delivered; answers the release. */
  hold(executionArn: string): () => void
}

/** The task token operations of an engine. */
export type TokenOperations = ReturnType<typeof createTokenOperations>

/** Creates the task token operations. */
export function createTokenOperations(o: TokenOperationsContext) {
  async function tokenWaiter(token: unknown) {
    if (typeof token !== 'string' || token.length === 0 || token.length > 1024) {
      throw new ApiError(
        'ValidationException',
        `1 validation error detected: Value at 'taskToken' failed to satisfy constraint: Member must have length between 1 and 1024`,
      )
    }
    const execArn = tokenExecution(token)
    if (!execArn) throw new ApiError('InvalidToken', 'Invalid Token: the task token is malformed')
    // A task whose execution left memory has no waiter until the execution is resumed.
    const waiter = o.tokens.get(token) ?? (await o.load(execArn).then(() => o.tokens.get(token)))
    if (waiter) return waiter
    throw await closedTokenError(token, execArn)
  }

  async function closedTokenError(token: string, execArn: string): Promise<ApiError> {
    const rec = await o.persistence.getToken(token)
    if (rec?.status === 'TIMED_OUT')
      return new ApiError('TaskTimedOut', 'Task Timed Out: the task of this token timed out')
    if (rec?.status)
      return new ApiError('TaskDoesNotExist', 'Task Does Not Exist: the task of this token is closed')
    const exec = await o.persistence.getExecution(execArn)
    if (exec && exec.status !== 'RUNNING')
      return new ApiError('TaskDoesNotExist', 'Task Does Not Exist: the execution of this token is closed')
    return new ApiError('InvalidToken', 'Invalid Token: the task token is unknown')
  }

  async function complete(
    token: unknown,
    status: 'SUCCEEDED' | 'FAILED',
    outcome: TokenOutcome,
    extra: { output?: string; error?: string; cause?: string },
  ) {
    // The execution stays in memory from the look-up of the waiter until the answer is delivered.
    const execArn = typeof token === 'string' ? tokenExecution(token) : undefined
    const release = execArn ? o.hold(execArn) : () => {}
    try {
      const w = await tokenWaiter(token)
      const won = await o.persistence.closeToken({
        token: w.token,
        status,
        executionArn: w.executionArn,
        ...extra,
      })
      if (!won) throw await closedTokenError(w.token, w.executionArn)
      w.settle(outcome)
      return {}
    } finally {
      release()
    }
  }

  /** SendTaskSuccess: exactly one caller wins (conditional write); the output must be JSON. */
  async function sendTaskSuccess(input: { taskToken?: unknown; output?: unknown }) {
    if (typeof input.output !== 'string') throw new ApiError('InvalidOutput', 'output must be a JSON string')
    const out = checkJson(input.output, 'output', 'InvalidOutput')
    return complete(input.taskToken, 'SUCCEEDED', { ok: true, output: out.value }, { output: out.text })
  }

  /** SendTaskFailure: its error and cause reach Catch unchanged. */
  async function sendTaskFailure(input: { taskToken?: unknown; error?: unknown; cause?: unknown }) {
    const failure: Failure = {}
    if (input.error !== undefined && input.error !== null)
      failure.error = checkString(input.error, 'error', 256)
    if (input.cause !== undefined && input.cause !== null)
      failure.cause = checkString(input.cause, 'cause', 32_768)
    return complete(input.taskToken, 'FAILED', { ok: false, failure }, failure)
  }

  /** SendTaskHeartbeat: re-arms the task's HeartbeatSeconds. */
  async function sendTaskHeartbeat(input: { taskToken?: unknown }) {
    const execArn = typeof input.taskToken === 'string' ? tokenExecution(input.taskToken) : undefined
    const release = execArn ? o.hold(execArn) : () => {}
    try {
      const w = await tokenWaiter(input.taskToken)
      const at = o.clock.nowMs()
      if (!(await o.persistence.heartbeatToken(w.token, w.executionArn, at)))
        throw await closedTokenError(w.token, w.executionArn)
      w.heartbeatAt = at
      w.onHeartbeat?.(at)
      return {}
    } finally {
      release()
    }
  }

  return { sendTaskSuccess, sendTaskFailure, sendTaskHeartbeat }
}
