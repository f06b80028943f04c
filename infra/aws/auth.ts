import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import * as cognito from 'aws-cdk-lib/aws-cognito'
import { Construct } from 'constructs'
import { ROLES } from '../../functions/api/env.js'

/**
 * Sign-in on AWS: a Cognito user pool (no self sign-up; the ISO invites people), a strong
 * password policy, optional TOTP MFA, an app client for the web app without a secret, and
 * one group per role of DESIGN.md. Organisation memberships live in the table, not here.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool
  readonly client: cognito.UserPoolClient

  constructor(scope: Construct, id: string) {
    super(scope, id)
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: 'ismsflow-users',
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
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
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    })
    this.client = this.userPool.addClient('WebClient', {
      userPoolClientName: 'ismsflow-web',
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    })
    for (const role of ROLES) {
      new cognito.CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `ismsflow role ${role}`,
      })
    }
  }
}
