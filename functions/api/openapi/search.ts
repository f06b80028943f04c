import { searchQuery } from '../routes/search.js'
import { json, type OpenApiFragment, protectedErrors } from './types.js'
import { queryParameters } from './zod.js'

const localized = {
  type: 'object',
  required: ['en', 'de'],
  properties: { en: { type: 'string' }, de: { type: 'string' } },
}

const hit = {
  type: 'object',
  required: ['id', 'title', 'href'],
  properties: {
    id: { type: 'string', description: 'The record’s id (unique within its group)' },
    ref: {
      type: 'string',
      description: 'The reference people know the record by: risk id, control id, incident id',
    },
    title: localized,
    status: { ...localized, description: 'The record’s status in words' },
    date: {
      type: 'string',
      format: 'date-time',
      description: 'Due date (tasks, reviews) or awareness time (incidents)',
    },
    href: { type: 'string', description: 'The web page that shows the record' },
  },
}

/** `/api/search`: one search box over the organisation's records, through the search index. */
export const searchApi: OpenApiFragment[] = [
  {
    tag: {
      name: 'search',
      description: 'Search across the organisation’s records (through the search index).',
    },
    paths: {
      '/api/search': {
        get: {
          tags: ['search'],
          summary:
            'Risks, controls (Statement of Applicability entries), tasks, review cycles and incidents of the current organisation whose words begin with every word of `q`, grouped by type; only what the person may read',
          description:
            'Words are folded (case, accents, ß → ss); a word joined by punctuation is also found joined ("A.8.13", "e-mail"). Each type is read through the search index by key condition; every group is answered, empty ones with count 0. At most 20 items per group; `more` says that more records matched than were checked, so `count` is a lower bound.',
          parameters: queryParameters(searchQuery),
          responses: {
            '200': json({
              type: 'object',
              required: ['q', 'total', 'groups'],
              properties: {
                q: { type: 'string' },
                total: { type: 'integer', description: 'Results over all groups' },
                groups: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['type', 'count', 'more', 'items'],
                    properties: {
                      type: { type: 'string', enum: ['risk', 'control', 'task', 'review', 'incident'] },
                      count: { type: 'integer', description: 'Results of this type the person may read' },
                      more: { type: 'boolean' },
                      items: { type: 'array', items: hit },
                    },
                  },
                },
              },
            }),
            ...protectedErrors,
          },
        },
      },
    },
  },
]
