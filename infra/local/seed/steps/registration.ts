import { completeTask } from '../../../../functions/api/task-completion.js'
import { DECISION_RECORD, type DecisionRecord } from '../../../../functions/domain/assessments/index.js'
import {
  REGISTRATION_ID,
  REGISTRATION_RECORD,
  REGISTRATION_WORKFLOW,
  type RegistrationData,
} from '../../../../functions/domain/registration/index.js'
import { toIsoDate } from '../../../../functions/domain/risk/calendar.js'
import { isOpen } from '../../../../functions/domain/tasks.js'
import type { SeedStep } from '../types.js'

const ISO = { userId: 'demo-iso', name: 'Ines Sommer', roles: ['iso' as const] }
const DAY = 86_400_000
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Seed step: Nordlicht's registration with the BSI (§ 33 BSIG), done 41 days after last
 * year's decision made it a _wichtige Einrichtung_ — the adopted decision opened the
 * `bsi-registration` workflow (obligations step); here the ISO completes its task with the
 * portal's reference and the confirmation as evidence. Without an engine it writes nothing.
 */
export const registration: SeedStep = {
  name: 'registration',
  async run({ deps, log }) {
    const org = deps.records.forOrg('nordlicht')
    const decision = (await org.all<DecisionRecord>(DECISION_RECORD)).find((r) =>
      r.id.startsWith('nordlicht-oa-seed-'),
    )
    if (!decision) return 0
    try {
      await deps.workflows.definition(deps.workflows.machineArn(REGISTRATION_WORKFLOW))
    } catch (err) {
      log(
        `seed: registration skipped, the workflow engine is not reachable (${err instanceof Error ? err.name : String(err)})`,
      )
      return 0
    }
    const current = await org.get<RegistrationData>(REGISTRATION_RECORD, REGISTRATION_ID)
    if (current && current.data.submissions.length > 0) return 0
    // The adopted decision's workflow opens the registration's task in a moment.
    for (let i = 0; i < 150; i++) {
      const task = (await deps.taskStore.list('nordlicht')).find(
        (t) => t.data.subject?.type === REGISTRATION_RECORD && isOpen(t.data),
      )
      if (task) {
        const submittedOn = toIsoDate(new Date(Date.parse(decision.data.decidedAt) + 41 * DAY))
        await completeTask(deps, { ...ISO, orgId: 'nordlicht' }, task, {
          ...task.data.prefill,
          legalForm: 'GmbH, HRB 14321 HL (Amtsgericht Lübeck)',
          address: 'Werftstraße 12\n23568 Lübeck\nDeutschland',
          contacts:
            'ISMS-Bereitschaft (24/7): +49 451 555 0199, isms-bereitschaft@nordlicht.example\nInes Sommer (ISB): +49 451 555 0142, ines.sommer@nordlicht.example',
          memberStates: 'Deutschland, Österreich, Polen',
          submittedOn,
          channel: 'bsi-portal',
          reference: 'BSI-REG-2025-048213',
          evidence: [
            {
              kind: 'link',
              url: 'https://isms.nordlicht.example/nachweise/bsi-registrierung-bestaetigung.pdf',
              title: 'Eingangsbestätigung des BSI-Portals',
            },
          ],
          note: 'Registriert über das BSI-Portal (MUK); Bestätigung im ISMS-Ordner.',
        })
        return 1
      }
      await wait(200)
    }
    log('seed: registration skipped, its task did not open in time')
    return 0
  },
}
