/** What the API answers about certification projects: the list, the SoA, a control with its evidence, the evidence index. */
import { z } from 'zod'
import {
  evidenceItemSchema,
  IMPLEMENTATION_STATUSES,
  PROTECTION_NEEDS,
  soaEntrySchema,
} from '../certification/soa.js'
import { STANDARDS } from '../certification/template.js'
import { dateSchema, dateTimeSchema, localizedSchema } from './common.js'

/** One project in `GET /api/certification/projects`. */
export const projectRowSchema = z.object({
  id: z.string(),
  title: z.string(),
  standard: z.enum(STANDARDS),
  assessmentLevel: z.enum(['AL2', 'AL3']).nullable(),
  auditDate: dateSchema,
  phase: z.enum(['preparation', 'certification', 'certified']),
  /** Milestones planned, done, at risk and late. */
  milestones: z.number().int(),
  done: z.number().int(),
  atRisk: z.number().int(),
  late: z.number().int(),
  next: z.object({ id: z.string(), title: localizedSchema, due: dateSchema }).nullable(),
})

/** One project of the list. */
export type ProjectRow = z.infer<typeof projectRowSchema>

/** `GET /api/certification/projects`: newest audit first. */
export const projectListSchema = z.object({ items: z.array(projectRowSchema) })

const taskListStatus = z.enum(['not-started', 'in-progress', 'completed'])

/** One control row of the SoA task list. */
export const controlRowSchema = z.object({
  controlId: z.string(),
  theme: z.string(),
  title: localizedSchema,
  status: taskListStatus,
  decided: z.boolean(),
  applicable: z.boolean().nullable(),
  /** Included without a justification (decided before one was required): the ISO decides it again. */
  justificationMissing: z.boolean(),
  implementation: z.enum(IMPLEMENTATION_STATUSES).nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  evidenceCount: z.number().int(),
  freshEvidence: z.number().int(),
  staleEvidence: z.number().int(),
  version: z.number().int().nullable(),
})

/** One control row of the SoA. */
export type ControlRow = z.infer<typeof controlRowSchema>

/** `GET /api/certification/projects/:id/soa`: themes with their controls (members: their own). */
export const soaViewSchema = z.object({
  projectId: z.string(),
  standard: z.enum(STANDARDS),
  scope: z.enum(['all', 'own']),
  counts: z.object({
    controls: z.number().int(),
    decided: z.number().int(),
    excluded: z.number().int(),
    completed: z.number().int(),
    /** Included controls without a justification (flagged by the migration). */
    justificationMissing: z.number().int(),
  }),
  themes: z.array(
    z.object({
      id: z.string(),
      title: localizedSchema,
      clause: z.string(),
      status: taskListStatus,
      counts: z.object({
        controls: z.number().int(),
        completed: z.number().int(),
        inProgress: z.number().int(),
        notStarted: z.number().int(),
      }),
      controls: z.array(controlRowSchema),
    }),
  ),
})

/** `GET /api/certification/projects/:id/soa`. */
export type SoaView = z.infer<typeof soaViewSchema>

/** One evidence item as shown: with freshness, expiry and the stored file's metadata. */
export const evidenceViewSchema = z.object({
  ...evidenceItemSchema.shape,
  kind: z.enum(['link', 'file']),
  fresh: z.boolean(),
  expiresOn: dateSchema,
  file: z
    .object({
      id: z.string(),
      name: z.string(),
      size: z.number().int(),
      contentType: z.string(),
      sha256: z.string(),
      uploadedByName: z.string(),
      uploadedAt: dateTimeSchema,
    })
    .optional(),
})

/** One evidence item of a control. */
export type EvidenceView = z.infer<typeof evidenceViewSchema>

/** `GET /api/certification/projects/:id/soa/:controlId`: the control, its SoA entry, evidence and risks. */
export const controlViewSchema = z.object({
  projectId: z.string(),
  /** The catalogue's control and its theme's title. */
  control: z.looseObject({ id: z.string(), title: localizedSchema, themeTitle: localizedSchema.optional() }),
  row: controlRowSchema,
  entry: z
    .object({
      ...soaEntrySchema.shape,
      projectId: z.string(),
      version: z.number().int(),
      updatedAt: dateTimeSchema,
      /** The name of who changed it last. */
      updatedBy: z.string(),
    })
    .nullable(),
  evidence: z.array(evidenceViewSchema),
  risks: z.array(
    z.object({ id: z.string(), title: z.string().nullable(), treatment: z.string().nullable() }),
  ),
  /** TISAX projects: the protection needs whose additional requirements apply, and the target maturity. */
  tisax: z.object({ needs: z.array(z.enum(PROTECTION_NEEDS)), targetMaturity: z.number().int() }).nullable(),
  mayDecide: z.boolean(),
  mayWork: z.boolean(),
})

/** `GET /api/certification/projects/:id/soa/:controlId`. */
export type ControlView = z.infer<typeof controlViewSchema>

/** `GET /api/certification/projects/:id/evidence-index`: every evidence item of every control, for the auditor. */
export const evidenceIndexSchema = z.object({
  projectId: z.string(),
  title: z.string(),
  standard: z.enum(STANDARDS),
  auditDate: dateSchema,
  generatedOn: dateSchema,
  columns: z.array(z.object({ key: z.string(), header: z.string() })),
  rows: z.array(
    z.object({
      controlId: z.string(),
      control: z.string(),
      evidenceId: z.string(),
      title: z.string(),
      date: dateSchema,
      expiresOn: dateSchema,
      fresh: z.string(),
      kind: z.string(),
      reference: z.string(),
      sha256: z.string(),
      uploadedBy: z.string(),
      /** The stored file, when the evidence is one. */
      fileId: z.string().nullable(),
    }),
  ),
})

/** `GET /api/certification/projects/:id/evidence-index`. */
export type EvidenceIndex = z.infer<typeof evidenceIndexSchema>
