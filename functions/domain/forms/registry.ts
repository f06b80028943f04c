/**
 * A registry of versioned form definitions: every published version stays loadable, so a
 * submission can always be checked against the version it answered.
 */
import { notFound } from '../errors.js'
import { FormDefinitionError } from './compile.js'
import { parseFormDefinition } from './parse.js'
import type { FormDefinition } from './schema.js'

/** Form definitions by id and version. */
export interface FormRegistry {
  /** A version, or the latest when `version` is omitted; undefined when unknown. */
  get(id: string, version?: number): FormDefinition | undefined
  /** Like {@link FormRegistry.get} but throws `notFound`. */
  require(id: string, version?: number): FormDefinition
  /** The versions of a form, ascending. */
  versions(id: string): number[]
  /** The latest version of every form, by id. */
  list(): FormDefinition[]
}

/**
 * Builds a registry from definitions (objects or JSON text), each checked with
 * {@link parseFormDefinition}; `names` (e.g. file names) label errors. Two definitions
 * with the same id and version are refused.
 */
export function createFormRegistry(
  definitions: readonly unknown[],
  names: readonly string[] = [],
): FormRegistry {
  const byId = new Map<string, Map<number, FormDefinition>>()
  definitions.forEach((raw, i) => {
    const name = names[i] ?? `form definition [${i}]`
    const def = parseFormDefinition(raw, name)
    const versions = byId.get(def.id) ?? new Map<number, FormDefinition>()
    if (versions.has(def.version))
      throw new FormDefinitionError(
        [{ path: 'version', message: `${def.id} version ${def.version} is defined twice` }],
        name,
      )
    versions.set(def.version, def)
    byId.set(def.id, versions)
  })
  const latest = (versions: Map<number, FormDefinition>) => versions.get(Math.max(...versions.keys()))!
  const registry: FormRegistry = {
    get(id, version) {
      const versions = byId.get(id)
      if (!versions) return undefined
      return version === undefined ? latest(versions) : versions.get(version)
    },
    require(id, version) {
      const def = registry.get(id, version)
      if (!def) throw notFound(version === undefined ? `Form ${id}` : `Form ${id} version ${version}`)
      return def
    },
    versions: (id) => [...(byId.get(id)?.keys() ?? [])].sort((a, b) => a - b),
    list: () => [...byId.values()].map(latest),
  }
  return registry
}
