import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The order in which a run of several projects queues them. The files of a project share their
 * worker (`isolate: false`), and a worker is kept only while the next queued file is of its
 * project, so the projects go one after the other; which one goes last decides how long the run
 * idles at its end. First the infrastructure tests, whose stack synth bundles every Lambda and
 * validates the template (the longest file of the run): it starts while the other workers load
 * the integration tests and the run's snapshots are seeded. Last the unit tests, a hundred files
 * of a few milliseconds each, which fill every worker until the queue is empty; before them the
 * web tests, whose first file compiles the Svelte components and sets up the DOM. (Vitest's own
 * order is by project name, which put the web tests last: one file waiting on its page's polls
 * while the other workers had nothing left.)
 */
const PROJECT_ORDER = ['infra', 'integration', 'web', 'unit']

const rank = (spec: TestSpecification) => {
  const i = PROJECT_ORDER.indexOf(spec.project.name)
  return i < 0 ? PROJECT_ORDER.length : i
}

/**
 * Vitest's order within each project (a file that failed last time first, then the longest by the
 * last run's duration; the larger file first where a duration is missing), the projects in
 * `PROJECT_ORDER`.
 */
export class ProjectOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: each project keeps the base order of its files.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b))
  }
}
