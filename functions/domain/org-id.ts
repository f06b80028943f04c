import { z } from 'zod'

/**
 * An organisation's id: lower-case letters, digits and hyphens, 2–63 characters, starting
 * with a letter or digit (it is part of every tenant key, `ORG#<orgId>`). The one place that
 * knows the pattern: the store refuses any other id, the API and the step inputs check it here.
 *
 * @example
 * const input = z.strictObject({ orgId: orgIdSchema })
 * if (isOrgId(header)) records.forOrg(header)
 */
export const orgIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be an organisation id')
  .brand<'OrgId'>()

/** A string checked against the organisation-id pattern (`orgIdSchema`, `isOrgId`). */
export type OrgId = z.infer<typeof orgIdSchema>

/** True when `value` is a well-formed organisation id. */
export const isOrgId = (value: unknown): value is OrgId => orgIdSchema.safeParse(value).success

/**
 * The organisation an execution works for: its input's `orgId` (every workflow has one), or
 * undefined when the input (JSON text) is not an object naming a well-formed one.
 */
export function orgOfInput(input: string | null | undefined): OrgId | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(input ?? 'null')
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || !('orgId' in parsed)) return undefined
  return isOrgId(parsed.orgId) ? parsed.orgId : undefined
}
