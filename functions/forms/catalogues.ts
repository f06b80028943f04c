/**
 * The named catalogues that `catalogue` questions pick from, for every form: the NIS2
 * activities (whole and per sector) and the ISO/IEC 27001 Annex A controls. The browser
 * gets the ones a form names with the task; the server passes all of them when it checks
 * a submission.
 */
import annexAJson from '../../workflows/catalogues/annex-a.json' with { type: 'json' }
import facilitiesJson from '../../workflows/catalogues/kritis-facilities.json' with { type: 'json' }
import activitiesJson from '../../workflows/catalogues/nis2-activities.json' with { type: 'json' }
import type { Catalogues, FormDefinition } from '../domain/forms/index.js'
import {
  type ObligationCatalogue,
  parseCatalogue,
  questionnaireCatalogues,
} from '../domain/obligations/index.js'

let obligations: ObligationCatalogue | undefined
/** The NIS2 activity and KRITIS facility catalogue, checked once per process. */
export function obligationCatalogue(): ObligationCatalogue {
  obligations ??= parseCatalogue(activitiesJson, facilitiesJson)
  return obligations
}

let all: Catalogues | undefined
/** Every catalogue by name. */
export function formCatalogues(): Catalogues {
  all ??= {
    ...questionnaireCatalogues(obligationCatalogue()),
    'annex-a-controls': (
      annexAJson as { controls: { id: string; theme: string; title: { en: string; de: string } }[] }
    ).controls.map((c) => ({
      id: c.id,
      label: { en: `${c.id} ${c.title.en}`, de: `${c.id} ${c.title.de}` },
    })),
  }
  return all
}

/** The catalogues one form refers to (what the browser needs to render and check it). */
export function cataloguesFor(form: FormDefinition): Catalogues {
  const names = new Set<string>()
  const visit = (qs: { type: string; catalogue?: string }[] | undefined) => {
    for (const q of qs ?? []) if (q.type === 'catalogue' && q.catalogue) names.add(q.catalogue)
  }
  for (const p of form.pages) {
    visit(p.questions as never)
    for (const s of p.sections ?? []) visit(s.questions as never)
  }
  const every = formCatalogues()
  return Object.fromEntries([...names].filter((n) => n in every).map((n) => [n, every[n]]))
}
