import { randomUUID } from 'node:crypto'
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { decodeCursor, encodeCursor } from './cursor.js'
import { AUDIT_SK_PREFIX, auditSk, historyPk, orgPk } from './keys.js'
import type { Actor, Page } from './records.js'

/**
 * The append-only audit log of an organisation: one item per entry in the organisation's
 * partition (`AUDIT#<at>#<uuid>`, newest last), indexed per record on GSI1
 * (`ORG#<org>#HIST#<type>#<id>`). Record writes put their entry in their own transaction
 * (`auditEntryPut`); entries not tied to a record write go through `audit`.
 */

/** An entry of the append-only audit log. */
export interface AuditEntry {
  orgId: string
  at: string
  actor: Actor
  action: string
  type: string
  id: string
  before?: unknown
  after?: unknown
  note?: string
}

/** The transaction item that appends `entry` to the log in its organisation's partition. */
export const auditEntryPut = (tableName: string, entry: AuditEntry) => ({
  Put: {
    TableName: tableName,
    Item: {
      pk: orgPk(entry.orgId),
      sk: auditSk(entry.at, randomUUID()),
      gsi1pk: historyPk(entry.orgId, entry.type, entry.id),
      gsi1sk: entry.at,
      kind: 'audit',
      ...entry,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
})

/** The attributes of an entry its sentence needs (`auditLog`'s `sentences`), and the keys a cursor needs. */
const SENTENCE_NAMES: Record<string, string> = {
  '#pk': 'pk',
  '#sk': 'sk',
  '#org': 'orgId',
  '#at': 'at',
  '#actor': 'actor',
  '#action': 'action',
  '#type': 'type',
  '#id': 'id',
  '#note': 'note',
  '#before': 'before',
  '#after': 'after',
  '#title': 'title',
  '#name': 'name',
  '#file': 'fileName',
}
const SENTENCE_PROJECTION = [
  '#pk, #sk, #org, #at, #actor, #action, #type, #id, #note',
  ...['#before', '#after'].map((side) => `${side}.#title, ${side}.#name, ${side}.#file`),
].join(', ')

/** The item's attributes that are keys and markers, not the entry's. */
const ITEM_KEYS = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'kind'])

/** An entry as its item holds it, without the item's keys (copied key by key: cheaper than a rest copy). */
function entryOf(item: Record<string, unknown>): AuditEntry {
  const e: Record<string, unknown> = {}
  for (const k in item) if (!ITEM_KEYS.has(k)) e[k] = item[k]
  return e as unknown as AuditEntry
}

/** The audit log of one organisation: read a record's trail, the log, append. */
export function orgAuditLog(
  options: { doc: DynamoDBDocumentClient; tableName: string; now: () => Date },
  orgId: string,
) {
  const { doc, tableName, now } = options
  const auditPut = (entry: AuditEntry) => auditEntryPut(tableName, entry)

  /** The audit trail of one record, oldest first. */
  async function history(type: string, id: string): Promise<AuditEntry[]> {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :k',
        ExpressionAttributeValues: { ':k': historyPk(orgId, type, id) },
      }),
    )
    return (out.Items ?? []).map(entryOf)
  }

  /** Appends an audit entry that is not tied to a record write (sign-in, export, decision). */
  async function audit(entry: Omit<AuditEntry, 'orgId' | 'at'> & { at?: string }) {
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [auditPut({ ...entry, orgId, at: entry.at ?? now().toISOString() })],
      }),
    )
  }

  /**
   * The organisation's audit log, newest first, one page. `from`/`to` (ISO timestamps,
   * inclusive) narrow the key condition; `actor` (a user id, or `system:` for every
   * process of ismsflow) and `typePrefixes` (record types starting with one of them) are
   * filters, so a page may need several reads: it reads on until the page is full or
   * `maxReads` reads were made, and answers a cursor after the last entry it returns.
   */
  async function auditLog(
    opts: {
      limit?: number
      cursor?: string
      from?: string
      to?: string
      actor?: string
      typePrefixes?: readonly string[]
      maxReads?: number
      /**
       * Only what a sentence of the entry needs (`auditSentence`): of the data before and after,
       * their names (title, name, file name), not the whole records (the log's list and export).
       */
      sentences?: boolean
    } = {},
  ): Promise<Page<AuditEntry>> {
    const limit = opts.limit ?? 50
    const names: Record<string, string> = {}
    const values: Record<string, unknown> = {
      ':pk': orgPk(orgId),
      ':from': `${AUDIT_SK_PREFIX}${opts.from ?? ''}`,
      ':to': `${AUDIT_SK_PREFIX}${opts.to ?? '9999'}\uffff`,
    }
    const filters: string[] = []
    if (opts.actor) {
      names['#actor'] = 'actor'
      names['#uid'] = 'userId'
      values[':actor'] = opts.actor
      filters.push(opts.actor.endsWith(':') ? 'begins_with(#actor.#uid, :actor)' : '#actor.#uid = :actor')
    }
    if (opts.typePrefixes?.length) {
      names['#type'] = 'type'
      filters.push(
        `(${opts.typePrefixes
          .map((prefix, i) => {
            values[`:t${i}`] = prefix
            return `begins_with(#type, :t${i})`
          })
          .join(' OR ')})`,
      )
    }
    if (opts.sentences) Object.assign(names, SENTENCE_NAMES)
    const items: Record<string, unknown>[] = []
    let start = decodeCursor(opts.cursor)
    let reads = 0
    let more = false
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ...(opts.sentences ? { ProjectionExpression: SENTENCE_PROJECTION } : {}),
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: start,
        }),
      )
      reads++
      items.push(...(out.Items ?? []))
      start = out.LastEvaluatedKey
      more = Boolean(start)
    } while (more && items.length < limit && reads < (opts.maxReads ?? 10))
    const page = items.slice(0, limit)
    const last = page.at(-1)
    // Cut short: the next page starts after the last entry returned here.
    const cursor =
      items.length > limit && last
        ? encodeCursor({ pk: last.pk, sk: last.sk })
        : more
          ? encodeCursor(start)
          : undefined
    return {
      items: page.map(entryOf),
      cursor,
    }
  }

  return { history, audit, auditLog }
}
