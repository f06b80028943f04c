import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readSnapshotFile, type StackSnapshot, writeSnapshotFile } from '../../infra/local/snapshot.js'

/**
 * The folder of this test run's shared snapshots (`test/support/global-setup.ts` makes it and
 * removes it at the end); without it every file seeds for itself.
 */
export const SNAPSHOTS_ENV = 'ISMSFLOW_TEST_SNAPSHOTS'

/** How long a file waits for another file's build before it seeds for itself. */
const WAIT_MS = 10 * 60_000

const built = new Map<string, StackSnapshot>()

/**
 * The snapshot `name` of this test run, built once by whichever file asks first (`build`)
 * while the others wait for its file. `undefined` when there is no run folder or the build
 * failed elsewhere: the caller seeds as before.
 */
export async function sharedSnapshot(
  name: string,
  build: () => Promise<StackSnapshot>,
): Promise<StackSnapshot | undefined> {
  const known = built.get(name)
  if (known) return known
  let mine: StackSnapshot | undefined
  const file = await sharedFile(`${name}.snapshot`, async (path) => {
    mine = await build()
    writeSnapshotFile(path, mine)
  })
  if (!file) return undefined
  const snapshot = mine ?? readSnapshotFile(file)
  built.set(name, snapshot)
  return snapshot
}

/**
 * The file `name` in this test run's folder, written once by whichever process asks first
 * (`write`) while the others wait for it; answers its path. `undefined` when there is no run
 * folder, or the writer failed or ended elsewhere: the caller does the work itself.
 */
export async function sharedFile(
  name: string,
  write: (path: string) => Promise<void>,
): Promise<string | undefined> {
  const dir = process.env[SNAPSHOTS_ENV]
  if (!dir) return undefined
  const file = join(dir, name)
  const failed = join(dir, `${name}.failed`)
  if (existsSync(file)) return file
  const lock = join(dir, `${name}.lock`)
  let mine = false
  try {
    mkdirSync(lock)
    writeFileSync(join(lock, 'pid'), String(process.pid))
    mine = true
  } catch {}
  if (mine) {
    try {
      await write(file)
      return file
    } catch (err) {
      writeFileSync(failed, String(err instanceof Error ? err.stack : err))
      throw err
    }
  }
  const until = Date.now() + WAIT_MS
  while (!existsSync(file)) {
    if (existsSync(failed) || Date.now() > until || !builderAlive(lock)) return undefined
    await new Promise((r) => setTimeout(r, 100))
  }
  return file
}

/** Whether the process building behind `lock` still runs (a file that timed out ends its worker). */
function builderAlive(lock: string): boolean {
  let pid: number
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'))
  } catch {
    return true // between the lock and its pid file
  }
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * Takes snapshots until two in a row hold the same store contents: what a seed started
 * (workflow steps, mails) has finished, so a restored stack does not do it again.
 */
export async function settledSnapshot(
  take: () => Promise<StackSnapshot>,
  quietMs = 300,
): Promise<StackSnapshot> {
  const digest = (s: StackSnapshot) =>
    createHash('sha256')
      .update(JSON.stringify([s.dynamo, s.objects.map((o) => [o.bucket, o.key]), s.mails.map((m) => m.name)]))
      .digest('hex')
  let last = await take()
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, quietMs))
    const next = await take()
    if (digest(next) === digest(last)) return next
    last = next
  }
  return last
}
