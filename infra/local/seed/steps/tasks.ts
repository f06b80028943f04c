import { type GenericStart, startGeneric } from '../../../../functions/api/routes/workflows/start.js'
import type { SeedStep } from '../types.js'

/** One demo workflow: where, under which fixed execution name, started by whom. */
interface DemoStart {
  orgId: string
  executionName: string
  actor: { userId: string; name: string }
  start: GenericStart
}

const ISO = { userId: 'demo-iso', name: 'Ines Sommer' }

/** The demo's open tasks, each from a generic workflow (approval or questionnaire). */
export const DEMO_STARTS: DemoStart[] = [
  {
    orgId: 'nordlicht',
    executionName: 'seed-nordlicht-policy-v2',
    actor: ISO,
    start: {
      type: 'approval',
      title: {
        en: 'Approve the information security policy v2',
        de: 'Informationssicherheitsleitlinie v2 freigeben',
      },
      requestedBy: ISO.userId,
      dueInDays: 5,
      context: {
        requestedByName: ISO.name,
        reference: 'ISMS-POL-01, version 2',
        details:
          'Version 2 adds the scope for the new Leipzig plant, the TISAX prototype protection rules and the duty to report incidents within 24 hours.',
      },
    },
  },
  {
    orgId: 'nordlicht',
    executionName: 'seed-nordlicht-remote-work',
    actor: ISO,
    start: {
      type: 'approval',
      title: {
        en: 'Approve the remote-work rules for the design office',
        de: 'Regeln für mobiles Arbeiten im Konstruktionsbüro freigeben',
      },
      requestedBy: ISO.userId,
      dueInDays: 12,
      context: {
        requestedByName: ISO.name,
        reference: 'ISMS-RL-07',
        details:
          'CAD data stays on company laptops with encrypted disks; VPN with multi-factor sign-in is required.',
      },
    },
  },
  {
    orgId: 'nordlicht',
    executionName: 'seed-nordlicht-supplier-kessler',
    actor: ISO,
    start: {
      type: 'questionnaire',
      title: {
        en: 'Complete the supplier security questionnaire',
        de: 'Lieferanten-Sicherheitsfragebogen ausfüllen',
      },
      requestedBy: ISO.userId,
      formId: 'supplier-security',
      assignee: { userId: 'demo-member' },
      dueInDays: 10,
      context: { requestedByName: ISO.name, reference: 'Kessler CNC-Service GmbH (remote maintenance)' },
    },
  },
  {
    orgId: 'nordlicht',
    executionName: 'seed-nordlicht-profile',
    actor: ISO,
    start: {
      type: 'questionnaire',
      title: { en: 'Update the organisation profile', de: 'Organisationsprofil aktualisieren' },
      requestedBy: ISO.userId,
      formId: 'sample-onboarding',
      assignee: { role: 'member' },
      dueInDays: 1,
      context: { requestedByName: ISO.name, details: 'Needed for the yearly NIS2 applicability check.' },
    },
  },
  {
    orgId: 'hafenstadt',
    executionName: 'seed-hafenstadt-supplier-portlog',
    actor: ISO,
    start: {
      type: 'questionnaire',
      title: {
        en: 'Review the security of the yard management cloud',
        de: 'Sicherheit der Hofmanagement-Cloud prüfen',
      },
      requestedBy: ISO.userId,
      formId: 'supplier-security',
      assignee: { userId: 'demo-iso' },
      dueInDays: 7,
      context: { requestedByName: ISO.name, reference: 'PortLog Yard SaaS' },
    },
  },
]

/**
 * Seed step: starts the demo workflows through the engine with fixed execution names, so
 * a second start finds their records and starts nothing. Without a reachable engine (the
 * in-process API tests) it starts nothing and says so.
 */
export const tasks: SeedStep = {
  name: 'tasks',
  async run({ deps, log }) {
    try {
      await deps.workflows.definition(deps.workflows.machineArn('approval'))
    } catch (err) {
      log(`seed: tasks skipped, the workflow engine is not reachable (${(err as Error).name})`)
      return 0
    }
    let created = 0
    for (const d of DEMO_STARTS) {
      const started = await startGeneric(deps, d.orgId, d.actor, d.start, d.executionName)
      if (started.created) created++
    }
    return created
  },
}
