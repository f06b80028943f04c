import type { Identity } from '../../store/identity.js'
import type { Deps } from '../env.js'

/** The identity store of these dependencies (`deps.identity`); one place to change if it moves. */
export const identityFor = (deps: Deps): Identity => deps.identity
