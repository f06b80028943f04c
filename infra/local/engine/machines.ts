import { randomUUID } from 'node:crypto'
import { messageOf } from '../../../functions/domain/errors.js'
import type { Clock } from '../clock.js'
import { checkArn, checkMaxResults, checkName, checkString, pageToken } from './checks.js'
import { ApiError } from './errors.js'
import type { Persistence } from './persistence.js'
import type { Tags } from './tags.js'
import type { MachineDef, StateMachineRec, StateMachineType } from './types.js'
import { validateDefinition } from './validate.js'
import { isVersionQualifier, splitMachineArn, type Versions } from './versions.js'

/**
 * State machines: their records and definition revisions (kept in the engine's persistence,
 * cached in this process), and the API operations CreateStateMachine, UpdateStateMachine,
 * DescribeStateMachine, ListStateMachines, DeleteStateMachine. Running executions keep the
 * revision they started with (`definitionOf`).
 */

/** A role ARN (the engine does not assume it, but refuses what AWS would). */
function checkRole(value: unknown): string {
  const roleArn = checkString(value, 'roleArn', 256)
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn))
    throw new ApiError('InvalidArn', `Invalid Arn: '${roleArn}' (roleArn)`)
  return roleArn
}

/** What the state machines need from the engine. */
export interface MachinesContext {
  persistence: Persistence
  clock: Clock
  region: string
  accountId: string
  /** Whether a Task's resource is one the engine can invoke (definition validation). */
  isKnownResource(arn: string): boolean
  /** Versions and aliases, and tags (built on the machines, so asked for late). */
  versions(): Versions
  tags(): Tags
}

/** The state machines of an engine. */
export type Machines = ReturnType<typeof createMachines>

/** Creates the state machine operations over the engine's persistence. */
export function createMachines(o: MachinesContext) {
  /** State machines read or written by this process (the engine owns its table). */
  const cache = new Map<string, StateMachineRec>()
  /** Definitions by `<arn>#<revision>`, parsed once. */
  const defs = new Map<string, MachineDef>()

  function arnOfMachine(name: string) {
    return `arn:aws:states:${o.region}:${o.accountId}:stateMachine:${name}`
  }

  function parseDefinition(text: unknown): MachineDef {
    const s = checkString(text, 'definition', 1_048_576)
    if (s.length > 350_000)
      throw new ApiError(
        'InvalidDefinition',
        'The definition is larger than the local engine stores (350,000 characters).',
      )
    let def: unknown
    try {
      def = JSON.parse(s)
    } catch (err) {
      throw new ApiError(
        'InvalidDefinition',
        `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: not valid JSON (${messageOf(err)})'`,
      )
    }
    validateDefinition(def, { isKnownResource: (arn) => o.isKnownResource(arn) })
    return def as MachineDef
  }

  async function machine(arn: unknown, field = 'stateMachineArn'): Promise<StateMachineRec> {
    const a = checkArn(arn, field, ['stateMachine'])
    if (splitMachineArn(a)?.qualifier !== undefined)
      throw new ApiError(
        'ValidationException',
        `Expected a state machine ARN without a version or alias: '${a}' (${field})`,
      )
    const rec = await getMachine(a)
    if (!rec) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${a}'`)
    return rec
  }

  async function getMachine(arn: string): Promise<StateMachineRec | undefined> {
    const cached = cache.get(arn)
    if (cached) return cached
    const rec = await o.persistence.getStateMachine(arn)
    if (rec) cache.set(arn, rec)
    return rec
  }

  async function definitionOf(arn: string, revision: number): Promise<MachineDef> {
    const key = `${arn}#${revision}`
    let def = defs.get(key)
    if (!def) {
      const text = await o.persistence.getRevision(arn, revision)
      if (!text) throw new Error(`definition revision ${revision} of ${arn} is missing`)
      def = JSON.parse(text) as MachineDef
      defs.set(key, def)
    }
    return def
  }

  /** CreateStateMachine: idempotent for the same name, definition, role and type. */
  async function createStateMachine(input: {
    name?: unknown
    definition?: unknown
    roleArn?: unknown
    type?: unknown
    tags?: unknown
    publish?: unknown
    versionDescription?: unknown
  }) {
    const name = checkName(input.name, 'name')
    const type = (input.type ?? 'STANDARD') as StateMachineType
    if (type !== 'STANDARD' && type !== 'EXPRESS')
      throw new ApiError('ValidationException', `Invalid type '${String(input.type)}' (STANDARD or EXPRESS)`)
    const roleArn = checkRole(input.roleArn)
    const definition = checkString(input.definition, 'definition', 1_048_576)
    parseDefinition(definition)
    const arn = arnOfMachine(name)
    const existing = await getMachine(arn)
    if (existing) {
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
        const published =
          input.publish === true ? await o.versions().publish({ stateMachineArn: arn }) : undefined
        return {
          stateMachineArn: arn,
          creationDate: new Date(existing.createdMs),
          stateMachineVersionArn: published?.stateMachineVersionArn,
        }
      }
      throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`)
    }
    const rec: StateMachineRec = {
      stateMachineArn: arn,
      name,
      type,
      definition,
      roleArn,
      createdMs: o.clock.nowMs(),
      revision: 1,
      revisionId: randomUUID(),
    }
    await o.persistence.putRevision(arn, 1, definition)
    await o.persistence.putStateMachine(rec)
    cache.set(arn, rec)
    if (input.tags !== undefined && input.tags !== null) await o.tags().put(arn, input.tags)
    const published =
      input.publish === true
        ? await o.versions().publish({ stateMachineArn: arn, description: input.versionDescription })
        : undefined
    return {
      stateMachineArn: arn,
      creationDate: new Date(rec.createdMs),
      stateMachineVersionArn: published?.stateMachineVersionArn,
    }
  }

  /** UpdateStateMachine: running executions keep the revision they started with. */
  async function updateStateMachine(input: {
    stateMachineArn?: unknown
    definition?: unknown
    roleArn?: unknown
    publish?: unknown
    versionDescription?: unknown
  }) {
    const rec = await machine(input.stateMachineArn)
    if (input.definition === undefined && input.roleArn === undefined) {
      throw new ApiError('MissingRequiredParameter', 'Either the definition or the roleArn must be specified')
    }
    const next = { ...rec }
    if (input.definition !== undefined) {
      next.definition = checkString(input.definition, 'definition', 1_048_576)
      parseDefinition(next.definition)
    }
    if (input.roleArn !== undefined) next.roleArn = checkRole(input.roleArn)
    next.revision = rec.revision + 1
    next.revisionId = randomUUID()
    next.updatedMs = o.clock.nowMs()
    await o.persistence.putRevision(rec.stateMachineArn, next.revision, next.definition)
    await o.persistence.putStateMachine(next)
    cache.set(next.stateMachineArn, next)
    const published =
      input.publish === true
        ? await o.versions().publish({
            stateMachineArn: next.stateMachineArn,
            description: input.versionDescription,
          })
        : undefined
    return {
      updateDate: new Date(next.updatedMs),
      revisionId: next.revisionId,
      stateMachineVersionArn: published?.stateMachineVersionArn,
    }
  }

  /** DescribeStateMachine. */
  async function describeStateMachine(input: { stateMachineArn?: unknown }) {
    const asked = checkArn(input.stateMachineArn, 'stateMachineArn', ['stateMachine'])
    const qualifier = splitMachineArn(asked)?.qualifier
    if (qualifier !== undefined) {
      // A version ARN describes that version (an alias ARN is DescribeStateMachineAlias's).
      const v = isVersionQualifier(qualifier) ? await o.versions().version(asked) : undefined
      if (!v) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${asked}'`)
      const sm = await machine(v.stateMachineArn)
      return {
        stateMachineArn: v.stateMachineVersionArn,
        name: sm.name,
        status: 'ACTIVE',
        definition: await o.persistence.getRevision(sm.stateMachineArn, v.revision),
        roleArn: v.roleArn,
        type: sm.type,
        creationDate: new Date(v.createdMs),
        revisionId: v.revisionId,
        description: v.description,
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
      }
    }
    const rec = await machine(asked)
    return {
      stateMachineArn: rec.stateMachineArn,
      name: rec.name,
      status: 'ACTIVE',
      definition: rec.definition,
      roleArn: rec.roleArn,
      type: rec.type,
      creationDate: new Date(rec.createdMs),
      revisionId: rec.revisionId,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    }
  }

  /** ListStateMachines (by name, paged). */
  async function listStateMachines(input: { maxResults?: unknown; nextToken?: unknown } = {}) {
    const limit = checkMaxResults(input.maxResults)
    const start = pageToken.decode<number>(input.nextToken) ?? 0
    const all = (await o.persistence.listStateMachines()).sort((a, b) => (a.name < b.name ? -1 : 1))
    const page = all.slice(start, start + limit)
    return {
      stateMachines: page.map((r) => ({
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        type: r.type,
        creationDate: new Date(r.createdMs),
      })),
      nextToken: start + limit < all.length ? pageToken.encode(start + limit) : undefined,
    }
  }

  /** DeleteStateMachine (running executions finish on their revision). */
  async function deleteStateMachine(input: { stateMachineArn?: unknown }) {
    const arn = checkArn(input.stateMachineArn, 'stateMachineArn', ['stateMachine'])
    const qualifier = splitMachineArn(arn)?.qualifier
    if (qualifier !== undefined) {
      throw new ApiError(
        'ValidationException',
        `Use DeleteStateMachineVersion or DeleteStateMachineAlias for '${arn}'`,
      )
    }
    await o.persistence.deleteStateMachine(arn)
    cache.delete(arn)
    await o.versions().dropAll(arn)
    await o.tags().drop(arn)
    return {}
  }

  /** Saves a machine record (a published version's machine) and keeps it cached. */
  async function saveMachine(rec: StateMachineRec) {
    await o.persistence.putStateMachine(rec)
    cache.set(rec.stateMachineArn, rec)
  }

  return {
    machine,
    getMachine,
    saveMachine,
    definitionOf,
    createStateMachine,
    updateStateMachine,
    describeStateMachine,
    listStateMachines,
    deleteStateMachine,
  }
}
