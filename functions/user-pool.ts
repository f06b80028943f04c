import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider'
import type { Config } from './config.js'

/** One person's account at the user pool, as far as ismsflow needs it. */
export interface UserPoolAccount {
  /** The stable subject id: the `sub` of the person's ID tokens. */
  sub: string
  /** `FORCE_CHANGE_PASSWORD` until the person chose their own password at the managed login. */
  status: string
}

/**
 * The port to the user pool's admin API (Cognito owns passwords on AWS): creating the
 * sign-in of an invited person and reading it back. Only the API uses it, and only in
 * `AUTH_MODE=cognito` with `COGNITO_USER_POOL_ID`.
 */
export interface UserPool {
  /**
   * The account for `email`, created when there is none (`AdminCreateUser`: e-mail verified,
   * no message from Cognito — ismsflow sends its own), with `temporaryPassword` to be changed
   * at the first sign-in. An existing account is answered as it is (`created: false`).
   */
  ensureUser(input: {
    email: string
    name?: string
    temporaryPassword: string
  }): Promise<UserPoolAccount & { created: boolean }>
  /** The account for `email`, or undefined. */
  getUser(email: string): Promise<UserPoolAccount | undefined>
  /** Sets a new temporary password (the person must still choose their own at the next sign-in). */
  setTemporaryPassword(email: string, password: string): Promise<void>
}

const subOf = (attributes: AttributeType[] | undefined, email: string) => {
  const sub = attributes?.find((a) => a.Name === 'sub')?.Value
  if (!sub) throw new Error(`The user pool answered no sub for ${email}`)
  return sub
}

/**
 * The user pool through `@aws-sdk/client-cognito-identity-provider`: the pool of
 * `COGNITO_USER_POOL_ID`, at `COGNITO_ENDPOINT` when set (tests point it at a local
 * Cognito-compatible endpoint), else AWS's. Undefined without a pool (password sign-in).
 */
export function createUserPool(
  cfg: Pick<Config, 'region' | 'authMode' | 'cognitoUserPoolId' | 'cognitoEndpoint'>,
): UserPool | undefined {
  const UserPoolId = cfg.cognitoUserPoolId
  if (cfg.authMode !== 'cognito' || !UserPoolId) return undefined
  const client = new CognitoIdentityProviderClient({
    region: cfg.region,
    endpoint: cfg.cognitoEndpoint,
    maxAttempts: 3,
  })

  async function getUser(email: string): Promise<UserPoolAccount | undefined> {
    try {
      const out = await client.send(new AdminGetUserCommand({ UserPoolId, Username: email }))
      return { sub: subOf(out.UserAttributes, email), status: out.UserStatus ?? 'UNKNOWN' }
    } catch (err) {
      if (err instanceof UserNotFoundException) return undefined
      throw err
    }
  }

  return {
    async ensureUser({ email, name, temporaryPassword }) {
      try {
        const out = await client.send(
          new AdminCreateUserCommand({
            UserPoolId,
            Username: email,
            TemporaryPassword: temporaryPassword,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
              ...(name ? [{ Name: 'name', Value: name }] : []),
            ],
          }),
        )
        return {
          sub: subOf(out.User?.Attributes, email),
          status: out.User?.UserStatus ?? 'FORCE_CHANGE_PASSWORD',
          created: true,
        }
      } catch (err) {
        if (!(err instanceof UsernameExistsException)) throw err
        const existing = await getUser(email)
        if (!existing) throw err
        return { ...existing, created: false }
      }
    },
    getUser,
    async setTemporaryPassword(email, password) {
      await client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId,
          Username: email,
          Password: password,
          Permanent: false,
        }),
      )
    },
  }
}
