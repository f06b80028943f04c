import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib'
import * as cognito from 'aws-cdk-lib/aws-cognito'
import { Construct } from 'constructs'
import { ROLES } from '../../functions/api/env.js'

/** Inputs of the sign-in construct. */
export interface AuthProps {
  /**
   * Prefix of the managed login domain `<prefix>.auth.<region>.amazoncognito.com`; unique
   * per region across AWS (default `ismsflow-<account id>`).
   */
  domainPrefix?: string
}

/** Where the web app sends people back after signing in and out. */
export const CALLBACK_PATH = '/auth/callback'

/**
 * Sign-in on AWS: a Cognito user pool (no self sign-up: people join by invitation), the
 * e-mail required and verified, and kept while a change is unverified (so a changed,
 * unverified address never reaches an ID token), a strong password policy, optional TOTP
 * MFA, threat protection (Plus plan), the managed login domain, and one app client for the
 * web app (`addWebClient`): authorization code with PKCE only, no secret, no implicit flow,
 * refresh token rotation, and no right to write `email`. Organisation memberships and
 * roles live in the table; people are bound to their `sub` there (`store/identity.ts`).
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool
  readonly domain: cognito.UserPoolDomain
  /** The managed login base URL: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainUrl: string
  private webClient?: cognito.UserPoolClient

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id)
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: 'ismsflow-users',
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        // As long as an invitation link (its page shows the temporary password).
        tempPasswordValidity: Duration.days(7),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, adaptive authentication) needs the Plus plan.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    })
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `ismsflow-${Stack.of(this).account}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    })
    this.domainUrl = this.domain.baseUrl()
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `ismsflow role ${role}`,
      })
    }
  }

  /**
   * The web app's client, signing in at `siteUrl` (the CloudFront domain): callback
   * `<siteUrl>/auth/callback`, sign-out back to `<siteUrl>/`. Managed login shows
   * Cognito's own branding for it.
   */
  addWebClient(siteUrl: string): cognito.UserPoolClient {
    if (this.webClient) throw new Error('The web client exists already')
    const client = this.userPool.addClient('WebClient', {
      userPoolClientName: 'ismsflow-web',
      generateSecret: false,
      // Managed login signs people in; the app itself never handles a password.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${siteUrl}${CALLBACK_PATH}`],
        logoutUrls: [`${siteUrl}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(),
      // The app client may not change anyone's e-mail (nor mark it verified).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      // Each refresh answers a new refresh token; the old one stays valid 10 s for retries.
      refreshTokenRotationGracePeriod: Duration.seconds(10),
    })
    new cognito.CfnManagedLoginBranding(this, 'WebClientBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    })
    this.webClient = client
    return client
  }

  /** The web app's client (after `addWebClient`). */
  get client(): cognito.UserPoolClient {
    if (!this.webClient) throw new Error('Call addWebClient first')
    return this.webClient
  }
}
