/** The actor written to the audit log for changes a risk-treatment step makes. */
export const STEP_ACTOR = { userId: 'system:workflow', name: 'Risk treatment workflow' }

const DAY_MS = 86_400_000

/** `days` after `now`, as an ISO timestamp. */
export const inDays = (now: Date, days: number) => new Date(now.getTime() + days * DAY_MS).toISOString()
