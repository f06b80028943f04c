import type { Clock } from '../clock.js'
import { checkArn, checkMaxResults, checkName, checkString } from './checks.js'
import { ApiError } from './errors.js'
import type { Persistence } from './persistence.js'
import type { AliasRec, StateMachineRec, VersionRec } from './types.js'

/**
 * State machine versions and aliases (AWS: "Step Functions state machine versions and
 * aliases"): a version is an immutable, numbered snapshot of a revision
 * (`<machine ARN>:<n>`); an alias (`<machine ARN>:<name>`) routes StartExecution to one or
 * two versions by weight. Records live in the engine's persistence (kinds `version`, `alias`).
 */

const MACHINE = /^(arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+)(?::([^:]+))?$/

/** A state machine ARN split into the machine's ARN and its qualifier (version number or alias name). */
export function splitMachineArn(arn: string): { base: string; qualifier?: string } | undefined {
  const m = MACHINE.exec(arn)
  return m ? { base: m[1], qualifier: m[2] } : undefined
}

/** True when the qualifier is a version number. */
export const isVersionQualifier = (q: string) => /^\d+$/.test(q)

/** Versions are listed newest first: the key inverts the number. */
const versionKey = (machineArn: string, n: number) => `${machineArn}#${String(1e9 - n).padStart(10, '0')}`

/** What the versions API needs from the engine. */
export interface VersionsContext {
  persistence: Persistence
  clock: Clock
  /** The machine of an unqualified ARN (StateMachineDoesNotExist otherwise). */
  machine(arn: unknown, field?: string): Promise<StateMachineRec>
  saveMachine(rec: StateMachineRec): Promise<void>
}

const notFound = (what: string, arn: string) =>
  new ApiError('ResourceNotFound', `Resource not found: ${what} '${arn}'`)

/** The versions and aliases operations. */
export function createVersions(ctx: VersionsContext) {
  const { persistence: db, clock } = ctx

  async function version(arn: string): Promise<VersionRec | undefined> {
    const parts = splitMachineArn(arn)
    if (!parts?.qualifier || !isVersionQualifier(parts.qualifier)) return undefined
    return db.getRecord<VersionRec>('version', versionKey(parts.base, Number(parts.qualifier)))
  }

  async function alias(arn: string): Promise<AliasRec | undefined> {
    return db.getRecord<AliasRec>('alias', arn)
  }

  async function checkRouting(machineArn: string, value: unknown) {
    if (!Array.isArray(value) || value.length < 1 || value.length > 2) {
      throw new ApiError(
        'ValidationException',
        "1 validation error detected: Value at 'routingConfiguration' failed to satisfy constraint: Member must have length between 1 and 2",
      )
    }
    const routes: AliasRec['routingConfiguration'] = []
    for (const r of value as Record<string, unknown>[]) {
      const v = checkArn(r?.stateMachineVersionArn, 'routingConfiguration.stateMachineVersionArn', [
        'stateMachine',
      ])
      const w = r?.weight
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100)
        throw new ApiError('ValidationException', `Invalid weight '${String(w)}' (0-100) for '${v}'`)
      if (splitMachineArn(v)?.base !== machineArn)
        throw new ApiError('ValidationException', `The version '${v}' is not a version of '${machineArn}'`)
      if (!(await version(v))) throw notFound('state machine version', v)
      if (routes.some((x) => x.stateMachineVersionArn === v))
        throw new ApiError('ValidationException', `The version '${v}' is routed twice`)
      routes.push({ stateMachineVersionArn: v, weight: w })
    }
    if (routes.reduce((a, r) => a + r.weight, 0) !== 100)
      throw new ApiError('ValidationException', 'The weights of routingConfiguration must add up to 100')
    return routes
  }

  return {
    version,
    alias,

    /** PublishStateMachineVersion (also CreateStateMachine/UpdateStateMachine with `publish`). */
    async publish(input: { stateMachineArn?: unknown; revisionId?: unknown; description?: unknown }) {
      const sm = await ctx.machine(input.stateMachineArn)
      if (input.revisionId !== undefined && input.revisionId !== null && input.revisionId !== sm.revisionId) {
        throw new ApiError(
          'ConflictException',
          `Failed to publish the State Machine version for revision ${String(input.revisionId)}. The current State Machine revision is ${sm.revisionId}.`,
        )
      }
      const description =
        input.description === undefined || input.description === null
          ? undefined
          : checkString(input.description, 'description', 256)
      if (sm.latestVersion) {
        const latest = await db.getRecord<VersionRec>(
          'version',
          versionKey(sm.stateMachineArn, sm.latestVersion),
        )
        if (latest && latest.revision === sm.revision) {
          return {
            creationDate: new Date(latest.createdMs),
            stateMachineVersionArn: latest.stateMachineVersionArn,
          }
        }
      }
      const n = (sm.latestVersion ?? 0) + 1
      const rec: VersionRec = {
        stateMachineVersionArn: `${sm.stateMachineArn}:${n}`,
        stateMachineArn: sm.stateMachineArn,
        version: n,
        revision: sm.revision,
        revisionId: sm.revisionId,
        roleArn: sm.roleArn,
        description,
        createdMs: clock.nowMs(),
      }
      if (!(await db.createRecord('version', versionKey(sm.stateMachineArn, n), rec)))
        throw new ApiError('ConflictException', 'A version was published at the same time; try again')
      await ctx.saveMachine({ ...sm, latestVersion: n })
      return { creationDate: new Date(rec.createdMs), stateMachineVersionArn: rec.stateMachineVersionArn }
    },

    /** ListStateMachineVersions (newest first, paged). */
    async listVersions(input: { stateMachineArn?: unknown; maxResults?: unknown; nextToken?: unknown }) {
      const sm = await ctx.machine(input.stateMachineArn)
      const page = await db.listRecords<VersionRec>('version', {
        prefix: `${sm.stateMachineArn}#`,
        limit: checkMaxResults(input.maxResults),
        cursor: typeof input.nextToken === 'string' ? input.nextToken : undefined,
      })
      return {
        stateMachineVersions: page.items.map((v) => ({
          stateMachineVersionArn: v.stateMachineVersionArn,
          creationDate: new Date(v.createdMs),
        })),
        nextToken: page.cursor,
      }
    },

    /** DeleteStateMachineVersion: idempotent; refused while an alias routes to it. */
    async deleteVersion(input: { stateMachineVersionArn?: unknown }) {
      const arn = checkArn(input.stateMachineVersionArn, 'stateMachineVersionArn', ['stateMachine'])
      const parts = splitMachineArn(arn)
      if (!parts?.qualifier || !isVersionQualifier(parts.qualifier))
        throw new ApiError('ValidationException', `Invalid state machine version ARN '${arn}'`)
      const aliases = await db.listRecords<AliasRec>('alias', { prefix: `${parts.base}:`, limit: 1000 })
      const user = aliases.items.find((a) =>
        a.routingConfiguration.some((r) => r.stateMachineVersionArn === arn),
      )
      if (user) {
        throw new ApiError(
          'ConflictException',
          `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${user.stateMachineAliasArn}]`,
        )
      }
      await db.deleteRecord('version', versionKey(parts.base, Number(parts.qualifier)))
      return {}
    },

    /** CreateStateMachineAlias: the same name and routing again is the same alias. */
    async createAlias(input: { name?: unknown; description?: unknown; routingConfiguration?: unknown }) {
      const name = checkName(input.name, 'name')
      if (isVersionQualifier(name))
        throw new ApiError('ValidationException', `Invalid alias name '${name}': it must not be a number`)
      const routes = input.routingConfiguration as { stateMachineVersionArn?: unknown }[] | undefined
      const first = Array.isArray(routes) ? routes[0]?.stateMachineVersionArn : undefined
      const base = typeof first === 'string' ? splitMachineArn(first)?.base : undefined
      if (!base) {
        await checkRouting('', input.routingConfiguration)
        throw new ApiError('ValidationException', 'routingConfiguration must name a state machine version')
      }
      await ctx.machine(base)
      const routing = await checkRouting(base, input.routingConfiguration)
      const description =
        input.description === undefined || input.description === null
          ? undefined
          : checkString(input.description, 'description', 256)
      const rec: AliasRec = {
        stateMachineAliasArn: `${base}:${name}`,
        stateMachineArn: base,
        name,
        description,
        routingConfiguration: routing,
        createdMs: clock.nowMs(),
      }
      if (!(await db.createRecord('alias', rec.stateMachineAliasArn, rec))) {
        const existing = (await alias(rec.stateMachineAliasArn))!
        if (
          existing.description === description &&
          JSON.stringify(existing.routingConfiguration) === JSON.stringify(routing)
        )
          return {
            stateMachineAliasArn: existing.stateMachineAliasArn,
            creationDate: new Date(existing.createdMs),
          }
        throw new ApiError(
          'ConflictException',
          `Failed to create alias because an alias with the same name and a different routing configuration already exists: '${rec.stateMachineAliasArn}'`,
        )
      }
      return { stateMachineAliasArn: rec.stateMachineAliasArn, creationDate: new Date(rec.createdMs) }
    },

    /** DescribeStateMachineAlias. */
    async describeAlias(input: { stateMachineAliasArn?: unknown }) {
      const arn = checkArn(input.stateMachineAliasArn, 'stateMachineAliasArn', ['stateMachine'])
      const a = await alias(arn)
      if (!a) throw notFound('state machine alias', arn)
      return {
        stateMachineAliasArn: a.stateMachineAliasArn,
        name: a.name,
        description: a.description,
        routingConfiguration: a.routingConfiguration,
        creationDate: new Date(a.createdMs),
        updateDate: new Date(a.updatedMs ?? a.createdMs),
      }
    },

    /** UpdateStateMachineAlias: description and/or routing. */
    async updateAlias(input: {
      stateMachineAliasArn?: unknown
      description?: unknown
      routingConfiguration?: unknown
    }) {
      const arn = checkArn(input.stateMachineAliasArn, 'stateMachineAliasArn', ['stateMachine'])
      if (input.description === undefined && input.routingConfiguration === undefined)
        throw new ApiError(
          'ValidationException',
          'Either the description or the routingConfiguration must be specified',
        )
      const a = await alias(arn)
      if (!a) throw notFound('state machine alias', arn)
      const next: AliasRec = { ...a, updatedMs: clock.nowMs() }
      if (input.description !== undefined && input.description !== null)
        next.description = checkString(input.description, 'description', 256)
      if (input.routingConfiguration !== undefined)
        next.routingConfiguration = await checkRouting(a.stateMachineArn, input.routingConfiguration)
      await db.putRecord('alias', arn, next)
      return { updateDate: new Date(next.updatedMs!) }
    },

    /** DeleteStateMachineAlias. */
    async deleteAlias(input: { stateMachineAliasArn?: unknown }) {
      const arn = checkArn(input.stateMachineAliasArn, 'stateMachineAliasArn', ['stateMachine'])
      if (!(await alias(arn))) throw notFound('state machine alias', arn)
      await db.deleteRecord('alias', arn)
      return {}
    },

    /** ListStateMachineAliases of a machine (or of the aliases routing to one version). */
    async listAliases(input: { stateMachineArn?: unknown; maxResults?: unknown; nextToken?: unknown }) {
      const arn = checkArn(input.stateMachineArn, 'stateMachineArn', ['stateMachine'])
      const parts = splitMachineArn(arn)
      if (!parts) throw new ApiError('InvalidArn', `Invalid Arn: '${arn}' (stateMachineArn)`)
      if (parts.qualifier) {
        if (!isVersionQualifier(parts.qualifier) || !(await version(arn)))
          throw notFound('state machine version', arn)
      } else await ctx.machine(arn)
      const page = await db.listRecords<AliasRec>('alias', {
        prefix: `${parts.base}:`,
        limit: checkMaxResults(input.maxResults),
        cursor: typeof input.nextToken === 'string' ? input.nextToken : undefined,
      })
      const items = parts.qualifier
        ? page.items.filter((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === arn))
        : page.items
      return {
        stateMachineAliases: items.map((a) => ({
          stateMachineAliasArn: a.stateMachineAliasArn,
          creationDate: new Date(a.createdMs),
        })),
        nextToken: page.cursor,
      }
    },

    /** Picks the version an alias routes a new execution to (weighted). */
    route(a: AliasRec, random = Math.random): string {
      const r = random() * 100
      let acc = 0
      for (const route of a.routingConfiguration) {
        acc += route.weight
        if (r < acc) return route.stateMachineVersionArn
      }
      return a.routingConfiguration.at(-1)!.stateMachineVersionArn
    },

    /** Removes the versions and aliases of a deleted machine. */
    async dropAll(machineArn: string) {
      for (const kind of ['alias', 'version'] as const) {
        const prefix = kind === 'alias' ? `${machineArn}:` : `${machineArn}#`
        const page = await db.listRecords<AliasRec | VersionRec>(kind, { prefix, limit: 1000 })
        for (const rec of page.items) {
          const key =
            kind === 'alias'
              ? (rec as AliasRec).stateMachineAliasArn
              : versionKey(machineArn, (rec as VersionRec).version)
          await db.deleteRecord(kind, key)
        }
      }
    },
  }
}

/** The versions API of an engine. */
export type Versions = ReturnType<typeof createVersions>
