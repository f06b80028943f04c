import {
  AUDIT_PROGRAMME,
  type AuditProgramme,
  INTERNAL_AUDIT,
  type InternalAudit,
  PROGRAMME_ID,
} from '../../../../functions/domain/audits/index.js'
import { addDays, type IsoDate, minDate, toIsoDate } from '../../../../functions/domain/risk/calendar.js'
import type { SeedStep } from '../types.js'

const ISO = { userId: 'demo-iso', name: 'Ines Sommer' }

/** Nordlicht's cycle: last year to next year; the ISO owns the clauses and A.5, IT and the plant the rest. */
function programmeOf(year: number): AuditProgramme {
  return {
    cycleStart: year - 1,
    years: 3,
    owners: {
      '4': 'demo-iso',
      '5': 'demo-management',
      '6': 'demo-iso',
      '7': 'demo-iso',
      '8': 'demo-iso',
      '9': 'demo-iso',
      '10': 'demo-iso',
      'A.5': 'demo-iso',
      'A.6': 'demo-management',
      'A.7': 'demo-member',
      'A.8': 'demo-member',
    },
  }
}

/**
 * Last year's audit by an outside auditor over the whole ISMS, with two minor
 * nonconformities: the visitor log (corrected, checked effective, closed) and the restore
 * test of the OT engineering workstations (corrective action open, due in three weeks).
 */
function lastYearsAudit(year: number, today: IsoDate): InternalAudit {
  const heldOn = `${year - 1}-11-14`
  const implementedOn = minDate(addDays(heldOn, 58), addDays(today, -7))
  const checkedOn = minDate(addDays(heldOn, 76), addDays(today, -1))
  return {
    id: `IA-${year - 1}-01`,
    title: 'ISMS audit before Stage 1 (all clauses and Annex A)',
    plannedOn: heldOn,
    areas: ['4', '5', '6', '7', '8', '9', '10', 'A.5', 'A.6', 'A.7', 'A.8'],
    auditorName: 'Dr. Petra Lange (Hanse Audit Partner)',
    status: 'completed',
    heldOn,
    summary:
      'Two days on site in Lübeck; interviews with management, IT, the plant and HR; sample of 24 controls. The ISMS is established and maintained; two minor nonconformities, no major one.',
    completedBy: ISO.userId,
    findings: [
      {
        id: 'F1',
        type: 'nonconformity',
        severity: 'minor',
        area: 'A.7',
        reference: 'A.7.2',
        description: 'The visitor log at the plant gate was not kept on two of the five days sampled.',
        recordedOn: heldOn,
        recordedBy: ISO.userId,
        correctiveAction: {
          description: 'Reception keeps the visitor log; facility management checks it weekly.',
          ownerId: 'demo-member',
          dueOn: addDays(heldOn, 60),
          status: 'closed',
          implementation: {
            rootCause: 'Nobody owned the log when the gatehouse was staffed by the temporary service.',
            actionTaken:
              'Log moved to reception, instruction signed by the service, weekly check in the facility plan.',
            on: implementedOn,
            by: 'demo-member',
            byName: 'Mia Keller',
          },
          checks: [
            {
              on: checkedOn,
              effective: true,
              note: 'Sampled four weeks of the log: complete every day.',
              by: ISO.userId,
              byName: ISO.name,
            },
          ],
          closedOn: checkedOn,
        },
      },
      {
        id: 'F2',
        type: 'nonconformity',
        severity: 'minor',
        area: 'A.8',
        reference: 'A.8.13',
        description:
          'The images of the OT engineering workstations are backed up, but their restore has never been tested.',
        recordedOn: heldOn,
        recordedBy: ISO.userId,
        correctiveAction: {
          description:
            'Add the engineering workstation images to the quarterly restore test and restore one.',
          ownerId: 'demo-member',
          dueOn: addDays(today, 21),
          status: 'open',
          checks: [],
        },
      },
    ],
  }
}

/** This year's audit of the people, physical and technological controls by the ISO (who owns none of them). */
function thisYearsAudit(year: number, today: IsoDate): InternalAudit {
  const plannedOn = minDate(addDays(today, 45), `${year + 1}-12-31`)
  return {
    id: `IA-${plannedOn.slice(0, 4)}-01`,
    title: 'Annex A: people, physical and technological controls',
    plannedOn,
    areas: ['A.6', 'A.7', 'A.8'],
    auditorId: ISO.userId,
    status: 'planned',
    findings: [],
  }
}

/** Next year's audit of the clauses and the organisational controls by the outside auditor. */
function nextYearsAudit(year: number): InternalAudit {
  return {
    id: `IA-${year + 1}-02`,
    title: 'Management system (clauses 4–10) and organisational controls',
    plannedOn: `${year + 1}-10-13`,
    areas: ['4', '5', '6', '7', '8', '9', '10', 'A.5'],
    auditorName: 'Dr. Petra Lange (Hanse Audit Partner)',
    status: 'planned',
    findings: [],
  }
}

/**
 * Seed step: Nordlicht's internal audit programme over three years with last year's audit
 * (two findings: one corrective action closed, one open), this year's and next year's.
 * Dates follow today's date; a second run writes nothing.
 */
export const internalAudits: SeedStep = {
  name: 'internal-audits',
  async run({ deps }) {
    const org = deps.records.forOrg('nordlicht')
    const today = toIsoDate(deps.now())
    const year = Number(today.slice(0, 4))
    let created = 0
    if (!(await org.get(AUDIT_PROGRAMME, PROGRAMME_ID))) {
      await org.create(AUDIT_PROGRAMME, PROGRAMME_ID, programmeOf(year), { actor: ISO })
      created++
    }
    // Audits are seeded with a fresh programme only (a later start adds nothing).
    if (created === 0) return 0
    for (const audit of [lastYearsAudit(year, today), thisYearsAudit(year, today), nextYearsAudit(year)]) {
      if (await org.get(INTERNAL_AUDIT, audit.id)) continue
      await org.create(INTERNAL_AUDIT, audit.id, audit, { actor: ISO, action: 'internal-audit.plan' })
      created++
    }
    return created
  },
}
