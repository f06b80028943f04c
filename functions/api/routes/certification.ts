import { Hono } from 'hono'
import { notFound } from '../../domain/errors.js'
import { controlCatalogue } from '../../store/certification.js'
import { requireAuth, requireRole } from '../auth/index.js'
import type { AppEnv } from '../env.js'
import {
  addLink,
  confirmUpload,
  downloadFile,
  downloadLink,
  removeEvidence,
  startUpload,
} from './certification/evidence.js'
import {
  createNonconformity,
  listNonconformities,
  patchNonconformity,
} from './certification/nonconformities.js'
import {
  createProject,
  getProject,
  listPeople,
  listProjects,
  markMilestoneDone,
  moveAuditDate,
  patchProject,
} from './certification/projects.js'
import { evidenceIndex, getReadiness, soaCsv, soaXlsx } from './certification/reports.js'
import { getControl, getSoa, patchStatus, putDecision } from './certification/soa.js'

const iso = requireRole('iso')
const isoOrOwner = requireRole('iso', 'member')
const managers = requireRole('iso', 'management')
/** Auditors read the SoA, evidence and milestone record; nothing else, and never write. */
const auditView = requireRole('iso', 'management', 'auditor')
const anyone = requireRole('iso', 'management', 'auditor', 'member')

/**
 * `/api/certification`: certification projects (ISO/IEC 27001, TISAX), their milestone plan,
 * Statement of Applicability, evidence, nonconformities, readiness and exports. Every id is
 * looked up in the caller's organisation only (another organisation's id answers 404).
 *
 * Roles: the ISO manages; control owners (members) read their controls and add evidence and
 * status; management reads and signs the Stage 1 override task; the auditor reads the SoA,
 * evidence and milestones, and gets 403 for everything else.
 */
export function certificationRoute() {
  return new Hono<AppEnv>()
    .use(requireAuth)
    .get('/catalogue/:standard', anyone, (c) => {
      const standard = c.req.param('standard')
      if (standard !== 'iso27001' && standard !== 'tisax') throw notFound('Catalogue')
      return c.json(
        controlCatalogue({
          standard,
          tisaxModules: ['information-security', 'prototype-protection', 'data-protection'],
        }),
      )
    })
    .get('/people', iso, listPeople)
    .get('/projects', anyone, listProjects)
    .post('/projects', iso, createProject)
    .get('/projects/:id', anyone, getProject)
    .patch('/projects/:id', iso, patchProject)
    .put('/projects/:id/audit-date', iso, moveAuditDate)
    .post('/projects/:id/milestones/:milestoneId/done', iso, markMilestoneDone)
    .get('/projects/:id/soa', anyone, getSoa)
    .get('/projects/:id/soa/:controlId', anyone, getControl)
    .put('/projects/:id/soa/:controlId', iso, putDecision)
    .patch('/projects/:id/soa/:controlId/status', isoOrOwner, patchStatus)
    .post('/projects/:id/soa/:controlId/evidence', isoOrOwner, addLink)
    .post('/projects/:id/soa/:controlId/evidence/uploads', isoOrOwner, startUpload)
    .post('/projects/:id/soa/:controlId/evidence/uploads/:fileId', isoOrOwner, confirmUpload)
    .delete('/projects/:id/soa/:controlId/evidence/:evidenceId', isoOrOwner, removeEvidence)
    .get('/projects/:id/files/:fileId', anyone, downloadFile)
    .get('/projects/:id/files/:fileId/link', anyone, downloadLink)
    .get('/projects/:id/readiness', managers, getReadiness)
    .get('/projects/:id/nonconformities', managers, listNonconformities)
    .post('/projects/:id/nonconformities', iso, createNonconformity)
    .patch('/projects/:id/nonconformities/:ncId', iso, patchNonconformity)
    .get('/projects/:id/exports/soa.csv', auditView, soaCsv)
    .get('/projects/:id/exports/soa.xlsx', auditView, soaXlsx)
    .get('/projects/:id/evidence-index', auditView, evidenceIndex)
}
