import { Hono } from 'hono'
import { z } from 'zod'
import { validationError } from '../../domain/errors.js'
import { acceptInvitation, describeInvitation } from '../accounts/accept.js'
import { nameField, newPasswordField } from '../accounts/fields.js'
import { LINK_TOKEN } from '../accounts/tokens.js'
import { principalFor } from '../auth/middleware.js'
import type { AppEnv } from '../env.js'
import { jsonBody } from '../validate.js'
import { view } from './session.js'

/** Body of `POST /api/invitations/:token/accept`. */
export const acceptBody = z
  .object({ name: nameField.optional(), password: newPasswordField.optional() })
  .strict()

const tokenParam = (token: string) => {
  if (!LINK_TOKEN.test(token)) throw validationError({ token: 'is not an invitation link' })
  return token
}

/**
 * `/api/invitations/:token`: what the link invites to (`GET`) and accepting it
 * (`POST /accept`). No sign-in needed, except for someone who has an account already.
 * A used, revoked or expired link answers 410.
 */
export const invitations = new Hono<AppEnv>()
  .get('/:token', async (c) => c.json(await describeInvitation(c, tokenParam(c.req.param('token')))))
  .post('/:token/accept', async (c) => {
    const token = tokenParam(c.req.param('token'))
    const body = await jsonBody(c, acceptBody)
    const done = await acceptInvitation(c, token, body)
    if (!done.signedIn) return c.json({ orgId: done.orgId, userId: done.userId })
    const principal = await principalFor(c, done.userId, { orgId: done.orgId })
    return c.json({
      orgId: done.orgId,
      userId: done.userId,
      ...view(c, { principal, session: done.session }),
    })
  })
