/**
 * An error inside an execution, as Step Functions names it: `error` is the name a Retry or
 * Catch matches (`States.Runtime`, `States.Timeout`, a task's own error), `cause` the text.
 */
export class StatesError extends Error {
  readonly error: string
  readonly causeText: string
  constructor(error: string, cause = '') {
    super(`${error}: ${cause}`)
    this.name = 'StatesError'
    this.error = error
    this.causeText = cause
  }
}

/**
 * An error of the Step Functions API (wire code such as `InvalidDefinition`,
 * `ExecutionAlreadyExists`, `InvalidToken`), answered as HTTP 400 with `x-amzn-errortype`.
 */
export class ApiError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
  }
}
