/** Whole seconds from `now` until `at`, at least 60 (a state's `TimeoutSeconds` must be positive). */
export const secondsUntil = (now: Date, at: string): number =>
  Math.max(60, Math.ceil((Date.parse(at) - now.getTime()) / 1000))
