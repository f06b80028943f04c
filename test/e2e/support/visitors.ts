/**
 * The people of a browser test: a fresh page signed in as one of the demo organisation's
 * roles, and the check every step ends with (no axe violation, no page or console error).
 *
 * @example
 * const iso = await signedInAs(e2e, 'iso')
 * await iso.page.goto('/risks')
 * await clean(iso, 'the register')
 */
import { expect } from 'vitest'
import { axeViolations, type E2E, signIn } from './harness.js'

/** A browser page with its own cookies and the errors it logged. */
export type Visitor = Awaited<ReturnType<E2E['newPage']>>

/** The demo organisation's people, one per role (`<role>@demo.ismsflow.test`). */
export type DemoRole = 'iso' | 'management' | 'member' | 'auditor'

/** A fresh page (own cookies) signed in as the demo organisation's person of `role`. */
export async function signedInAs(
  e2e: E2E,
  role: DemoRole,
  options?: Parameters<E2E['newPage']>[0],
): Promise<Visitor> {
  const visitor = await e2e.newPage(options)
  await signIn(visitor.page, `${role}@demo.ismsflow.test`)
  return visitor
}

/** The page is as a person should find it: no axe violation, no page or console error so far. */
export async function clean(v: Visitor, where: string) {
  expect(await axeViolations(v.page), `axe on ${where}`).toEqual([])
  expect(v.errors, `errors on ${where}`).toEqual([])
}
