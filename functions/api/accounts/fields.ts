import { z } from 'zod'
import { ROLES } from '../env.js'

/** An e-mail address, normalised (NFKC, trimmed, lower case) before it is checked. */
export const emailField = z
  .string('must be text')
  .transform((s) => s.normalize('NFKC').trim().toLowerCase())
  .pipe(z.email('must be an e-mail address').max(254, 'must be at most 254 characters'))

/** A person's display name. */
export const nameField = z
  .string('must be text')
  .transform((s) => s.normalize('NFKC').trim())
  .pipe(z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'))

/** An organisation's name. */
export const orgNameField = z
  .string('must be text')
  .transform((s) => s.normalize('NFKC').trim())
  .pipe(z.string().min(2, 'must be at least 2 characters').max(120, 'must be at most 120 characters'))

/** A new password: 10 to 200 characters. */
export const newPasswordField = z
  .string('must be text')
  .min(10, 'must be at least 10 characters')
  .max(200, 'must be at most 200 characters')

/** One or more of the four roles, each once. */
export const rolesField = z
  .array(z.enum(ROLES, `must be one of ${ROLES.join(', ')}`), 'must be a list of roles')
  .min(1, 'must name at least one role')
  .max(4, 'must name each role at most once')
  .refine((r) => new Set(r).size === r.length, 'must name each role at most once')

/** The languages of messages and pages. */
export const languageField = z.enum(['en', 'de'], 'must be en or de')
