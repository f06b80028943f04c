/**
 * Every partition and sort key of the single table, built in one place. Tenant records live
 * in their organisation's partition (`ORG#<orgId>`, sort key `<type>#<id>`); an organisation's
 * registers are indexed on GSI1 under `ORG#<orgId>#<REGISTER>`; global items (people,
 * sessions, sign-in subjects, calendar feeds) have their own partitions (see `identity.ts` for
 * the table of them). Upper-case sort keys never collide with tenant records, whose types are
 * lower-case.
 */

/** `ORG#<orgId>`: the organisation's partition (its records, side entries, audit log, members, profile). */
export const orgPk = (orgId: string) => `ORG#${orgId}`

/** The organisation id of an `ORG#<orgId>` partition key, or undefined for any other key. */
export const orgIdOfPk = (pk: string): string | undefined => (pk.startsWith('ORG#') ? pk.slice(4) : undefined)

/** `<type>#<id>`: a tenant record's sort key in its organisation's partition. */
export const recordSk = (type: string, id: string) => `${type}#${id}`

/** The organisation registers read one page at a time through GSI1. */
export type OrgRegister = 'PARTY' | 'ISSUE' | 'AWARENESS'

/** `ORG#<orgId>#<REGISTER>`: GSI1 partition of one of an organisation's registers. */
export const orgIndexPk = (orgId: string, register: OrgRegister) => `${orgPk(orgId)}#${register}`

/** `ORG#<orgId>#HIST#<type>#<id>`: GSI1 partition of one record's audit history. */
export const historyPk = (orgId: string, type: string, id: string) => `${orgPk(orgId)}#HIST#${type}#${id}`

/** `AUDIT#<at>#<unique>`: an audit entry's sort key in its organisation's partition (ordered by time). */
export const auditSk = (at: string, unique: string) => `AUDIT#${at}#${unique}`

/** The sort key prefix of audit entries. */
export const AUDIT_SK_PREFIX = 'AUDIT#'

/** Keys of the global identity items (`identity.ts`). */
export const identityKeys = {
  orgProfile: (orgId: string) => ({ pk: orgPk(orgId), sk: 'PROFILE' }),
  userProfile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  /** The person's partition (profile, memberships, sessions, sign-in subjects). */
  userPk: (userId: string) => `USER#${userId}`,
  email: (normalisedEmail: string) => ({ pk: `EMAIL#${normalisedEmail}`, sk: 'EMAIL' }),
  /** A membership seen from the organisation (`ORG#<org>`, `MEMBER#<user>`). */
  memberOfOrg: (orgId: string, userId: string) => ({ pk: orgPk(orgId), sk: `MEMBER#${userId}` }),
  /** A membership seen from the person (`USER#<user>`, `MEMBER#<org>`). */
  membershipOfUser: (userId: string, orgId: string) => ({ pk: `USER#${userId}`, sk: `MEMBER#${orgId}` }),
  /** The sort key prefix of memberships, on either side. */
  MEMBER_PREFIX: 'MEMBER#',
  session: (tokenHash: string) => ({ pk: `SESSION#${tokenHash}`, sk: 'SESSION' }),
  /** A session seen from its person, for "sign out everywhere". */
  sessionOfUser: (userId: string, tokenHash: string) => ({
    pk: `USER#${userId}`,
    sk: `SESSION#${tokenHash}`,
  }),
  /** The sort key prefix of a person's sessions. */
  SESSION_PREFIX: 'SESSION#',
  oneTime: (tokenHash: string) => ({ pk: `ONETIME#${tokenHash}`, sk: 'ONETIME' }),
  installation: { pk: 'INSTALLATION', sk: 'SETUP' },
  throttlePk: (kind: string, subjectHash: string) => `THROTTLE#${kind}#${subjectHash}`,
  throttleSk: (epochMinute: number) => `MINUTE#${String(epochMinute).padStart(12, '0')}`,
  subject: (issuer: string, sub: string) => ({ pk: `SUBJECT#${issuer}#${sub}`, sk: 'SUBJECT' }),
  subjectOfUser: (userId: string, issuer: string) => ({ pk: `USER#${userId}`, sk: `SUBJECT#${issuer}` }),
} as const

/** Keys of the calendar feed secrets (`calendar-feeds.ts`). */
export const calendarFeedKeys = {
  /** The feed of a secret's hash → its person. */
  feed: (hash: string) => ({ pk: `CALFEED#${hash}`, sk: 'FEED' }),
  /** The person's current feed. */
  user: (userId: string) => ({ pk: `CALFEED-USER#${userId}`, sk: 'FEED' }),
} as const

/** GSI2 partitions that find a tenant record across organisations. */
export const acrossOrgKeys = {
  /** A human task by its id (`gsi2sk` is its organisation). */
  task: (taskId: string) => `TASK#${taskId}`,
  /** An invitation by its token's hash (`gsi2sk` is its organisation). */
  invitation: (tokenHash: string) => `INVITATION#${tokenHash}`,
  /** The organisations that have (had) human tasks (`gsi2sk` is the organisation). */
  taskOrgs: 'TASK-ORGS',
} as const
