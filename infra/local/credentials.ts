/**
 * The installation's own AWS key pair. The embedded store, engine and object store verify
 * Signature V4 with it, as AWS would; the app, the tests and the AWS CLI sign with it. It is
 * generated on first start into `<data>/credentials` (mode 0600) in the AWS shared-credentials
 * format, so
 *
 *     AWS_SHARED_CREDENTIALS_FILE=.data/credentials AWS_PROFILE=ismsflow-local aws … --endpoint-url …
 *
 * works as it is. A stack without a data folder (tests) uses one pair generated per process.
 */
import { randomBytes } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'

/** The profile of the installation's key pair in `.data/credentials`. */
export const CREDENTIALS_PROFILE = 'ismsflow-local'

/** A key pair (the SDK's `AwsCredentialIdentity` without a session token). */
export interface LocalCredentials {
  accessKeyId: string
  secretAccessKey: string
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** A fresh key pair shaped like AWS's (20-character key id, 40-character secret). */
export function generateCredentials(): LocalCredentials {
  const id = [...randomBytes(16)].map((b) => BASE32[b % 32]).join('')
  return {
    accessKeyId: `AKIL${id}`,
    secretAccessKey: randomBytes(30).toString('base64').replace(/\+/g, 'x').replace(/\//g, 'y'),
  }
}

/** The file's text: one `[ismsflow-local]` profile. */
export function credentialsFileText(c: LocalCredentials): string {
  return `[${CREDENTIALS_PROFILE}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n`
}

/** Reads the `[ismsflow-local]` profile of a shared-credentials file; undefined when it is not there. */
export function parseCredentialsFile(text: string): LocalCredentials | undefined {
  let inProfile = false
  const values: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const section = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line)
    if (section) {
      inProfile = section[1] === CREDENTIALS_PROFILE
      continue
    }
    const kv = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line)
    if (inProfile && kv) values[kv[1].toLowerCase()] = kv[2].trim()
  }
  const accessKeyId = values.aws_access_key_id
  const secretAccessKey = values.aws_secret_access_key
  return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined
}

/**
 * Makes a data folder private to its owner: creates it 0700 and narrows what an older
 * installation left open (folders 0700, files 0600), without following symbolic links.
 */
export function makePrivate(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const walk = (path: string) => {
    const st = lstatSync(path)
    if (st.isSymbolicLink()) return
    if (st.isDirectory()) {
      if ((st.mode & 0o077) !== 0) chmodSync(path, 0o700)
      for (const name of readdirSync(path)) walk(join(path, name))
    } else if ((st.mode & 0o077) !== 0) chmodSync(path, 0o600)
  }
  walk(dir)
}

let processPair: LocalCredentials | undefined

/**
 * The installation's key pair: read from `<dataDir>/credentials`, or created there (0600) on
 * first start. Without a data folder, one pair per process. Within one process every stack
 * uses the same pair (a new data folder receives the process's pair), so clients and servers
 * of several stacks in a test process agree.
 */
export function installationCredentials(dataDir?: string): LocalCredentials {
  // Copies: the SDK marks the objects it is given (`$source`).
  if (!dataDir) {
    processPair ??= generateCredentials()
    return { ...processPair }
  }
  const file = credentialsFilePath(dataDir)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  if (existsSync(file)) {
    const found = parseCredentialsFile(readFileSync(file, 'utf8'))
    if (!found)
      throw new Error(
        `${file} has no [${CREDENTIALS_PROFILE}] profile with a key pair; delete it to make a new one`,
      )
    chmodSync(file, 0o600)
    processPair = found
    return { ...found }
  }
  processPair ??= generateCredentials()
  writeFileSync(file, credentialsFileText(processPair), { mode: 0o600, flag: 'wx' })
  return { ...processPair }
}

/** Where the key pair of a data folder lives. */
export const credentialsFilePath = (dataDir: string) => join(dataDir, 'credentials')

/**
 * Makes `c` the process's AWS credentials, as the Lambda runtime does with its role's: the
 * SDK clients of the app (default provider chain) sign with them. A profile or session token
 * of the developer's shell would take precedence or spoil the signature, so both go.
 */
export function useCredentials(c: LocalCredentials): void {
  process.env.AWS_ACCESS_KEY_ID = c.accessKeyId
  process.env.AWS_SECRET_ACCESS_KEY = c.secretAccessKey
  delete process.env.AWS_SESSION_TOKEN
  delete process.env.AWS_PROFILE
}

/**
 * For tests and tools that talk to the embedded servers: the process's key pair, made the
 * process's AWS credentials (one helper, so every SDK client of a test signs correctly).
 */
export function localCredentials(dataDir?: string): LocalCredentials {
  const c = installationCredentials(dataDir)
  useCredentials(c)
  return c
}
