/** What the API answers about the audit log: `GET /api/audit`. */
import { z } from 'zod'
import { dateTimeSchema, localizedSchema, namedPersonSchema } from './common.js'

/** One entry of the audit log as a sentence: who, what, the record; never the data before and after. */
export const auditEntryViewSchema = z.object({
  orgId: z.string(),
  at: dateTimeSchema,
  /** `userId` and the name in words (`system` for ismsflow's own processes). */
  actor: z.object({ userId: z.string(), name: localizedSchema }),
  action: z.string(),
  type: z.string(),
  id: z.string(),
  /** The entry as a sentence. */
  text: localizedSchema,
  /** The app's own words about the change. */
  note: z.string().optional(),
})

/** One entry of the audit log. */
export type AuditEntryView = z.infer<typeof auditEntryViewSchema>

/** `GET /api/audit`: one page, newest first, and the members for the "who" filter. */
export const auditLogPageSchema = z.object({
  items: z.array(auditEntryViewSchema),
  /** Next page; absent on the last. */
  cursor: z.string().optional(),
  people: z.array(namedPersonSchema),
})

/** `GET /api/audit`. */
export type AuditLogPage = z.infer<typeof auditLogPageSchema>
