import { Hono } from 'hono'
import { z } from 'zod'
import { conflict, type FieldErrors, validationError } from '../../../domain/errors.js'
import {
  appetiteProblems,
  type RiskMatrix,
  riskMatrixSchema,
  validateAppetite,
  zodFieldErrors,
} from '../../../domain/risk/index.js'
import type { OrgRecords } from '../../../store/records.js'
import { heatCells } from '../../../store/risk-list.js'
import {
  loadRiskSettings,
  RISK_SETTINGS,
  RISK_SETTINGS_ID,
  type RiskSettings,
} from '../../../store/risk-register.js'
import { requireRole } from '../../auth/index.js'
import type { AppEnv } from '../../env.js'
import { orgPeople } from '../../people.js'
import { jsonBody } from '../../validate.js'

/** Body of `PUT /api/risks/settings` (matrix and appetite are checked by their own schemas). */
export const settingsBody = z.strictObject({
  /** 0 when the organisation still uses the defaults. */
  expectedVersion: z.int('must be a whole number').min(0, 'must not be negative'),
  matrix: z.unknown(),
  appetite: z.unknown(),
  acceptAboveAppetite: z.array(z.string(), 'must be a list of user ids').max(100).default([]),
})

/**
 * The risks (not closed) whose inherent or residual values lie beyond a new scale, per axis:
 * from the heat maps' cells beyond it (counters and those cells' streams), not the register.
 */
async function scaleProblems(org: OrgRecords, matrix: RiskMatrix): Promise<FieldErrors> {
  const fields: FieldErrors = {}
  for (const [axis, field, at] of [
    ['likelihood', 'matrix.likelihood', 0],
    ['impact', 'matrix.impact', 1],
  ] as const) {
    const max = matrix[axis].length
    const beyond = (cell: string) => Number(cell.split('#')[at]) > max
    const cells = (
      await Promise.all([
        heatCells(org, 'inherent', { only: beyond, idsLimit: 1000 }),
        heatCells(org, 'residual', { only: beyond, idsLimit: 1000 }),
      ])
    ).flat()
    const outside = [...new Set(cells.flatMap((c) => c.ids))].sort()
    if (outside.length > 0)
      fields[field] =
        `${outside.slice(0, 3).join(', ')}${outside.length > 3 ? ` and ${outside.length - 3} more` : ''} use a ${axis} above ${max}; re-assess them first`
  }
  return fields
}

/**
 * `/api/risks/settings`: the organisation's risk matrix (scales, levels, colours), its appetite
 * (highest acceptable level, acceptance months, re-approval lead days) and which management
 * members may accept above the appetite. Everyone in the organisation reads; the ISO changes.
 */
export const riskSettingsRoute = new Hono<AppEnv>()
  .get('/', async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const [{ settings, version }, people] = await Promise.all([
      loadRiskSettings(deps.records.forOrg(p.orgId)),
      orgPeople(deps, p.orgId),
    ])
    return c.json({ ...settings, version, management: people.filter((x) => x.roles.includes('management')) })
  })
  .put('/', requireRole('iso'), async (c) => {
    const p = c.get('principal')
    const deps = c.get('deps')
    const org = deps.records.forOrg(p.orgId)
    const body = await jsonBody(c, settingsBody)
    const fields: FieldErrors = {}
    const parsed = riskMatrixSchema.safeParse(body.matrix)
    if (!parsed.success) Object.assign(fields, zodFieldErrors(parsed.error, 'matrix'))
    const matrix = parsed.success ? (parsed.data as RiskMatrix) : undefined
    if (matrix) {
      Object.assign(fields, zodPrefix(appetiteProblems(body.appetite, matrix), 'appetite'))
      Object.assign(fields, await scaleProblems(org, matrix))
    }
    const people = await orgPeople(deps, p.orgId)
    const managers = new Set(people.filter((x) => x.roles.includes('management')).map((x) => x.userId))
    body.acceptAboveAppetite.forEach((id, i) => {
      if (!managers.has(id))
        fields[`acceptAboveAppetite.${i}`] = 'is not a management member of this organisation'
    })
    if (Object.keys(fields).length > 0 || !matrix)
      throw validationError(fields, 'The risk settings have invalid fields.')
    const { version } = await loadRiskSettings(org)
    if (body.expectedVersion !== version)
      throw conflict(`The settings were changed by someone else (version ${version}); reload them.`, {
        expectedVersion: `expected ${version}`,
      })
    const next: RiskSettings = {
      matrix,
      appetite: validateAppetite(body.appetite, matrix),
      acceptAboveAppetite: [...new Set(body.acceptAboveAppetite)],
    }
    const actor = { userId: p.userId, name: p.name }
    const saved =
      version === 0
        ? await org.create(RISK_SETTINGS, RISK_SETTINGS_ID, next, { actor, action: 'risk-settings.update' })
        : await org.update(RISK_SETTINGS, RISK_SETTINGS_ID, next, {
            actor,
            action: 'risk-settings.update',
            expectedVersion: version,
          })
    return c.json({
      ...saved.data,
      version: saved.version,
      management: people.filter((x) => managers.has(x.userId)),
    })
  })

function zodPrefix(fields: FieldErrors, prefix: string): FieldErrors {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${prefix}.${k}`, v]))
}
