/**
 * One-time migration of the Statements of Applicability: since an included control needs a
 * justification too (ISO/IEC 27001 6.1.3 d, not only an excluded one), entries decided before
 * the rule are flagged `justificationMissing` rather than filled with invented words. The ISO
 * sees "Justification missing" on the SoA and the control until they decide it again.
 *
 * Per organisation, once: a marker beside the records says it ran. Idempotent: an entry
 * already flagged or justified is left alone, and a write that lost a race (409) is skipped,
 * since whoever changed the entry meanwhile went through the rules.
 */
import { justificationMissing } from '../domain/certification/index.js'
import { ConflictError } from '../domain/errors.js'
import { CERT_TYPES, type CertProject, type SoaRecord } from './certification.js'
import type { OrgRecords } from './records.js'

/** The side key that says an organisation's entries were flagged (deleting it runs the migration again). */
export const SOA_JUSTIFICATION_MARK = 'MIGRATION#soa-justifications-v1'
const ACTOR = { userId: 'system:migration', name: 'ismsflow update' }

/** Flags the organisation's included controls that have no justification; answers how many. */
export async function flagUnjustifiedInclusions(org: OrgRecords): Promise<number> {
  if ((await org.sideKeys(SOA_JUSTIFICATION_MARK, 1)).length > 0) return 0
  let flagged = 0
  for (const project of await org.all<CertProject>(CERT_TYPES.project))
    for (const rec of await org.all<SoaRecord>(CERT_TYPES.soa, { idPrefix: `${project.id}#` })) {
      if (rec.data.justificationMissing || !justificationMissing(rec.data)) continue
      try {
        await org.update<SoaRecord>(
          CERT_TYPES.soa,
          rec.id,
          { ...rec.data, justification: '', justificationMissing: true },
          { actor: ACTOR, action: 'cert-soa.justification-flagged', expectedVersion: rec.version },
        )
        flagged++
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err
      }
    }
  await org.putSide([{ sk: SOA_JUSTIFICATION_MARK }])
  return flagged
}
