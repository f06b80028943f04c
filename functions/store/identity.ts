import { createHash } from 'node:crypto'
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { conflict } from '../domain/errors.js'

/**
 * Global identity records: organisations, users, memberships, sessions and sign-in
 * throttles. These are the only records outside `records.forOrg()`, because a person
 * exists before (and across) the organisations they belong to.
 *
 * | item | pk | sk |
 * |---|---|---|
 * | user profile | `USER#<id>` | `PROFILE` |
 * | e-mail lookup | `EMAIL#<lower-case e-mail>` | `EMAIL` |
 * | membership (user side) | `USER#<id>` | `MEMBER#<orgId>` |
 * | membership (org side) | `ORG#<orgId>` | `MEMBER#<userId>` |
 * | organisation profile | `ORG#<orgId>` | `PROFILE` |
 * | session | `SESSION#<sha256 of token>` | `SESSION` |
 * | throttle bucket | `THROTTLE#<kind>#<sha256 of subject>` | `MINUTE#<epoch minute>` |
 *
 * Upper-case sort keys never collide with tenant records (whose types are lower-case).
 */

/** A person. `passwordHash` is only set for local sign-in. */
export interface UserProfile {
  id: string
  email: string
  name: string
  createdAt: string
  passwordHash?: string
}

/** An organisation served by ismsflow. */
export interface OrgProfile {
  id: string
  name: string
  createdAt: string
  /** Optional descriptive fields (country, sector, …). */
  country?: string
  sector?: string
}

/** The roles a person holds in one organisation (role names are checked by the API). */
export interface MembershipRecord {
  userId: string
  orgId: string
  roles: string[]
  createdAt: string
}

/** A server-side sign-in session, found by the hash of its cookie token. */
export interface SessionRecord {
  tokenHash: string
  userId: string
  /** Token the client echoes in `x-csrf-token` on state-changing requests. */
  csrfToken: string
  createdAt: string
  /** Epoch seconds; also the table's TTL attribute. */
  expiresAt: number
}

/** Lower-cases and trims an e-mail address (the one normalisation used for lookups). */
export const normaliseEmail = (email: string) => email.trim().toLowerCase()

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

const isConditionFailure = (err: unknown) => {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] }
  return (
    e.name === 'ConditionalCheckFailedException' ||
    (e.name === 'TransactionCanceledException' &&
      (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'))
  )
}

const pick = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item
  return rest as T
}

/**
 * The identity store. Create it once per process with the document client; every call is
 * one or two DynamoDB requests.
 */
export function createIdentity(options: {
  doc: DynamoDBDocumentClient
  tableName: string
  now?: () => Date
}) {
  const { doc, tableName: TableName } = options
  const now = options.now ?? (() => new Date())

  /** Creates an organisation; returns false (and changes nothing) when the id exists. */
  async function createOrg(org: Omit<OrgProfile, 'createdAt'>): Promise<boolean> {
    try {
      await doc.send(
        new PutCommand({
          TableName,
          Item: { pk: `ORG#${org.id}`, sk: 'PROFILE', kind: 'org', ...org, createdAt: now().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      return true
    } catch (err) {
      if (isConditionFailure(err)) return false
      throw err
    }
  }

  /** One organisation's profile. */
  async function getOrg(orgId: string): Promise<OrgProfile | undefined> {
    const out = await doc.send(
      new GetCommand({ TableName, Key: { pk: `ORG#${orgId}`, sk: 'PROFILE' }, ConsistentRead: true }),
    )
    return pick<OrgProfile>(out.Item)
  }

  /** Several organisations' profiles (missing ones are left out). */
  async function getOrgs(orgIds: string[]): Promise<OrgProfile[]> {
    const ids = [...new Set(orgIds)]
    const found: OrgProfile[] = []
    for (let i = 0; i < ids.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = ids
        .slice(i, i + 100)
        .map((id) => ({ pk: `ORG#${id}`, sk: 'PROFILE' }))
      for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
        const out: BatchGetCommandOutput = await doc.send(
          new BatchGetCommand({ RequestItems: { [TableName]: { Keys: keys, ConsistentRead: true } } }),
        )
        for (const item of out.Responses?.[TableName] ?? []) found.push(pick<OrgProfile>(item)!)
        keys = out.UnprocessedKeys?.[TableName]?.Keys
      }
    }
    return found
  }

  /**
   * Creates a user and reserves the e-mail address in one transaction. Returns false when
   * the same id exists already; a different user with the same e-mail is a 409.
   */
  async function createUser(user: Omit<UserProfile, 'createdAt'>): Promise<boolean> {
    const email = normaliseEmail(user.email)
    if (await getUser(user.id)) return false
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName,
                Item: {
                  pk: `USER#${user.id}`,
                  sk: 'PROFILE',
                  kind: 'user',
                  ...user,
                  email,
                  createdAt: now().toISOString(),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName,
                Item: { pk: `EMAIL#${email}`, sk: 'EMAIL', kind: 'email', userId: user.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      return true
    } catch (err) {
      if (isConditionFailure(err))
        throw conflict('A user with this e-mail address exists already.', { email: 'is taken' })
      throw err
    }
  }

  /** A user's profile by id. */
  async function getUser(userId: string): Promise<UserProfile | undefined> {
    const out = await doc.send(
      new GetCommand({ TableName, Key: { pk: `USER#${userId}`, sk: 'PROFILE' }, ConsistentRead: true }),
    )
    return pick<UserProfile>(out.Item)
  }

  /** A user's profile by e-mail address (case-insensitive). */
  async function userByEmail(email: string): Promise<UserProfile | undefined> {
    const out = await doc.send(
      new GetCommand({
        TableName,
        Key: { pk: `EMAIL#${normaliseEmail(email)}`, sk: 'EMAIL' },
        ConsistentRead: true,
      }),
    )
    const userId = out.Item?.userId as string | undefined
    return userId ? getUser(userId) : undefined
  }

  /** A user's profile together with every membership, in one query. */
  async function userWithMemberships(
    userId: string,
  ): Promise<{ user: UserProfile; memberships: MembershipRecord[] } | undefined> {
    const out = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `USER#${userId}` },
        ConsistentRead: true,
      }),
    )
    const items = out.Items ?? []
    const profile = items.find((i) => i.sk === 'PROFILE')
    if (!profile) return undefined
    const memberships = items
      .filter((i) => String(i.sk).startsWith('MEMBER#'))
      .map((i) => pick<MembershipRecord>(i)!)
    return { user: pick<UserProfile>(profile)!, memberships }
  }

  /**
   * Gives a user roles in an organisation, writing both sides in one transaction. Returns
   * false (and changes nothing) when the membership exists already.
   */
  async function addMembership(m: Omit<MembershipRecord, 'createdAt'>): Promise<boolean> {
    const item = { ...m, createdAt: now().toISOString() }
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName,
                Item: { pk: `USER#${m.userId}`, sk: `MEMBER#${m.orgId}`, kind: 'membership', ...item },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName,
                Item: { pk: `ORG#${m.orgId}`, sk: `MEMBER#${m.userId}`, kind: 'membership', ...item },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      return true
    } catch (err) {
      if (isConditionFailure(err)) return false
      throw err
    }
  }

  /** The members of one organisation. */
  async function orgMembers(orgId: string): Promise<MembershipRecord[]> {
    const out = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
        ExpressionAttributeValues: { ':pk': `ORG#${orgId}`, ':m': 'MEMBER#' },
        ConsistentRead: true,
      }),
    )
    return (out.Items ?? []).map((i) => pick<MembershipRecord>(i)!)
  }

  /** Stores a session under the hash of its token (the token itself is never stored). */
  async function createSession(s: {
    token: string
    userId: string
    csrfToken: string
    ttlSeconds: number
  }): Promise<SessionRecord> {
    const tokenHash = sha256(s.token)
    const at = now()
    const rec: SessionRecord = {
      tokenHash,
      userId: s.userId,
      csrfToken: s.csrfToken,
      createdAt: at.toISOString(),
      expiresAt: Math.floor(at.getTime() / 1000) + s.ttlSeconds,
    }
    await doc.send(
      new PutCommand({
        TableName,
        Item: { pk: `SESSION#${tokenHash}`, sk: 'SESSION', kind: 'session', ...rec },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    return rec
  }

  /** The session for a cookie token, or undefined when unknown or expired. */
  async function getSession(token: string): Promise<SessionRecord | undefined> {
    const out = await doc.send(
      new GetCommand({
        TableName,
        Key: { pk: `SESSION#${sha256(token)}`, sk: 'SESSION' },
        ConsistentRead: true,
      }),
    )
    const rec = pick<SessionRecord>(out.Item)
    if (!rec || rec.expiresAt <= Math.floor(now().getTime() / 1000)) return undefined
    return rec
  }

  /** Ends a session (idempotent). */
  async function deleteSession(token: string): Promise<void> {
    await doc.send(new DeleteCommand({ TableName, Key: { pk: `SESSION#${sha256(token)}`, sk: 'SESSION' } }))
  }

  const throttlePk = (kind: string, subject: string) => `THROTTLE#${kind}#${sha256(subject)}`
  const minute = () => Math.floor(now().getTime() / 60_000)

  /** Counts the failures recorded for a subject within the last `windowMinutes` minutes. */
  async function countFailures(kind: string, subject: string, windowMinutes: number): Promise<number> {
    const from = minute() - windowMinutes + 1
    const out = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: {
          ':pk': throttlePk(kind, subject),
          ':from': `MINUTE#${String(from).padStart(12, '0')}`,
        },
        ConsistentRead: true,
      }),
    )
    return (out.Items ?? []).reduce((n, i) => n + Number(i.failures ?? 0), 0)
  }

  /** Records one failure for a subject in the current minute's bucket (atomic counter). */
  async function recordFailure(kind: string, subject: string, keepMinutes: number): Promise<void> {
    const m = minute()
    await doc.send(
      new UpdateCommand({
        TableName,
        Key: { pk: throttlePk(kind, subject), sk: `MINUTE#${String(m).padStart(12, '0')}` },
        UpdateExpression: 'ADD failures :one SET expiresAt = :exp, kind = :kind',
        ExpressionAttributeValues: { ':one': 1, ':exp': (m + keepMinutes) * 60, ':kind': 'throttle' },
      }),
    )
  }

  /** Forgets a subject's failures (after a successful sign-in). */
  async function clearFailures(kind: string, subject: string): Promise<void> {
    const out = await doc.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': throttlePk(kind, subject) },
        ConsistentRead: true,
      }),
    )
    for (const i of out.Items ?? [])
      await doc.send(new DeleteCommand({ TableName, Key: { pk: i.pk, sk: i.sk } }))
  }

  return {
    createOrg,
    getOrg,
    getOrgs,
    createUser,
    getUser,
    userByEmail,
    userWithMemberships,
    addMembership,
    orgMembers,
    createSession,
    getSession,
    deleteSession,
    countFailures,
    recordFailure,
    clearFailures,
  }
}

/** The identity store's interface. */
export type Identity = ReturnType<typeof createIdentity>
