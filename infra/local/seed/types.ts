import type { Deps } from '../../../functions/api/env.js'
import type { Identity } from '../../../functions/store/identity.js'

/** What a seed step gets: the API's dependencies, the identity store and a logger. */
export interface SeedContext {
  deps: Deps
  identity: Identity
  /** The acting user for tenant records written by the seed. */
  actor: { userId: string; name: string }
  log: (line: string) => void
  /** The stored hash of the demo password, made once per seed run (all demo people share the published password). */
  demoPasswordHash: () => Promise<string>
}

/**
 * One feature's demo data. `run` must be idempotent: on a second start it finds its data
 * and writes nothing. It returns how many items it created (0 on a second start).
 */
export interface SeedStep {
  name: string
  run(ctx: SeedContext): Promise<number>
}
