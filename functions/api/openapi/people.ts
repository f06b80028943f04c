import { z } from 'zod'
import {
  invitationLinkSchema,
  invitationListSchema,
  invitationViewSchema,
  memberListSchema,
  memberViewSchema,
} from '../../domain/contracts/people.js'
import { codeBody, disableBody, forgotBody, passwordBody, profileBody, resetBody } from '../routes/account.js'
import { acceptBody } from '../routes/invitations.js'
import { inviteBody, mailQuery, createBody as orgCreateBody, rolesBody } from '../routes/orgs.js'
import { providerSetupBody, setupBody, signedInSetupBody } from '../routes/setup.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors, ref } from './types.js'
import { body, componentSchemas, queryParameters } from './zod.js'

const obj = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  required,
  properties,
  additionalProperties: false,
})
const gone = { '410': errorResponse('The link was used, withdrawn or has expired.') }
const token = [
  { name: 'token', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
]
const idParam = (name: string) => [{ name, in: 'path', required: true, schema: { type: 'string' } }]

/** Set-up, organisations, people (members and invitations), accounts and password links. */
export const peopleApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'setup',
      description: 'The first start without the demo: the first organisation and its ISO, once.',
    },
    paths: {
      '/api/setup': {
        get: {
          tags: ['setup'],
          summary: 'Whether this installation still needs setting up',
          security: [],
          responses: { '200': json(obj(['needed'], { needed: { type: 'boolean' } })) },
        },
        post: {
          tags: ['setup'],
          summary:
            'Set up: organisation, your name, e-mail and password; you become its ISO and are signed in',
          description:
            "On AWS (`AUTH_MODE=cognito`) there is no password here. Either post `{orgName, name?, language?}` with `Authorization: Bearer <ID token>`: the verified e-mail of the token is the ISO's and the sign-in (`sub`) is linked to them (401 for an invalid token); or, without a token, `{orgName, name, email, language?}`: the ISO's account is created at the user pool (AdminCreateUser, e-mail verified) and bound by its `sub`, and the 201 answers `{organisation, signIn: {email, temporaryPassword}}` (the temporary password once, null for an account that has its own password); the managed login asks for a new password at the first sign-in.",
          security: [],
          requestBody: body(
            z.union([setupBody, signedInSetupBody, providerSetupBody]),
            'Local: `setupBody`; on AWS signed in or not (see the description)',
          ),
          responses: {
            '201': json(
              { type: 'object' },
              'Set up; the session as from POST /api/session, with the organisation',
            ),
            '400': errorResponse('Invalid fields.'),
            '409': errorResponse('Set up already.'),
          },
        },
      },
    },
  },
  {
    tag: {
      name: 'people',
      description: 'Organisations, members and invitations (the ISO of the organisation).',
    },
    schemas: componentSchemas({
      Member: memberViewSchema,
      MemberList: memberListSchema,
      Invitation: invitationViewSchema,
      InvitationList: invitationListSchema,
      InvitationLink: invitationLinkSchema,
    }),
    paths: {
      '/api/orgs': {
        post: {
          tags: ['people'],
          summary: 'Create a client organisation; you become its ISO (iso)',
          requestBody: body(orgCreateBody),
          responses: {
            '201': json(obj(['id', 'name'], { id: { type: 'string' }, name: { type: 'string' } })),
            ...protectedErrors,
          },
        },
      },
      '/api/orgs/current/members': {
        get: {
          tags: ['people'],
          summary: 'Members with roles and last sign-in (iso)',
          responses: { '200': json(ref('MemberList')), ...protectedErrors },
        },
      },
      '/api/orgs/current/members/{userId}/roles': {
        put: {
          tags: ['people'],
          summary: "Replace a member's roles; the last ISO keeps iso (iso)",
          parameters: idParam('userId'),
          requestBody: body(rolesBody),
          responses: {
            '200': json({ type: 'object' }),
            ...protectedErrors,
            '409': errorResponse('Last ISO, or changed meanwhile.'),
          },
        },
      },
      '/api/orgs/current/members/{userId}': {
        delete: {
          tags: ['people'],
          summary: 'Remove a member; their open tasks go back to the role queue (iso)',
          parameters: idParam('userId'),
          responses: {
            '200': json({ type: 'object' }),
            ...protectedErrors,
            '409': errorResponse('Last ISO.'),
          },
        },
      },
      '/api/orgs/current/invitations': {
        get: {
          tags: ['people'],
          summary: 'Invitations, newest first, with whether their e-mail was sent (iso)',
          responses: { '200': json(ref('InvitationList')), ...protectedErrors },
        },
        post: {
          tags: ['people'],
          summary: 'Invite a person by e-mail; the link is valid once, for 7 days (iso)',
          requestBody: body(inviteBody),
          responses: {
            '201': json(ref('Invitation'), 'Invited'),
            ...protectedErrors,
            '409': errorResponse('A member or invited already.'),
          },
        },
      },
      '/api/orgs/current/invitations/{id}/resend': {
        post: {
          tags: ['people'],
          summary:
            'Send a pending invitation again with a new link (also the retry of a failed e-mail) (iso)',
          parameters: idParam('id'),
          responses: {
            '200': json(ref('Invitation')),
            ...protectedErrors,
            '409': errorResponse('Not pending.'),
          },
        },
      },
      '/api/orgs/current/invitations/{id}': {
        delete: {
          tags: ['people'],
          summary: 'Withdraw a pending invitation (its link answers 410) (iso)',
          parameters: idParam('id'),
          responses: {
            '200': json(ref('Invitation')),
            ...protectedErrors,
            '409': errorResponse('Accepted already.'),
          },
        },
      },
      '/api/orgs/current/mail': {
        get: {
          tags: ['people'],
          summary: 'Messages sent about the organisation, newest first, one-time links shortened (iso)',
          parameters: queryParameters(mailQuery),
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/invitations/{token}': {
        get: {
          tags: ['people'],
          summary: 'What an invitation link invites to: organisation, inviter, roles',
          description:
            'On AWS (`AUTH_MODE=cognito`) also `temporaryPassword` while the invitee has not chosen their own password at the user pool: they sign in at the managed login with it (it asks for a new one), come back and accept signed in.',
          security: [],
          parameters: token,
          responses: {
            '200': json(ref('InvitationLink')),
            '400': errorResponse('Not a link token.'),
            ...gone,
            '429': errorResponse('Too many requests.'),
          },
        },
      },
      '/api/invitations/{token}/accept': {
        post: {
          tags: ['people'],
          summary:
            'Accept: a new person sets name and password (signed in); someone with an account signs in first',
          security: [],
          parameters: token,
          requestBody: body(acceptBody),
          responses: {
            '200': json({ type: 'object' }),
            '400': errorResponse('Invalid fields.'),
            '401': errorResponse('Has an account: sign in first.'),
            '403': errorResponse('Signed in as someone else.'),
            '409': errorResponse('A member already.'),
            ...gone,
          },
        },
      },
    },
  },
  {
    tag: { name: 'account', description: 'Your own account and password links.' },
    paths: {
      '/api/account': {
        get: {
          tags: ['account'],
          summary: 'Your account',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
        patch: {
          tags: ['account'],
          summary: 'Change your name, language or weekly digest',
          requestBody: body(profileBody),
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/account/password': {
        post: {
          tags: ['account'],
          summary: 'Change your password (needs the current one); other sessions end',
          requestBody: body(passwordBody),
          responses: {
            '204': { description: 'Changed' },
            ...protectedErrors,
            '429': errorResponse('Too many wrong passwords.'),
          },
        },
      },
      '/api/account/totp': {
        post: {
          tags: ['account'],
          summary:
            'Start setting up two-step sign-in (local sign-in only): a new TOTP secret, its otpauth:// URI and the QR code as SVG',
          responses: {
            '201': json(
              obj(['secret', 'uri', 'qrSvg'], {
                secret: { type: 'string' },
                uri: { type: 'string' },
                qrSvg: { type: 'string' },
              }),
            ),
            ...protectedErrors,
            '404': errorResponse("Cognito's sign-in: its MFA applies."),
          },
        },
      },
      '/api/account/totp/confirm': {
        post: {
          tags: ['account'],
          summary: "Turn two-step sign-in on with the app's first code; answers the 10 recovery codes once",
          requestBody: body(codeBody),
          responses: {
            '200': json(
              obj(['recoveryCodes'], { recoveryCodes: { type: 'array', items: { type: 'string' } } }),
            ),
            ...protectedErrors,
          },
        },
      },
      '/api/account/totp/disable': {
        post: {
          tags: ['account'],
          summary: 'Turn two-step sign-in off (needs the password)',
          requestBody: body(disableBody),
          responses: {
            '200': json({ type: 'object' }, 'The account as GET /api/account answers it'),
            ...protectedErrors,
            '429': errorResponse('Too many wrong passwords.'),
          },
        },
      },
      '/api/account/sign-out-everywhere': {
        post: {
          tags: ['account'],
          summary: 'End every session of yours, this one included',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/password-reset': {
        post: {
          tags: ['account'],
          summary:
            'Forgot password: e-mails a one-time link; the same answer whether or not the address exists',
          security: [],
          requestBody: body(forgotBody),
          responses: {
            '202': json({ type: 'object' }),
            '400': errorResponse('Invalid e-mail.'),
            '429': errorResponse('Too many requests.'),
          },
        },
      },
      '/api/password-reset/{token}': {
        get: {
          tags: ['account'],
          summary: 'Whether a password link can be used',
          security: [],
          parameters: token,
          responses: { '200': json({ type: 'object' }), '400': errorResponse('Not a link token.'), ...gone },
        },
        post: {
          tags: ['account'],
          summary: 'Choose a new password through the link; ends every session and signs you in',
          security: [],
          parameters: token,
          requestBody: body(resetBody),
          responses: { '200': json({ type: 'object' }), '400': errorResponse('Invalid password.'), ...gone },
        },
      },
    },
  },
]
