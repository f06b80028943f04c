/**
 * The obligation questionnaire's definition and catalogues (`GET /api/obligations/questionnaire`),
 * read once per page load and shared: the quick check renders it, diffs take question
 * labels from it.
 */
import type { Catalogues, FormDefinition } from '../../../../functions/domain/forms/evaluation.js'
import { api } from '../../lib/api.js'

let loading: Promise<{ definition: FormDefinition; catalogues: Catalogues }> | undefined

/** The questionnaire (a failed read is asked again next time). */
export function obligationQuestionnaire() {
  loading ??= api
    .get<{ definition: FormDefinition; catalogues: Catalogues }>('/api/obligations/questionnaire')
    .catch((err) => {
      loading = undefined
      throw err
    })
  return loading
}
