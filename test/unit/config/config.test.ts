import { mkdirSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readConfig } from '../../../functions/config.js'
import { appSecretSource } from '../../../functions/config-secret.js'
import { localAppSecret } from '../../../infra/local/app-secret.js'

const saved = { APP_SECRET: process.env.APP_SECRET, APP_SECRET_ARN: process.env.APP_SECRET_ARN }
afterEach(() => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
})

describe('configuration of the app secret', () => {
  it('fails fast, naming both variables, when neither a secret nor its ARN is given (no default)', () => {
    delete process.env.APP_SECRET
    delete process.env.APP_SECRET_ARN
    expect(() => readConfig()).toThrow(/APP_SECRET_ARN .* or APP_SECRET .* is required/)
  })

  it('takes the Secrets Manager ARN alone (AWS) and refuses what is not one', () => {
    delete process.env.APP_SECRET
    process.env.APP_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:AppSecret-a1b2c3'
    const cfg = readConfig()
    expect(cfg.appSecret).toBeUndefined()
    expect(cfg.appSecretArn).toBe(process.env.APP_SECRET_ARN)
    process.env.APP_SECRET_ARN = 'my-secret'
    expect(() => readConfig()).toThrow(/APP_SECRET_ARN is not a Secrets Manager secret ARN: my-secret/)
  })

  it('refuses both at once and a short secret', () => {
    process.env.APP_SECRET = 'a-long-enough-local-secret'
    process.env.APP_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:AppSecret-a1b2c3'
    expect(() => readConfig()).toThrow(/not both/)
    delete process.env.APP_SECRET_ARN
    process.env.APP_SECRET = 'short'
    expect(() => readConfig()).toThrow(/at least 16 characters/)
  })

  it('a given secret is used as it is (the local stack)', async () => {
    process.env.APP_SECRET = 'a-long-enough-local-secret'
    delete process.env.APP_SECRET_ARN
    expect(await appSecretSource(readConfig())()).toBe('a-long-enough-local-secret')
  })
})

describe('the local stack’s app secret', () => {
  it('is made once per data folder, readable by its owner only, and kept', () => {
    delete process.env.APP_SECRET
    const dir = mkdtempSync(join(tmpdir(), 'ismsflow-secret-'))
    const first = localAppSecret(join(dir, 'fresh'))
    expect(first.length).toBeGreaterThanOrEqual(32)
    expect(statSync(join(dir, 'fresh', 'app-secret')).mode & 0o777).toBe(0o600)
    expect(localAppSecret(join(dir, 'fresh'))).toBe(first)
    expect(localAppSecret(undefined)).not.toBe(localAppSecret(undefined))
    // A folder with data from before keeps the secret its open tasks were sealed under.
    mkdirSync(join(dir, 'old', 'dynamodb'), { recursive: true })
    expect(localAppSecret(join(dir, 'old'))).toBe('local-development-secret-change-me')
  })
})

describe('configuration of logging and forms', () => {
  const base = { APP_SECRET: 'a-long-enough-local-secret' }

  it('reads LOG_LEVEL (default info) and refuses an unknown level by name', () => {
    expect(readConfig(base).logLevel).toBe('info')
    expect(readConfig({ ...base, LOG_LEVEL: 'warn' }).logLevel).toBe('warn')
    expect(() => readConfig({ ...base, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/)
  })

  it('reads FORMS_DIR (the Lambda bundle’s), else leaves the repository’s folder to the loader', () => {
    expect(readConfig(base).formsDir).toBeUndefined()
    expect(readConfig({ ...base, FORMS_DIR: '/var/task/forms' }).formsDir).toBe('/var/task/forms')
  })
})
