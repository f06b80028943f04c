import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { ConflictError, type FieldErrors, notFound } from '../domain/errors.js'
import { isOrgId } from '../domain/org-id.js'
import { type AuditEntry, auditEntryPut, orgAuditLog } from './audit.js'
import { batchGetAll } from './batch-get.js'
import { conditionFailure } from './condition.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { orgPk, recordSk } from './keys.js'
import { LIST_STAMP, listChanges, listVersion } from './list-index.js'
import { queryPages } from './pages.js'
import { searchKeysOf } from './search-index.js'
import type { Stamp } from './stamped-index.js'
import { keptKeys } from './work-index.js'

export type { AuditEntry } from './audit.js'

/** Who did something: a user, or a workflow step acting for the system. */
export interface Actor {
  userId: string
  name?: string
}

/** A stored tenant record: the caller's data plus bookkeeping. */
export interface StoredRecord<T> {
  orgId: string
  type: string
  id: string
  version: number
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
  data: T
}

/** An index a record's writes count it in, and what a write changes there (from the record as counted to as written). */
interface Counted {
  stamp: Stamp
  changes: (before: StoredRecord<unknown> | undefined, after: StoredRecord<unknown> | undefined) => SideWrites
}

/** Secondary index keys a record may carry (see `table.ts`). */
export interface IndexKeys {
  gsi1pk?: string
  gsi1sk?: string
  gsi2pk?: string
  gsi2sk?: string
}

export interface WriteOptions {
  actor: Actor
  /** Audit action name; defaults to `<type>.create` / `<type>.update` / `<type>.delete`. */
  action?: string
  index?: IndexKeys
  /** Extra top-level attributes (e.g. a TTL). */
  extra?: Record<string, unknown>
  /**
   * Further items of the organisation's partition put in the same transaction as the record
   * (e.g. search index entries); each names its sort key, the partition is the record's.
   */
  also?: AlsoPut[]
  /**
   * Items derived from the record (a materialised index and its counters), written in the
   * same transaction: given the stored data before the write (`undefined` on create) and the
   * record as written, it names the side items to put, to delete and the counters to add to.
   */
  side?: (before: unknown, after: StoredRecord<unknown>) => SideWrites
  /**
   * The index `side` counts the record in, built beside live writes (`stamped-index.ts`): the
   * record's item carries this stamp, and `side` is given the data before only when the record
   * is counted at this version (otherwise `undefined`: it is counted afresh), conditional on the
   * stamp as read. On create and update (a removal does not call `side`).
   */
  stamp?: Stamp
}

/** Side items derived from a record's write (see `WriteOptions.side`). */
export interface SideWrites {
  puts?: AlsoPut[]
  /** Sort keys of side items to delete. */
  deletes?: string[]
  /** Counter items (sort key) and the numbers to add to their attributes. */
  counts?: { sk: string; add: Record<string, number> }[]
  /** Items changed in place: attributes set, removed and added to (see `SideUpdate`). */
  updates?: SideUpdate[]
}

/**
 * A change of one side item in place (created when missing): top-level attributes set to
 * values, removed, and numbers added to.
 */
export interface SideUpdate {
  sk: string
  set?: Record<string, unknown>
  remove?: string[]
  add?: Record<string, number>
}

/**
 * A side item as read, without its partition key: copied key by key, which costs a fraction of
 * `({ pk, ...rest })` on items whose attribute names differ from item to item (an execution's
 * entry names its open tasks), where the rest copy takes V8's slow path (~4 µs an item).
 */
function withoutPk(item: Record<string, unknown>, sk: string): Record<string, unknown> & { sk: string } {
  const out: Record<string, unknown> & { sk: string } = { sk }
  for (const k in item) if (k !== 'pk') out[k] = item[k]
  return out
}

/** One read of a range of side items (see `sideRange`). */
export interface SideRange {
  /** Inclusive bounds of the sort key; both start with the same upper-case name and #. */
  from: string
  to: string
  limit: number
  /** Exclusive start: the sort key of the last item read before. */
  after?: string
  reverse?: boolean
  /** Only items whose attribute equals the value (e.g. `{ kind: 'approval' }`), or one of the values. */
  where?: Record<string, string | readonly string[]>
  /** Count only (no items). */
  count?: boolean
  /** Only these attributes of each item (besides `sk`): what a reader uses, not what the filters read. */
  fields?: readonly string[]
}

/** An item put beside a record, in the record's organisation and transaction. */
export interface AlsoPut {
  sk: string
  item?: Record<string, unknown>
  /**
   * Put only while the item's attribute is as the caller read it (`value` left out: only while
   * the item does not exist): an optimistic lock beside the record (e.g. one per e-mail address
   * that two invitations at once must not both pass). A refusal fails the whole write.
   */
  expect?: { attr: string; value?: string | number }
}

/** 409: an item a write expected as read (`AlsoPut.expect`) was changed meanwhile; nothing was written. */
export class SideChangedError extends ConflictError {
  constructor(message: string, cause?: unknown) {
    super(message, { cause })
    this.name = 'SideChangedError'
  }
}

export interface ListOptions {
  limit?: number
  /** Opaque cursor from a previous page. */
  cursor?: string
  /** Only ids starting with this prefix. */
  idPrefix?: string
  /** Newest first. */
  reverse?: boolean
}

export interface Page<T> {
  items: T[]
  cursor?: string
}

const TYPE = /^[a-z][a-z0-9-]{0,40}$/

const strip = <T>(item: Record<string, unknown>): StoredRecord<T> => ({
  orgId: String(item.orgId),
  type: String(item.type),
  id: String(item.id),
  version: Number(item.version),
  createdAt: String(item.createdAt),
  createdBy: String(item.createdBy),
  updatedAt: String(item.updatedAt),
  updatedBy: String(item.updatedBy),
  data: item.data as T,
})

/**
 * 409 from the store about one record, holding the record as it is stored now when the
 * failed write knew it (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`, or the version
 * check before the write), so the caller needs no second read.
 */
abstract class RecordConflict extends ConflictError {
  readonly #stored?: Record<string, unknown>
  constructor(
    message: string,
    stored: Record<string, unknown> | undefined,
    fields?: FieldErrors,
    cause?: unknown,
  ) {
    super(message, { fields, cause })
    this.#stored = stored
  }
  /** The record as stored now, when known (it may have gone since). */
  stored<T>(): StoredRecord<T> | undefined {
    return this.#stored && strip<T>(this.#stored)
  }
}

/** 409: a record with this id exists already (`stored()` is the one that does). */
export class RecordExistsError extends RecordConflict {
  constructor(message: string, stored: Record<string, unknown> | undefined, cause?: unknown) {
    super(message, stored, undefined, cause)
    this.name = 'RecordExistsError'
  }
}

/** 409: the record was changed (or removed) since the caller read it (`stored()` is how it is now). */
export class RecordChangedError extends RecordConflict {
  constructor(
    message: string,
    stored: Record<string, unknown> | undefined,
    fields?: FieldErrors,
    cause?: unknown,
  ) {
    super(message, stored, fields, cause)
    this.name = 'RecordChangedError'
  }
}

/** Organisations whose records a store keeps made (`forOrg`): more than an installation has, a bound all the same. */
const MAX_KEPT_ORGS = 1000

/**
 * The tenant-scoped record store. `forOrg(orgId)` is the only way in: there is no call
 * without an organisation. Writes are conditional on the version (a stale write is a 409)
 * and append an audit entry in the same transaction, so a record never changes without
 * its audit line.
 */
export function createRecords(options: { doc: DynamoDBDocumentClient; tableName: string; now?: () => Date }) {
  const { doc, tableName } = options
  const now = options.now ?? (() => new Date())

  const auditPut = (entry: AuditEntry) => auditEntryPut(tableName, entry)

  const made = new Map<string, Readonly<ReturnType<typeof orgRecords>>>()
  /**
   * An organisation's records, made once per organisation and then shared: the ~40 functions
   * of `orgRecords` hold no state of their own (only the organisation's key and this store's
   * options), and making them anew for each call cost every inbox request a few KB of garbage
   * (an allocation profile of the app under 50 clients). Frozen: nobody changes a shared one.
   */
  function forOrg(orgId: string) {
    const kept = made.get(orgId)
    if (kept) return kept
    const records = Object.freeze(orgRecords(orgId))
    if (made.size >= MAX_KEPT_ORGS) made.clear()
    made.set(orgId, records)
    return records
  }

  function orgRecords(orgId: string) {
    if (!isOrgId(orgId)) throw new Error(`store: invalid organisation id ${orgId}`)
    const pk = orgPk(orgId)
    const { history, audit, auditLog } = orgAuditLog({ doc, tableName, now }, orgId)
    const alsoPuts = (also: AlsoPut[] = []) =>
      also.map((a) => ({
        Put: {
          TableName: tableName,
          Item: { ...a.item, pk, sk: a.sk },
          ...(a.expect === undefined
            ? {}
            : a.expect.value === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#e = :e',
                  ExpressionAttributeNames: { '#e': a.expect.attr },
                  ExpressionAttributeValues: { ':e': a.expect.value },
                }),
        },
      }))
    /** The entries a record keeps beside it, from its data alone: the work index's and the search index's. */
    const derivedKeys = (type: string, id: string, data: unknown) => [
      ...keptKeys(type, id, data),
      ...searchKeysOf(type, id, data),
    ]
    const sideDeletes = (sks: string[]) =>
      sks.map((sk) => ({ Delete: { TableName: tableName, Key: { pk, sk } } }))
    /**
     * The entries of a record (`work-index.ts`, `search-index.ts`) that a write adds and drops,
     * in the record's transaction: neither index ever disagrees with the record.
     */
    const keptChanges = (type: string, id: string, before: unknown, after: unknown) => {
      const old = before === undefined ? [] : derivedKeys(type, id, before)
      const next = after === undefined ? [] : derivedKeys(type, id, after)
      const had = new Set(old)
      const has = new Set(next)
      return [
        ...next
          .filter((k) => !had.has(k))
          .map((sk) => ({ Put: { TableName: tableName, Item: { pk, sk, kind: 'kept' } } })),
        ...sideDeletes(old.filter((k) => !has.has(k))),
      ]
    }
    const sideItems = (w?: SideWrites) => [
      ...alsoPuts(w?.puts),
      ...(w?.deletes ?? []).map((sk) => ({ Delete: { TableName: tableName, Key: { pk, sk } } })),
      ...(w?.counts ?? [])
        .filter((c) => Object.values(c.add).some((n) => n !== 0))
        .map((c) => {
          const entries = Object.entries(c.add).filter(([, n]) => n !== 0)
          return {
            Update: {
              TableName: tableName,
              Key: { pk, sk: c.sk },
              UpdateExpression: `ADD ${entries.map((_, i) => `#a${i} :v${i}`).join(', ')}`,
              ExpressionAttributeNames: Object.fromEntries(entries.map(([a], i) => [`#a${i}`, a])),
              ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:v${i}`, n])),
            },
          }
        }),
      ...sideUpdates(w?.updates),
    ]
    /**
     * The indexes a write counts the record in, each stamped on its item (`stamped-index.ts`):
     * its type's lists (`list-index.ts`), and `side`'s index when it names a stamp.
     */
    const countedIn = (type: string, id: string, opts: Pick<WriteOptions, 'side' | 'stamp'>): Counted[] => {
      const out: Counted[] = []
      const v = listVersion(type)
      if (v !== undefined)
        out.push({
          stamp: { attr: LIST_STAMP, version: v },
          changes: (b, a) =>
            listChanges(type, id, b && { data: b.data, meta: b }, a && { data: a.data, meta: a }),
        })
      const { side, stamp } = opts
      if (side && stamp) out.push({ stamp, changes: (b, a) => (a ? side(b?.data, a) : {}) })
      return out
    }
    /**
     * What a write of a record changes in the indexes it is counted in: each from the record as
     * counted there (the stored item `raw` when it is stamped with this version; else nothing: the
     * write counts it afresh) to `after` (none on removal); the condition that the stamps are still
     * as read (a rebuild may stamp the record meanwhile), and the stamps the written item carries.
     */
    const counting = (
      counted: Counted[],
      raw: Record<string, unknown> | undefined,
      after: StoredRecord<unknown> | undefined,
    ) => {
      const names: Record<string, string> = {}
      const values: Record<string, unknown> = {}
      const conditions: string[] = []
      const items = counted.flatMap((c, i) => {
        const was = raw?.[c.stamp.attr]
        if (raw) {
          names[`#st${i}`] = c.stamp.attr
          if (was === undefined) conditions.push(`attribute_not_exists(#st${i})`)
          else {
            values[`:st${i}`] = was
            conditions.push(`#st${i} = :st${i}`)
          }
        }
        return sideItems(c.changes(raw && was === c.stamp.version ? strip(raw) : undefined, after))
      })
      return {
        items,
        condition: conditions.map((c) => ` AND ${c}`).join(''),
        ...(Object.keys(names).length ? { names } : {}),
        values,
        stamps: Object.fromEntries(counted.map((c) => [c.stamp.attr, c.stamp.version])),
      }
    }
    /**
     * A record's stored item: its keys, kind, extra attributes, index keys, the stamps of the
     * indexes it is counted in, and the record; `kept`: attributes of the item it replaces that stay.
     */
    const recordItem = (
      type: string,
      rec: StoredRecord<unknown>,
      opts: Pick<WriteOptions, 'extra' | 'index'>,
      stamps: Record<string, number>,
      kept: Record<string, unknown> = {},
    ) => ({
      pk,
      sk: recordSk(type, rec.id),
      kind: 'record',
      ...kept,
      ...opts.extra,
      ...opts.index,
      ...stamps,
      ...rec,
    })
    /** The side items of a `side` that counts nothing (no stamp): written as it says. */
    const plainSide = (
      opts: Pick<WriteOptions, 'side' | 'stamp'>,
      before: unknown,
      after: StoredRecord<unknown>,
    ) => (opts.stamp ? [] : sideItems(opts.side?.(before, after)))
    /** Whether a refused write found the record at the version it expected (only its stamp changed: try again). */
    const onlyStampChanged = (failed: Record<string, unknown> | undefined, version: number) =>
      failed !== undefined && Number(failed.version) === version

    /** The expression of a side update, its attribute names and values (all by placeholder). */
    const updateParts = (u: SideUpdate) => {
      const names: Record<string, string> = {}
      const values: Record<string, unknown> = {}
      let n = 0
      const name = (attr: string) => {
        const key = `#u${n++}`
        names[key] = attr
        return key
      }
      const sets = Object.entries(u.set ?? {}).map(([a, v], i) => {
        values[`:s${i}`] = v
        return `${name(a)} = :s${i}`
      })
      const adds = Object.entries(u.add ?? {})
        .filter(([, v]) => v !== 0)
        .map(([a, v], i) => {
          values[`:a${i}`] = v
          return `${name(a)} :a${i}`
        })
      const removes = (u.remove ?? []).map(name)
      const expression = [
        sets.length ? `SET ${sets.join(', ')}` : '',
        adds.length ? `ADD ${adds.join(', ')}` : '',
        removes.length ? `REMOVE ${removes.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' ')
      return { expression, names, values }
    }
    const sideUpdates = (updates: SideUpdate[] = []) =>
      updates.flatMap((u) => {
        const { expression, names, values } = updateParts(u)
        if (!expression) return []
        return [
          {
            Update: {
              TableName: tableName,
              Key: { pk, sk: u.sk },
              UpdateExpression: expression,
              ExpressionAttributeNames: names,
              ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
            },
          },
        ]
      })
    const checkType = (type: string) => {
      if (!TYPE.test(type)) throw new Error(`store: invalid record type ${type}`)
    }

    async function getRaw(type: string, id: string): Promise<Record<string, unknown> | undefined> {
      checkType(type)
      const out = await doc.send(
        new GetCommand({ TableName: tableName, Key: { pk, sk: recordSk(type, id) }, ConsistentRead: true }),
      )
      return out.Item
    }

    async function get<T>(type: string, id: string): Promise<StoredRecord<T> | undefined> {
      const item = await getRaw(type, id)
      return item ? strip<T>(item) : undefined
    }

    async function require<T>(type: string, id: string, what = type): Promise<StoredRecord<T>> {
      const r = await get<T>(type, id)
      if (!r) throw notFound(what)
      return r
    }

    /** Creates a record; a second create with the same id is a 409. */
    async function create<T>(
      type: string,
      id: string,
      data: T,
      opts: WriteOptions,
    ): Promise<StoredRecord<T>> {
      checkType(type)
      const at = now().toISOString()
      const rec: StoredRecord<T> = {
        orgId,
        type,
        id,
        version: 1,
        createdAt: at,
        createdBy: opts.actor.userId,
        updatedAt: at,
        updatedBy: opts.actor.userId,
        data,
      }
      const counted = counting(countedIn(type, id, opts), undefined, rec)
      const input: TransactWriteCommandInput = {
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: recordItem(type, rec, opts, counted.stamps),
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          auditPut({
            orgId,
            at,
            actor: opts.actor,
            action: opts.action ?? `${type}.create`,
            type,
            id,
            after: data,
          }),
          ...alsoPuts(opts.also),
          ...keptChanges(type, id, undefined, data),
          ...counted.items,
          ...plainSide(opts, undefined, rec),
        ],
      }
      try {
        await doc.send(new TransactWriteCommand(input))
      } catch (err) {
        const failed = conditionFailure(err)
        if (failed && !failed.failed[0])
          throw new SideChangedError(`${type} ${id}: an item it expected as read was changed meanwhile.`, err)
        if (failed) throw new RecordExistsError(`${type} ${id} already exists.`, failed.items[0], err)
        throw err
      }
      return rec
    }

    /**
     * Creates a record unless one with this id exists; then answers the stored one, read with
     * the refused write (a repeated step or a double click makes one record).
     */
    async function createOrGet<T>(
      type: string,
      id: string,
      data: T,
      opts: WriteOptions,
    ): Promise<{ rec: StoredRecord<T>; created: boolean }> {
      try {
        return { rec: await create(type, id, data, opts), created: true }
      } catch (err) {
        if (!(err instanceof RecordExistsError)) throw err
        const stored = err.stored<T>() ?? (await get<T>(type, id))
        if (!stored) throw err
        return { rec: stored, created: false }
      }
    }

    /**
     * Replaces a record's data when its stored version is `expectedVersion`; otherwise 409
     * ("changed by someone else"). Returns the new record.
     */
    async function update<T>(
      type: string,
      id: string,
      data: T,
      opts: WriteOptions & { expectedVersion: number },
    ): Promise<StoredRecord<T>> {
      // A rebuild of the lists may stamp the record between the read and the write: read again.
      for (let attempt = 0; ; attempt++) {
        const raw = await getRaw(type, id)
        if (!raw) throw notFound(type)
        const before = strip<T>(raw)
        // Index keys and extra attributes stay unless the caller sets new ones.
        const kept = Object.fromEntries(
          Object.entries(raw).filter(([k]) => k.startsWith('gsi') || k === 'expiresAt'),
        )
        if (before.version !== opts.expectedVersion)
          throw new RecordChangedError(
            `${type} ${id} was changed by someone else (version ${before.version}, you had ${opts.expectedVersion}).`,
            raw,
            { version: `expected ${before.version}` },
          )
        const at = now().toISOString()
        const rec: StoredRecord<T> = {
          ...before,
          version: before.version + 1,
          updatedAt: at,
          updatedBy: opts.actor.userId,
          data,
        }
        const counted = counting(countedIn(type, id, opts), raw, rec)
        try {
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Put: {
                    TableName: tableName,
                    Item: recordItem(type, rec, opts, counted.stamps, kept),
                    ConditionExpression: `version = :v${counted.condition}`,
                    ...(counted.names ? { ExpressionAttributeNames: counted.names } : {}),
                    ExpressionAttributeValues: { ':v': opts.expectedVersion, ...counted.values },
                    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                  },
                },
                auditPut({
                  orgId,
                  at,
                  actor: opts.actor,
                  action: opts.action ?? `${type}.update`,
                  type,
                  id,
                  before: before.data,
                  after: data,
                }),
                ...alsoPuts(opts.also),
                ...keptChanges(type, id, before.data, data),
                ...counted.items,
                ...plainSide(opts, before.data, rec),
              ],
            }),
          )
        } catch (err) {
          const failed = conditionFailure(err)
          if (failed && attempt < 5 && onlyStampChanged(failed.items[0], opts.expectedVersion)) continue
          if (failed)
            throw new RecordChangedError(
              `${type} ${id} was changed by someone else; reload and try again.`,
              failed.items[0],
              undefined,
              err,
            )
          throw err
        }
        return rec
      }
    }

    /** Read-modify-write with retries on a concurrent change (for workflow steps that own the change). */
    async function mutate<T>(
      type: string,
      id: string,
      fn: (current: T, rec: StoredRecord<T>) => T,
      opts: WriteOptions,
      attempts = 5,
    ): Promise<StoredRecord<T>> {
      let cur = await require<T>(type, id)
      for (let i = 0; ; i++) {
        try {
          return await update(type, id, fn(structuredClone(cur.data), cur), {
            ...opts,
            expectedVersion: cur.version,
          })
        } catch (err) {
          if (i + 1 >= attempts || !(err instanceof RecordChangedError)) throw err
          // The refused write read the record as it is now; a removed record is a 404.
          cur = err.stored<T>() ?? (await require<T>(type, id))
        }
      }
    }

    async function remove(
      type: string,
      id: string,
      opts: WriteOptions & { expectedVersion?: number },
    ): Promise<void> {
      checkType(type)
      for (let attempt = 0; ; attempt++) {
        const raw = await getRaw(type, id)
        if (!raw) throw notFound(type)
        const before = strip<unknown>(raw)
        const expected = opts.expectedVersion ?? before.version
        const counted = counting(countedIn(type, id, opts), raw, undefined)
        const at = now().toISOString()
        try {
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Delete: {
                    TableName: tableName,
                    Key: { pk, sk: recordSk(type, id) },
                    ConditionExpression: `version = :v${counted.condition}`,
                    ...(counted.names ? { ExpressionAttributeNames: counted.names } : {}),
                    ExpressionAttributeValues: { ':v': expected, ...counted.values },
                    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                  },
                },
                auditPut({
                  orgId,
                  at,
                  actor: opts.actor,
                  action: opts.action ?? `${type}.delete`,
                  type,
                  id,
                  before: before.data,
                }),
                ...keptChanges(type, id, before.data, undefined),
                ...counted.items,
              ],
            }),
          )
          return
        } catch (err) {
          const failed = conditionFailure(err)
          if (failed && attempt < 5 && onlyStampChanged(failed.items[0], expected)) continue
          if (failed)
            throw new RecordChangedError(
              `${type} ${id} was changed by someone else; reload and try again.`,
              undefined,
              undefined,
              err,
            )
          throw err
        }
      }
    }

    /** Records of one type in this organisation, ordered by id. */
    async function list<T>(type: string, opts: ListOptions = {}): Promise<Page<StoredRecord<T>>> {
      checkType(type)
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': pk, ':p': recordSk(type, opts.idPrefix ?? '') },
          Limit: opts.limit,
          ExclusiveStartKey: decodeCursor(opts.cursor),
          ScanIndexForward: !opts.reverse,
          ConsistentRead: true,
        }),
      )
      return { items: (out.Items ?? []).map((i) => strip<T>(i)), cursor: encodeCursor(out.LastEvaluatedKey) }
    }

    /**
     * Sort keys of this organisation's items beginning with an upper-case `prefix` (side items
     * such as `SEARCH#…` entries; never records), one page of at most `limit`.
     */
    async function sideKeys(prefix: string, limit = 200): Promise<string[]> {
      if (!/^[A-Z]+#/.test(prefix))
        throw new Error('store: a side key prefix starts with an upper-case name and #')
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': pk, ':p': prefix },
          ProjectionExpression: 'sk',
          Limit: limit,
        }),
      )
      return (out.Items ?? []).map((i) => String(i.sk))
    }

    /**
     * One read of side items in a sort-key range (a materialised index inside the
     * organisation's partition): a key condition, at most `limit` items, optionally filtered.
     * Answers the items (without keys but `sk`) and the sort key to continue after, if any.
     */
    async function sideRange(
      r: SideRange,
    ): Promise<{ items: (Record<string, unknown> & { sk: string })[]; count: number; last?: string }> {
      if (!/^[A-Z]+#/.test(r.from) || !/^[A-Z]+#/.test(r.to))
        throw new Error('store: a side key range starts with an upper-case name and #')
      const names: Record<string, string> = {}
      const values: Record<string, unknown> = { ':pk': pk, ':from': r.from, ':to': r.to }
      const filters = Object.entries(r.where ?? {}).map(([attr, want], i) => {
        names[`#w${i}`] = attr
        const list = typeof want === 'string' ? [want] : want
        list.forEach((v, j) => {
          values[`:w${i}_${j}`] = v
        })
        return list.length === 1
          ? `#w${i} = :w${i}_0`
          : `#w${i} IN (${list.map((_, j) => `:w${i}_${j}`).join(', ')})`
      })
      const projection = r.fields?.length && !r.count ? ['sk', ...r.fields] : undefined
      projection?.forEach((attr, i) => {
        names[`#f${i}`] = attr
      })
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ...(projection ? { ProjectionExpression: projection.map((_, i) => `#f${i}`).join(', ') } : {}),
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
          ExclusiveStartKey: r.after ? { pk, sk: r.after } : undefined,
          ScanIndexForward: !r.reverse,
          Limit: r.limit,
          ConsistentRead: true,
          ...(r.count ? { Select: 'COUNT' as const } : {}),
        }),
      )
      const items = (out.Items ?? []).flatMap((i) => (typeof i.sk === 'string' ? [withoutPk(i, i.sk)] : []))
      const last = out.LastEvaluatedKey?.sk
      return { items, count: out.Count ?? items.length, last: typeof last === 'string' ? last : undefined }
    }

    /** Side items by sort key (e.g. counters), those that exist, in one read per 100. */
    async function sideGet(sks: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
      const found = new Map<string, Record<string, unknown>>()
      const unique = [...new Set(sks)]
      for (const sk of unique)
        if (!/^[A-Z]+#/.test(sk)) throw new Error('store: a side key starts with an upper-case name and #')
      await batchGetAll(doc, { TableName: tableName, keys: unique.map((sk) => ({ pk, sk })) }, (item) => {
        if (typeof item.sk === 'string') found.set(item.sk, item)
      })
      return found
    }

    /** Puts side items (e.g. search entries of an existing record) outside a record's transaction. */
    async function putSide(puts: AlsoPut[]): Promise<void> {
      for (const p of puts)
        if (!/^[A-Z]+#/.test(p.sk)) throw new Error('store: a side key starts with an upper-case name and #')
      for (let i = 0; i < puts.length; i += 100)
        await doc.send(new TransactWriteCommand({ TransactItems: alsoPuts(puts.slice(i, i + 100)) }))
    }

    /**
     * Puts side items together with a guard item, only when the guard does not exist yet (the
     * first writer wins; answers whether this call wrote them).
     */
    async function putSideOnce(guard: AlsoPut, puts: AlsoPut[]): Promise<boolean> {
      for (const p of [guard, ...puts])
        if (!/^[A-Z]+#/.test(p.sk)) throw new Error('store: a side key starts with an upper-case name and #')
      const [first, ...rest] = alsoPuts([guard, ...puts])
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { ...first.Put, ConditionExpression: 'attribute_not_exists(pk)' } },
              ...rest,
            ],
          }),
        )
        return true
      } catch (err) {
        if (conditionFailure(err)) return false
        throw err
      }
    }

    /**
     * Changes one side item in place outside a record's transaction. `ifExists`: only an item
     * that exists; `ifNotAfter`: only when the item's attribute is absent or not after the value
     * (a later change is never overwritten by an earlier one). Answers whether it changed.
     */
    async function sideUpdate(
      u: SideUpdate,
      when: { ifExists?: boolean; ifNotAfter?: { attr: string; value: string } } = {},
    ): Promise<boolean> {
      if (!/^[A-Z]+#/.test(u.sk)) throw new Error('store: a side key starts with an upper-case name and #')
      const { expression, names, values } = updateParts(u)
      if (!expression) return false
      const conditions: string[] = []
      if (when.ifExists) conditions.push('attribute_exists(pk)')
      if (when.ifNotAfter) {
        names['#c0'] = when.ifNotAfter.attr
        values[':c0'] = when.ifNotAfter.value
        conditions.push('(attribute_not_exists(#c0) OR #c0 <= :c0)')
      }
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk, sk: u.sk },
            UpdateExpression: expression,
            ExpressionAttributeNames: names,
            ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
            ...(conditions.length ? { ConditionExpression: conditions.join(' AND ') } : {}),
          }),
        )
        return true
      } catch (err) {
        if (conditionFailure(err)) return false
        throw err
      }
    }

    /** Records of one type by id, those that exist, in one read per 100. */
    async function getMany<T>(type: string, ids: readonly string[]): Promise<Map<string, StoredRecord<T>>> {
      checkType(type)
      const found = new Map<string, StoredRecord<T>>()
      const unique = [...new Set(ids)]
      const keys = unique.map((id) => ({ pk, sk: recordSk(type, id) }))
      await batchGetAll(doc, { TableName: tableName, keys }, (item) => {
        const rec = strip<T>(item)
        found.set(rec.id, rec)
      })
      return found
    }

    /**
     * Records of one type, ordered by id, each with the value of one attribute of its item (the
     * stamp of an index it is counted in, e.g. `list-index.ts`'s): for that index's rebuild.
     */
    async function listStamped<T>(
      type: string,
      attr: string,
      opts: { cursor?: string; limit?: number } = {},
    ): Promise<Page<{ rec: StoredRecord<T>; stamp: unknown }>> {
      checkType(type)
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': pk, ':p': recordSk(type, '') },
          Limit: opts.limit,
          ExclusiveStartKey: decodeCursor(opts.cursor),
          ConsistentRead: true,
        }),
      )
      return {
        items: (out.Items ?? []).map((i) => ({ rec: strip<T>(i), stamp: i[attr] })),
        cursor: encodeCursor(out.LastEvaluatedKey),
      }
    }

    /** One record with the value of one attribute of its item (see `listStamped`). */
    async function getStamped<T>(type: string, id: string, attr: string) {
      const raw = await getRaw(type, id)
      return raw && { rec: strip<T>(raw), stamp: raw[attr] }
    }

    /**
     * Counts records into an index being rebuilt beside live writes: in one transaction, sets
     * `attr` to `value` on each record's item — only while it is still at the version given and
     * not stamped with `value` yet — and writes the index's side items. Answers whether it did
     * (`false`: one of them changed or went meanwhile, and nothing was written).
     */
    async function stampRecords(
      attr: string,
      value: unknown,
      recs: readonly Pick<StoredRecord<unknown>, 'type' | 'id' | 'version'>[],
      side: SideWrites,
    ): Promise<boolean> {
      if (!/^[a-z]+$/.test(attr)) throw new Error('store: a stamp is a lower-case attribute name')
      const items = [
        ...recs.map((r) => {
          checkType(r.type)
          return {
            Update: {
              TableName: tableName,
              Key: { pk, sk: recordSk(r.type, r.id) },
              UpdateExpression: 'SET #s = :s',
              ConditionExpression: '#v = :v AND (attribute_not_exists(#s) OR #s <> :s)',
              ExpressionAttributeNames: { '#s': attr, '#v': 'version' },
              ExpressionAttributeValues: { ':s': value, ':v': r.version },
            },
          }
        }),
        ...sideItems(side),
      ]
      if (items.length > 100) throw new Error('store: a stamp transaction holds at most 100 items')
      try {
        await doc.send(new TransactWriteCommand({ TransactItems: items }))
        return true
      } catch (err) {
        if (conditionFailure(err)) return false
        throw err
      }
    }

    /** Writes side items outside a record's transaction, 100 at a time (rebuilding an index). */
    async function writeSide(w: SideWrites): Promise<void> {
      const items = sideItems(w)
      for (let i = 0; i < items.length; i += 100)
        await doc.send(new TransactWriteCommand({ TransactItems: items.slice(i, i + 100) }))
    }

    /** Every record of one type (follows the pages). */
    async function all<T>(
      type: string,
      opts: Omit<ListOptions, 'cursor' | 'limit'> = {},
    ): Promise<StoredRecord<T>[]> {
      const items: StoredRecord<T>[] = []
      let cursor: string | undefined
      do {
        const page = await list<T>(type, { ...opts, cursor })
        items.push(...page.items)
        cursor = page.cursor
      } while (cursor)
      return items
    }

    /** Records of this org on GSI1 with a partition key under this org (`ORG#<org>#...`). */
    async function byIndex<T>(
      gsi1pk: string,
      opts: { limit?: number; cursor?: string; reverse?: boolean; skPrefix?: string } = {},
    ) {
      if (!gsi1pk.startsWith(`${pk}#`)) throw new Error('store: index key must belong to the organisation')
      const out = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: opts.skPrefix ? 'gsi1pk = :k AND begins_with(gsi1sk, :s)' : 'gsi1pk = :k',
          ExpressionAttributeValues: { ':k': gsi1pk, ...(opts.skPrefix ? { ':s': opts.skPrefix } : {}) },
          Limit: opts.limit,
          ExclusiveStartKey: decodeCursor(opts.cursor),
          ScanIndexForward: !opts.reverse,
        }),
      )
      return {
        items: (out.Items ?? []).map((i) => (i.kind === 'record' ? strip<T>(i) : (i as T))),
        cursor: encodeCursor(out.LastEvaluatedKey),
      }
    }

    return {
      orgId,
      get,
      require,
      create,
      createOrGet,
      update,
      mutate,
      remove,
      list,
      all,
      sideKeys,
      sideRange,
      sideGet,
      writeSide,
      putSideOnce,
      sideUpdate,
      getMany,
      listStamped,
      getStamped,
      stampRecords,
      putSide,
      byIndex,
      history,
      audit,
      auditLog,
    }
  }

  /**
   * Records across organisations by their `gsi2pk` (e.g. a task found by its token, every
   * schedule on start). For system processes only: a request acts through `forOrg`.
   */
  async function acrossOrgs<T>(gsi2pk: string, opts: { limit?: number } = {}): Promise<StoredRecord<T>[]> {
    const items: StoredRecord<T>[] = []
    const pages = queryPages(doc, {
      TableName: tableName,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :k',
      ExpressionAttributeValues: { ':k': gsi2pk },
      Limit: opts.limit,
    })
    for await (const page of pages) {
      for (const i of page) if (i.kind === 'record') items.push(strip<T>(i))
      if (opts.limit && items.length >= opts.limit) break
    }
    return items
  }

  return { forOrg, acrossOrgs }
}

export type Records = ReturnType<typeof createRecords>
export type OrgRecords = ReturnType<Records['forOrg']>
