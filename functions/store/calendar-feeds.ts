/**
 * Calendar feed secrets, one per person, stored only as a SHA-256 hash: the feed URL is
 * the secret, so whoever has the URL reads the feed; creating a new one (rotate) or
 * deleting it revokes the old URL at once. Global items, like sessions:
 * `CALFEED#<hash>` → the person, `CALFEED-USER#<userId>` → the current hash.
 */
import { createHash, randomBytes } from 'node:crypto'
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { calendarFeedKeys } from './keys.js'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const feedKey = calendarFeedKeys.feed
const userKey = calendarFeedKeys.user

/** Secrets are 32 random bytes, base64url (43 characters). */
const FEED_SECRET = /^[A-Za-z0-9_-]{43}$/

/** The calendar feed secrets: who has a feed, rotate, revoke, and whose a secret is. */
export type CalendarFeeds = ReturnType<typeof createCalendarFeeds>

/** The feed secrets of the table `tableName`. */
export function createCalendarFeeds(options: {
  doc: DynamoDBDocumentClient
  tableName: string
  now: () => Date
}) {
  const { doc, tableName: TableName, now } = options

  async function current(userId: string): Promise<{ hash: string; createdAt: string } | undefined> {
    const out = await doc.send(new GetCommand({ TableName, Key: userKey(userId), ConsistentRead: true }))
    return out.Item ? { hash: String(out.Item.hash), createdAt: String(out.Item.createdAt) } : undefined
  }

  return {
    /** When the person's feed was created, if they have one. */
    async status(userId: string): Promise<{ createdAt: string } | undefined> {
      const c = await current(userId)
      return c && { createdAt: c.createdAt }
    },

    /** Creates a new secret (the old URL stops working in the same write). Returns the secret once. */
    async rotate(userId: string): Promise<{ secret: string; createdAt: string }> {
      const old = await current(userId)
      const secret = randomBytes(32).toString('base64url')
      const hash = sha256(secret)
      const createdAt = now().toISOString()
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName, Item: { ...feedKey(hash), kind: 'calendar-feed', userId, createdAt } } },
            { Put: { TableName, Item: { ...userKey(userId), kind: 'calendar-feed-user', hash, createdAt } } },
            ...(old ? [{ Delete: { TableName, Key: feedKey(old.hash) } }] : []),
          ],
        }),
      )
      return { secret, createdAt }
    },

    /** Deletes the person's feed; true when there was one. */
    async revoke(userId: string): Promise<boolean> {
      const old = await current(userId)
      if (!old) return false
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName, Key: feedKey(old.hash) } },
            { Delete: { TableName, Key: userKey(userId) } },
          ],
        }),
      )
      return true
    },

    /** The person a secret belongs to, or undefined (unknown, revoked or malformed). */
    async userFor(secret: string): Promise<string | undefined> {
      if (!FEED_SECRET.test(secret)) return undefined
      const out = await doc.send(
        new GetCommand({ TableName, Key: feedKey(sha256(secret)), ConsistentRead: true }),
      )
      return typeof out.Item?.userId === 'string' ? out.Item.userId : undefined
    },
  }
}
