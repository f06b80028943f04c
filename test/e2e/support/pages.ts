import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'

/** Every signed-in route of the app's router (`web/src/routes.ts`), read from its source. */
export function signedInRoutes(): string[] {
  const source = readFileSync(resolve('web/src/routes.ts'), 'utf8')
  const entries = source.match(/\{[^{}]*path: '[^']+'[^{}]*\}/g) ?? []
  return entries.filter((e) => !/public: true/.test(e)).map((e) => /path: '([^']+)'/.exec(e)![1])
}

const get = async <T>(page: Page, path: string): Promise<T> => {
  const res = await page.request.get(path)
  if (!res.ok()) throw new Error(`${path} answered ${res.status()}`)
  return (await res.json()) as T
}

/**
 * Every signed-in page of the router as the ISO of the demo organisation sees it: routes
 * with parameters are filled with real records (several for the task and workflow pages,
 * one per kind). Throws when a route has no sample, so a new route is not left out.
 */
export async function signedInPaths(page: Page): Promise<string[]> {
  type Items<T> = { items: T[] }
  const tasks = await get<Items<{ id: string; kind: string; status: string }>>(
    page,
    '/api/tasks?view=all&limit=200',
  )
  const open = (kind: string) => {
    const task = tasks.items.find((x) => x.kind === kind && x.status === 'open')
    if (!task) throw new Error(`no open ${kind} task in the demo`)
    return task.id
  }
  const [assessments, projects, cycles, runs, incidents] = await Promise.all([
    get<Items<{ id: string }>>(page, '/api/assessments'),
    get<Items<{ id: string }>>(page, '/api/certification/projects'),
    get<Items<{ id: string }>>(page, '/api/reviews'),
    get<Items<{ id: string; workflow: string }>>(page, '/api/workflows'),
    get<Items<{ id: string }>>(page, '/api/incidents'),
  ])
  const [campaigns, parties, issues] = await Promise.all([
    get<Items<{ id: string }>>(page, '/api/awareness/campaigns'),
    get<Items<{ id: string }>>(page, '/api/context/parties'),
    get<Items<{ id: string }>>(page, '/api/context/issues'),
  ])
  const project = projects.items[0].id
  const run = (workflow: string) => runs.items.find((r) => r.workflow === workflow)!.id
  const samples: Record<string, string[]> = {
    '/tasks/:id': [open('approval'), open('risk-approval'), open('review'), open('obligation-follow-up')].map(
      (id) => `/tasks/${id}`,
    ),
    '/assessments/task/:taskId': [`/assessments/task/${open('obligation-questionnaire')}`],
    '/assessments/:id': [`/assessments/${assessments.items[0].id}`],
    '/risks/:id': ['/risks/R-001', '/risks/R-002'],
    '/risks/:id/edit': ['/risks/R-002/edit'],
    '/risks/:id/plan': ['/risks/R-002/plan'],
    '/certification/:id': [`/certification/${project}`],
    '/certification/:id/soa': [`/certification/${project}/soa`],
    '/certification/:id/soa/:controlId': [`/certification/${project}/soa/A.5.1`],
    '/certification/:id/evidence-index': [`/certification/${project}/evidence-index`],
    '/reviews/programme/:id': ['/reviews/programme/risk-review'],
    '/reviews/:id': [`/reviews/${cycles.items[0].id}`],
    '/workflows/:id': [
      'approval',
      'questionnaire',
      'obligation-assessment',
      'periodic-review',
      'certification',
      'risk-treatment',
      'incident',
    ].map((w) => `/workflows/${run(w)}`),
    '/incidents/:id': incidents.items.slice(0, 2).map((i) => `/incidents/${i.id}`),
    '/awareness/:id': campaigns.items.slice(0, 2).map((c) => `/awareness/${c.id}`),
    '/context/parties/:id': [`/context/parties/${parties.items[0].id}`],
    '/context/issues/:id': [`/context/issues/${issues.items[0].id}`],
    // Nordlicht's internal audit of last year (infra/local/seed/steps/internal-audits.ts).
    '/audits/:id': [`/audits/IA-${new Date().getUTCFullYear() - 1}-01`],
  }
  return signedInRoutes().flatMap((route) => {
    if (!route.includes(':')) return [route]
    if (!samples[route])
      throw new Error(`no sample page for the route ${route}: add one in test/e2e/support/pages.ts`)
    return samples[route]
  })
}

/** Waits until the page has its heading and nothing is loading any more. */
export async function settle(page: Page) {
  await page.waitForLoadState('networkidle')
  await page.locator('main h1').first().waitFor()
  await page.waitForFunction(
    () => !/Loading…|Wird geladen…/.test(document.querySelector('main')?.textContent ?? ''),
  )
}
