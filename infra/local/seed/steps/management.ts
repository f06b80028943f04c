import { MANAGEMENT_TRAINING, type TrainingData } from '../../../../functions/domain/management/index.js'
import { addDays, toIsoDate } from '../../../../functions/domain/risk/calendar.js'
import type { SeedStep } from '../types.js'
import { tinyPdf } from './certification.js'

const MARTIN = { userId: 'demo-management', name: 'Martin Brandt' }

/**
 * Seed step: Martin Brandt's (management, Nordlicht) training under § 38 Abs. 3 BSIG — the
 * NIS2 training for managing directors he took last year, its certificate as an evidence file,
 * and the next one due in twelve days (the reminder sweep reminds him). Without the local
 * stack's engine and object store it writes nothing.
 */
export const management: SeedStep = {
  name: 'management',
  async run({ deps, actor, log }) {
    const org = deps.records.forOrg('nordlicht')
    if (await org.get(MANAGEMENT_TRAINING, MARTIN.userId)) return 0
    // Like the certification step: only where the whole local stack (engine, object store) runs.
    try {
      await deps.workflows.definition(deps.workflows.machineArn('approval'))
    } catch (err) {
      log(
        `seed: management skipped, the local stack is not complete (${err instanceof Error ? err.name : String(err)})`,
      )
      return 0
    }
    const today = toIsoDate(deps.now())
    const lastTrainingOn = addDays(today, -353)
    const meta = await deps.evidenceFiles.put(
      'nordlicht',
      {
        projectId: MANAGEMENT_TRAINING,
        controlId: MARTIN.userId,
        name: 'Teilnahmebescheinigung-NIS2-Geschaeftsleitung.pdf',
        contentType: 'application/pdf',
        bytes: new TextEncoder().encode(
          tinyPdf(
            `Teilnahmebescheinigung: Martin Brandt, NIS2-Schulung fuer Geschaeftsleiter, ${lastTrainingOn}`,
          ),
        ),
      },
      actor,
    )
    const data: TrainingData = {
      userId: MARTIN.userId,
      name: MARTIN.name,
      title: 'NIS2-Schulung für Geschäftsleiter (4 h)',
      provider: 'Nordakademie für Informationssicherheit',
      lastTrainingOn,
      nextDueOn: addDays(today, 12),
      certificate: {
        fileId: meta.id,
        name: meta.name,
        size: meta.size,
        contentType: meta.contentType,
        uploadedAt: meta.uploadedAt,
      },
      updatedBy: 'demo-iso',
      updatedByName: 'Ines Sommer',
    }
    await org.create<TrainingData>(MANAGEMENT_TRAINING, MARTIN.userId, data, {
      actor,
      action: 'management-training.record',
    })
    return 1
  },
}
