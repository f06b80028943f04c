import {
  cycleListSchema,
  cycleSummarySchema,
  entryViewSchema,
  programmeSchema,
} from '../../domain/contracts/reviews.js'
import { createEntryBody, updateEntryBody } from '../../domain/reviews/entry.js'
import { listQuery as reviewListQuery, startBody as reviewStartBody } from '../routes/reviews.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'
import { body, componentSchemas, queryParameters } from './zod.js'

const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', example: 'risk-review' } }
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const badOrCollides = {
  ...protectedErrors,
  '400': errorResponse(
    'Invalid field, named: unknown kind, invalid cron or rate, unknown time zone, form that does not exist, owner not a member, or a collision with another review of the same kind.',
  ),
  '409': errorResponse('Id already used, or changed by someone else since `expectedVersion`.'),
  '500': errorResponse('No scheduler is available in this deployment; nothing was written.'),
}

/** Periodic reviews: the programme and its cycles, and the management review package. */
export const reviewsApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'reviews',
      description:
        'The review programme (entries with schedules, next due date, last result), review cycles with answers, changes since the last cycle, sign-off and actions, and the management review input package (ISO/IEC 27001 9.3.2).',
    },
    paths: {
      '/api/reviews/templates': {
        get: {
          tags: ['reviews'],
          summary: 'Review kinds with their default cadence, form and roles',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/reviews/programme': {
        get: {
          tags: ['reviews'],
          summary: 'The programme: entries with next due date and last result',
          responses: {
            '200': json(ref('ReviewProgramme')),
            ...protectedErrors,
          },
        },
        post: {
          tags: ['reviews'],
          summary: 'Add an entry and its schedule (ISO)',
          requestBody: body(createEntryBody),
          responses: {
            '201': json({ type: 'object', properties: { entry: ref('ReviewEntry') } }),
            ...badOrCollides,
          },
        },
      },
      '/api/reviews/programme/{id}': {
        get: {
          tags: ['reviews'],
          summary: 'One entry with its newest 100 cycles the reader may see and their number (cyclesTotal)',
          parameters: [id],
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
        put: {
          tags: ['reviews'],
          summary: 'Change an entry and its schedule (ISO); fields given replace the stored ones',
          parameters: [id],
          requestBody: body(updateEntryBody),
          responses: {
            '200': json({ type: 'object', properties: { entry: ref('ReviewEntry') } }),
            ...badOrCollides,
          },
        },
        delete: {
          tags: ['reviews'],
          summary: 'Delete an entry and its schedule (ISO); its cycles stay',
          parameters: [id, { name: 'expectedVersion', in: 'query', schema: { type: 'integer' } }],
          responses: { '204': { description: 'Deleted' }, ...badOrCollides },
        },
      },
      '/api/reviews/programme/{id}/start': {
        post: {
          tags: ['reviews'],
          summary: 'Start a review of this entry now (ISO)',
          parameters: [id],
          requestBody: body(reviewStartBody),
          responses: {
            '202': json({
              type: 'object',
              properties: { reviewId: { type: 'string' }, executionArn: { type: 'string' } },
            }),
            ...protectedErrors,
            '409': errorResponse('Started this minute already.'),
          },
        },
      },
      '/api/reviews/management-package': {
        get: {
          tags: ['reviews'],
          summary: 'The management review input package, generated now from the organisation’s records',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/reviews': {
        get: {
          tags: ['reviews'],
          summary:
            'Review cycles, newest first, one page at a time, filtered by programme entry and status (members: those they or their role perform)',
          parameters: queryParameters(reviewListQuery, {
            cursor: "The previous page's `cursor`: the next page",
          }),
          responses: { '200': json(ref('ReviewCycleList')), ...protectedErrors },
        },
      },
      '/api/reviews/{id}': {
        get: {
          tags: ['reviews'],
          summary: 'One cycle: answers, changes since the last cycle, package, sign-off, actions and tasks',
          parameters: [{ ...id, schema: { type: 'string', example: 'risk-review_20260401T0700Z' } }],
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
    },
    schemas: componentSchemas({
      ReviewEntry: entryViewSchema,
      ReviewProgramme: programmeSchema,
      ReviewCycle: cycleSummarySchema,
      ReviewCycleList: cycleListSchema,
    }),
  },
]
