import { Hono } from 'hono'
import { z } from 'zod'
import { conflict } from '../../domain/errors.js'
import { emailField, languageField, nameField, newPasswordField, orgNameField } from '../accounts/fields.js'
import { setUpInstallation } from '../accounts/organisations.js'
import { setUpWithUserPool } from '../accounts/provider-accounts.js'
import { bearerSubject } from '../auth/bearer.js'
import { principalFor } from '../auth/middleware.js'
import { startSession } from '../auth/sign-in.js'
import type { AppEnv } from '../env.js'
import { jsonBody } from '../validate.js'
import { view } from './session.js'

/** Body of `POST /api/setup` with a password (local mode). */
export const setupBody = z
  .object({
    orgName: orgNameField,
    name: nameField,
    email: emailField,
    password: newPasswordField,
    language: languageField.optional(),
  })
  .strict()

/** On AWS, signed in: the e-mail comes from the verified sign-in and there is no password here. */
export const signedInSetupBody = z
  .object({ orgName: orgNameField, name: nameField.optional(), language: languageField.optional() })
  .strict()

/** On AWS, not signed in yet: the ISO's account is created at the user pool (Cognito owns passwords). */
export const providerSetupBody = z
  .object({ orgName: orgNameField, name: nameField, email: emailField, language: languageField.optional() })
  .strict()

/**
 * `/api/setup`: the first start without the demo. `GET` says whether set-up is needed;
 * `POST` creates the first organisation with you as its ISO and signs you in (201), once:
 * afterwards 409. On AWS (`AUTH_MODE=cognito`) there is no password here: either you post
 * signed in at the user pool (your verified e-mail address is the ISO's, your sign-in `sub`
 * linked to them), or, not signed in, name your e-mail address: the ISO's account is made
 * at the user pool (`AdminCreateUser`) and the answer carries its temporary password once,
 * which the managed login makes you replace at the first sign-in.
 */
export const setup = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ needed: !(await c.get('deps').identity.isSetUp()) }))
  .post('/', async (c) => {
    const deps = c.get('deps')
    if (deps.config.oidc && !c.req.header('authorization')) {
      const body = await jsonBody(c, providerSetupBody)
      const done = await setUpWithUserPool(deps, body, 'web')
      return c.json(
        {
          organisation: done.org,
          signIn: { email: done.email, temporaryPassword: done.temporaryPassword ?? null },
        },
        201,
      )
    }
    if (deps.config.oidc) {
      const subject = await bearerSubject(c)
      const body = await jsonBody(c, signedInSetupBody)
      if (await deps.identity.userBySubject(subject.issuer, subject.sub))
        throw conflict('ismsflow is set up already, and your sign-in belongs to a person here.')
      const { org, userId } = await setUpInstallation(
        deps,
        {
          orgName: body.orgName,
          name: body.name ?? subject.name ?? subject.email,
          email: subject.email,
          language: body.language,
        },
        'web',
      )
      await deps.identity.bindSubject(userId, subject.issuer, subject.sub)
      const principal = await principalFor(c, userId, { orgId: org.id })
      return c.json({ organisation: org, ...view(c, { principal }) }, 201)
    }
    const body = await jsonBody(c, setupBody)
    const { org, userId } = await setUpInstallation(c.get('deps'), body, 'web')
    const session = await startSession(c, userId)
    const principal = await principalFor(c, userId, { orgId: org.id })
    return c.json({ organisation: org, ...view(c, { principal, session }) }, 201)
  })
