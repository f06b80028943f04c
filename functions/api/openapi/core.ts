import { AUDIT_EXPORT_MAX } from '../../domain/audit-words.js'
import { auditLogPageSchema } from '../../domain/contracts/audit-log.js'
import {
  taskAnswerSchema,
  taskDetailSchema,
  taskDraftSavedSchema,
  taskListSchema,
  taskRowViewSchema,
  taskViewSchema,
} from '../../domain/contracts/tasks.js'
import { exportQuery as auditExportQuery, listQuery as auditListQuery } from '../routes/audit.js'
import { timeZoneBody } from '../routes/orgs.js'
import { signInBody, switchBody } from '../routes/session.js'
import { answersBody, delegateBody, listQuery as taskListQuery } from '../routes/tasks.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors, ref } from './types.js'
import { body, componentSchemas, queryParameters } from './zod.js'

/** The audit log's filters: who, what, when. */
const auditFilterDescriptions = {
  actor: "A member's user id, or `system` for ismsflow's own processes",
  from: 'First day (UTC), inclusive',
  to: 'Last day (UTC), inclusive; not before `from`',
}

/** Health, session and tasks. */
export const core: OpenApiFragment[] = [
  {
    tag: { name: 'health', description: 'Reachability of the store and the workflow engine.' },
    paths: {
      '/api/health': {
        get: {
          tags: ['health'],
          summary: 'Store and engine reachability',
          responses: { '200': json({ type: 'object' }), '503': json({ type: 'object' }, 'Degraded') },
        },
      },
    },
  },
  {
    tag: { name: 'meta', description: 'This document.' },
    paths: {
      '/api/openapi.json': {
        get: {
          tags: ['meta'],
          summary: 'The OpenAPI document',
          security: [],
          responses: { '200': json({ type: 'object' }) },
        },
      },
    },
  },
  {
    tag: { name: 'organisations', description: 'The current organisation and its audit log.' },
    schemas: componentSchemas({ AuditLogPage: auditLogPageSchema }),
    paths: {
      '/api/orgs/current': {
        get: {
          tags: ['organisations'],
          summary:
            'The current organisation (with its time zone, default Europe/Berlin) and your roles in it',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/orgs/current/time-zone': {
        put: {
          tags: ['organisations'],
          summary:
            'Sets the organisation’s time zone (ISO): an IANA name, checked with Intl and answered in its canonical spelling; incident clocks, the incident register and the calendar show dates in it (instants stay UTC)',
          requestBody: body(timeZoneBody),
          responses: {
            '200': json({ type: 'object', properties: { timeZone: { type: 'string' } } }),
            ...protectedErrors,
          },
        },
      },
      '/api/audit': {
        get: {
          tags: ['organisations'],
          summary:
            'The append-only audit log of the organisation, newest first, each entry as a sentence in English and German (iso, management, auditor)',
          parameters: queryParameters(auditListQuery, auditFilterDescriptions),
          responses: {
            '200': json(ref('AuditLogPage')),
            ...protectedErrors,
          },
        },
      },
      '/api/audit/export.csv': {
        get: {
          tags: ['organisations'],
          summary: `The audit log as CSV with the same filters (at most ${AUDIT_EXPORT_MAX} entries; \`lang=de\` uses German headers and \`;\`); the export is itself recorded`,
          parameters: queryParameters(auditExportQuery, auditFilterDescriptions),
          responses: {
            '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            ...protectedErrors,
          },
        },
      },
    },
  },
  {
    tag: {
      name: 'config',
      description: 'How this installation signs people in (read by the web app before sign-in).',
    },
    paths: {
      '/api/config': {
        get: {
          tags: ['config'],
          summary: 'Sign-in mode and, on AWS, the OpenID provider for the authorization code flow with PKCE',
          security: [],
          responses: { '200': json({ $ref: '#/components/schemas/ClientConfig' }) },
        },
      },
    },
    schemas: {
      ClientConfig: {
        type: 'object',
        required: ['authMode', 'oidc'],
        properties: {
          authMode: { type: 'string', enum: ['local', 'cognito'] },
          oidc: {
            description: 'null with password sign-in (local mode)',
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                required: [
                  'issuer',
                  'clientId',
                  'authorizationEndpoint',
                  'tokenEndpoint',
                  'endSessionEndpoint',
                  'logoutStyle',
                  'scope',
                ],
                properties: {
                  issuer: { type: 'string', format: 'uri' },
                  clientId: { type: 'string' },
                  authorizationEndpoint: { type: 'string', format: 'uri' },
                  tokenEndpoint: { type: 'string', format: 'uri' },
                  endSessionEndpoint: { type: 'string', format: 'uri' },
                  logoutStyle: {
                    type: 'string',
                    enum: ['cognito', 'oidc'],
                    description:
                      '`cognito`: `/logout?client_id&logout_uri`; `oidc`: RP-initiated logout with `id_token_hint` and `post_logout_redirect_uri`',
                  },
                  scope: { type: 'string' },
                },
              },
            ],
          },
        },
      },
    },
  },
  {
    tag: {
      name: 'session',
      description:
        "Sign-in (local mode), the current principal, organisation switch. On AWS every request carries `Authorization: Bearer <ID token>`; the person is found by the token's `iss` and `sub` (never by e-mail), and a token without `email_verified: true` is refused with 401.",
    },
    paths: {
      '/api/session': {
        get: {
          tags: ['session'],
          summary:
            'The signed-in principal, memberships and CSRF token; `principal: null` when nobody is signed in',
          responses: {
            '200': json({ type: 'object' }),
            '401': errorResponse('(bearer) An invalid token or an unverified e-mail.'),
            '403': errorResponse('(bearer) A valid sign-in that is not linked to an ismsflow account.'),
          },
        },
        post: {
          tags: ['session'],
          summary: 'Sign in with e-mail and password',
          requestBody: body(signInBody),
          responses: {
            '200': json({ type: 'object' }),
            '400': errorResponse('Invalid body.'),
            '401': errorResponse('Wrong e-mail or password.'),
            '429': errorResponse('Too many attempts.'),
          },
        },
        delete: {
          tags: ['session'],
          summary: 'Sign out',
          responses: { '204': { description: 'Signed out' } },
        },
      },
      '/api/session/org': {
        post: {
          tags: ['session'],
          summary: 'Switch the current organisation',
          requestBody: body(switchBody),
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
    },
  },
  {
    tag: {
      name: 'tasks',
      description: 'Human tasks: the inbox, claiming, drafts and completion (the token stays server-side).',
    },
    paths: {
      '/api/tasks': {
        get: {
          tags: ['tasks'],
          summary: 'The inbox',
          parameters: queryParameters(taskListQuery, {
            view: '`waiting` (default): everything that waits for you — assigned to or claimed by you, and unclaimed tasks for your roles; `mine`; `unclaimed`; `completed`; `all` (what you may see)',
            scope: '`all`: every organisation you belong to',
            cursor: "The previous page's `cursor`: the next page",
          }),
          responses: {
            '200': json(ref('TaskList')),
            ...protectedErrors,
          },
        },
      },
      '/api/tasks/{id}': {
        get: {
          tags: ['tasks'],
          summary: 'A task with its form definition',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json(ref('TaskDetail')), ...protectedErrors },
        },
      },
      ...Object.fromEntries(
        (['claim', 'unclaim', 'draft', 'complete', 'delegate'] as const).map((action) => [
          `/api/tasks/{id}/${action}`,
          {
            post: {
              tags: ['tasks'],
              summary: {
                claim: 'Claim a role task',
                unclaim: 'Hand a claimed task back',
                draft: 'Save answers as a draft (autosave)',
                complete: 'Submit the answers; the workflow continues once',
                delegate: 'Hand the task to another person with the required role',
              }[action],
              parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
              ...(action === 'draft' || action === 'complete'
                ? {
                    requestBody: body(answersBody),
                  }
                : action === 'delegate'
                  ? {
                      requestBody: body(delegateBody),
                    }
                  : {}),
              responses: {
                '200':
                  action === 'draft'
                    ? json(ref('TaskDraftSaved'), 'Saved: when, and the task version')
                    : json(ref('TaskAnswer'), 'The task as it is now'),
                ...protectedErrors,
                '409': errorResponse('Already completed by X at T, expired, or changed meanwhile.'),
              },
            },
          },
        ]),
      ),
      '/api/workflows/executions/{id}': {
        get: {
          tags: ['tasks'],
          summary: 'An execution: state graph with current and past states, history in plain words',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
    },
    schemas: componentSchemas({
      Task: taskViewSchema,
      TaskRow: taskRowViewSchema,
      TaskList: taskListSchema,
      TaskDetail: taskDetailSchema,
      TaskAnswer: taskAnswerSchema,
      TaskDraftSaved: taskDraftSavedSchema,
    }),
  },
]
