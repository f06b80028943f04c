import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { S3Client } from '@aws-sdk/client-s3'
import type { SFNClient } from '@aws-sdk/client-sfn'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Config } from '../config.js'
import type { FormRegistry } from '../domain/forms/index.js'
import type { Mailer } from '../mail/index.js'
import type { CalendarFeeds } from '../store/calendar-feeds.js'
import type { Identity } from '../store/identity.js'
import type { NotificationStore } from '../store/notifications.js'
import type { Records } from '../store/records.js'
import type { TaskStore } from '../store/tasks.js'
import type { UserPool } from '../user-pool.js'
import type { WorkflowClient } from '../workflow-client.js'

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

/** What the API needs from outside, created once per process (see `deps.ts`). */
export interface Deps {
  config: Config
  dynamo: DynamoDBClient
  doc: DynamoDBDocumentClient
  sfn: SFNClient
  /** Evidence files' bucket (the embedded object store locally). */
  s3: S3Client
  records: Records
  /** Global identity records: users, organisations, memberships, sessions (`store/identity.ts`). */
  identity: Identity
  /** Human tasks (tokens kept server-side). */
  taskStore: TaskStore
  notifications: NotificationStore
  /** The people's calendar feed secrets (`store/calendar-feeds.ts`). */
  calendarFeeds: CalendarFeeds
  /** Every message to a person (`functions/mail`): `.eml` files, SMTP or SES by `MAIL_TRANSPORT`. */
  mail: Mailer
  /** The workflow engine, through client-sfn. */
  workflows: WorkflowClient
  /** The Cognito user pool's admin API (`AUTH_MODE=cognito` with a pool id); undefined with password sign-in. */
  userPool?: UserPool
  /** Form definitions from `workflows/forms`, loaded once on first use. */
  forms: () => Promise<FormRegistry>
  now: () => Date
}

/** Hono environment: variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string
    deps: Deps
    principal: Principal
  }
}
