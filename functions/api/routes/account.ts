import { Hono } from 'hono'
import { z } from 'zod'
import { validationError } from '../../domain/errors.js'
import {
  accountView,
  changePassword,
  requestPasswordReset,
  resetPassword,
  usableResetToken,
} from '../accounts/account.js'
import { emailField, languageField, nameField, newPasswordField } from '../accounts/fields.js'
import { confirmSecondFactor, disableSecondFactor, startSecondFactor } from '../accounts/second-factor.js'
import { LINK_TOKEN } from '../accounts/tokens.js'
import { clearSessionCookie } from '../auth/cookies.js'
import { authenticate, principalFor } from '../auth/middleware.js'
import { startSession } from '../auth/sign-in.js'
import type { AppEnv } from '../env.js'
import { jsonBody } from '../validate.js'
import { view } from './session.js'

/** Body of `PATCH /api/account`. */
export const profileBody = z
  .object({
    name: nameField.optional(),
    language: languageField.optional(),
    digest: z.boolean('must be true or false').optional(),
  })
  .strict()
/** Body of `POST /api/account/totp/confirm`. */
export const codeBody = z
  .object({ code: z.string('must be text').min(1, 'must not be empty').max(20, 'is too long') })
  .strict()
/** Body of `POST /api/account/totp/disable`. */
export const disableBody = z
  .object({ password: z.string('must be text').min(1, 'must not be empty').max(200, 'is too long') })
  .strict()
/** Body of `POST /api/account/password`. */
export const passwordBody = z
  .object({
    currentPassword: z
      .string('must be text')
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters'),
    newPassword: newPasswordField,
  })
  .strict()

/**
 * `/api/account`: your own account: profile (name, language, weekly digest), password
 * change (needs the current one), sign out everywhere.
 */
export const account = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { principal } = await authenticate(c, { org: 'optional' })
    return c.json(await accountView(c.get('deps'), principal.userId))
  })
  .patch('/', async (c) => {
    const { principal } = await authenticate(c, { org: 'optional' })
    const body = await jsonBody(c, profileBody)
    await c.get('deps').identity.updateUser(principal.userId, {
      name: body.name,
      language: body.language,
      digestOptOut: body.digest === undefined ? undefined : !body.digest,
    })
    return c.json(await accountView(c.get('deps'), principal.userId))
  })
  // The optional second factor (local sign-in): set up, confirm with the first code, turn off.
  .post('/totp', async (c) => {
    const { principal } = await authenticate(c, { org: 'optional' })
    return c.json(await startSecondFactor(c.get('deps'), principal.userId), 201)
  })
  .post('/totp/confirm', async (c) => {
    const { principal } = await authenticate(c, { org: 'optional' })
    const body = await jsonBody(c, codeBody)
    return c.json(await confirmSecondFactor(c.get('deps'), principal.userId, body.code))
  })
  .post('/totp/disable', async (c) => {
    const { principal } = await authenticate(c, { org: 'optional' })
    const body = await jsonBody(c, disableBody)
    await disableSecondFactor(c, principal.userId, body.password)
    return c.json(await accountView(c.get('deps'), principal.userId))
  })
  .post('/password', async (c) => {
    const auth = await authenticate(c, { org: 'optional' })
    const body = await jsonBody(c, passwordBody)
    await changePassword(c, auth.principal.userId, auth.session?.token, body)
    return c.body(null, 204)
  })
  .post('/sign-out-everywhere', async (c) => {
    const { principal } = await authenticate(c, { org: 'optional' })
    const ended = await c.get('deps').identity.deleteUserSessions(principal.userId)
    clearSessionCookie(c)
    return c.json({ ended })
  })

/** Body of `POST /api/password-reset`. */
export const forgotBody = z.object({ email: emailField }).strict()
/** Body of `POST /api/password-reset/:token`. */
export const resetBody = z.object({ password: newPasswordField }).strict()

const tokenParam = (token: string) => {
  if (!LINK_TOKEN.test(token)) throw validationError({ token: 'is not a password link' })
  return token
}

/** The one answer to "forgot password", whether or not the address has an account. */
export const RESET_REQUESTED =
  'If an account uses this e-mail address, a link to choose a new password is on its way. It works once and for 2 hours.'

/**
 * `/api/password-reset`: "forgot password" (`POST` with the e-mail address: always 202,
 * rate-limited), the link's state (`GET /:token`) and choosing the new password
 * (`POST /:token`: ends every session, signs you in).
 */
export const passwordReset = new Hono<AppEnv>()
  .post('/', async (c) => {
    const body = await jsonBody(c, forgotBody)
    await requestPasswordReset(c, body.email)
    return c.json({ message: RESET_REQUESTED }, 202)
  })
  .get('/:token', async (c) => {
    const { rec, user } = await usableResetToken(c, tokenParam(c.req.param('token')))
    return c.json({ purpose: rec.purpose, email: user.email })
  })
  .post('/:token', async (c) => {
    const token = tokenParam(c.req.param('token'))
    const body = await jsonBody(c, resetBody)
    const user = await resetPassword(c, token, body.password)
    // With a second factor, a reset link does not sign in: the next sign-in asks for the code.
    if (user.totp)
      return c.json({ principal: null, csrfToken: null, authMode: c.get('deps').config.authMode })
    const session = await startSession(c, user.id)
    const principal = await principalFor(c, user.id, { org: 'optional' })
    return c.json(view(c, { principal, session }))
  })
