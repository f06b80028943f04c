import { getSecret } from '@aws-lambda-powertools/parameters/secrets'
import type { Config } from './config.js'

/**
 * The secrets the configuration names (`APP_SECRET_ARN`, `ORIGIN_VERIFY_SECRET_ARN`), read at run time.
 */

/** Where a secret comes from: asked when needed, cached by the source. */
export type SecretSource = () => Promise<string>

/** How long a container keeps the secret before asking Secrets Manager again (rotation reaches it then). */
export const SECRET_MAX_AGE_SECONDS = 900

/**
 * The application secret: the configured value (local stack), or read from Secrets Manager
 * by ARN on first use and cached per container (Powertools Parameters, `maxAge` above), so
 * only the ARN is in a function's environment. Fails naming the ARN when the secret has no
 * usable string value.
 */
export function appSecretSource(cfg: Pick<Config, 'appSecret' | 'appSecretArn'>): SecretSource {
  const { appSecret, appSecretArn } = cfg
  if (appSecret !== undefined) return async () => appSecret
  if (appSecretArn === undefined) throw new Error('no app secret configured (APP_SECRET_ARN or APP_SECRET)')
  return secretByArn(appSecretArn)
}

/**
 * A secret of Secrets Manager by ARN, read on first use and cached per container for
 * `SECRET_MAX_AGE_SECONDS` (Powertools Parameters). Fails naming the ARN when the secret
 * has no string value of at least 16 characters.
 */
export function secretByArn(arn: string): SecretSource {
  return async () => {
    const value = await getSecret(arn, { maxAge: SECRET_MAX_AGE_SECONDS })
    if (typeof value !== 'string' || value.length < 16)
      throw new Error(`secret ${arn} has no string value of at least 16 characters`)
    return value
  }
}
