import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { childArgs, childBundleDir } from './child-bundle.js'
import { SNAPSHOTS_ENV } from './snapshots.js'

/**
 * Global setup of the integration tests: a folder for this run's shared snapshots (the demo
 * seeded once, see `snapshots.ts`), handed to the test files through the environment and
 * removed when the run ends (with the run's child bundle named after it, see
 * `child-bundle.ts`). A whole run (no file filter) bundles the child scripts and then builds
 * both snapshots at once in their own processes from the bundle (plain `node` starts them in
 * less than half the CPU time tsx took), while the first files load; a run of chosen files
 * builds what they ask for.
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'ismsflow-snapshots-'))
  process.env[SNAPSHOTS_ENV] = dir
  const filters: unknown = Reflect.get(project.vitest, 'filenamePattern')
  const builders: ChildProcess[] = []
  let ended = false
  const started =
    Array.isArray(filters) && filters.length > 0
      ? Promise.resolve()
      : (async () => {
          // Without the bundle (its build failed), the builders run through tsx.
          const args = await childArgs('test/support/build-snapshots.ts').catch(() => [
            '--import',
            'tsx',
            'test/support/build-snapshots.ts',
          ])
          for (const which of ended ? [] : ['stack', 'api'])
            builders.push(
              spawn(process.execPath, [...args, which], {
                env: {
                  ...process.env,
                  ...project.vitest.config.env,
                  ...project.config.env,
                  [SNAPSHOTS_ENV]: dir,
                },
                stdio: ['ignore', 'ignore', 'inherit'],
              }),
            )
        })()
  return async () => {
    ended = true
    await started
    for (const b of builders) if (b.exitCode === null) b.kill()
    const children = childBundleDir()
    if (children) rmSync(children, { recursive: true, force: true })
    rmSync(dir, { recursive: true, force: true })
    delete process.env[SNAPSHOTS_ENV]
  }
}
