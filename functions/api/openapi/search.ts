import { json, type OpenApiFragment, protectedErrors } from './types.js'

const hit = {
  type: 'object',
  required: ['id', 'title', 'href'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'string' },
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
            'Records of the current organisation whose words begin with every word of `q` (accents folded), grouped by type; only what the person may read',
          parameters: [
            {
              name: 'q',
              in: 'query',
              required: true,
              schema: { type: 'string', minLength: 1, maxLength: 100 },
            },
          ],
          responses: {
            '200': json({
              type: 'object',
              required: ['q', 'groups'],
              properties: {
                q: { type: 'string' },
                groups: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['type', 'items'],
                    properties: {
                      type: { type: 'string', enum: ['risk'] },
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
