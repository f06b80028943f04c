import { calendarQuery } from '../routes/calendar.js'
import { errorResponse, json, type OpenApiFragment, protectedErrors } from './types.js'
import { queryParameters } from './zod.js'

/** The calendar and the per-person iCalendar feed. */
export const calendarApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'calendar',
      description:
        'Everything due (reviews, milestones, task due dates, risk-acceptance expiries) per organisation or across yours, and a personal iCalendar feed behind a revocable secret URL.',
    },
    paths: {
      '/api/calendar': {
        get: {
          tags: ['calendar'],
          summary: 'Items due in a window, grouped by day',
          parameters: queryParameters(calendarQuery, { to: 'At most 400 days after from' }),
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
      },
      '/api/calendar/feed': {
        get: {
          tags: ['calendar'],
          summary: 'Whether you have a feed, and since when',
          responses: { '200': json({ type: 'object' }), ...protectedErrors },
        },
        post: {
          tags: ['calendar'],
          summary: 'Create or rotate your feed URL (the old one stops working); the secret is shown once',
          responses: { '201': json({ type: 'object' }), ...protectedErrors },
        },
        delete: {
          tags: ['calendar'],
          summary: 'Revoke your feed URL',
          responses: { '204': { description: 'Revoked' }, ...protectedErrors },
        },
      },
      '/api/calendar/feed/{file}': {
        get: {
          tags: ['calendar'],
          summary: 'Your feed as iCalendar (no session: the secret in the URL is the credential)',
          security: [],
          parameters: [
            { name: 'file', in: 'path', required: true, schema: { type: 'string', example: '<secret>.ics' } },
            { name: 'lang', in: 'query', schema: { type: 'string', enum: ['en', 'de'] } },
          ],
          responses: {
            '200': {
              description: 'RFC 5545 calendar',
              content: { 'text/calendar': { schema: { type: 'string' } } },
            },
            '404': errorResponse('Unknown or revoked feed.'),
          },
        },
      },
    },
  },
]
