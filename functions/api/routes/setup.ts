import { Hono } from 'hono'
import { z } from 'zod'
import { emailField, languageField, nameField, newPasswordField, orgNameField } from '../accounts/fields.js'
import { setUpInstallation } from '../accounts/organisations.js'
import { principalFor } from '../auth/middleware.js'
import { startSession } from '../auth/sign-in.js'
import type { AppEnv } from '../env.js'
import { jsonBody } from '../validate.js'
import { view } from './session.js'

const setupBody = z
  .object({
    orgName: orgNameField,
    name: nameField,
    email: emailField,
    password: newPasswordField,
    language: languageField.optional(),
  })
  .strict()

/**
 * `/api/setup`: the first start without the demo. `GET` says whether set-up is needed;
 * `POST` creates the first organisation with you as its ISO and signs you in (201), once:
 * afterwards 409.
 */
export const setup = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ needed: !(await c.get('deps').identity.isSetUp()) }))
  .post('/', async (c) => {
    const body = await jsonBody(c, setupBody)
    const { org, userId } = await setUpInstallation(c.get('deps'), body, 'web')
    const session = await startSession(c, userId)
    const principal = await principalFor(c, userId, { orgId: org.id })
    return c.json({ organisation: org, ...view(c, { principal, session }) }, 201)
  })
