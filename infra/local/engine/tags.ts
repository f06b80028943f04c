import { checkArn } from './checks.js'
import { ApiError } from './errors.js'
import type { Persistence } from './persistence.js'

/**
 * Tags of state machines and activities (TagResource, UntagResource, ListTagsForResource,
 * and the `tags` of CreateStateMachine/CreateActivity), one catalogue record per resource.
 * AWS: "Tags … can only be applied to state machines and activities"; at most 50 per
 * resource; keys 1–128 and values 0–256 characters.
 */

export interface Tag {
  key: string
  value: string
}

const MAX_TAGS = 50

function checkTags(value: unknown): Tag[] {
  if (!Array.isArray(value))
    throw new ApiError(
      'ValidationException',
      "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must not be null",
    )
  return value.map((t, i) => {
    const key = (t as Tag)?.key
    const v = (t as Tag)?.value ?? ''
    if (typeof key !== 'string' || key.length < 1 || key.length > 128)
      throw new ApiError(
        'ValidationException',
        `Invalid tag key at tags.${i + 1}.member.key (1-128 characters)`,
      )
    if (typeof v !== 'string' || v.length > 256)
      throw new ApiError(
        'ValidationException',
        `Invalid tag value at tags.${i + 1}.member.value (0-256 characters)`,
      )
    return { key, value: v }
  })
}

/** What tags need: the persistence, and whether a taggable resource exists. */
export interface TagsContext {
  persistence: Persistence
  exists(resourceArn: string): Promise<boolean>
}

/** The tag operations. */
export function createTags(ctx: TagsContext) {
  const { persistence: db } = ctx

  const read = async (arn: string) => (await db.getRecord<Tag[]>('tags', arn)) ?? []

  async function resource(value: unknown): Promise<string> {
    const arn = checkArn(value, 'resourceArn', ['stateMachine', 'activity'])
    if (!(await ctx.exists(arn))) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`)
    return arn
  }

  /** Adds or replaces tags (keys are unique; at most 50). */
  async function put(arn: string, value: unknown) {
    const given = checkTags(value)
    const merged = new Map((await read(arn)).map((t) => [t.key, t.value]))
    for (const t of given) merged.set(t.key, t.value)
    if (merged.size > MAX_TAGS) {
      const e = new ApiError('TooManyTags', `Too many tags: a resource may have at most ${MAX_TAGS} (${arn})`)
      throw e
    }
    await db.putRecord(
      'tags',
      arn,
      [...merged].map(([key, v]) => ({ key, value: v })),
    )
  }

  return {
    put,

    /** Forgets the tags of a deleted resource. */
    drop: (arn: string) => db.deleteRecord('tags', arn),

    /** TagResource. */
    async tagResource(input: { resourceArn?: unknown; tags?: unknown }) {
      await put(await resource(input.resourceArn), input.tags)
      return {}
    },

    /** UntagResource. */
    async untagResource(input: { resourceArn?: unknown; tagKeys?: unknown }) {
      const arn = await resource(input.resourceArn)
      if (!Array.isArray(input.tagKeys) || input.tagKeys.some((k) => typeof k !== 'string'))
        throw new ApiError(
          'ValidationException',
          "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must not be null",
        )
      const drop = new Set(input.tagKeys as string[])
      await db.putRecord(
        'tags',
        arn,
        (await read(arn)).filter((t) => !drop.has(t.key)),
      )
      return {}
    },

    /** ListTagsForResource. */
    async listTagsForResource(input: { resourceArn?: unknown }) {
      return { tags: await read(await resource(input.resourceArn)) }
    },
  }
}

/** The tags API of an engine. */
export type Tags = ReturnType<typeof createTags>
