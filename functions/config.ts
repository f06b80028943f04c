/**
 * Configuration, read once from the environment with local defaults. On AWS the CDK app
 * sets these variables; locally `infra/local/main.ts` does. There is no "if local" branch:
 * only endpoints and names differ.
 */
export interface Config {
  region: string
  tableName: string
  /** DynamoDB endpoint; undefined on AWS (the SDK's default). */
  dynamodbEndpoint?: string
  /** Step Functions endpoint; undefined on AWS. */
  sfnEndpoint?: string
  /** Prefix of state machine ARNs: `${prefix}${name}` (e.g. `arn:aws:states:eu-central-1:000000000000:stateMachine:ismsflow-`). */
  stateMachineArnPrefix: string
  /** `local` signs in with passwords and session cookies; `cognito` verifies Cognito JWTs. */
  authMode: 'local' | 'cognito'
  cognitoUserPoolId?: string
  cognitoClientId?: string
  /** The user pool's admin API endpoint (`COGNITO_ENDPOINT`); undefined on AWS (the SDK's default). */
  cognitoEndpoint?: string
  /** The OpenID provider that signs people in (`AUTH_MODE=cognito` only): the user pool on AWS. */
  oidc?: OidcConfig
  /**
   * The application secret (encrypts task tokens at rest) given directly: the local stack
   * sets it (`APP_SECRET`). On AWS only its Secrets Manager ARN is configured.
   */
  appSecret?: string
  /** ARN of the app secret in Secrets Manager (`APP_SECRET_ARN`), read at run time (see `config-secret.ts`). */
  appSecretArn?: string
  /**
   * ARN of the secret CloudFront sends as `x-origin-verify` to the API (`ORIGIN_VERIFY_SECRET_ARN`,
   * AWS only): requests without it did not come through the site and are refused.
   */
  originVerifySecretArn?: string
  /**
   * Public base URL of the web app (links in calendar feeds and notifications): `PUBLIC_URL`,
   * else `http://localhost:<PORT>`; the local stack replaces that default with the address it
   * actually listens on.
   */
  publicUrl: string
  /** How mail leaves: `file` (`.eml` files), `smtp` (files and SMTP), `ses` (Amazon SES). */
  mailTransport: 'file' | 'smtp' | 'ses'
  /** Folder of the `.eml` files (`file` and `smtp`). */
  mailDir: string
  /** SMTP server for `smtp`, e.g. `smtp://user:pass@mail.example.org:587`. */
  smtpUrl?: string
  /** Sender address of every message. */
  mailFrom: string
  /** The S3 bucket of evidence files (`EVIDENCE_BUCKET`). */
  evidenceBucket: string
  /** S3 endpoint (`S3_ENDPOINT`, path-style addressing); undefined on AWS. */
  s3Endpoint?: string
  /**
   * EventBridge Scheduler for the review programme, set by the CDK app on the API
   * (`SCHEDULE_GROUP_NAME`, `SCHEDULE_TARGET_ARN`, `SCHEDULER_ROLE_ARN`); undefined unless all
   * three are set (the local stack hands its own scheduler to `createDeps`).
   */
  scheduler?: { groupName: string; targetArn: string; roleArn: string }
  /**
   * How much the process logs (`LOG_LEVEL`, default `info`): `info` writes a line per API
   * request; `warn` and `error` (the test suites) leave those out. Errors always log.
   */
  logLevel: LogLevel
  /**
   * The folder of the form definitions (`FORMS_DIR`): the CDK app sets the Lambda bundle's;
   * undefined reads them from the repository's `workflows/forms/`.
   */
  formsDir?: string
}

/** The levels `LOG_LEVEL` takes. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Whether `value` is one of {@link LOG_LEVELS}. */
const isLogLevel = (value: string): value is LogLevel => LOG_LEVELS.some((l) => l === value)

/**
 * The origin a browser uploads evidence to and downloads it from (the CSP's `connect-src`):
 * the configured S3 endpoint, else the bucket's regional virtual-hosted endpoint.
 */
export function evidenceOrigin(cfg: Pick<Config, 'evidenceBucket' | 's3Endpoint' | 'region'>): string {
  return cfg.s3Endpoint
    ? new URL(cfg.s3Endpoint).origin
    : `https://${cfg.evidenceBucket}.s3.${cfg.region}.amazonaws.com`
}

/**
 * Where the API verifies ID tokens and where the web app sends people to sign in. On AWS
 * every field derives from the user pool and its managed login domain; tests point
 * `OIDC_*` at a local OpenID provider instead.
 */
export interface OidcConfig {
  /** The `iss` every ID token must carry. */
  issuer: string
  /** The app client: the ID token's `aud`. */
  clientId: string
  /** The provider's signing keys. */
  jwksUri: string
  authorizationEndpoint: string
  tokenEndpoint: string
  /** Where the browser signs out at the provider too. */
  endSessionEndpoint: string
  /**
   * `cognito`: `/logout?client_id&logout_uri` (Cognito's managed login); `oidc`: RP-initiated
   * logout (`id_token_hint`, `post_logout_redirect_uri`).
   */
  logoutStyle: 'cognito' | 'oidc'
}

/** The OIDC settings from their parts; throws naming the variable that is missing. */
export function oidcConfig(o: {
  region: string
  userPoolId?: string
  clientId?: string
  /** Managed login domain, e.g. `https://ismsflow-123.auth.eu-central-1.amazoncognito.com`. */
  domain?: string
  issuer?: string
  jwksUri?: string
  authorizationEndpoint?: string
  tokenEndpoint?: string
  endSessionEndpoint?: string
}): OidcConfig {
  const trim = (u: string) => u.replace(/\/+$/, '')
  if (!o.clientId) throw new Error('AUTH_MODE=cognito needs COGNITO_CLIENT_ID')
  const issuer = o.issuer
    ? trim(o.issuer)
    : o.userPoolId
      ? `https://cognito-idp.${o.region}.amazonaws.com/${o.userPoolId}`
      : undefined
  if (!issuer) throw new Error('AUTH_MODE=cognito needs COGNITO_USER_POOL_ID (or OIDC_ISSUER)')
  const domain = o.domain ? trim(o.domain) : undefined
  const endpoint = (given: string | undefined, path: string, name: string) => {
    const url = given ?? (domain ? `${domain}${path}` : undefined)
    if (!url) throw new Error(`AUTH_MODE=cognito needs COGNITO_DOMAIN (or ${name})`)
    return url
  }
  return {
    issuer,
    clientId: o.clientId,
    jwksUri: o.jwksUri ?? `${issuer}/.well-known/jwks.json`,
    authorizationEndpoint: endpoint(
      o.authorizationEndpoint,
      '/oauth2/authorize',
      'OIDC_AUTHORIZATION_ENDPOINT',
    ),
    tokenEndpoint: endpoint(o.tokenEndpoint, '/oauth2/token', 'OIDC_TOKEN_ENDPOINT'),
    endSessionEndpoint: endpoint(o.endSessionEndpoint, '/logout', 'OIDC_END_SESSION_ENDPOINT'),
    logoutStyle: o.endSessionEndpoint ? 'oidc' : 'cognito',
  }
}

/** A variable's value (an empty one counts as unset), or the fallback when one is given. */
interface EnvReader {
  (name: string): string | undefined
  (name: string, fallback: string): string
}

/** The variables configuration is read from (`process.env` unless given). */
export type Environment = Record<string, string | undefined>

/**
 * Reads the configuration from `vars` (default `process.env`); fails fast and by name when a
 * required variable is wrong. The local stack passes its own values on top instead of
 * writing them into the process's environment.
 */
export function readConfig(vars: Environment = process.env): Config {
  function env(name: string): string | undefined
  function env(name: string, fallback: string): string
  function env(name: string, fallback?: string): string | undefined {
    const v = vars[name]
    return v === undefined || v === '' ? fallback : v
  }
  const region = env('AWS_REGION', 'eu-central-1')
  const authMode = env('AUTH_MODE', 'local')
  if (authMode !== 'local' && authMode !== 'cognito')
    throw new Error(`AUTH_MODE must be local or cognito, not ${authMode}`)
  const appSecret = env('APP_SECRET')
  const appSecretArn = env('APP_SECRET_ARN')
  // No well-known default: without a secret nothing starts (the local stack makes its own).
  if (appSecret === undefined && appSecretArn === undefined)
    throw new Error(
      'APP_SECRET_ARN (the Secrets Manager ARN of the app secret, set by the CDK app) or APP_SECRET (set by the local stack) is required',
    )
  if (appSecret !== undefined && appSecretArn !== undefined)
    throw new Error('set APP_SECRET_ARN or APP_SECRET, not both')
  if (appSecret !== undefined && appSecret.length < 16)
    throw new Error('APP_SECRET must be at least 16 characters')
  if (
    appSecretArn !== undefined &&
    !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(appSecretArn)
  )
    throw new Error(`APP_SECRET_ARN is not a Secrets Manager secret ARN: ${appSecretArn}`)
  const oidc =
    authMode === 'cognito'
      ? oidcConfig({
          region,
          userPoolId: env('COGNITO_USER_POOL_ID'),
          clientId: env('COGNITO_CLIENT_ID'),
          domain: env('COGNITO_DOMAIN'),
          issuer: env('OIDC_ISSUER'),
          jwksUri: env('OIDC_JWKS_URI'),
          authorizationEndpoint: env('OIDC_AUTHORIZATION_ENDPOINT'),
          tokenEndpoint: env('OIDC_TOKEN_ENDPOINT'),
          endSessionEndpoint: env('OIDC_END_SESSION_ENDPOINT'),
        })
      : undefined
  const logLevel = env('LOG_LEVEL', 'info')
  if (!isLogLevel(logLevel))
    throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not ${logLevel}`)
  return {
    region,
    tableName: env('TABLE_NAME', 'ismsflow'),
    dynamodbEndpoint: env('DYNAMODB_ENDPOINT'),
    sfnEndpoint: env('SFN_ENDPOINT'),
    stateMachineArnPrefix: env(
      'STATE_MACHINE_ARN_PREFIX',
      `arn:aws:states:${region}:000000000000:stateMachine:ismsflow-`,
    ),
    authMode,
    cognitoUserPoolId: env('COGNITO_USER_POOL_ID'),
    cognitoClientId: env('COGNITO_CLIENT_ID'),
    cognitoEndpoint: env('COGNITO_ENDPOINT'),
    oidc,
    appSecret,
    appSecretArn,
    originVerifySecretArn: env('ORIGIN_VERIFY_SECRET_ARN'),
    publicUrl: env('PUBLIC_URL', `http://localhost:${env('PORT', '8787')}`),
    evidenceBucket: env('EVIDENCE_BUCKET', 'ismsflow-evidence'),
    s3Endpoint: env('S3_ENDPOINT'),
    scheduler: readSchedulerConfig(env),
    logLevel,
    formsDir: env('FORMS_DIR'),
    ...readMailConfig(env),
  }
}

/** The EventBridge Scheduler settings, when all three are set. */
function readSchedulerConfig(env: (name: string) => string | undefined): Config['scheduler'] {
  const groupName = env('SCHEDULE_GROUP_NAME')
  const targetArn = env('SCHEDULE_TARGET_ARN')
  const roleArn = env('SCHEDULER_ROLE_ARN')
  return groupName && targetArn && roleArn ? { groupName, targetArn, roleArn } : undefined
}

/** The mail settings: `MAIL_TRANSPORT` (default `smtp` when `SMTP_URL` is set, else `file`), `MAIL_DIR`, `SMTP_URL`, `MAIL_FROM`. */
function readMailConfig(env: EnvReader): Pick<Config, 'mailTransport' | 'mailDir' | 'smtpUrl' | 'mailFrom'> {
  const smtpUrl = env('SMTP_URL')
  const mailTransport = env('MAIL_TRANSPORT', smtpUrl ? 'smtp' : 'file')
  if (mailTransport !== 'file' && mailTransport !== 'smtp' && mailTransport !== 'ses')
    throw new Error(`MAIL_TRANSPORT must be file, smtp or ses, not ${mailTransport}`)
  if (mailTransport === 'smtp' && !smtpUrl) throw new Error('MAIL_TRANSPORT=smtp needs SMTP_URL')
  if (mailTransport === 'ses' && !env('MAIL_FROM')) throw new Error('MAIL_TRANSPORT=ses needs MAIL_FROM')
  return {
    mailTransport,
    mailDir: env('MAIL_DIR', '.data/mail'),
    smtpUrl,
    mailFrom: env('MAIL_FROM', 'ismsflow <no-reply@ismsflow.localhost>'),
  }
}

let cached: Config | undefined
/** The process-wide configuration (read on first use). */
export const config = (): Config => {
  cached ??= readConfig()
  return cached
}
/** Forget the cached configuration (tests that change the environment). */
export const resetConfig = () => {
  cached = undefined
}
