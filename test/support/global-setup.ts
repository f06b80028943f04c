import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SNAPSHOTS_ENV } from './snapshots.js'

/**
 * Global setup of the integration tests: a folder for this run's shared snapshots (the demo
 * seeded once, see `snapshots.ts`), handed to the test files through the environment and
 * removed when the run ends.
 */
export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'ismsflow-snapshots-'))
  process.env[SNAPSHOTS_ENV] = dir
  return () => {
    rmSync(dir, { recursive: true, force: true })
    delete process.env[SNAPSHOTS_ENV]
  }
}
