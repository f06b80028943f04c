import type {
  Chunk,
  ExecutionMeta,
  ExecutionStatus,
  OutboxEntry,
  StateMachineRec,
  TokenRec,
} from './types.js'

/**
 * Where the engine keeps what must survive a restart. Two implementations: the embedded
 * DynamoDB store (`dynamo-persistence.ts`, used by `npm start` and durable tests) and this
 * in-memory one (conformance tests, quick unit tests). Both copy what they are given, so a
 * stored chunk is a snapshot of the moment it was written.
 */
export interface Persistence {
  putStateMachine(rec: StateMachineRec): Promise<void>
  getStateMachine(arn: string): Promise<StateMachineRec | undefined>
  listStateMachines(): Promise<StateMachineRec[]>
  deleteStateMachine(arn: string): Promise<void>
  putRevision(arn: string, revision: number, definition: string): Promise<void>
  getRevision(arn: string, revision: number): Promise<string | undefined>

  /** Creates an execution unless its ARN exists (name idempotency); false when it exists. */
  createExecution(meta: ExecutionMeta): Promise<boolean>
  /** Writes one chunk (events and thread changes of a transition). */
  appendChunk(executionArn: string, chunk: Chunk): Promise<void>
  /** Closes an execution: its last chunk and its final metadata. */
  closeExecution(meta: ExecutionMeta, last: Chunk | undefined): Promise<void>
  getExecution(arn: string): Promise<ExecutionMeta | undefined>
  /** The chunks of an execution in order (chunk 0 is not stored: it follows from the metadata). */
  readChunks(arn: string): Promise<Chunk[]>
  /** Newest first. `cursor` is opaque. */
  listExecutions(
    stateMachineArn: string,
    options: { status?: ExecutionStatus; limit: number; cursor?: string },
  ): Promise<{ items: ExecutionMeta[]; cursor?: string }>
  /** ARNs of executions whose status is RUNNING. */
  listRunning(): Promise<string[]>

  /** Closes a token (status and outcome); false when it was closed before. */
  closeToken(rec: TokenRec): Promise<boolean>
  /** Records a heartbeat; false when the token is closed. */
  heartbeatToken(token: string, executionArn: string, atMs: number): Promise<boolean>
  getToken(token: string): Promise<TokenRec | undefined>

  addOutbox(entry: OutboxEntry): Promise<void>
  listOutbox(): Promise<OutboxEntry[]>

  /**
   * Reopens a closed execution (RedriveExecution): its new metadata and the chunk that
   * resets its threads, unless its status is no longer `fromStatus` (false: another call won).
   */
  reopenExecution(meta: ExecutionMeta, chunk: Chunk, fromStatus: ExecutionStatus): Promise<boolean>

  /**
   * Small catalogue records (activities, versions, aliases, tags) by kind and key; a list
   * reads one kind in key order, optionally keys starting with `prefix`.
   */
  putRecord(kind: RecordKind, key: string, value: unknown): Promise<void>
  /** Creates a record unless its key exists; false when it exists. */
  createRecord(kind: RecordKind, key: string, value: unknown): Promise<boolean>
  getRecord<T>(kind: RecordKind, key: string): Promise<T | undefined>
  listRecords<T>(
    kind: RecordKind,
    options: { prefix?: string; limit: number; cursor?: string },
  ): Promise<{ items: T[]; cursor?: string }>
  deleteRecord(kind: RecordKind, key: string): Promise<void>
}

/** Kinds of catalogue records. */
export type RecordKind = 'activity' | 'version' | 'alias' | 'tags' | 'maprun' | 'maprunof'

const copy = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)))

/** Keeps everything in memory (lost when the process ends). */
export function memoryPersistence(): Persistence {
  const machines = new Map<string, StateMachineRec>()
  const revisions = new Map<string, string>()
  const executions = new Map<string, ExecutionMeta>()
  const chunks = new Map<string, string[]>()
  const tokens = new Map<string, TokenRec>()
  const outbox: OutboxEntry[] = []
  const records = new Map<string, Map<string, string>>()
  const kindOf = (kind: string) => {
    let m = records.get(kind)
    if (!m) {
      m = new Map()
      records.set(kind, m)
    }
    return m
  }
  return {
    async reopenExecution(meta, chunk, fromStatus) {
      if (executions.get(meta.executionArn)?.status !== fromStatus) return false
      chunks.get(meta.executionArn)?.push(JSON.stringify(chunk))
      executions.set(meta.executionArn, copy(meta))
      return true
    },
    async putRecord(kind, key, value) {
      kindOf(kind).set(key, JSON.stringify(value))
    },
    async createRecord(kind, key, value) {
      if (kindOf(kind).has(key)) return false
      kindOf(kind).set(key, JSON.stringify(value))
      return true
    },
    async getRecord(kind, key) {
      const v = kindOf(kind).get(key)
      return v === undefined ? undefined : JSON.parse(v)
    },
    async listRecords(kind, { prefix = '', limit, cursor }) {
      const keys = [...kindOf(kind).keys()]
        .filter((k) => k.startsWith(prefix) && (!cursor || k > cursor))
        .sort()
      const page = keys.slice(0, limit)
      return {
        items: page.map((k) => JSON.parse(kindOf(kind).get(k)!)),
        cursor: keys.length > limit ? page.at(-1) : undefined,
      }
    },
    async deleteRecord(kind, key) {
      kindOf(kind).delete(key)
    },
    async putStateMachine(rec) {
      machines.set(rec.stateMachineArn, copy(rec))
    },
    async getStateMachine(arn) {
      return copy(machines.get(arn))
    },
    async listStateMachines() {
      return [...machines.values()].map(copy)
    },
    async deleteStateMachine(arn) {
      machines.delete(arn)
    },
    async putRevision(arn, revision, definition) {
      revisions.set(`${arn}#${revision}`, definition)
    },
    async getRevision(arn, revision) {
      return revisions.get(`${arn}#${revision}`)
    },
    async createExecution(meta) {
      if (executions.has(meta.executionArn)) return false
      executions.set(meta.executionArn, copy(meta))
      chunks.set(meta.executionArn, [])
      return true
    },
    async appendChunk(arn, chunk) {
      chunks.get(arn)?.push(JSON.stringify(chunk))
    },
    async closeExecution(meta, last) {
      if (last) chunks.get(meta.executionArn)?.push(JSON.stringify(last))
      executions.set(meta.executionArn, copy(meta))
    },
    async getExecution(arn) {
      return copy(executions.get(arn))
    },
    async readChunks(arn) {
      return (chunks.get(arn) ?? []).map((c) => JSON.parse(c))
    },
    async listExecutions(smArn, { status, limit, cursor }) {
      const all = [...executions.values()]
        .filter((e) => e.stateMachineArn === smArn && (!status || e.status === status))
        .sort((a, b) => b.startMs - a.startMs || (a.executionArn < b.executionArn ? 1 : -1))
      const start = cursor ? Number(cursor) : 0
      const items = all.slice(start, start + limit).map(copy)
      return { items, cursor: start + limit < all.length ? String(start + limit) : undefined }
    },
    async listRunning() {
      return [...executions.values()].filter((e) => e.status === 'RUNNING').map((e) => e.executionArn)
    },
    async closeToken(rec) {
      const cur = tokens.get(rec.token)
      if (cur?.status) return false
      tokens.set(rec.token, { ...cur, ...copy(rec) })
      return true
    },
    async heartbeatToken(token, executionArn, atMs) {
      const cur = tokens.get(token)
      if (cur?.status) return false
      tokens.set(token, { ...cur, token, executionArn, heartbeat: atMs })
      return true
    },
    async getToken(token) {
      return copy(tokens.get(token))
    },
    async addOutbox(entry) {
      outbox.push(copy(entry))
    },
    async listOutbox() {
      return outbox.map(copy)
    },
  }
}
