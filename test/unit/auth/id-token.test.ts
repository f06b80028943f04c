import { describe, expect, it } from 'vitest'
import { checkIdTokenClaims } from '../../../functions/api/auth/id-token.js'
import { oidcConfig } from '../../../functions/config.js'

const ISS = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Pool'
const claims = (extra: Record<string, unknown> = {}) => ({
  sub: 'abc-123',
  email: 'Ines@Nordlicht.test',
  email_verified: true,
  token_use: 'id',
  'cognito:username': 'abc-123',
  name: 'Ines Sommer',
  ...extra,
})

describe('checkIdTokenClaims', () => {
  it('reads issuer, subject, the lower-cased verified e-mail, name and Cognito username', () => {
    expect(checkIdTokenClaims(ISS, claims())).toEqual({
      ok: true,
      subject: {
        issuer: ISS,
        sub: 'abc-123',
        email: 'ines@nordlicht.test',
        name: 'Ines Sommer',
        username: 'abc-123',
      },
    })
    expect(checkIdTokenClaims(ISS, claims({ email_verified: 'true' })).ok).toBe(true)
  })

  it('refuses an e-mail the provider has not verified', () => {
    for (const v of [false, 'false', undefined, 1, 'yes'])
      expect(checkIdTokenClaims(ISS, claims({ email_verified: v }))).toEqual({
        ok: false,
        reason: 'email_unverified',
      })
  })

  it('refuses access tokens, a missing or empty subject and a missing e-mail', () => {
    for (const bad of [
      claims({ token_use: 'access' }),
      claims({ token_use: undefined }),
      claims({ sub: '' }),
      claims({ sub: 42 }),
      claims({ email: undefined }),
      claims({ email: 'not an address' }),
    ])
      expect(checkIdTokenClaims(ISS, bad)).toEqual({ ok: false, reason: 'invalid' })
  })
})

describe('oidcConfig', () => {
  it('derives the Cognito issuer, keys and managed login endpoints from pool, client and domain', () => {
    expect(
      oidcConfig({
        region: 'eu-central-1',
        userPoolId: 'eu-central-1_Pool',
        clientId: 'client',
        domain: 'https://ismsflow-1.auth.eu-central-1.amazoncognito.com/',
      }),
    ).toEqual({
      issuer: ISS,
      clientId: 'client',
      jwksUri: `${ISS}/.well-known/jwks.json`,
      authorizationEndpoint: 'https://ismsflow-1.auth.eu-central-1.amazoncognito.com/oauth2/authorize',
      tokenEndpoint: 'https://ismsflow-1.auth.eu-central-1.amazoncognito.com/oauth2/token',
      endSessionEndpoint: 'https://ismsflow-1.auth.eu-central-1.amazoncognito.com/logout',
      logoutStyle: 'cognito',
    })
  })

  it('takes a standard provider from OIDC_* settings (RP-initiated logout)', () => {
    const c = oidcConfig({
      region: 'eu-central-1',
      clientId: 'client',
      issuer: 'http://127.0.0.1:4000',
      jwksUri: 'http://127.0.0.1:4000/jwks',
      authorizationEndpoint: 'http://127.0.0.1:4000/auth',
      tokenEndpoint: 'http://127.0.0.1:4000/token',
      endSessionEndpoint: 'http://127.0.0.1:4000/session/end',
    })
    expect(c).toMatchObject({
      issuer: 'http://127.0.0.1:4000',
      jwksUri: 'http://127.0.0.1:4000/jwks',
      logoutStyle: 'oidc',
    })
  })

  it('names the missing variable', () => {
    expect(() => oidcConfig({ region: 'r', userPoolId: 'p' })).toThrow(/COGNITO_CLIENT_ID/)
    expect(() => oidcConfig({ region: 'r', clientId: 'c' })).toThrow(/COGNITO_USER_POOL_ID/)
    expect(() => oidcConfig({ region: 'r', clientId: 'c', userPoolId: 'p' })).toThrow(/COGNITO_DOMAIN/)
  })
})
