import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The secret a data folder made before it kept its own (open tasks sealed under it still open). */
const FORMER_DEFAULT = 'local-development-secret-change-me'

/**
 * The local stack's application secret (`APP_SECRET`): the environment's when set; else the
 * data folder's own, `<dataDir>/app-secret` (made once, readable by its owner only); in memory,
 * a fresh random one. On AWS the functions read theirs from Secrets Manager instead.
 */
export function localAppSecret(dataDir: string | undefined): string {
  const given = process.env.APP_SECRET
  if (given) return given
  if (!dataDir) return randomBytes(32).toString('base64url')
  const file = join(dataDir, 'app-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  // A folder with data from before kept its tasks under the former fixed secret.
  const secret = existsSync(join(dataDir, 'dynamodb'))
    ? FORMER_DEFAULT
    : randomBytes(32).toString('base64url')
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  writeFileSync(file, `${secret}\n`, { mode: 0o600 })
  return secret
}
