import type { Context } from 'hono'
import { forbidden } from '../../../domain/errors.js'
import { type IsoDate, toIsoDate } from '../../../domain/risk/calendar.js'
import {
  type CertificationRecords,
  type CertProject,
  certificationRecords,
} from '../../../store/certification.js'
import type { EvidenceFiles } from '../../../store/evidence-files.js'
import type { StoredRecord } from '../../../store/records.js'
import type { AppEnv, Deps, Principal, Role } from '../../env.js'

/** Roles that read a whole project (members read their own controls only). */
export const READERS: Role[] = ['iso', 'management', 'auditor']

/** Everything a certification handler needs about the request. */
export interface CertContext {
  c: Context<AppEnv>
  p: Principal
  deps: Deps
  recs: CertificationRecords
  files: EvidenceFiles
  today: IsoDate
  actor: { userId: string; name: string }
}

/** The handler context: principal, tenant-scoped records, evidence files, today. */
export function certContext(c: Context<AppEnv>): CertContext {
  const p = c.get('principal')
  const deps = c.get('deps')
  return {
    c,
    p,
    deps,
    recs: certificationRecords(deps.records.forOrg(p.orgId)),
    files: deps.evidenceFiles,
    today: toIsoDate(deps.now()),
    actor: { userId: p.userId, name: p.name },
  }
}

/** True when the person is the ISO of the current organisation. */
export const isIso = (p: Principal) => p.roles.includes('iso')

/** True when the person reads the whole project (ISO, management, auditor). */
export const readsAll = (p: Principal) => p.roles.some((r) => READERS.includes(r))

/** 403 unless the person holds one of `roles`. */
export function assertRole(p: Principal, roles: Role[], what: string) {
  if (!p.roles.some((r) => roles.includes(r)))
    throw forbidden(`${what} needs the role ${roles.join(' or ')}.`)
}

/** The project (404 for an id of another organisation or none). */
export async function loadProject(ctx: CertContext, id: string): Promise<StoredRecord<CertProject>> {
  return ctx.recs.project(id)
}

/** People of the organisation with their names and roles (for owners and display). */
export async function people(deps: Deps, orgId: string) {
  const members = await deps.identity.orgMembers(orgId)
  const users = await Promise.all(members.map((m) => deps.identity.getUser(m.userId)))
  return members.map((m, i) => ({ userId: m.userId, name: users[i]?.name ?? m.userId, roles: m.roles }))
}

/** Display names by user id (unknown ids show as themselves). */
export async function namesOf(deps: Deps, orgId: string): Promise<(id: string | undefined) => string> {
  const map = new Map((await people(deps, orgId)).map((x) => [x.userId, x.name]))
  return (id) => (id ? (map.get(id) ?? id) : '')
}

/** The language of an export: `?lang=`, else the Accept-Language header, else English. */
export function langOf(c: Context): 'en' | 'de' {
  const q = c.req.query('lang')
  if (q === 'de' || q === 'en') return q
  return c.req.header('accept-language')?.toLowerCase().startsWith('de') ? 'de' : 'en'
}
