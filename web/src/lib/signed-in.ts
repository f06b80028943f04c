import { createContext } from 'svelte'
import type { Principal } from './types.js'

/**
 * The signed-in person, for the part of the app that is shown only while someone is signed
 * in: `Shell` provides it, its components and pages read it while they initialise.
 *
 * @example
 * const account = signedIn()
 * const me = $derived(account.principal.userId)
 */
export interface SignedIn {
  readonly principal: Principal
}

const [get, set] = createContext<SignedIn>()

/** The signed-in person (call it while a component of the signed-in app initialises). */
export const signedIn = get
/** Gives the signed-in app its person (`Shell` does this). */
export const provideSignedIn = set
