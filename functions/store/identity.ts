import { createHash, timingSafeEqual } from 'node:crypto'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { conflict, notFound } from '../domain/errors.js'
import { batchGetAll } from './batch-get.js'
import { conditionFailure } from './condition.js'
import { identityKeys as K, orgPk } from './keys.js'
import { queryPages } from './pages.js'

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
 * | session (user side, for "sign out everywhere") | `USER#<id>` | `SESSION#<sha256 of token>` |
 * | one-time token (password reset, set-password link) | `ONETIME#<sha256 of token>` | `ONETIME` |
 * | installation set-up marker | `INSTALLATION` | `SETUP` |
 * | throttle bucket | `THROTTLE#<kind>#<sha256 of subject>` | `MINUTE#<epoch minute>` |
 * | sign-in subject → user | `SUBJECT#<issuer>#<sub>` | `SUBJECT` |
 * | user → sign-in subject | `USER#<id>` | `SUBJECT#<issuer>` |
 *
 * Upper-case sort keys never collide with tenant records (whose types are lower-case). The keys
 * are built in `keys.ts` (`identityKeys`).
 */

/** A person. `passwordHash` is only set for local sign-in. */
export interface UserProfile {
  id: string
  email: string
  name: string
  createdAt: string
  passwordHash?: string
  /** Language of the messages this person receives (default `en`). */
  language?: 'en' | 'de'
  /** True when the person opted out of the weekly digest. */
  digestOptOut?: boolean
  /** Last successful sign-in. */
  lastSignInAt?: string
  /** The second factor (local sign-in), when turned on; null once turned off. */
  totp?: TotpState | null
  /** A second factor being set up: its secret until the first code confirms it. */
  totpPending?: { sealedSecret: string; createdAt: string } | null
}

/** A person's time-based second factor: the sealed secret, the last step used, recovery code hashes. */
export interface TotpState {
  sealedSecret: string
  enabledAt: string
  /** The time step of the last code accepted: a code works once. */
  lastStep: number
  /** sha256 of each unused recovery code. */
  recoveryHashes: string[]
}

/** What may change on a profile after it was created. */
export type ProfileChange = Partial<
  Pick<
    UserProfile,
    'name' | 'language' | 'digestOptOut' | 'passwordHash' | 'lastSignInAt' | 'totp' | 'totpPending'
  >
>

/** A one-time token (password reset or set-password link), found by its hash. */
export interface OneTimeToken {
  tokenHash: string
  purpose: 'password-reset' | 'set-password'
  userId: string
  createdAt: string
  /** Epoch seconds; also the table's TTL attribute. */
  expiresAt: number
  usedAt?: string
}

/** An organisation served by ismsflow. */
export interface OrgProfile {
  id: string
  name: string
  createdAt: string
  /** Optional descriptive fields (country, sector, …). */
  country?: string
  sector?: string
  /** The IANA time zone its dates and clocks are shown in (default Europe/Berlin). */
  timeZone?: string
}

/** The roles a person holds in one organisation (role names are checked by the API). */
export interface MembershipRecord {
  userId: string
  orgId: string
  roles: string[]
  createdAt: string
}

/** What the People page shows of a person's profile (`userSummaries`). */
export interface UserSummary {
  name: string
  email: string
  lastSignInAt?: string
}

/** A member of an organisation with their name (`memberNames`). */
export interface MemberName {
  userId: string
  name: string
  roles: string[]
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

/**
 * A user's account at an OpenID provider (the Cognito user pool on AWS): the provider's
 * issuer and its stable subject id. A person is found by this binding, never by e-mail.
 */
export interface SubjectBinding {
  userId: string
  issuer: string
  sub: string
  createdAt: string
}

/** NFKC, trims and lower-cases an e-mail address (the one normalisation used for lookups). */
export const normaliseEmail = (email: string) => email.normalize('NFKC').trim().toLowerCase()

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

const isConditionFailure = (err: unknown) => conditionFailure(err) !== undefined

/** The scan position of an `organisationsPage` cursor (a table key), or an error naming it. */
function scanStart(cursor: string): Record<string, string> {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (typeof v?.pk === 'string' && typeof v?.sk === 'string') return { pk: v.pk, sk: v.sk }
  } catch {}
  throw new Error('store: not a cursor of organisationsPage')
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
          Item: { ...K.orgProfile(org.id), kind: 'org', ...org, createdAt: now().toISOString() },
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
    const out = await doc.send(new GetCommand({ TableName, Key: K.orgProfile(orgId), ConsistentRead: true }))
    return pick<OrgProfile>(out.Item)
  }

  /** Sets the organisation's time zone (an IANA name the caller has checked); answers the profile. */
  async function setOrgTimeZone(orgId: string, timeZone: string): Promise<OrgProfile> {
    try {
      const out = await doc.send(
        new UpdateCommand({
          TableName,
          Key: K.orgProfile(orgId),
          // `timeZone` is a DynamoDB reserved word.
          UpdateExpression: 'SET #z = :z',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#z': 'timeZone' },
          ExpressionAttributeValues: { ':z': timeZone },
          ReturnValues: 'ALL_NEW',
        }),
      )
      const org = pick<OrgProfile>(out.Attributes)
      if (!org) throw notFound('The organisation')
      return org
    } catch (err) {
      if (isConditionFailure(err)) throw notFound('The organisation')
      throw err
    }
  }

  /** Several organisations' profiles (missing ones are left out). */
  async function getOrgs(orgIds: string[]): Promise<OrgProfile[]> {
    const ids = [...new Set(orgIds)]
    const found: OrgProfile[] = []
    await batchGetAll(doc, { TableName, keys: ids.map((id) => K.orgProfile(id)) }, (item) => {
      found.push(pick<OrgProfile>(item)!)
    })
    return found
  }

  /**
   * Every organisation of the installation, a page at a time, for migrations only (the
   * re-index, `steps/reindex.ts`): a scan of the table for organisation profiles, at most
   * `limit` organisations and `maxReads` scan pages per call. `after` is where the previous page
   * stopped (opaque); `next` is absent after the last organisation.
   */
  async function organisationsPage(q: { after?: string; limit: number; maxReads?: number }) {
    const orgIds: string[] = []
    const key = (k: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ pk: k.pk, sk: k.sk })).toString('base64url')
    let start = q.after ? scanStart(q.after) : undefined
    for (let reads = 0; reads < (q.maxReads ?? 10); reads++) {
      const out = await doc.send(
        new ScanCommand({
          TableName,
          ExclusiveStartKey: start,
          Limit: 1000,
          FilterExpression: 'sk = :profile AND begins_with(pk, :org)',
          ExpressionAttributeValues: { ':profile': K.orgProfile('').sk, ':org': orgPk('') },
          ProjectionExpression: 'pk, sk',
        }),
      )
      for (const item of out.Items ?? []) {
        orgIds.push(String(item.pk).slice(orgPk('').length))
        // Full: the next page starts after this organisation's profile.
        if (orgIds.length >= q.limit) return { orgIds, next: key(item) }
      }
      start = out.LastEvaluatedKey
      if (!start) return { orgIds }
    }
    return { orgIds, next: start && key(start) }
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
                  ...K.userProfile(user.id),
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
                Item: { ...K.email(email), kind: 'email', userId: user.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      return true
    } catch (err) {
      if (isConditionFailure(err))
        throw conflict('A user with this e-mail address exists already.', { email: 'is taken' }, err)
      throw err
    }
  }

  /** A user's profile by id. */
  async function getUser(userId: string): Promise<UserProfile | undefined> {
    const out = await doc.send(
      new GetCommand({ TableName, Key: K.userProfile(userId), ConsistentRead: true }),
    )
    return pick<UserProfile>(out.Item)
  }

  /**
   * Some attributes of several people's profiles by id (those without a profile left out): one
   * batch read per 100 that reads only `fields`, not one read of each whole profile.
   */
  async function profileFields(
    userIds: readonly string[],
    fields: readonly string[],
  ): Promise<Map<string, Record<string, unknown>>> {
    const ids = [...new Set(userIds)]
    const found = new Map<string, Record<string, unknown>>()
    const names = Object.fromEntries(['id', ...fields].map((f, i) => [`#f${i}`, f]))
    await batchGetAll(
      doc,
      {
        TableName,
        keys: ids.map((id) => K.userProfile(id)),
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: names,
      },
      (item) => {
        if (typeof item.id === 'string') found.set(item.id, item)
      },
    )
    return found
  }

  /** The names of several people by id (those without a profile left out), in one batch read per 100. */
  async function userNames(userIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>()
    for (const [id, p] of await profileFields(userIds, ['name']))
      if (typeof p.name === 'string') found.set(id, p.name)
    return found
  }

  /**
   * What the People page shows of several people by id (name, e-mail address, last sign-in;
   * those without a profile left out), in one batch read per 100, never their secrets.
   */
  async function userSummaries(userIds: readonly string[]): Promise<Map<string, UserSummary>> {
    const found = new Map<string, UserSummary>()
    for (const [id, p] of await profileFields(userIds, ['name', 'email', 'lastSignInAt']))
      found.set(id, {
        name: typeof p.name === 'string' ? p.name : id,
        email: typeof p.email === 'string' ? p.email : '',
        ...(typeof p.lastSignInAt === 'string' ? { lastSignInAt: p.lastSignInAt } : {}),
      })
    return found
  }

  /** A user's profile by e-mail address (case-insensitive). */
  async function userByEmail(email: string): Promise<UserProfile | undefined> {
    const out = await doc.send(
      new GetCommand({
        TableName,
        Key: K.email(normaliseEmail(email)),
        ConsistentRead: true,
      }),
    )
    const userId = typeof out.Item?.userId === 'string' ? out.Item.userId : undefined
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
        ExpressionAttributeValues: { ':pk': K.userPk(userId) },
        ConsistentRead: true,
      }),
    )
    const items = out.Items ?? []
    const profile = items.find((i) => i.sk === K.userProfile(userId).sk)
    if (!profile) return undefined
    const memberships = items
      .filter((i) => String(i.sk).startsWith(K.MEMBER_PREFIX))
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
                Item: { ...K.membershipOfUser(m.userId, m.orgId), kind: 'membership', ...item },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName,
                Item: { ...K.memberOfOrg(m.orgId, m.userId), kind: 'membership', ...item },
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
        ExpressionAttributeValues: { ':pk': orgPk(orgId), ':m': K.MEMBER_PREFIX },
        ConsistentRead: true,
      }),
    )
    return (out.Items ?? []).map((i) => pick<MembershipRecord>(i)!)
  }

  /**
   * The members of one organisation with their names (a member without a profile is named by
   * their id), for pages that show people: the members in one read and their names in one batch
   * read per 100, not one read of each member's profile.
   */
  async function memberNames(orgId: string): Promise<MemberName[]> {
    const members = await orgMembers(orgId)
    const names = await userNames(members.map((m) => m.userId))
    return members.map((m) => ({ userId: m.userId, name: names.get(m.userId) ?? m.userId, roles: m.roles }))
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
    // The user-side pointer lets "sign out everywhere" find every session of a person.
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName,
              Item: { ...K.session(tokenHash), kind: 'session', ...rec },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName,
              Item: {
                ...K.sessionOfUser(s.userId, tokenHash),
                kind: 'user-session',
                expiresAt: rec.expiresAt,
              },
            },
          },
        ],
      }),
    )
    return rec
  }

  /** The session for a cookie token, or undefined when unknown or expired. */
  async function getSession(token: string): Promise<SessionRecord | undefined> {
    const out = await doc.send(
      new GetCommand({
        TableName,
        Key: K.session(sha256(token)),
        ConsistentRead: true,
      }),
    )
    const rec = pick<SessionRecord>(out.Item)
    if (!rec || rec.expiresAt <= Math.floor(now().getTime() / 1000)) return undefined
    return rec
  }

  /** Ends a session (idempotent). */
  async function deleteSession(token: string): Promise<void> {
    const tokenHash = sha256(token)
    const out = await doc.send(new GetCommand({ TableName, Key: K.session(tokenHash), ConsistentRead: true }))
    await doc.send(new DeleteCommand({ TableName, Key: K.session(tokenHash) }))
    if (out.Item?.userId)
      await doc.send(new DeleteCommand({ TableName, Key: K.sessionOfUser(out.Item.userId, tokenHash) }))
  }

  /**
   * Ends every session of a person ("sign out everywhere", after a password change or
   * reset), except the one whose token is `keepToken`. Returns how many ended.
   */
  async function deleteUserSessions(userId: string, keepToken?: string): Promise<number> {
    const keep = keepToken ? sha256(keepToken) : undefined
    let ended = 0
    const pages = queryPages(doc, {
      TableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':pk': K.userPk(userId), ':s': K.SESSION_PREFIX },
      ConsistentRead: true,
    })
    for await (const items of pages)
      for (const i of items) {
        const hash = String(i.sk).slice(K.SESSION_PREFIX.length)
        if (hash === keep) continue
        await doc.send(new DeleteCommand({ TableName, Key: K.session(hash) }))
        await doc.send(new DeleteCommand({ TableName, Key: { pk: i.pk, sk: i.sk } }))
        ended++
      }
    return ended
  }

  /** Changes fields of a user's profile (the e-mail address is not among them). */
  async function updateUser(userId: string, change: ProfileChange): Promise<UserProfile> {
    const entries = Object.entries(change).filter(([, v]) => v !== undefined)
    if (entries.length === 0) {
      const u = await getUser(userId)
      if (!u) throw notFound('The user')
      return u
    }
    try {
      const out = await doc.send(
        new UpdateCommand({
          TableName,
          Key: K.userProfile(userId),
          UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_NEW',
        }),
      )
      return pick<UserProfile>(out.Attributes)!
    } catch (err) {
      if (isConditionFailure(err)) throw notFound('The user', err)
      throw err
    }
  }

  /**
   * Takes a one-time code's time step for the person's second factor: true once, when it
   * is later than the last step taken (a concurrent or repeated use of the same code: false).
   */
  async function useTotpStep(userId: string, step: number): Promise<boolean> {
    try {
      await doc.send(
        new UpdateCommand({
          TableName,
          Key: K.userProfile(userId),
          UpdateExpression: 'SET #t.#s = :s',
          ConditionExpression: 'attribute_type(#t, :map) AND #t.#s < :s',
          ExpressionAttributeNames: { '#t': 'totp', '#s': 'lastStep' },
          ExpressionAttributeValues: { ':s': step, ':map': 'M' },
        }),
      )
      return true
    } catch (err) {
      if (isConditionFailure(err)) return false
      throw err
    }
  }

  /** Takes a recovery code (by its hash) for good: true once, false when unknown or used. */
  async function useRecoveryCode(userId: string, hash: string): Promise<boolean> {
    const user = await getUser(userId)
    const left = user?.totp?.recoveryHashes ?? []
    if (!left.includes(hash)) return false
    try {
      await doc.send(
        new UpdateCommand({
          TableName,
          Key: K.userProfile(userId),
          UpdateExpression: 'SET #t.#r = :rest',
          // Unchanged since read: the code still there and no other taken meanwhile.
          ConditionExpression: 'contains(#t.#r, :h) AND size(#t.#r) = :n',
          ExpressionAttributeNames: { '#t': 'totp', '#r': 'recoveryHashes' },
          ExpressionAttributeValues: {
            ':rest': left.filter((h) => h !== hash),
            ':h': hash,
            ':n': left.length,
          },
        }),
      )
      return true
    } catch (err) {
      if (isConditionFailure(err)) return false
      throw err
    }
  }

  /** One membership (org side), or undefined. */
  async function getMembership(orgId: string, userId: string): Promise<MembershipRecord | undefined> {
    const out = await doc.send(
      new GetCommand({
        TableName,
        Key: K.memberOfOrg(orgId, userId),
        ConsistentRead: true,
      }),
    )
    return pick<MembershipRecord>(out.Item)
  }

  /**
   * Replaces a member's roles (both sides in one transaction). `expectedRoles` makes the
   * change conditional on what the caller read, and `keepIsos` on other members still being
   * ISOs, so two ISOs demoting each other at once cannot leave an organisation without an
   * ISO: the second write is a 409.
   */
  async function setMembershipRoles(
    orgId: string,
    userId: string,
    roles: string[],
    expectedRoles: string[],
    keepIsos: string[] = [],
  ): Promise<void> {
    const same = sameRoles(expectedRoles)
    const update = (key: { pk: string; sk: string }) => ({
      Update: {
        TableName,
        Key: key,
        UpdateExpression: 'SET #r = :r',
        ConditionExpression: `attribute_exists(pk) AND ${same.expression}`,
        ExpressionAttributeNames: { '#r': 'roles' },
        ExpressionAttributeValues: { ':r': roles, ...same.values },
      },
    })
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            update(K.memberOfOrg(orgId, userId)),
            update(K.membershipOfUser(userId, orgId)),
            ...stillIso(orgId, keepIsos),
          ],
        }),
      )
    } catch (err) {
      if (isConditionFailure(err))
        throw conflict(
          'The roles were changed by someone else; reload and try again.',
          { roles: 'changed meanwhile' },
          err,
        )
      throw err
    }
  }

  /** A condition that `#r` holds exactly these (distinct) roles: same size, each contained. */
  const sameRoles = (expected: string[]) => ({
    expression: [`size(#r) = :n`, ...expected.map((_, i) => `contains(#r, :e${i})`)].join(' AND '),
    values: { ':n': expected.length, ...Object.fromEntries(expected.map((r, i) => [`:e${i}`, r])) },
  })

  /** Condition checks: these members of `orgId` still hold `iso` when the transaction commits. */
  const stillIso = (orgId: string, userIds: string[]) =>
    userIds.map((id) => ({
      ConditionCheck: {
        TableName,
        Key: K.memberOfOrg(orgId, id),
        ConditionExpression: 'contains(#r, :iso)',
        ExpressionAttributeNames: { '#r': 'roles' },
        ExpressionAttributeValues: { ':iso': 'iso' },
      },
    }))

  /**
   * Removes a membership (both sides), conditional on the roles the caller read and, like
   * `setMembershipRoles`, on `keepIsos` still being ISOs (an organisation keeps an ISO).
   */
  async function removeMembership(
    orgId: string,
    userId: string,
    expectedRoles: string[],
    keepIsos: string[] = [],
  ): Promise<void> {
    const same = sameRoles(expectedRoles)
    const del = (key: { pk: string; sk: string }) => ({
      Delete: {
        TableName,
        Key: key,
        ConditionExpression: `attribute_exists(pk) AND ${same.expression}`,
        ExpressionAttributeNames: { '#r': 'roles' },
        ExpressionAttributeValues: same.values,
      },
    })
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            del(K.memberOfOrg(orgId, userId)),
            del(K.membershipOfUser(userId, orgId)),
            ...stillIso(orgId, keepIsos),
          ],
        }),
      )
    } catch (err) {
      if (isConditionFailure(err))
        throw conflict('The membership was changed by someone else; reload and try again.', undefined, err)
      throw err
    }
  }

  /**
   * Sets the installation up once: writes the set-up marker together with `items` (the
   * first organisation, user and membership) in one transaction. Returns false, writing
   * nothing, when the installation was set up before (by the set-up page, the CLI or the
   * demo seed).
   */
  async function claimSetup(
    by: string,
    then: { org: Omit<OrgProfile, 'createdAt'>; user: Omit<UserProfile, 'createdAt'>; roles: string[] },
  ): Promise<boolean> {
    const at = now().toISOString()
    const email = normaliseEmail(then.user.email)
    const member = { userId: then.user.id, orgId: then.org.id, roles: then.roles, createdAt: at }
    const put = (Item: Record<string, unknown>) => ({
      Put: { TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
    })
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            put({ ...K.installation, kind: 'setup', by, at }),
            put({ ...K.orgProfile(then.org.id), kind: 'org', ...then.org, createdAt: at }),
            put({
              ...K.userProfile(then.user.id),
              kind: 'user',
              ...then.user,
              email,
              createdAt: at,
            }),
            put({ ...K.email(email), kind: 'email', userId: then.user.id }),
            put({ ...K.membershipOfUser(member.userId, member.orgId), kind: 'membership', ...member }),
            put({ ...K.memberOfOrg(member.orgId, member.userId), kind: 'membership', ...member }),
          ],
        }),
      )
      return true
    } catch (err) {
      if (isConditionFailure(err)) {
        if (await isSetUp()) return false
        throw conflict('A user with this e-mail address exists already.', { email: 'is taken' }, err)
      }
      throw err
    }
  }

  /** Marks the installation as set up without creating anything (the demo seed). Idempotent. */
  async function markSetUp(by: string): Promise<void> {
    try {
      await doc.send(
        new PutCommand({
          TableName,
          Item: { ...K.installation, kind: 'setup', by, at: now().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
    } catch (err) {
      if (!isConditionFailure(err)) throw err
    }
  }

  /** Whether the installation was set up (set-up page, CLI or demo seed). */
  async function isSetUp(): Promise<boolean> {
    const out = await doc.send(new GetCommand({ TableName, Key: K.installation, ConsistentRead: true }))
    return out.Item !== undefined
  }

  /** Stores a one-time token by its hash (the token itself is never stored). */
  async function createOneTimeToken(t: {
    token: string
    purpose: OneTimeToken['purpose']
    userId: string
    ttlSeconds: number
  }): Promise<OneTimeToken> {
    const at = now()
    const rec: OneTimeToken = {
      tokenHash: sha256(t.token),
      purpose: t.purpose,
      userId: t.userId,
      createdAt: at.toISOString(),
      expiresAt: Math.floor(at.getTime() / 1000) + t.ttlSeconds,
    }
    await doc.send(
      new PutCommand({
        TableName,
        Item: { ...K.oneTime(rec.tokenHash), kind: 'onetime', ...rec },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    return rec
  }

  /**
   * The one-time token for `token` as stored (used or not, expired or not: the caller
   * tells the person which), or undefined when unknown. The stored hash is compared in
   * constant time.
   */
  async function getOneTimeToken(token: string): Promise<OneTimeToken | undefined> {
    const hash = sha256(token)
    const out = await doc.send(new GetCommand({ TableName, Key: K.oneTime(hash), ConsistentRead: true }))
    const rec = pick<OneTimeToken>(out.Item)
    if (!rec || !timingSafeEqual(Buffer.from(rec.tokenHash), Buffer.from(hash))) return undefined
    return rec
  }

  /** Uses a one-time token: true for the one caller that used it, false when it was used before. */
  async function useOneTimeToken(token: string): Promise<boolean> {
    try {
      await doc.send(
        new UpdateCommand({
          TableName,
          Key: K.oneTime(sha256(token)),
          UpdateExpression: 'SET usedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
          ExpressionAttributeValues: { ':at': now().toISOString() },
        }),
      )
      return true
    } catch (err) {
      if (isConditionFailure(err)) return false
      throw err
    }
  }

  const throttlePk = (kind: string, subject: string) => K.throttlePk(kind, sha256(subject))
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
          ':from': K.throttleSk(from),
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
        Key: { pk: throttlePk(kind, subject), sk: K.throttleSk(m) },
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

  /**
   * Binds a provider account (`issuer` + `sub`) to an ismsflow user: at most one subject per
   * user and issuer, at most one user per subject, both sides written in one transaction.
   * Idempotent: binding the same pair again answers `'already'`. A subject bound to another
   * user, or a user bound to another subject of the same issuer, is a 409; an unknown user a
   * 404. Used when an invitation is accepted (the subject of the signed-in token) and when
   * an account is created at the provider (the `sub` that `AdminCreateUser` answers).
   */
  async function bindSubject(userId: string, issuer: string, sub: string): Promise<'bound' | 'already'> {
    if (!issuer || !sub) throw new Error('bindSubject needs an issuer and a subject')
    const existing = await userBySubject(issuer, sub)
    if (existing?.id === userId) return 'already'
    if (existing)
      throw conflict('This sign-in is linked to another person already.', {
        sub: 'is linked to another person',
      })
    const createdAt = now().toISOString()
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName,
                Key: K.userProfile(userId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Put: {
                TableName,
                Item: { ...K.subject(issuer, sub), kind: 'subject', userId, issuer, sub, createdAt },
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName,
                Item: {
                  ...K.subjectOfUser(userId, issuer),
                  kind: 'subject',
                  userId,
                  issuer,
                  sub,
                  createdAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
      return 'bound'
    } catch (err) {
      const refused = conditionFailure(err)
      if (!refused) throw err
      if (refused.failed[0]) throw notFound(`User ${userId}`, err)
      // A concurrent bind of the same pair is not a conflict (the refused put read the binding).
      const bound = refused.items[1]
      if (bound?.userId === userId) return 'already'
      if (refused.failed[2])
        throw conflict(
          'This person is linked to another sign-in already.',
          { userId: 'is linked to another sign-in' },
          err,
        )
      throw conflict(
        'This sign-in is linked to another person already.',
        { sub: 'is linked to another person' },
        err,
      )
    }
  }

  /** The user bound to a provider account, or undefined (the e-mail address is never consulted). */
  async function userBySubject(issuer: string, sub: string): Promise<UserProfile | undefined> {
    const out = await doc.send(
      new GetCommand({ TableName, Key: K.subject(issuer, sub), ConsistentRead: true }),
    )
    const userId = typeof out.Item?.userId === 'string' ? out.Item.userId : undefined
    return userId ? getUser(userId) : undefined
  }

  /** The provider account a user is bound to at `issuer`, if any. */
  async function subjectOf(userId: string, issuer: string): Promise<SubjectBinding | undefined> {
    const out = await doc.send(
      new GetCommand({
        TableName,
        Key: K.subjectOfUser(userId, issuer),
        ConsistentRead: true,
      }),
    )
    return pick<SubjectBinding>(out.Item)
  }

  return {
    bindSubject,
    userBySubject,
    subjectOf,
    createOrg,
    getOrg,
    getOrgs,
    organisationsPage,
    setOrgTimeZone,
    createUser,
    getUser,
    userNames,
    userSummaries,
    userByEmail,
    userWithMemberships,
    useTotpStep,
    useRecoveryCode,
    addMembership,
    orgMembers,
    memberNames,
    createSession,
    getSession,
    deleteSession,
    deleteUserSessions,
    updateUser,
    getMembership,
    setMembershipRoles,
    removeMembership,
    claimSetup,
    markSetUp,
    isSetUp,
    createOneTimeToken,
    getOneTimeToken,
    useOneTimeToken,
    countFailures,
    recordFailure,
    clearFailures,
  }
}

/** The identity store's interface. */
export type Identity = ReturnType<typeof createIdentity>
