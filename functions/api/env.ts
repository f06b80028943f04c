import type { FormRegistry } from '../domain/forms/index.js'
import type { SchedulePort } from '../schedules/port.js'
import type { StepDeps } from '../steps/deps.js'
import type { CalendarFeeds } from '../store/calendar-feeds.js'
import type { EvidenceFiles } from '../store/evidence-files.js'
import type { UserPool } from '../user-pool.js'

/** The roles of DESIGN.md. */
export const ROLES = ['iso', 'management', 'member', 'auditor'] as const
export type Role = (typeof ROLES)[number]

/** One principal shape, from a local session or a Cognito JWT. */
export interface Principal {
  userId: string
  email: string
  name: string
  /** The organisation the request acts in. */
  orgId: string
  /** Roles in that organisation. */
  roles: Role[]
  /** Every organisation the person belongs to, with the roles there. */
  memberships: { orgId: string; orgName: string; roles: Role[] }[]
}

/**
 * What the API needs from outside, created once per process (see `deps.ts`): the steps'
 * dependencies (stores, workflow engine, mail, clock) and the API's own. Stores and ports
 * only, never an SDK client (the composition keeps those, `Clients`).
 */
export interface Deps extends StepDeps {
  /** Evidence files in the evidence bucket (the embedded object store locally). */
  evidenceFiles: EvidenceFiles
  /** Whether the store answers (`GET /api/health`; the engine's probe is `workflows.ping`). */
  storeProbe: () => Promise<void>
  /** The people's calendar feed secrets (`store/calendar-feeds.ts`). */
  calendarFeeds: CalendarFeeds
  /** The Cognito user pool's admin API (`AUTH_MODE=cognito` with a pool id); undefined with password sign-in. */
  userPool?: UserPool
  /** The scheduler of the review programme (local durable scheduler or EventBridge Scheduler, `functions/schedules/`). */
  schedules: SchedulePort
  /** Form definitions from `workflows/forms`, loaded once on first use. */
  forms: () => Promise<FormRegistry>
}

/** Hono environment: variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string
    deps: Deps
    principal: Principal
  }
}
