import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Repository root (two levels above `infra/aws`). Entry paths in the step registry are relative to it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Default folder whose `*.asl.json` files become state machines. */
export const WORKFLOWS_DIR = join(REPO_ROOT, 'workflows')

/** Default folder of the built web app (`npm run build:web`). */
export const WEB_DIST_DIR = join(REPO_ROOT, 'web', 'dist')

/** Whether a built web app is present (it has an `index.html`). */
export const hasWebBuild = (dir: string) => existsSync(join(dir, 'index.html'))
