import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { emailField, languageField, nameField, orgNameField } from '../../functions/api/accounts/fields.js'
import { setUpInstallation } from '../../functions/api/accounts/organisations.js'
import { setUpWithUserPool } from '../../functions/api/accounts/provider-accounts.js'
import { createClients, createDeps } from '../../functions/api/deps.js'
import { type Environment, readConfig } from '../../functions/config.js'
import { AppError } from '../../functions/domain/errors.js'
import { zodFields } from '../../functions/domain/zod-fields.js'
import { ensureTable } from '../../functions/store/client.js'
import { localAppSecret } from './app-secret.js'
import { localCredentials } from './credentials.js'
import { startDynamo } from './dynamo.js'

/**
 * `npm run setup -- --org "…" --email … [--name …] [--language de]`: sets up an
 * installation without the demo from a terminal (servers) and prints a one-time link to
 * choose the password. Uses the running `npm start` when its store answers, else opens
 * the data folder itself.
 *
 * On AWS (`AUTH_MODE=cognito` with the stack's outputs in `COGNITO_USER_POOL_ID`,
 * `COGNITO_CLIENT_ID`, `COGNITO_DOMAIN`, `TABLE_NAME`, `PUBLIC_URL` and AWS credentials):
 * the ISO's account is created at the user pool (Cognito owns passwords) and the
 * temporary password to sign in with is printed instead; the managed login asks for a new one.
 */
const usage =
  'usage: npm run setup -- --org "Organisation name" --email you@example.org [--name "Your name"] [--language en|de]'

const args = z
  .object({
    orgName: orgNameField,
    email: emailField,
    name: nameField.optional(),
    language: languageField.optional(),
  })
  .strict()

const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port })
    s.setTimeout(500)
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
    s.once('timeout', () => {
      s.destroy()
      resolve(false)
    })
  })

async function main() {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      language: { type: 'string' },
    },
    strict: true,
  })
  const parsed = args.safeParse({
    orgName: values.org,
    email: values.email,
    name: values.name,
    language: values.language,
  })
  if (!parsed.success) {
    for (const [field, problem] of Object.entries(zodFields(parsed.error)))
      console.error(`--${field === 'orgName' ? 'org' : field} ${problem}`)
    console.error(usage)
    process.exitCode = 2
    return
  }
  const input = parsed.data
  if (process.env.AUTH_MODE === 'cognito')
    return setUpOnAws({ ...input, name: input.name ?? input.email.split('@')[0] })
  const dataDir = process.env.DATA_DIR ?? '.data'
  const port = Number(process.env.DYNAMODB_PORT ?? 8000)
  // The embedded store verifies Signature V4 with the installation's key pair; the app reads its secret.
  const credentials = localCredentials(dataDir)
  // The store's endpoint and the installation's secret are passed to the configuration, not written to the environment.
  const vars: Environment = { ...process.env, APP_SECRET: process.env.APP_SECRET ?? localAppSecret(dataDir) }
  let close = async () => {}
  if (!vars.DYNAMODB_ENDPOINT) {
    if (await reachable('127.0.0.1', port)) vars.DYNAMODB_ENDPOINT = `http://127.0.0.1:${port}`
    else {
      const dynamo = await startDynamo({ port: 0, path: join(dataDir, 'dynamodb'), credentials })
      vars.DYNAMODB_ENDPOINT = dynamo.endpoint
      close = dynamo.close
    }
  }
  try {
    const cfg = readConfig(vars)
    const clients = createClients(cfg)
    const deps = createDeps({ ...cfg, mailDir: vars.MAIL_DIR ?? join(dataDir, 'mail') }, undefined, {
      clients,
    })
    await ensureTable(clients.dynamo, cfg.tableName)
    const done = await setUpInstallation(
      deps,
      { ...input, name: input.name ?? input.email.split('@')[0] },
      'cli',
    )
    console.log(`Set up: ${input.orgName} (${done.org.id}), ${input.email} is its information security officer.

Choose the password with this one-time link (valid for 7 days):

  ${done.link}
`)
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message)
      process.exitCode = 1
    } else throw err
  } finally {
    await close()
  }
}

/** The set-up on AWS: the table and the user pool of the deployed stack, through the SDK. */
async function setUpOnAws(input: { orgName: string; email: string; name: string; language?: 'en' | 'de' }) {
  // The set-up makes no task tokens: a throwaway secret satisfies the configuration.
  const vars: Environment = process.env.APP_SECRET_ARN
    ? process.env
    : { ...process.env, APP_SECRET: process.env.APP_SECRET ?? randomBytes(32).toString('base64url') }
  try {
    const deps = createDeps(readConfig(vars))
    const done = await setUpWithUserPool(deps, input, 'cli')
    console.log(`Set up: ${input.orgName} (${done.org.id}), ${input.email} is its information security officer.

Sign in at ${deps.config.publicUrl} with ${input.email} and ${
      done.temporaryPassword
        ? `this temporary password (the sign-in page asks for your own):

  ${done.temporaryPassword}`
        : 'the password of your existing sign-in.'
    }
`)
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    console.error(err.message)
    process.exitCode = 1
  }
}

await main()
