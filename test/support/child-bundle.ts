import { renameSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { serverBuildOptions } from '../../infra/local/bundle.js'
import { SNAPSHOTS_ENV, sharedFile } from './snapshots.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * The scripts the integration tests run as child processes, relative to the repository: the
 * crash tests' (which they kill) and the snapshot builder global-setup.ts starts. A run bundles
 * them all at once (shared chunks), as `npm start`'s server bundle is built.
 */
const CHILD_SCRIPTS = [
  'test/integration/engine/crash-child.ts',
  'test/integration/incidents/crash-child.ts',
  'test/integration/tasks/crash-child.ts',
  'test/support/build-snapshots.ts',
]

/** The bundle's entry name of a script (`test/integration/tasks/crash-child.ts` → `tasks-crash-child`). */
const entryName = (script: string) => `${basename(dirname(script))}-${basename(script, '.ts')}`

/**
 * This run's bundle of `CHILD_SCRIPTS`, built once for the run by whichever process asks first
 * (global-setup.ts in a whole run, else the first crash test) into `.build/test-children-*`
 * (inside the repository, so that the packages left outside the bundle resolve from
 * `node_modules`; global-setup.ts removes it); answers its folder. `undefined` without a run
 * folder (a file run on its own) or when the build failed elsewhere.
 */
export async function childBundle(): Promise<string | undefined> {
  const marker = await sharedFile('crash-children.bundle', async (path) => {
    const outdir = childBundleDir()
    if (!outdir) throw new Error('childBundle: no run folder')
    await build({
      ...serverBuildOptions(outdir),
      entryPoints: Object.fromEntries(CHILD_SCRIPTS.map((s) => [entryName(s), join(ROOT, s)])),
    })
    writeFileSync(`${path}.tmp`, outdir)
    renameSync(`${path}.tmp`, path)
  })
  return marker ? childBundleDir() : undefined
}

/**
 * The Node.js arguments that run one of `CHILD_SCRIPTS` (then its own arguments): its entry in
 * `childBundle()`. Plain `node` loads the bundle in a fraction of the CPU time tsx takes to
 * compile the sources at every start, and each crash test starts two or three children. Without
 * the bundle the script runs through tsx as before.
 */
export async function childArgs(script: string): Promise<string[]> {
  const rel = relative(ROOT, join(ROOT, script))
  if (!CHILD_SCRIPTS.includes(rel)) throw new Error(`childArgs: ${rel} is not one of CHILD_SCRIPTS`)
  const dir = await childBundle()
  return dir ? [join(dir, `${entryName(rel)}.mjs`)] : ['--import', 'tsx', join(ROOT, rel)]
}

/** Where this run's child bundle goes: beside the server bundle, named after the run folder. */
export function childBundleDir(): string | undefined {
  const run = process.env[SNAPSHOTS_ENV]
  return run ? join(ROOT, '.build', `test-children-${basename(run)}`) : undefined
}
