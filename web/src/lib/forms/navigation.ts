/**
 * Where the form renderer is and where Continue and Back lead, as pure functions of the
 * evaluation, so the rules are unit-tested without a browser. The step lives in the URL
 * (`?page=<id>`, `?page=<id>&change=1` after a Change link, `?check=1`), so a reload
 * resumes on the same page and the browser's Back agrees with the Back link.
 */
import type { FormDefinition, FormEvaluation } from '../../../../functions/domain/forms/evaluation.js'

/** A page of the form or the "Check your answers" page. */
export type Step = { kind: 'page'; pageId: string } | { kind: 'check' }

/** A step with whether Continue should return to the check page (after a Change link). */
export interface Location {
  step: Step | undefined
  returnToCheck: boolean
}

/** Names of the URL parameters; change them when two forms share a page. */
export interface UrlNames {
  page: string
  change: string
  check: string
}

/** The default URL parameter names. */
export const DEFAULT_URL_NAMES: UrlNames = { page: 'page', change: 'change', check: 'check' }

/** Reads the step from a URL's search part. */
export function locationFromSearch(search: string, names: UrlNames = DEFAULT_URL_NAMES): Location {
  const params = new URLSearchParams(search)
  if (params.get(names.check) === '1') return { step: { kind: 'check' }, returnToCheck: false }
  const pageId = params.get(names.page)
  return {
    step: pageId ? { kind: 'page', pageId } : undefined,
    returnToCheck: params.get(names.change) === '1',
  }
}

/** The URL (path + search + hash) for a step, keeping the other parameters of `href`. */
export function urlFor(href: string, location: Location, names: UrlNames = DEFAULT_URL_NAMES): string {
  const url = new URL(href)
  url.searchParams.delete(names.page)
  url.searchParams.delete(names.change)
  url.searchParams.delete(names.check)
  if (location.step?.kind === 'check') url.searchParams.set(names.check, '1')
  else if (location.step) {
    url.searchParams.set(names.page, location.step.pageId)
    if (location.returnToCheck) url.searchParams.set(names.change, '1')
  }
  return url.pathname + url.search
}

/** True when two steps are the same. */
export const sameStep = (a: Step | undefined, b: Step | undefined) =>
  a?.kind === 'page' ? b?.kind === 'page' && a.pageId === b.pageId : a?.kind === b?.kind

const pageIds = (definition: FormDefinition) => definition.pages.map((p) => p.id)

/** The first visible page that is not complete, or the check page (or last page) when all are. */
export function resumeStep(definition: FormDefinition, ev: FormEvaluation, hasCheck: boolean): Step {
  const open = ev.visiblePages.find((id) => !ev.pages[id]?.complete)
  if (open) return { kind: 'page', pageId: open }
  if (hasCheck) return { kind: 'check' }
  return { kind: 'page', pageId: ev.visiblePages.at(-1) ?? pageIds(definition)[0] }
}

/**
 * The step to show for a requested one: a visible page as asked; a hidden or unknown page
 * becomes the nearest visible page before it; the check page only once every page is complete.
 */
export function resolveStep(
  definition: FormDefinition,
  ev: FormEvaluation,
  requested: Step | undefined,
  hasCheck: boolean,
): Step {
  if (!requested) return resumeStep(definition, ev, hasCheck)
  if (requested.kind === 'check') {
    const resume = resumeStep(definition, ev, hasCheck)
    return hasCheck && resume.kind === 'check' ? requested : resume
  }
  if (ev.visiblePages.includes(requested.pageId)) return requested
  const order = pageIds(definition)
  const at = order.indexOf(requested.pageId)
  if (at < 0) return resumeStep(definition, ev, hasCheck)
  for (let i = at - 1; i >= 0; i--)
    if (ev.visiblePages.includes(order[i])) return { kind: 'page', pageId: order[i] }
  return resumeStep(definition, ev, hasCheck)
}

/**
 * Where Continue leads from a page whose answers are valid: the next visible page; after a
 * Change link, straight back to the check page unless the change opened a page still to answer.
 * `submit` when there is no check page and this was the last page.
 */
export function nextStep(
  definition: FormDefinition,
  ev: FormEvaluation,
  pageId: string,
  options: { returnToCheck: boolean; hasCheck: boolean },
): Location | 'submit' {
  const order = pageIds(definition)
  const later = order.slice(order.indexOf(pageId) + 1).filter((id) => ev.visiblePages.includes(id))
  if (options.returnToCheck) {
    const open = later.find((id) => !ev.pages[id]?.complete)
    if (!open) return { step: { kind: 'check' }, returnToCheck: false }
    return { step: { kind: 'page', pageId: open }, returnToCheck: true }
  }
  if (later.length > 0) return { step: { kind: 'page', pageId: later[0] }, returnToCheck: false }
  return options.hasCheck ? { step: { kind: 'check' }, returnToCheck: false } : 'submit'
}

/** Where the Back link leads when there is no history to go back through: the previous visible page. */
export function previousStep(definition: FormDefinition, ev: FormEvaluation, step: Step): Step | undefined {
  if (step.kind === 'check') {
    const last = ev.visiblePages.at(-1)
    return last ? { kind: 'page', pageId: last } : undefined
  }
  const order = pageIds(definition)
  const earlier = order
    .slice(0, Math.max(0, order.indexOf(step.pageId)))
    .filter((id) => ev.visiblePages.includes(id))
  const prev = earlier.at(-1)
  return prev ? { kind: 'page', pageId: prev } : undefined
}

/** The element id of a field for an error key (`q` → `f-q`, `q.comment` → `f-q-comment`). */
export const fieldId = (errorKey: string) => `f-${errorKey.replace('.', '-')}`

/** Ids of the questions on a page, in order. */
export function questionIdsOf(definition: FormDefinition, pageId: string): string[] {
  const page = definition.pages.find((p) => p.id === pageId)
  if (!page) return []
  return (page.sections ? page.sections.flatMap((s) => s.questions) : (page.questions ?? [])).map((q) => q.id)
}

/** The errors of the visible questions on one page, in question order: `[errorKey, message]`. */
export function pageErrors(definition: FormDefinition, ev: FormEvaluation, pageId: string) {
  const out: [string, FormEvaluation['errors'][string]][] = []
  for (const id of questionIdsOf(definition, pageId)) {
    if (!ev.questions[id]?.visible) continue
    for (const [key, message] of Object.entries(ev.errors))
      if (key === id || key.startsWith(`${id}.`)) out.push([key, message])
  }
  return out
}
